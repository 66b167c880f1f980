import type { ByteArena } from './arena.js';
import { BucketDigests } from './digest.js';
import { hashId } from './hash.js';
import type { SessionClassName } from '../messages.js';
import { PackedRecords } from './packed.js';
import { F_ELIGIBLE, F_REMOVED, Session } from './session.js';
import { ShardedMap } from './shards.js';

const scratch = new Uint32Array(2);

/**
 * The session table: sessions by id (sharded, shards.ts), their packed attributes and counters
 * (packed.ts), the version clock, and the audit digests of the eligible sessions kept up to
 * date at every change (digest.ts).
 */
export class SessionStore {
  /** Packed attributes and counters of this table's sessions (a Standby's). */
  readonly records: PackedRecords;
  private readonly byId = new ShardedMap<Session>();
  private readonly digests = new BucketDigests();
  /** Global version clock: every change gets a fresh, larger version. */
  private versionClock = 0;

  /** `arena`: where packed sessions go (a smaller one in tests). */
  constructor(arena?: ByteArena) {
    this.records = new PackedRecords(arena);
  }

  get size(): number {
    return this.byId.size;
  }

  get eligibleCount(): number {
    return this.digests.size;
  }

  get(id: string): Session | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /**
   * Live iteration, shard by shard: deleted sessions are skipped; a session added during the
   * iteration is visited unless its shard has already been passed.
   */
  values(): IterableIterator<Session> {
    return this.byId.values();
  }

  nextVersion(): number {
    return ++this.versionClock;
  }

  /** Continue the version clock past every version held (a new Active after takeover). */
  bumpVersionClockPast(v: number): void {
    if (v > this.versionClock) this.versionClock = v;
  }

  get currentVersion(): number {
    return this.versionClock;
  }

  create(
    id: string,
    cls: SessionClassName,
    createdAt: number,
    lifetimeMs: number,
    expiresAt: number,
    attrs: Record<string, string>,
    counters: Record<string, bigint>,
    version: number,
  ): Session {
    this.remove(id);
    return this.insert(id, cls, createdAt, lifetimeMs, expiresAt, attrs, counters, version);
  }

  /**
   * create() for an id the caller has just looked up and found absent: one lookup less in a
   * table of millions (the Standby applying a bulk sync, the API creating a session).
   * Null attrs and counters: the caller packs them at once (`records.pack`).
   */
  insert(
    id: string,
    cls: SessionClassName,
    createdAt: number,
    lifetimeMs: number,
    expiresAt: number,
    attrs: Record<string, string> | null,
    counters: Record<string, bigint> | null,
    version: number,
  ): Session {
    hashId(id, scratch);
    const s = new Session(id, cls, createdAt, lifetimeMs, expiresAt, attrs, counters, version, scratch[0], scratch[1], this.records);
    this.byId.set(id, s);
    if (version > this.versionClock) this.versionClock = version;
    return s;
  }

  remove(id: string): Session | undefined {
    const s = this.byId.get(id);
    if (!s) return undefined;
    if (s.eligible) this.digests.remove(s);
    // A caller holding a removed session may still read it: it keeps its state as objects.
    if (s.packed >= 0) this.records.unpack(s);
    s.flags |= F_REMOVED;
    this.byId.delete(id);
    return s;
  }

  clear(): void {
    for (const s of this.byId.values()) if (s.packed >= 0) this.records.release(s);
    this.byId.clear();
    this.digests.clear();
  }

  setVersion(s: Session, version: number): void {
    if (s.eligible) this.digests.reversion(s, s.version, version);
    s.version = version;
    if (version > this.versionClock) this.versionClock = version;
  }

  markEligible(s: Session): void {
    if (s.eligible) return;
    s.flags |= F_ELIGIBLE;
    this.digests.add(s);
  }

  /** 8-byte digest of one bucket. */
  bucketDigest(bucket: number): Uint8Array {
    return this.digests.bucketDigest(bucket);
  }

  bucketCount(bucket: number): number {
    return this.digests.bucketCount(bucket);
  }

  /** Copy of all bucket digests, cheap (4 KB). */
  snapshotBuckets(): { lo: Uint32Array; hi: Uint32Array; counts: Uint32Array } {
    return this.digests.snapshot();
  }

  /** Stable digest of the replicated table: equal on both sides iff equal (id, version) sets. */
  digestBytes(): Uint8Array {
    return this.digests.digestBytes();
  }

  digest(): string {
    return Buffer.from(this.digestBytes()).toString('hex');
  }
}
