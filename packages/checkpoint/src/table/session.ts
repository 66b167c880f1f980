import { bucketOf } from './hash.js';
import type { SessionClassName } from '../messages.js';
import type { PackedRecords } from './packed.js';
import { I_FLAGS, I_MARK, I_SENT_EPOCH, I_STAMP, ROW, type SessionColumns, T_CHANGED, T_CREATED, T_EXPIRES, T_LIFETIME, T_VERSION } from './columns.js';

/** Session flags (bit set). */
export const F_ELIGIBLE = 1;
/** A counter moved since the last counters checkpoint but did not cross a sync boundary. */
export const F_COUNTERS_UNSYNCED = 2;
/** Removed from the table: a reference still held by a caller is stale. */
export const F_REMOVED = 4;
/** In the sender's queue of changed sessions (at most one entry per session). */
export const F_QUEUED = 8;
/**
 * Takeover parity: a session whose bit differs from its store's has not been settled since the
 * last takeover (SessionStore.beginTakeover: its lifetime restart and counter advance are owed).
 */
export const F_TAKEOVER = 16;
/** The session's class is 'ims' (else 'non-ims'): `cls`. */
export const F_IMS = 32;
/** The sender's pending aspects (`pendingMask`, M_* of sender/items.ts) sit above this shift. */
const PENDING_SHIFT = 8;
const PENDING_BITS = 0xff << PENDING_SHIFT;

/**
 * One session. A plain class with a fixed shape (no closures, no timers) so a million of them
 * stay well under 1 KB each with a handful of attributes.
 *
 * Every field is `declare`d and set in the constructor, never emitted as a class field: an
 * ES2022 class field is defined as `undefined` before the constructor runs, which makes V8 give
 * it the generic (tagged) representation, and a tagged number field beyond the 31-bit small
 * integers holds a new HeapNumber per store (a young object hanging from an old session, for
 * every scavenge to copy and promote). A session has three fields (id, row, record: 48 bytes
 * with the object's header); its numbers (times on the epoch scale, versions, lifetimes, and the
 * small integers: flags, sender epoch, receiver mark, pass stamp) live in the table's columns
 * (columns.ts), reached through `t`, behind accessors of the names they had as fields.
 */
export class Session {
  declare readonly id: string;
  /**
   * The session's row in its table's SessionColumns (createdAt, lifetimeMs, expiresAt, changedAt,
   * version, flags, sentEpoch, mark, stamp: columns.ts says why they are not fields); once
   * removed from the table, a copy of them of its own (float64 columns, then int32 ones).
   */
  declare t: number | Float64Array;
  /** The columns of the session's table (on the prototype, as `records`). */
  declare readonly columns: SessionColumns;
  /**
   * While the attributes and counters are packed (see `packed`), the arena address of the
   * record holding them: a small integer, stored in the field itself. Otherwise the two as
   * objects (SessionObjects: a session too large for the arena, or removed from its table),
   * or null for a moment between a session's creation and its packing.
   */
  declare a: number | SessionObjects | null;
  /**
   * The packed attributes and counters of the session's table (a Standby packs what it
   * applies: PackedRecords). On the prototype, not on each session: SessionStore makes a
   * subclass of Session per table (`sessionClassFor`).
   */
  declare readonly records: PackedRecords;

  constructor(
    id: string,
    cls: SessionClassName,
    createdAt: number,
    lifetimeMs: number,
    expiresAt: number,
    attrs: Record<string, string> | null,
    counters: Record<string, bigint> | null,
    version: number,
    flags: number,
  ) {
    this.id = id;
    const row = this.columns.alloc();
    this.t = row;
    const page = this.columns.page(row);
    const i = this.columns.index(row, 0);
    page[i + T_CREATED] = createdAt;
    page[i + T_LIFETIME] = lifetimeMs;
    page[i + T_EXPIRES] = expiresAt;
    page[i + T_CHANGED] = createdAt;
    page[i + T_VERSION] = version;
    this.a = attrs !== null || counters !== null ? new SessionObjects(attrs ?? {}, counters ?? {}) : null;
    // A new row's int columns are zero: sentEpoch, mark and stamp start there.
    this.columns.ipage(row)[this.columns.iindex(row, I_FLAGS)] = cls === 'ims' ? flags | F_IMS : flags & ~F_IMS;
  }

  private num(col: number): number {
    const t = this.t;
    return typeof t === 'number' ? this.columns.page(t)[this.columns.index(t, col)] : t[col];
  }

  private setNum(col: number, v: number): void {
    const t = this.t;
    if (typeof t === 'number') this.columns.page(t)[this.columns.index(t, col)] = v;
    else t[col] = v;
  }

  private int(col: number): number {
    const t = this.t;
    return typeof t === 'number' ? this.columns.ipage(t)[this.columns.iindex(t, col)] : t[ROW + col];
  }

  private setInt(col: number, v: number): void {
    const t = this.t;
    if (typeof t === 'number') this.columns.ipage(t)[this.columns.iindex(t, col)] = v;
    else t[ROW + col] = v | 0;
  }

  /**
   * Bit set of F_*, with the class (F_IMS) and the sender's pending aspects (`pendingMask`) in
   * it: one number instead of three.
   */
  get flags(): number {
    return this.int(I_FLAGS);
  }

  set flags(v: number) {
    this.setInt(I_FLAGS, v);
  }

  /** Sender epoch in which the peer received this session in full (0: never). */
  get sentEpoch(): number {
    return this.int(I_SENT_EPOCH);
  }

  set sentEpoch(v: number) {
    this.setInt(I_SENT_EPOCH, v);
  }

  /** Receiver macro generation in which this session was (re)confirmed. */
  get mark(): number {
    return this.int(I_MARK);
  }

  set mark(v: number) {
    this.setInt(I_MARK, v);
  }

  /**
   * The last pass that met this session (handle.ts, `firstInPass`), never read by the engine:
   * the session API marks the sessions a call names, to find an id named twice without a map
   * of every id.
   */
  get stamp(): number {
    return this.int(I_STAMP);
  }

  set stamp(v: number) {
    this.setInt(I_STAMP, v);
  }

  get createdAt(): number {
    return this.num(T_CREATED);
  }

  set createdAt(v: number) {
    this.setNum(T_CREATED, v);
  }

  get lifetimeMs(): number {
    return this.num(T_LIFETIME);
  }

  set lifetimeMs(v: number) {
    this.setNum(T_LIFETIME, v);
  }

  get expiresAt(): number {
    return this.num(T_EXPIRES);
  }

  set expiresAt(v: number) {
    this.setNum(T_EXPIRES, v);
  }

  /** Clock time of the last replicated change (replication lag). */
  get changedAt(): number {
    return this.num(T_CHANGED);
  }

  set changedAt(v: number) {
    this.setNum(T_CHANGED, v);
  }

  /** The session's version (SessionStore.setVersion changes it, keeping the digests right). */
  get version(): number {
    return this.num(T_VERSION);
  }

  set version(v: number) {
    this.setNum(T_VERSION, v);
  }

  /** @internal The session leaves its table (SessionStore.remove): its numbers go with it. */
  detachRow(): void {
    const t = this.t;
    if (typeof t === 'number') this.t = this.columns.detach(t);
  }

  get cls(): SessionClassName {
    return (this.flags & F_IMS) !== 0 ? 'ims' : 'non-ims';
  }

  set cls(v: SessionClassName) {
    this.flags = v === 'ims' ? this.flags | F_IMS : this.flags & ~F_IMS;
  }

  /**
   * Sender: aspects (M_* bit set) waiting to be sent, 0 when not pending. Kept on the session
   * so a batch reads it without a lookup in the million-entry table (sender/micro-batcher.ts).
   */
  get pendingMask(): number {
    return (this.flags & PENDING_BITS) >> PENDING_SHIFT;
  }

  set pendingMask(v: number) {
    this.flags = (this.flags & ~PENDING_BITS) | ((v << PENDING_SHIFT) & PENDING_BITS);
  }

  /** Arena address of the packed attributes and counters, or -1 when they are objects (`a`). */
  get packed(): number {
    const a = this.a;
    return typeof a === 'number' ? a : -1;
  }

  /**
   * Audit bucket (hash of the id): derived, not stored (a field is 8 bytes per session; the
   * digests hash the id again where they need it, tens of nanoseconds).
   */
  get bucket(): number {
    return bucketOf(this.id);
  }

  get eligible(): boolean {
    return (this.flags & F_ELIGIBLE) !== 0;
  }

  /** The attributes and counters as objects (unpacks a packed session). */
  private objects(): SessionObjects {
    if (this.packed >= 0) this.records.unpack(this);
    let o = this.a;
    if (o === null) this.a = o = new SessionObjects({}, {});
    return o as SessionObjects;
  }

  /** The attributes, as a live object the engine may change (unpacks a packed session). */
  get attrs(): Record<string, string> {
    return this.objects().attrs;
  }

  set attrs(v: Record<string, string>) {
    this.objects().attrs = v;
  }

  /** The counters, as a live object the engine may change (unpacks a packed session). */
  get counters(): Record<string, bigint> {
    return this.objects().counters;
  }

  set counters(v: Record<string, bigint>) {
    this.objects().counters = v;
  }
}

/**
 * A session's attributes and counters as objects, where they are not packed: one field of the
 * session (`a`) holds either this or the packed record's address, not two fields.
 */
export class SessionObjects {
  constructor(
    public attrs: Record<string, string>,
    public counters: Record<string, bigint>,
  ) {}
}

/**
 * A subclass of Session whose prototype holds `records` and `columns`: each table makes its own,
 * so its sessions find them without a field of their own.
 */
export function sessionClassFor(records: PackedRecords, columns: SessionColumns): typeof Session {
  class TableSession extends Session {}
  Object.defineProperty(TableSession.prototype, 'records', { value: records });
  Object.defineProperty(TableSession.prototype, 'columns', { value: columns });
  return TableSession;
}
