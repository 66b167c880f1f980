// CF MAC addresses: parsing, printing and the election's tie-break (the higher MAC wins,
// comparing the last three octets left to right; the first three are the vendor code).
// The one parser of MACs for every package: the daemon's `cf-mac`, hw-sim's `cf-macs`, Hellos.

/** Six octets, as a Hello carries them. */
export type Mac = Uint8Array;

const MAC_RE = /^([0-9a-f]{2})([-:])([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})$/i;

/**
 * Parses `00-02-43-03-1C-2B` or `00:02:43:03:1c:2b` (one separator throughout, any case,
 * surrounding spaces ignored). Returns the octets, or the reason it is not a MAC.
 */
export function parseMac(text: unknown): Mac | string {
  if (typeof text !== 'string') return `must be a MAC address such as 00-02-43-03-1C-2B, got ${text === null ? 'null' : typeof text}`;
  const m = MAC_RE.exec(text.trim());
  if (!m) return `must be a MAC address such as 00-02-43-03-1C-2B (six two-digit hex octets separated by "-" or ":"), got ${JSON.stringify(text)}`;
  return Uint8Array.from([m[1], m[3], m[4], m[5], m[6], m[7]], (h) => parseInt(h ?? '', 16));
}

/** The octets of a MAC already validated (a loaded config, hw-sim's CF MACs); throws a RangeError otherwise. */
export function macOctets(text: string): Mac {
  const mac = parseMac(text);
  if (typeof mac === 'string') throw new RangeError(`cf-mac ${mac}`);
  return mac;
}

/** The canonical form: upper case, dash separated (`00-02-43-03-1C-2B`). */
export function formatMac(mac: Mac): string {
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join('-');
}

/** > 0 when `a` wins (is higher on the last three octets), < 0 when `b` wins, 0 when equal. */
export function compareMacForElection(a: Mac, b: Mac): number {
  for (let i = 3; i < 6; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
