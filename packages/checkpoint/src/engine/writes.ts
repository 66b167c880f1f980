import type { Clock } from '../clock.js';
import type { CheckpointConfig } from '../config.js';
import { CheckpointError } from '../errors.js';
import type { SplitCoordinator } from '../handoff.js';
import type { SessionClassName, SessionRecord } from '../messages.js';
import { M_ATTRS, M_COUNTERS, M_FULL, M_LIFETIME } from '../sender/items.js';
import type { CheckpointSender } from '../sender/sender.js';
import { F_COUNTERS_UNSYNCED, F_REMOVED, type Session } from '../table/session.js';
import type { SessionStore } from '../table/store.js';
import { classFromWire, type SessionView, toView } from '../table/view.js';
import { checkRecordWellFormed, checkWellFormed } from '../unicode.js';
import { EligibilityTimer } from './eligibility.js';
import type { SessionInput } from './types.js';

/**
 * A copy of a session's attrs or counters, built from an empty literal. Not `{ ...src }`: a
 * spread clone has no spare in-object slots, so the first attribute an update adds to it (the
 * session API's `seq`, say) must grow an out-of-object property store, which the megamorphic
 * keyed store in `update()` does through the runtime, once per session: ~2.5 us per first
 * update in a 1M table (micro-benchmark: 1M first-time adds 2.7-4.4 s after a spread, 0.9 s
 * after a literal). An empty literal has 4 in-object slots.
 */
function copyFields<V>(src: Record<string, V> | undefined): Record<string, V> {
  const out: Record<string, V> = {};
  if (src) for (const k in src) out[k] = src[k];
  return out;
}

/** counters[name] if the session has its own counter of that name (`counters.constructor` is Object's, not a counter). */
function ownCounter(counters: Record<string, bigint>, name: string): bigint | undefined {
  return Object.hasOwn(counters, name) ? counters[name] : undefined;
}

/** No attributes, or no counters. */
const NONE: Readonly<Record<string, never>> = Object.freeze({});

const U64_LIMIT = 1n << 64n;

/**
 * Throws SRP_ERR_CHECKPOINT_BAD_INPUT unless `v` is a counter value replication can carry: a
 * bigint in 0..2^64-1 (a uint64, as the payloads and the wire carry it). Checked before any
 * change, so the sender never meets a counter it cannot encode.
 */
function checkCounter(v: unknown, what: string): void {
  if (typeof v !== 'bigint' || v < 0n || v >= U64_LIMIT) {
    throw new CheckpointError('SRP_ERR_CHECKPOINT_BAD_INPUT', `${what} must be a bigint in 0..2^64-1, got ${typeof v === 'bigint' ? v : typeof v}`);
  }
}

/** Throws SRP_ERR_CHECKPOINT_BAD_INPUT unless `v` is a string (an attribute value; checked before any change). */
function checkAttr(v: unknown, what: string): void {
  if (typeof v !== 'string') throw new CheckpointError('SRP_ERR_CHECKPOINT_BAD_INPUT', `${what} must be a string, got ${typeof v}`);
}

/** Checks an attrs patch's values (a string, or null to remove one), before any change. */
function checkAttrPatch(patch: Record<string, string | null>): void {
  for (const k in patch) if (patch[k] !== null) checkAttr(patch[k], `attribute ${k}`);
}

/** Checks the names and values of counters to set (raiseCounters, update), before any change. */
function checkCounters(values: Readonly<Record<string, bigint>>): void {
  for (const name in values) {
    checkWellFormed(name, 'counter name');
    checkCounter(values[name], `counter ${name}`);
  }
}

/** What the write path needs from the engine. */
export interface WritesHost {
  readonly store: SessionStore;
  readonly clock: Clock;
  readonly config: CheckpointConfig;
  readonly sender: CheckpointSender;
  readonly split: SplitCoordinator;
  /** Throws the CheckpointError that refuses writes now (closed, Standby, fenced), if any. */
  checkWritable(): void;
}

/**
 * The write path of the table (Active, or before any role): every change gets a new version
 * and goes to the sender (once the session is eligible) and to the split-brain journal.
 */
export class SessionWrites {
  readonly eligibility: EligibilityTimer;
  private readonly syncEvery: bigint;

  constructor(private readonly host: WritesHost) {
    this.syncEvery = BigInt(host.config.counterSyncEvery);
    this.eligibility = new EligibilityTimer(host.store, host.clock, (cls) => this.durationFor(cls), (s) => this.becomeEligible(s));
  }

  /**
   * The session of an id, or the session itself when the caller already holds it from
   * a lookup (saves a second one in a table of millions; a removed one is refused).
   */
  private mustGet(ref: string | Session): Session {
    if (typeof ref !== 'string') {
      if (ref.flags & F_REMOVED) throw new CheckpointError('SRP_ERR_CHECKPOINT_NO_SESSION', `no session ${ref.id}`);
      return ref;
    }
    const s = this.host.store.get(ref);
    if (!s) throw new CheckpointError('SRP_ERR_CHECKPOINT_NO_SESSION', `no session ${ref}`);
    return s;
  }

  private durationFor(cls: SessionClassName): number {
    return cls === 'ims' ? this.host.config.sessionDurationImsMs : this.host.config.sessionDurationMs;
  }

  /** Creates (or replaces) a session. */
  create(input: SessionInput): SessionView {
    const { store, clock, split } = this.host;
    this.host.checkWritable();
    checkWellFormed(input.id, 'session id');
    checkRecordWellFormed(input.attrs, 'attrs');
    checkRecordWellFormed(input.counters, 'counters');
    if (input.counters) for (const k in input.counters) checkCounter(input.counters[k], `counter ${k}`);
    if (input.attrs) for (const k in input.attrs) checkAttr(input.attrs[k], `attribute ${k}`);
    const now = clock.now();
    const old = store.get(input.id);
    if (old) this.deleteSession(old);
    const cls = input.class ?? 'non-ims';
    const createdAt = input.createdAt ?? now;
    // The id is absent now (just looked up, or removed above): no second lookup.
    // Packed, as a Standby keeps what it applies (table/packed.ts): an Active that held its
    // million sessions as objects had each update hang new strings and bigints from old
    // sessions, for every scavenge to copy and promote (15 ms scavenges, 1 KB per session). A
    // session too large for the arena, or an arena that is full, keeps objects.
    const s = store.insert(input.id, cls, createdAt, input.lifetimeMs, now + input.lifetimeMs, null, null, store.nextVersion());
    if (!store.records.packObjects(s, input.attrs ?? NONE, input.counters ?? NONE)) store.records.setObjects(s, copyFields(input.attrs), copyFields(input.counters));
    split.noteChange(input.id, undefined, now);
    const due = createdAt + this.durationFor(cls);
    if (due <= now) this.becomeEligible(s);
    else this.eligibility.queue(cls, s.id, due);
    return toView(s);
  }

  /** Creates the session if absent, else merges attrs and refreshes its lifetime. */
  upsert(input: SessionInput): SessionView {
    const s = this.host.store.get(input.id);
    if (!s) return this.create(input);
    this.update(input.id, { ...(input.attrs ? { attrs: input.attrs } : {}), lifetimeMs: input.lifetimeMs });
    return toView(s);
  }

  /**
   * Merges attrs (null removes one), raises counters (as raiseCounters: one already at or above
   * its value stays) and restarts the lifetime (optionally a new one) as one change: one
   * version, one pending checkpoint, one journal entry. The session API's upsert of an existing
   * session. Everything is checked before anything changes. A packed session is decoded and
   * packed again once for all of it (raising counters and then merging attrs as two changes
   * packed the record twice and gave the session two versions). `ref`: the id, or the session
   * as a lookup returned it.
   */
  update(
    ref: string | Session,
    patch: { attrs?: Record<string, string | null> | undefined; lifetimeMs?: number | undefined; counters?: Readonly<Record<string, bigint>> | undefined },
  ): void {
    this.host.checkWritable();
    const s = this.mustGet(ref);
    const { attrs, counters: raise } = patch;
    checkRecordWellFormed(attrs, 'attrs');
    if (attrs) checkAttrPatch(attrs);
    if (raise) checkCounters(raise);
    const raised = raise ? this.raised(s, raise) : null;
    const { records } = this.host.store;
    const packed = s.packed >= 0;
    const merged = attrs ? this.patchedAttrs(s, attrs) : null;
    const counters = raised?.counters ?? null;
    if (packed && (merged !== null || counters !== null)) {
      const fits = merged && counters ? records.packObjects(s, merged, counters) : merged ? records.packAttrsObject(s, merged) : records.packCountersObject(s, counters!);
      // Too large for the arena, or the arena is full: objects (read before the record is freed).
      if (!fits) records.setObjects(s, merged ?? records.readAttrs(s), counters ?? records.readCounters(s));
    }
    let aspects = M_LIFETIME;
    if (raised) {
      if (raised.sync) aspects |= M_COUNTERS;
      else s.flags |= F_COUNTERS_UNSYNCED;
    }
    if (attrs) aspects |= M_ATTRS | (s.flags & F_COUNTERS_UNSYNCED ? M_COUNTERS : 0);
    if (patch.lifetimeMs !== undefined) s.lifetimeMs = patch.lifetimeMs;
    s.expiresAt = this.host.clock.now() + s.lifetimeMs;
    this.changed(s, aspects, attrs ? Object.keys(attrs) : []);
  }

  /** Sets attributes; a null value removes the attribute. */
  updateAttrs(id: string, patch: Record<string, string | null>): void {
    this.host.checkWritable();
    const s = this.mustGet(id);
    checkRecordWellFormed(patch, 'attrs');
    this.mergeAttrs(s, patch);
    this.changed(s, M_ATTRS | (s.flags & F_COUNTERS_UNSYNCED ? M_COUNTERS : 0), Object.keys(patch));
  }

  /** Adds to a counter; replicated only when it crosses a multiple of counter-sync-every. */
  incrementCounter(ref: string | Session, name: string, by: bigint = 1n): bigint {
    this.host.checkWritable();
    const s = this.mustGet(ref);
    checkWellFormed(name, 'counter name');
    const counters = this.countersOf(s);
    const known = ownCounter(counters, name);
    const next = (known ?? 0n) + by;
    checkCounter(next, `counter ${name}`);
    counters[name] = next;
    this.storeCounters(s, counters, this.mustSync(known, next));
    return next;
  }

  /**
   * Raises counters to the given values, as one change: a counter already at or above its
   * value stays (counters only move up: after a takeover the table's are ahead of a writer's,
   * advanced by counter-sync-every). Replicated at once when a counter crosses a multiple of
   * counter-sync-every or is new to the session, as incrementCounter. The values are checked
   * before any is set. A packed session is decoded, raised and packed again once for all of
   * them (an API update moves two or three counters at a time).
   */
  raiseCounters(ref: string | Session, values: Readonly<Record<string, bigint>>): void {
    this.host.checkWritable();
    const s = this.mustGet(ref);
    checkCounters(values);
    const raised = this.raised(s, values);
    if (raised) this.storeCounters(s, raised.counters, raised.sync);
  }

  /**
   * s's counters with `values` raised into them (the session's own object, or a copy decoded
   * from its packed record), and whether the change must be replicated at once (mustSync); null
   * when none moved.
   */
  private raised(s: Session, values: Readonly<Record<string, bigint>>): { counters: Record<string, bigint>; sync: boolean } | null {
    const counters = this.countersOf(s);
    let moved = false;
    let sync = false;
    for (const name in values) {
      const next = values[name];
      const known = ownCounter(counters, name);
      if (next <= (known ?? 0n)) continue;
      counters[name] = next;
      moved = true;
      sync ||= this.mustSync(known, next);
    }
    return moved ? { counters, sync } : null;
  }

  /** s's counters to change: its own object, or decoded from its packed record. */
  private countersOf(s: Session): Record<string, bigint> {
    return s.packed >= 0 ? this.host.store.records.readCounters(s) : s.counters;
  }

  /**
   * A counter moved from `known` to `next` is replicated at once when it crosses a multiple of
   * counter-sync-every, or when the Standby has never seen it: at a takeover it advances only
   * the counters it knows (by counter-sync-every), so an unknown one would restart from 0.
   */
  private mustSync(known: bigint | undefined, next: bigint): boolean {
    return known === undefined || known / this.syncEvery !== next / this.syncEvery;
  }

  /** Keeps s's changed `counters` (packed again when s is packed) and records the change. */
  private storeCounters(s: Session, counters: Record<string, bigint>, sync: boolean): void {
    // A packed session (created so, or from this chassis' time as Standby) stays packed.
    if (s.packed >= 0 && !this.host.store.records.packCountersObject(s, counters)) s.counters = counters;
    if (sync) this.changed(s, M_COUNTERS, []);
    else {
      s.flags |= F_COUNTERS_UNSYNCED;
      this.host.split.noteChange(s.id, []);
    }
  }

  /**
   * Applies an attrs patch (null removes one). A session still packed from this chassis' time
   * as Standby (table/packed.ts), or packed when created, stays packed: its attrs are decoded
   * into an object that dies with the call, patched and packed again.
   */
  private mergeAttrs(s: Session, patch: Record<string, string | null>): void {
    checkAttrPatch(patch);
    const attrs = this.patchedAttrs(s, patch);
    if (s.packed >= 0 && !this.host.store.records.packAttrsObject(s, attrs)) s.attrs = attrs;
  }

  /**
   * s's attributes with `patch` applied (null removes one): its own object, patched in place,
   * or for a packed session a decoded copy, which the caller packs again.
   */
  private patchedAttrs(s: Session, patch: Record<string, string | null>): Record<string, string> {
    const attrs = s.packed >= 0 ? this.host.store.records.readAttrs(s) : s.attrs;
    for (const k in patch) {
      const v = patch[k];
      if (v === null) delete attrs[k];
      else attrs[k] = v;
    }
    return attrs;
  }

  /** Restarts the session's lifetime (optionally a new one) from now. */
  refresh(id: string, lifetimeMs?: number): void {
    this.host.checkWritable();
    const s = this.mustGet(id);
    if (lifetimeMs !== undefined) s.lifetimeMs = lifetimeMs;
    s.expiresAt = this.host.clock.now() + s.lifetimeMs;
    this.changed(s, M_LIFETIME, []);
  }

  delete(id: string): boolean {
    this.host.checkWritable();
    const s = this.host.store.get(id);
    if (!s) return false;
    this.deleteSession(s);
    return true;
  }

  /** `attrs`: the attribute names the change set or removed (the split journal keeps them). */
  private changed(s: Session, aspects: number, attrs: readonly string[]): void {
    const { store, split, sender } = this.host;
    store.setVersion(s, store.nextVersion());
    split.noteChange(s.id, attrs, this.host.clock.now());
    if (s.eligible) sender.noteChange(s, aspects, attrs);
  }

  /** Removes a session as a replicated change (a delete, a replacing create, an expiry). */
  deleteSession(s: Session): void {
    const { store, split, sender } = this.host;
    const version = store.nextVersion();
    split.noteDelete(s.id, version, this.host.clock.now());
    if (s.eligible) sender.noteDelete(s, version);
    store.remove(s.id);
  }

  /** A record handed over by the peer, as this Active's change (split.ts decides its content). */
  putRecord(r: SessionRecord): void {
    this.create({
      id: r.id,
      class: classFromWire(r.sessionClass),
      lifetimeMs: r.lifetimeMs,
      createdAt: r.createdAtMs,
      attrs: r.attrs,
      counters: r.counters,
    });
  }

  private becomeEligible(s: Session): void {
    this.host.store.markEligible(s);
    this.host.sender.noteChange(s, M_FULL);
  }
}
