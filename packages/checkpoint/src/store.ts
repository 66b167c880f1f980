import { createHash } from 'node:crypto';
import { ByteArena, GRAIN, GRAIN_SHIFT, MAX_RECORD } from './arena.js';
import { AUDIT_BUCKETS } from './config.js';
import { entryHash, hashId } from './hash.js';
import type { SessionClassName, SessionRecord } from './messages.js';
import { PayloadReader, PayloadWriter } from './payload.js';

/** Session flags (bit set). */
export const F_ELIGIBLE = 1;
/** A counter moved since the last counters checkpoint but did not cross a sync boundary. */
export const F_COUNTERS_UNSYNCED = 2;
/** Removed from the table: a reference still held by a caller is stale. */
export const F_REMOVED = 4;
/** In the sender's queue of changed sessions (at most one entry per session). */
export const F_QUEUED = 8;

/**
 * One session. A plain class with a fixed shape (no closures, no timers) so a million of them
 * stay well under 1 KB each with a handful of attributes.
 *
 * Every field is `declare`d and set in the constructor, never emitted as a class field: an
 * ES2022 class field is defined as `undefined` before the constructor runs, which makes V8 give
 * it the generic (tagged) representation. A tagged number field holds a separate HeapNumber
 * per store, so each update of a time (expiresAt, changedAt, createdAt: beyond the 31-bit small
 * integers) left a new young object hanging from an old session, which every scavenge then had
 * to copy and promote. A field that only ever held numbers has the double representation: the
 * value is written into the session's own box, and nothing is allocated.
 */
export class Session {
  declare readonly id: string;
  declare cls: SessionClassName;
  declare createdAt: number;
  declare lifetimeMs: number;
  declare expiresAt: number;
  /** The attributes as an object, or null while they are packed (see `packed`). */
  declare a: Record<string, string> | null;
  /** The counters as an object, or null while they are packed. */
  declare c: Record<string, bigint> | null;
  /**
   * Arena address of the packed attributes and counters, or -1 when they are objects (`a`,
   * `c`). A Standby packs what it applies (`records.pack`): see PackedRecords.
   */
  declare packed: number;
  declare readonly records: PackedRecords;
  declare version: number;
  declare readonly h1: number;
  declare readonly h2: number;
  /** Bit set of F_*. */
  declare flags: number;
  /** Sender epoch in which the peer received this session in full (0: never). */
  declare sentEpoch: number;
  /** Receiver macro generation in which this session was (re)confirmed. */
  declare mark: number;
  /**
   * Sender: aspects (M_* bit set) waiting to be sent, 0 when not pending. Kept on the session
   * so a batch reads it without a lookup in the million-entry table (sender.ts).
   */
  declare pendingMask: number;
  /** Clock time of the last replicated change (replication lag). */
  declare changedAt: number;
  /**
   * For a caller's synchronous bookkeeping, never read by the engine: the session API stamps
   * the sessions a call names, to find an id named twice without a map of every id.
   */
  declare stamp: number;

  constructor(
    id: string,
    cls: SessionClassName,
    createdAt: number,
    lifetimeMs: number,
    expiresAt: number,
    attrs: Record<string, string> | null,
    counters: Record<string, bigint> | null,
    version: number,
    h1: number,
    h2: number,
    records: PackedRecords,
  ) {
    this.id = id;
    this.cls = cls;
    this.createdAt = createdAt;
    this.lifetimeMs = lifetimeMs;
    this.expiresAt = expiresAt;
    this.a = attrs;
    this.c = counters;
    this.packed = -1;
    this.records = records;
    this.version = version;
    // As int32 (the hashes are uint32): a small integer is stored in the field itself, while a
    // uint32 above 2^31 made V8 give the field the double representation, a 16-byte box per
    // session for each of the two (32 B of the ~290 a Standby session took on the heap). Every
    // use mixes them with int32 arithmetic (entryHash) or masks them (bucket), so the sign
    // changes nothing.
    this.h1 = h1 | 0;
    this.h2 = h2 | 0;
    this.flags = 0;
    this.sentEpoch = 0;
    this.mark = 0;
    this.pendingMask = 0;
    this.changedAt = createdAt;
    this.stamp = 0;
  }

  /** Audit bucket (hash of the id): derived, not stored (a field is 8 bytes per session). */
  get bucket(): number {
    return this.h1 & (AUDIT_BUCKETS - 1);
  }

  get eligible(): boolean {
    return (this.flags & F_ELIGIBLE) !== 0;
  }

  /** The attributes, as a live object the engine may change (unpacks a packed session). */
  get attrs(): Record<string, string> {
    if (this.packed >= 0) this.records.unpack(this);
    return this.a as Record<string, string>;
  }

  set attrs(v: Record<string, string>) {
    if (this.packed >= 0) this.records.unpack(this);
    this.a = v;
  }

  /** The counters, as a live object the engine may change (unpacks a packed session). */
  get counters(): Record<string, bigint> {
    if (this.packed >= 0) this.records.unpack(this);
    return this.c as Record<string, bigint>;
  }

  set counters(v: Record<string, bigint>) {
    if (this.packed >= 0) this.records.unpack(this);
    this.c = v;
  }
}

/**
 * Packed record header: u16 record length, u16 attrs section length, u16 advance generation
 * (little-endian), u8 capacity of the chunk in 16-byte grains. The attrs section follows, then
 * the counters section.
 */
const H_LENGTH = 0;
const H_ATTRS_LENGTH = 2;
const H_GEN = 4;
const H_CAPACITY = 6;
const HEADER = 7;

function u16(buf: Uint8Array, i: number): number {
  return buf[i] | (buf[i + 1] << 8);
}

function setU16(buf: Uint8Array, i: number, v: number): void {
  buf[i] = v & 0xff;
  buf[i + 1] = (v >>> 8) & 0xff;
}
/**
 * Room a chunk leaves for its record to grow in place (bytes). Without it, every record that
 * grew across a 16-byte boundary (an attribute added) moved to a chunk of the next class, and
 * the arena grew by a slab per 60k such moves: off-heap growth that V8 counts against the old
 * generation's limit, so it brought the next major GC closer.
 */
const HEADROOM = 16;

/**
 * A session's attributes and counters kept encoded in a ByteArena instead of as objects.
 *
 * A Standby applying a stream of updates to a million old sessions was held up by its own
 * scavenges: each changed attribute value was a new string hung from an old session, which the
 * next scavenge had to find, copy and promote, at 250 ns or more each on a busy heap of 500 MB
 * (20-40 ms pauses at 50k updates/s, the tail of the replication lag). Packed, an update copies
 * the payload's bytes into the arena and allocates nothing that outlives the batch; the session
 * also takes fewer bytes (one record instead of two objects, their strings and their bigints).
 *
 * A record is the payload's `attrs` and `counters` sections side by side (payload.ts), after a
 * header. `readAttrs`/`readCounters` (and attrsOf, countersOf, toView, the sender) read a packed
 * session and leave it packed; a new Active changes one by decoding, patching and packing it
 * again. Only the `attrs`/`counters` accessors of a Session decode the record into objects of
 * the session's own and free it (`unpack`).
 *
 * Counter advance at takeover (engine.becomeActive) is lazy for packed sessions: `takeover()`
 * starts a generation, and reading counters adds `advanceBy` for each one the record missed.
 */
export class PackedRecords {
  constructor(readonly arena: ByteArena = new ByteArena()) {}

  /** Takeovers so far (mod 2^16): a record written in an older generation is advanced when read. */
  gen = 0;
  /** What a takeover adds to every counter (the engine's counter-sync-every). */
  advanceBy = 0n;
  private readonly reader = new PayloadReader();
  private readonly writer = new PayloadWriter();
  private readonly scratch = new Uint8Array(MAX_RECORD);

  /** Advances every counter still packed by `advanceBy`, when next read (a takeover). */
  takeover(): void {
    this.gen = (this.gen + 1) & 0xffff;
  }

  /**
   * Replaces s's attrs and counters with the sections aBytes[aStart, aEnd) and
   * cBytes[cStart, cEnd), which must be well-formed (the caller checked them). `cGen`: the
   * advance generation of the counters bytes. Returns false (s unchanged) when the record
   * would be too large for the arena, or the arena is full: the caller keeps such a session as
   * objects.
   */
  pack(s: Session, aBytes: Uint8Array, aStart: number, aEnd: number, cBytes: Uint8Array, cStart: number, cEnd: number, cGen = this.gen): boolean {
    const alen = aEnd - aStart;
    const n = HEADER + alen + (cEnd - cStart);
    if (n > MAX_RECORD) return false;
    // Assembled in a scratch record first: the sections may come from s's own record.
    const rec = this.scratch;
    setU16(rec, H_LENGTH, n);
    setU16(rec, H_ATTRS_LENGTH, alen);
    setU16(rec, H_GEN, cGen);
    let p = HEADER;
    for (let i = aStart; i < aEnd; i++) rec[p++] = aBytes[i];
    for (let i = cStart; i < cEnd; i++) rec[p++] = cBytes[i];
    const arena = this.arena;
    let addr = s.packed;
    const capacity = addr < 0 ? 0 : arena.slab(addr)[arena.offset(addr) + H_CAPACITY];
    if (capacity << GRAIN_SHIFT < n) {
      // No chunk yet, or the record outgrew it: a new one, with room to grow.
      const cap = Math.min(MAX_RECORD, n + HEADROOM);
      addr = arena.tryAlloc(cap);
      if (addr < 0) return false; // the arena is full: the caller keeps objects
      if (s.packed >= 0) this.release(s);
      rec[H_CAPACITY] = (cap + GRAIN - 1) >> GRAIN_SHIFT;
    } else {
      rec[H_CAPACITY] = capacity;
    }
    const buf = arena.slab(addr);
    const off = arena.offset(addr);
    for (let i = 0; i < n; i++) buf[off + i] = rec[i];
    s.packed = addr;
    s.a = null;
    s.c = null;
    return true;
  }

  /** pack() with new attributes and the counters s has now. */
  packAttrs(s: Session, bytes: Uint8Array, start: number, end: number): boolean {
    if (s.packed >= 0) {
      const buf = this.arena.slab(s.packed);
      const off = this.arena.offset(s.packed);
      return this.pack(s, bytes, start, end, buf, off + HEADER + u16(buf, off + H_ATTRS_LENGTH), off + u16(buf, off + H_LENGTH), u16(buf, off + H_GEN));
    }
    const c = this.writer.counters(s.c as Record<string, bigint>).take();
    return this.pack(s, bytes, start, end, c, 0, c.length);
  }

  /** pack() with new counters and the attributes s has now. */
  packCounters(s: Session, bytes: Uint8Array, start: number, end: number): boolean {
    if (s.packed >= 0) {
      const buf = this.arena.slab(s.packed);
      const off = this.arena.offset(s.packed);
      return this.pack(s, buf, off + HEADER, off + HEADER + u16(buf, off + H_ATTRS_LENGTH), bytes, start, end);
    }
    const a = this.writer.attrs(s.a as Record<string, string>).take();
    return this.pack(s, a, 0, a.length, bytes, start, end);
  }

  /**
   * pack() from objects: false (s unchanged) when they are too large for the arena. Throws a
   * CheckpointError, with s unchanged, on a value that is not a string (attrs) or a
   * non-negative bigint (counters).
   */
  packObjects(s: Session, attrs: Record<string, string>, counters: Record<string, bigint>): boolean {
    const a = this.writer.attrs(attrs).take();
    const c = this.writer.counters(counters).take();
    return this.pack(s, a, 0, a.length, c, 0, c.length);
  }

  /** packAttrs() from an object (as packObjects). */
  packAttrsObject(s: Session, attrs: Record<string, string>): boolean {
    const a = this.writer.attrs(attrs).take();
    return this.packAttrs(s, a, 0, a.length);
  }

  /** packCounters() from an object (as packObjects). */
  packCountersObject(s: Session, counters: Record<string, bigint>): boolean {
    const c = this.writer.counters(counters).take();
    return this.packCounters(s, c, 0, c.length);
  }

  /**
   * Appends a packed session's attrs section (`counters` false) or counters section to `w`,
   * as the sender's payloads carry them. Counters a takeover has to advance are decoded and
   * encoded again.
   */
  writeSection(s: Session, w: PayloadWriter, counters: boolean): void {
    const buf = this.arena.slab(s.packed);
    const off = this.arena.offset(s.packed);
    const attrsEnd = off + HEADER + u16(buf, off + H_ATTRS_LENGTH);
    if (!counters) w.bytes(buf, off + HEADER, attrsEnd);
    else if (u16(buf, off + H_GEN) !== this.gen) w.counters(this.readCounters(s));
    else w.bytes(buf, attrsEnd, off + u16(buf, off + H_LENGTH));
  }

  /** A packed session's attributes, decoded into a new object (the record stays). */
  readAttrs(s: Session): Record<string, string> {
    const buf = this.arena.slab(s.packed);
    const off = this.arena.offset(s.packed);
    return this.reader.resetRange(buf, off + HEADER, off + HEADER + u16(buf, off + H_ATTRS_LENGTH)).attrs();
  }

  /**
   * A packed session's counters, decoded into a new object and advanced for each takeover the
   * record missed (the record stays).
   */
  readCounters(s: Session): Record<string, bigint> {
    const buf = this.arena.slab(s.packed);
    const off = this.arena.offset(s.packed);
    const counters = this.reader.resetRange(buf, off + HEADER + u16(buf, off + H_ATTRS_LENGTH), off + u16(buf, off + H_LENGTH)).counters();
    const missed = (this.gen - u16(buf, off + H_GEN)) & 0xffff;
    if (missed > 0) {
      const by = this.advanceBy * BigInt(missed);
      for (const k in counters) counters[k] += by;
    }
    return counters;
  }

  /** Decodes s's record into objects of its own (see readCounters) and frees it. */
  unpack(s: Session): void {
    const attrs = this.readAttrs(s);
    const counters = this.readCounters(s);
    this.setObjects(s, attrs, counters);
  }

  /** Sets s's attributes and counters (packed when they fit, else these objects). */
  set(s: Session, attrs: Record<string, string>, counters: Record<string, bigint>): void {
    if (!this.packObjects(s, attrs, counters)) this.setObjects(s, attrs, counters);
  }

  /** Gives s these objects as its attributes and counters, freeing its record if it has one. */
  setObjects(s: Session, attrs: Record<string, string>, counters: Record<string, bigint>): void {
    if (s.packed >= 0) this.release(s);
    s.a = attrs;
    s.c = counters;
  }

  /** Frees s's record (s removed, or given objects). */
  release(s: Session): void {
    const addr = s.packed;
    this.arena.release(addr, this.arena.slab(addr)[this.arena.offset(addr) + H_CAPACITY] << GRAIN_SHIFT);
    s.packed = -1;
  }
}

export interface SessionView {
  readonly id: string;
  readonly class: SessionClassName;
  readonly createdAt: number;
  readonly lifetimeMs: number;
  readonly expiresAt: number;
  readonly attrs: Readonly<Record<string, string>>;
  readonly counters: Readonly<Record<string, bigint>>;
  readonly version: number;
  readonly eligible: boolean;
}

export function classToWire(cls: SessionClassName): number {
  return cls === 'ims' ? 1 : 0;
}

export function classFromWire(n: number): SessionClassName {
  return n === 1 ? 'ims' : 'non-ims';
}

/**
 * A session's attributes for reading: decoded when packed (the session stays packed), else its
 * own object, which the caller must not change.
 */
export function attrsOf(s: Session): Readonly<Record<string, string>> {
  return s.packed >= 0 ? s.records.readAttrs(s) : (s.a as Record<string, string>);
}

/** A session's counters for reading, as attrsOf. */
export function countersOf(s: Session): Readonly<Record<string, bigint>> {
  return s.packed >= 0 ? s.records.readCounters(s) : (s.c as Record<string, bigint>);
}

/** A copy safe to hand to a transport or a caller (a packed session stays packed). */
export function toRecord(s: Session): SessionRecord {
  return {
    id: s.id,
    sessionClass: classToWire(s.cls),
    createdAtMs: s.createdAt,
    lifetimeMs: s.lifetimeMs,
    expiresAtMs: s.expiresAt,
    attrs: s.packed >= 0 ? s.records.readAttrs(s) : { ...s.a },
    counters: s.packed >= 0 ? s.records.readCounters(s) : { ...s.c },
    version: s.version,
  };
}

export function toView(s: Session): SessionView {
  return {
    id: s.id,
    class: s.cls,
    createdAt: s.createdAt,
    lifetimeMs: s.lifetimeMs,
    expiresAt: s.expiresAt,
    attrs: s.packed >= 0 ? s.records.readAttrs(s) : { ...s.a },
    counters: s.packed >= 0 ? s.records.readCounters(s) : { ...s.c },
    version: s.version,
    eligible: s.eligible,
  };
}

const scratch = new Uint32Array(2);

/**
 * The table is split into SHARDS Maps by a hash of the id. A V8 Map grows by doubling and
 * rehashes all of its entries into the new backing store in one go: at 1M sessions one Map
 * copies ~500k entries (and allocates a ~30 MB store) in a single turn, a visible pause on a
 * Standby applying a bulk sync. With 256 shards each rehash copies at most a few thousand.
 */
const SHARD_BITS = 8;
const SHARDS = 1 << SHARD_BITS;

/**
 * Shard of an id: FNV-1a with a murmur-style finaliser (top bits) over the id without its last
 * 3 characters (ids of more than 8), so ids that differ only at the end (imsi-...0001, ...0002)
 * share a shard and stay adjacent in a macro's stream, which iterates shard by shard: hashing
 * the whole id halved the bulk sync's compression ratio (zlib 16.8x -> 8.4x at 1M sessions).
 */
function shardOf(id: string): number {
  const n = id.length > 8 ? id.length - 3 : id.length;
  let h = 0x811c9dc5 ^ n;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> (32 - SHARD_BITS);
}

/** Live iteration over the shards in turn (each shard's Map iterator is live). */
class ShardedValues implements IterableIterator<Session> {
  private i = 0;
  private cur: IterableIterator<Session>;

  constructor(private readonly shards: Map<string, Session>[]) {
    this.cur = shards[0].values();
  }

  next(): IteratorResult<Session> {
    for (;;) {
      const r = this.cur.next();
      if (!r.done) return r;
      if (this.i >= this.shards.length - 1) return r;
      this.cur = this.shards[++this.i].values();
    }
  }

  [Symbol.iterator](): IterableIterator<Session> {
    return this;
  }
}

/**
 * The session table with incrementally maintained audit digests.
 *
 * Only eligible sessions (the replicated set) count in the digests: each of the 256 buckets
 * holds the XOR of a 64-bit hash of (id, version) of its sessions, so adding, removing or
 * re-versioning a session costs O(1) and the order of insertion does not matter.
 */
export class SessionStore {
  /** Packed attributes and counters of this table's sessions (a Standby's). */
  readonly records: PackedRecords;
  private readonly shards: Map<string, Session>[] = Array.from({ length: SHARDS }, () => new Map<string, Session>());
  private count = 0;
  /** The id of the last lookup and its shard: insert() after a failed get() hashes once. */
  private lastId = '';
  private lastShard = 0;
  private readonly lo = new Uint32Array(AUDIT_BUCKETS);
  private readonly hi = new Uint32Array(AUDIT_BUCKETS);
  private readonly counts = new Uint32Array(AUDIT_BUCKETS);
  private eligibleN = 0;
  /** Global version clock: every change gets a fresh, larger version. */
  private versionClock = 0;

  /** `arena`: where packed sessions go (a smaller one in tests). */
  constructor(arena?: ByteArena) {
    this.records = new PackedRecords(arena);
  }

  get size(): number {
    return this.count;
  }

  private shard(id: string): Map<string, Session> {
    if (id !== this.lastId) {
      this.lastId = id;
      this.lastShard = shardOf(id);
    }
    return this.shards[this.lastShard];
  }

  get eligibleCount(): number {
    return this.eligibleN;
  }

  get(id: string): Session | undefined {
    return this.shard(id).get(id);
  }

  has(id: string): boolean {
    return this.shard(id).has(id);
  }

  /**
   * Live iteration, shard by shard: deleted sessions are skipped; a session added during the
   * iteration is visited unless its shard has already been passed.
   */
  values(): IterableIterator<Session> {
    return new ShardedValues(this.shards);
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
    const m = this.shard(id);
    const before = m.size;
    m.set(id, s);
    this.count += m.size - before;
    if (version > this.versionClock) this.versionClock = version;
    return s;
  }

  remove(id: string): Session | undefined {
    const m = this.shard(id);
    const s = m.get(id);
    if (!s) return undefined;
    if (s.eligible) this.unfold(s);
    // A caller holding a removed session may still read it: it keeps its state as objects.
    if (s.packed >= 0) this.records.unpack(s);
    s.flags |= F_REMOVED;
    m.delete(id);
    this.count--;
    return s;
  }

  clear(): void {
    for (const m of this.shards) for (const s of m.values()) if (s.packed >= 0) this.records.release(s);
    for (const m of this.shards) m.clear();
    this.count = 0;
    this.lo.fill(0);
    this.hi.fill(0);
    this.counts.fill(0);
    this.eligibleN = 0;
  }

  setVersion(s: Session, version: number): void {
    if (s.eligible) {
      this.fold(s, s.version);
      s.version = version;
      this.fold(s, version);
    } else {
      s.version = version;
    }
    if (version > this.versionClock) this.versionClock = version;
  }

  markEligible(s: Session): void {
    if (s.eligible) return;
    s.flags |= F_ELIGIBLE;
    this.fold(s, s.version);
    this.counts[s.bucket]++;
    this.eligibleN++;
  }

  private unfold(s: Session): void {
    this.fold(s, s.version);
    this.counts[s.bucket]--;
    this.eligibleN--;
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
  snapshotBuckets(): { lo: Uint32Array; hi: Uint32Array; counts: Uint32Array } {
    return { lo: this.lo.slice(), hi: this.hi.slice(), counts: this.counts.slice() };
  }

  /** Stable digest of the replicated table: equal on both sides iff equal (id, version) sets. */
  digestBytes(): Uint8Array {
    const h = createHash('sha256');
    h.update(new Uint8Array(this.hi.buffer, this.hi.byteOffset, this.hi.byteLength));
    h.update(new Uint8Array(this.lo.buffer, this.lo.byteOffset, this.lo.byteLength));
    h.update(new Uint8Array(this.counts.buffer, this.counts.byteOffset, this.counts.byteLength));
    return new Uint8Array(h.digest());
  }

  digest(): string {
    return Buffer.from(this.digestBytes()).toString('hex');
  }
}
