// Mutations of a valid payload for the fuzz test (payload.fuzz.test.ts): what a corrupt or hostile
// peer could send in its place. The result is a view into a larger buffer with random bytes on
// both sides, so a reader that reads past the end of its payload reads garbage, not zeros.
import type { Prng } from './prng.js';

/** Varints that claim far more than any payload holds: 2^32, 2^49 - 1, 2^56 - 1 (8 bytes), 10 bytes. */
const HUGE_VARINTS = [
  [0x80, 0x80, 0x80, 0x80, 0x10],
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
  [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
];

function splice(src: Uint8Array, at: number, remove: number, insert: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(src.length - remove + insert.length);
  out.set(src.subarray(0, at), 0);
  out.set(Array.from(insert), at);
  out.set(src.subarray(at + remove), at + insert.length);
  return out;
}

/** A mutated copy of `payload` (`other`: another valid payload, for splicing) and what was done. */
export function mutate(r: Prng, payload: Uint8Array, other: Uint8Array): { bytes: Uint8Array; how: string } {
  let out: Uint8Array = payload.slice();
  const n = out.length;
  const how = r.weighted({ flip: 4, truncate: 2, extend: 2, huge: 3, byte: 2, splice: 1, random: 1 });
  switch (how) {
    case 'flip':
      for (let k = r.range(1, 3); k > 0 && n > 0; k--) out[r.int(n)] ^= 1 << r.int(8);
      break;
    case 'truncate':
      out = out.slice(0, r.int(n + 1));
      break;
    case 'extend':
      out = splice(out, n, 0, r.bytes(r.range(1, 8)));
      break;
    case 'huge': {
      // A length or count field (or any varint) replaced by a huge one.
      const at = r.int(n + 1);
      out = splice(out, at, r.int(Math.min(2, n - at) + 1), r.pick(HUGE_VARINTS));
      break;
    }
    case 'byte':
      if (n > 0) out[r.int(n)] = r.pick([0x00, 0x01, 0x7f, 0x80, 0xff]);
      break;
    case 'splice': {
      const at = r.int(n + 1);
      const from = r.int(other.length + 1);
      out = splice(out, at, r.int(n - at + 1), other.subarray(from, from + r.int(other.length - from + 1)));
      break;
    }
    default:
      out = r.bytes(r.int(64));
  }
  const before = r.int(16);
  const frame = r.bytes(before + out.length + r.int(16));
  frame.set(out, before);
  return { bytes: frame.subarray(before, before + out.length), how };
}
