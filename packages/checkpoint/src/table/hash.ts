/**
 * Fast non-cryptographic hashing for audit digests (no allocation per call).
 * The table digest itself is SHA-256 over the 256 bucket digests (see digest.ts).
 */
import { AUDIT_BUCKETS } from '../config.js';

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Two independent 32-bit hashes of a string (FNV-1a lanes with a murmur finaliser). */
export function hashId(id: string, out: Uint32Array): void {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ id.length;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  out[0] = fmix32(a);
  out[1] = fmix32(b ^ 0x9e3779b9);
}

const scratch = new Uint32Array(2);

/** The audit bucket of an id whose first hash (hashId's out[0]) is `h1`: its low bits. */
export function bucketOfHash(h1: number): number {
  return h1 & (AUDIT_BUCKETS - 1);
}

/** The audit bucket of an id. */
export function bucketOf(id: string): number {
  hashId(id, scratch);
  return bucketOfHash(scratch[0]);
}

/** Mixes an id hash with a version into a 64-bit entry hash, written as two lanes. */
export function entryHash(h1: number, h2: number, version: number, out: Uint32Array): void {
  const lo = version >>> 0;
  const hi = Math.floor(version / 4294967296) >>> 0;
  out[0] = fmix32(h1 ^ Math.imul(lo, 0xcc9e2d51) ^ hi);
  out[1] = fmix32(h2 ^ Math.imul(lo ^ 0x27d4eb2f, 0x1b873593) ^ Math.imul(hi, 0x165667b1));
}
