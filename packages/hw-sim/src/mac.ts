// CF MAC addresses: parsing, formatting, and the SRP tiebreak (seed 003, "Chassis
// Initialization"): compare the last three octets left to right, the higher MAC wins.
import { HwSimError } from './errors.js';

export type Mac = readonly [number, number, number, number, number, number];

const MAC_RE = /^[0-9a-fA-F]{2}([:-])[0-9a-fA-F]{2}(\1[0-9a-fA-F]{2}){4}$/;

/** Parse `aa:bb:cc:dd:ee:ff` or `aa-bb-cc-dd-ee-ff` (one separator throughout, any case). */
export function parseMac(text: string): Mac {
  if (typeof text !== 'string') {
    throw new HwSimError('SRP_ERR_BAD_MAC', `MAC address must be a string, got ${typeof text}`);
  }
  const s = text.trim();
  if (!MAC_RE.test(s)) {
    throw new HwSimError(
      'SRP_ERR_BAD_MAC',
      `invalid MAC address "${text}": expected six two-digit hex octets separated by ":" or "-" (e.g. 00-02-43-03-1C-2B)`,
    );
  }
  const o = s.split(/[:-]/).map((x) => parseInt(x, 16));
  return [o[0], o[1], o[2], o[3], o[4], o[5]];
}

/** Canonical form: upper case, dash separated, as the seed prints it. */
export function formatMac(mac: Mac | string, sep: '-' | ':' = '-'): string {
  const m = typeof mac === 'string' ? parseMac(mac) : mac;
  return m.map((x) => x.toString(16).toUpperCase().padStart(2, '0')).join(sep);
}

/**
 * Compare two CF MACs for the election tiebreak: the last three octets (the first three are the
 * vendor code) from left to right. Returns > 0 when `a` wins, < 0 when `b` wins, 0 on a tie.
 * compareCfMac('00-02-43-03-1C-2B', '00-02-43-03-01-3B') > 0.
 */
export function compareCfMac(a: Mac | string, b: Mac | string): number {
  const x = typeof a === 'string' ? parseMac(a) : a;
  const y = typeof b === 'string' ? parseMac(b) : b;
  for (let i = 3; i < 6; i++) {
    const d = x[i] - y[i];
    if (d !== 0) return d > 0 ? 1 : -1;
  }
  return 0;
}
