import type { ByteArena } from './arena.js';
import { BucketDigests } from './digest.js';
import type { SessionClassName } from '../messages.js';
import { PackedRecords, type PackedRecordsOptions } from './packed.js';
import { F_COUNTERS_UNSYNCED, F_ELIGIBLE, F_REMOVED, F_TAKEOVER, type Session, sessionClassFor } from './session.js';
import { ShardedMap } from './shards.js';
import { SessionColumns } from './columns.js';

/**
 * The session table: sessions by id (sharded, shards.ts), their packed attributes and counters
 * (packed.ts), the version clock, and the audit digests of the eligible sessions kept up to
 * date at every change (digest.ts).
 *
 * A takeover is lazy (beginTakeover): each session is settled (its lifetime restarted from the
 * takeover, its counters advanced, marked eligible) when it is first looked up or iterated, and
 * the engine walks the rest in the background. Every path to a session goes through get() or
 * values(), so none sees one unsettled.
 */
export class SessionStore {
  /** Packed attributes and counters of this table's sessions (a Standby's). */
  readonly records: PackedRecords;
  /** Times, lifetimes, versions, flags and marks of this table's sessions (columns.ts). */
  readonly columns = new SessionColumns();
  /** Session with `records` and `columns` on its prototype (session.ts). */
  private readonly TableSession: typeof Session;
  private readonly byId = new ShardedMap<Session>();
  private readonly digests = new BucketDigests();
  /** Global version clock: every change gets a fresh, larger version. */
  private versionClock = 0;
  /** F_TAKEOVER or 0: a session whose bit differs is not settled since the last takeover. */
  private takeoverBit = 0;
  /** When the last takeover began: the settled sessions' lifetimes restart from it. */
  private takeoverAt = 0;
  /** Sessions not settled since the last takeover. */
  private unsettled = 0;
  /** While kept (beginTakeover): each settled session's last write before the takeover, by id. */
  private priorWrites: Map<string, number> | null = null;
  /** Runs before a read of an id (setBeforeRead), or null. */
  private beforeRead: ((id: string) => void) | null = null;

  /** `arena`: where packed sessions go (a smaller one in tests); `records`: how they are packed. */
  constructor(arena?: ByteArena, records?: PackedRecordsOptions) {
    this.records = new PackedRecords(arena, records);
    this.TableSession = sessionClassFor(this.records, this.columns);
  }

  get size(): number {
    return this.byId.size;
  }

  get eligibleCount(): number {
    return this.digests.size;
  }

  get(id: string): Session | undefined {
    if (this.beforeRead !== null) this.beforeRead(id);
    const s = this.byId.get(id);
    if (s !== undefined && (s.flags & F_TAKEOVER) !== this.takeoverBit) this.settle(s);
    return s;
  }

  has(id: string): boolean {
    if (this.beforeRead !== null) this.beforeRead(id);
    return this.byId.has(id);
  }

  /**
   * `fn` runs before every get() and has() of an id, and before a walk (values()) shows one,
   * until set to null: the merge back of an own hand-over (handoff.ts) merges a session's
   * record when it is first read or walked.
   */
  setBeforeRead(fn: ((id: string) => void) | null): void {
    this.beforeRead = fn;
  }

  /**
   * Live iteration, shard by shard: deleted sessions are skipped; a session added during the
   * iteration is visited unless its shard has already been passed: a session whose shardOf()
   * is past the walk's `shard` is still to come. Each session is settled (a takeover) and read
   * (setBeforeRead) before it is seen, as by get(), so whole-table walks (a bulk sync, the
   * content digest, the expiry sweep) see the table as lookups do.
   */
  values(): TableWalk {
    return new StoreWalk(this, this.byId.values());
  }

  /**
   * @internal Readies `s` for a walk (StoreWalk): runs the read hook for it and settles it if a
   * takeover owes it. False when the hook replaced or removed it: the walk skips it (a
   * replacement is inserted in the same shard, behind the walk's place, so the walk meets it).
   */
  readyForWalk(s: Session): boolean {
    if (this.beforeRead !== null) {
      this.beforeRead(s.id);
      if ((s.flags & F_REMOVED) !== 0) return false;
    }
    if (this.unsettled > 0) this.settleIfOwed(s);
    return true;
  }

  /** The shard of `id` in walk order (see values()). */
  shardOf(id: string): number {
    return this.byId.shardIndex(id);
  }

  /** Sessions not settled since the last takeover (0: none owed). */
  get unsettledCount(): number {
    return this.unsettled;
  }

  /**
   * This table becomes an Active's, at `at`: every session's lifetime restarts in full from
   * `at`, every counter advances by counter-sync-every (`records.advanceBy`: no sequence number
   * is ever reused), every session counts as eligible. Done lazily, session by session (see the
   * class comment), so a new Active serves at once whatever the table's size. Versions are kept
   * (the digest stays the old Active's); the version clock is already past every one held.
   */
  beginTakeover(at: number, keepPriorWrites = false): void {
    // What the previous takeover still owes is settled first: after the flip below, those
    // sessions' bit would read as settled.
    if (this.unsettled > 0) for (const s of this.byId.values()) this.settleIfOwed(s);
    this.priorWrites = keepPriorWrites ? new Map() : null;
    this.records.takeover();
    this.takeoverBit ^= F_TAKEOVER;
    this.takeoverAt = at;
    this.unsettled = this.byId.size;
  }

  private settleIfOwed(s: Session): void {
    if ((s.flags & F_TAKEOVER) !== this.takeoverBit) this.settle(s);
  }

  /**
   * When the session `id` was last written before the last takeover restarted its lifetime
   * (expiry - lifetime as it was then), while beginTakeover was asked to keep them: read once,
   * and the session settled; undefined when not kept, or when the session was not in the table.
   */
  takeLastWriteBeforeTakeover(id: string): number | undefined {
    const s = this.byId.get(id);
    const kept = this.priorWrites;
    if (s === undefined || kept === null) return undefined;
    if ((s.flags & F_TAKEOVER) === this.takeoverBit) {
      const w = kept.get(id);
      kept.delete(id);
      return w;
    }
    const w = s.expiresAt - s.lifetimeMs;
    this.settle(s, false); // read here: not kept
    return w;
  }

  /** Stops keeping the last writes before the takeover (takeLastWriteBeforeTakeover). */
  dropPriorWrites(): void {
    this.priorWrites = null;
  }

  /** The version clock now: every session changed after this has a larger version. */
  get versionNow(): number {
    return this.versionClock;
  }

  /** `keepPriorWrite`: keep its last write before the takeover, while they are kept (beginTakeover). */
  private settle(s: Session, keepPriorWrite = true): void {
    if (keepPriorWrite) this.priorWrites?.set(s.id, s.expiresAt - s.lifetimeMs);
    s.flags = (s.flags & ~(F_TAKEOVER | F_COUNTERS_UNSYNCED)) | this.takeoverBit;
    // Packed counters advance when read (packed.ts); counters kept as objects advance here.
    const o = s.a;
    if (typeof o === 'object' && o !== null) for (const k in o.counters) o.counters[k] += this.records.advanceBy;
    s.expiresAt = this.takeoverAt + s.lifetimeMs;
    this.markEligible(s);
    this.unsettled--;
  }

  nextVersion(): number {
    return ++this.versionClock;
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
    const s = new this.TableSession(id, cls, createdAt, lifetimeMs, expiresAt, attrs, counters, version, this.takeoverBit);
    this.byId.set(id, s);
    if (version > this.versionClock) this.versionClock = version;
    return s;
  }

  remove(id: string): Session | undefined {
    const s = this.byId.get(id);
    if (!s) return undefined;
    if ((s.flags & F_TAKEOVER) !== this.takeoverBit) this.unsettled--;
    if (s.eligible) this.digests.remove(s);
    // A caller holding a removed session may still read it: it keeps its state as objects.
    if (s.packed >= 0) this.records.unpack(s);
    s.detachRow();
    s.flags |= F_REMOVED;
    this.byId.delete(id);
    return s;
  }

  clear(): void {
    for (const s of this.byId.values()) {
      if (s.packed >= 0) this.records.release(s);
      s.detachRow();
    }
    this.columns.clear();
    this.byId.clear();
    this.digests.clear();
    this.unsettled = 0;
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

/** A live walk of the table (SessionStore.values()). */
export interface TableWalk extends IterableIterator<Session> {
  /** The shard being walked (ShardedValues.shard). */
  readonly shard: number;
}

/**
 * The store's iteration (values()): each session is readied (readyForWalk) before it is seen;
 * one the read hook replaced or removed is skipped.
 */
class StoreWalk implements TableWalk {
  constructor(
    private readonly store: SessionStore,
    private readonly inner: TableWalk,
  ) {}

  get shard(): number {
    return this.inner.shard;
  }

  next(): IteratorResult<Session> {
    for (;;) {
      const r = this.inner.next();
      if (r.done || this.store.readyForWalk(r.value)) return r;
    }
  }

  [Symbol.iterator](): IterableIterator<Session> {
    return this;
  }
}
