// CF MAC addresses: parsing, printing and the seed's tie-break (the higher MAC wins, comparing
// the last three octets left to right; the first three are the vendor code).

export type Mac = Uint8Array; // 6 octets

export function parseMac(text: string): Mac | null {
  const m = /^([0-9a-f]{2})([-:])([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})$/i.exec(
    text.trim(),
  );
  if (!m) return null;
  const octets = [m[1], m[3], m[4], m[5], m[6], m[7]].map((h) => parseInt(h ?? '', 16));
  return Uint8Array.from(octets);
}

export function formatMac(mac: Uint8Array): string {
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join('-');
}

/** > 0 when `a` wins (is higher on the last three octets), < 0 when `b` wins, 0 when equal. */
export function compareMacForElection(a: Uint8Array, b: Uint8Array): number {
  for (let i = 3; i < 6; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
