import { createHash } from 'node:crypto';
import { AUDIT_BUCKETS } from '../config.js';
import { entryHash } from './hash.js';
import type { Session } from './session.js';

const scratch = new Uint32Array(2);

/**
 * The audit digests of a table, kept up to date at every change.
 *
 * Only eligible sessions (the replicated set) count: each of the 256 buckets holds the XOR of a
 * 64-bit hash of (id, version) of its sessions, so adding, removing or re-versioning a session
 * costs O(1) and the order of insertion does not matter.
 */
export class BucketDigests {
  private readonly lo = new Uint32Array(AUDIT_BUCKETS);
  private readonly hi = new Uint32Array(AUDIT_BUCKETS);
  private readonly counts = new Uint32Array(AUDIT_BUCKETS);
  private eligibleN = 0;

  /** Eligible sessions counted. */
  get size(): number {
    return this.eligibleN;
  }

  /** Counts `s` (just made eligible) with its version. */
  add(s: Session): void {
    this.fold(s, s.version);
    this.counts[s.bucket]++;
    this.eligibleN++;
  }

  /** Stops counting `s` (removed), with the version it was counted with. */
  remove(s: Session): void {
    this.fold(s, s.version);
    this.counts[s.bucket]--;
    this.eligibleN--;
  }

  /** `s` is counted with `from` and goes to `to`. */
  reversion(s: Session, from: number, to: number): void {
    this.fold(s, from);
    this.fold(s, to);
  }

  clear(): void {
    this.lo.fill(0);
    this.hi.fill(0);
    this.counts.fill(0);
    this.eligibleN = 0;
  }

  private fold(s: Session, version: number): void {
    entryHash(s.h1, s.h2, version, scratch);
    this.lo[s.bucket] ^= scratch[0];
    this.hi[s.bucket] ^= scratch[1];
  }

  /** 8-byte digest of one bucket. */
  bucketDigest(bucket: number): Uint8Array {
    const out = new Uint8Array(8);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, this.hi[bucket]);
    dv.setUint32(4, this.lo[bucket]);
    return out;
  }

  bucketCount(bucket: number): number {
    return this.counts[bucket];
  }

  /** Copy of all bucket digests, cheap (4 KB). */
  snapshot(): { lo: Uint32Array; hi: Uint32Array; counts: Uint32Array } {
    return { lo: this.lo.slice(), hi: this.hi.slice(), counts: this.counts.slice() };
  }

  /** Stable digest of the replicated table: equal on both sides iff equal (id, version) sets. */
  digestBytes(): Uint8Array {
    return new Uint8Array(bucketsSha256(this.hi, this.lo, this.counts));
  }
}

/** SHA-256 over 256 buckets (high lanes, low lanes, counts): the table digests' final step. */
export function bucketsSha256(hi: Uint32Array, lo: Uint32Array, counts: Uint32Array): Buffer {
  const sha = createHash('sha256');
  for (const a of [hi, lo, counts]) sha.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return sha.digest();
}
