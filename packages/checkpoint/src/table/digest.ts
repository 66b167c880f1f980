import { createHash } from 'node:crypto';
import { AUDIT_BUCKETS } from '../config.js';
import { bucketOfHash, entryHash, hashId } from './hash.js';
import type { Session } from './session.js';

const scratch = new Uint32Array(2);
/** The id hashes of the session being folded. */
const idHash = new Uint32Array(2);

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
    this.counts[this.fold(s.id, s.version)]++;
    this.eligibleN++;
  }

  /** Stops counting `s` (removed), with the version it was counted with. */
  remove(s: Session): void {
    this.counts[this.fold(s.id, s.version)]--;
    this.eligibleN--;
  }

  /** `s` is counted with `from` and goes to `to`. */
  reversion(s: Session, from: number, to: number): void {
    const b = this.fold(s.id, from);
    this.foldHashed(b, to);
  }

  clear(): void {
    this.lo.fill(0);
    this.hi.fill(0);
    this.counts.fill(0);
    this.eligibleN = 0;
  }

  /** Folds (id, version) into its bucket; returns the bucket (`idHash` holds the id's hashes). */
  private fold(id: string, version: number): number {
    hashId(id, idHash);
    const b = bucketOfHash(idHash[0]);
    this.foldHashed(b, version);
    return b;
  }

  /** fold() of the id whose hashes `idHash` holds, in bucket `b`. */
  private foldHashed(b: number, version: number): void {
    entryHash(idHash[0], idHash[1], version, scratch);
    this.lo[b] ^= scratch[0];
    this.hi[b] ^= scratch[1];
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
