import { AuditCoordinator, nextAuditTime, type AuditResult } from './audit.js';
import { CallLossLog, type CallLossRecord } from './call-loss.js';
import { systemClock, type Clock } from './clock.js';
import { isValidCommandId } from './commands.js';
import { resolveCheckpointConfig, type CheckpointConfig } from './config.js';
import { CheckpointError } from './errors.js';
import type { CheckpointMessage, CheckpointTransport, MacroReason, SessionClassName, SessionRecord } from './messages.js';
import { NackKind } from './messages.js';
import { CheckpointReceiver } from './receiver/receiver.js';
import { SplitCoordinator } from './handoff.js';
import { contentDigest } from './table/content.js';
import type { Handoff } from './split.js';
import type { EngineContext } from './context.js';
import { M_ATTRS, M_COUNTERS, M_FULL, M_LIFETIME } from './sender/items.js';
import { CheckpointSender } from './sender/sender.js';
import {
  type AuditStatistics,
  type CheckpointEvent,
  type CheckpointObserver,
  type CheckpointStatistics,
  emptyAuditStatistics,
  emptyStatistics,
} from './stats.js';
import { F_COUNTERS_UNSYNCED, F_REMOVED, type Session } from './table/session.js';
import { SessionStore } from './table/store.js';
import { classFromWire, type SessionView, toView } from './table/view.js';
import { checkRecordWellFormed, checkWellFormed } from './unicode.js';

export type EngineRole = 'init' | 'active' | 'standby';

export interface CheckpointEngineOptions {
  transport: CheckpointTransport;
  clock?: Clock;
  config?: Partial<CheckpointConfig>;
  observer?: CheckpointObserver;
}

export interface SessionInput {
  id: string;
  class?: SessionClassName; // default non-ims
  lifetimeMs: number;
  createdAt?: number; // default now
  attrs?: Record<string, string>;
  counters?: Record<string, bigint>;
}

export interface PeerHelloInfo {
  sessionCount: number;
  eligibleCount: number;
}

export interface TakeoverResult {
  recovered: number;
  durationMs: number;
  callLoss: CallLossRecord | null;
}

export interface TableSummary {
  count: number;
  eligible: number;
  digest: string;
}

interface EligibilityQueue {
  ids: string[];
  dues: number[];
  head: number;
}

const newQueue = (): EligibilityQueue => ({ ids: [], dues: [], head: 0 });

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const EXPIRY_SCAN_PER_TICK = 50_000;
const AUDIT_RETRY_MS = 60_000;

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

/**
 * The checkpoint engine of one chassis: the session table, the checkpoint policy, the micro
 * and macro sender (Active), the receiver (Standby), NACKs, audit and call-loss records.
 *
 * Seam for the daemon:
 *  - build it with a CheckpointTransport over the SRP link and the daemon's clock;
 *  - forward received checkpoint messages (CHECKPOINT_MESSAGE_KINDS) to handle();
 *  - role changes: becomeActive() / becomeStandby(); peerJoined() when a Standby appears on
 *    the link (the Active starts the bulk sync); linkDown() when the link drops;
 *  - peerHello() for every Hello from the peer, helloFields() for every Hello sent;
 *  - flush() for the critical flush of a planned switchover;
 *  - recordCompression()/setCodec() from the MessageWriter for the statistics.
 */
export class CheckpointEngine {
  readonly config: CheckpointConfig;
  readonly store = new SessionStore();
  readonly callLoss = new CallLossLog();
  private readonly clock: Clock;
  private readonly transport: CheckpointTransport;
  private readonly stats = emptyStatistics();
  private readonly auditStats = emptyAuditStatistics();
  private readonly sender: CheckpointSender;
  private readonly receiver: CheckpointReceiver;
  private readonly audit: AuditCoordinator;
  private readonly listeners = new Set<(e: CheckpointEvent) => void>();
  private readonly roleListeners = new Set<(role: EngineRole) => void>();
  private readonly syncEvery: bigint;
  private roleName: EngineRole = 'init';
  private peer: PeerHelloInfo | null = null;
  private closed = false;
  /** Non-null while writes are refused (fenced: stalled or unheard; no witness lease): why. */
  private writeGate: string | null = null;
  private readonly split: SplitCoordinator;

  // Eligibility queues, one per class (creation order, so due times ascend), one timer.
  private readonly elig: Record<SessionClassName, EligibilityQueue> = { ims: newQueue(), 'non-ims': newQueue() };
  private eligTimer: unknown = null;
  private eligTimerAt = Infinity;

  private expiryTimer: unknown = null;
  private expiryIter: Iterator<Session> | null = null;
  private periodicTimer: unknown = null;
  private auditTimer: unknown = null;

  constructor(opts: CheckpointEngineOptions) {
    this.config = resolveCheckpointConfig(opts.config);
    this.clock = opts.clock ?? systemClock;
    this.transport = opts.transport;
    this.syncEvery = BigInt(this.config.counterSyncEvery);
    this.store.records.advanceBy = this.syncEvery;
    const ctx: EngineContext = {
      store: this.store,
      clock: this.clock,
      transport: this.transport,
      config: this.config,
      stats: this.stats,
      observer: opts.observer ?? {},
      emit: (e) => this.emit(e),
    };
    this.sender = new CheckpointSender(ctx);
    this.receiver = new CheckpointReceiver(ctx, this.auditStats, (ready) => {
      if (ready) this.emit({ type: 'checkpoint-standby-ready', at: this.clock.now(), sessions: this.store.size, cause: 'bulk sync applied' });
    });
    this.audit = new AuditCoordinator(ctx, this.sender, this.auditStats);
    this.split = new SplitCoordinator(
      {
        store: this.store,
        transport: this.transport,
        callLoss: this.callLoss,
        now: () => this.clock.now(),
        emit: (e) => this.emit(e),
        put: (r) => this.putRecord(r),
        remove: (id) => void this.delete(id),
        unsynced: () => this.sender.unsynced(),
      },
      this.stats.split,
    );
    this.transport.onDrain(() => this.sender.onDrain());
  }

  get role(): EngineRole {
    return this.roleName;
  }

  /** Standby: bulk sync applied and enough Hellos heard (standby database-recovery). */
  get standbyReady(): boolean {
    return this.roleName === 'standby' && this.receiver.ready;
  }

  // ---- session API (Active, or before any role) ------------------------------------------

  private writable(): void {
    if (this.closed) throw new CheckpointError('SRP_ERR_CHECKPOINT_CLOSED', 'engine closed');
    if (this.roleName === 'standby') throw new CheckpointError('SRP_ERR_CHECKPOINT_ROLE', 'sessions are read-only on the Standby');
    if (this.writeGate !== null) throw new CheckpointError('SRP_ERR_CHECKPOINT_FENCED', this.writeGate);
  }

  /** Why writes are refused now (fenced, or no witness lease), or null. */
  get fenced(): string | null {
    return this.writeGate;
  }

  /**
   * Refuses writes (`reason`) or accepts them again (null). While refused, nothing is sent as
   * Active either: changes already pending wait, and go to the hand-over if this chassis steps
   * down for its peer.
   */
  setWriteGate(reason: string | null): void {
    this.writeGate = reason;
    if (reason !== null) this.sender.pause();
    else this.sender.resume();
  }

  /**
   * The session of an id, or the session itself when the caller already holds it from
   * `store.get()` (saves a second lookup in a table of millions; a removed one is refused).
   */
  private mustGet(ref: string | Session): Session {
    if (typeof ref !== 'string') {
      if (ref.flags & F_REMOVED) throw new CheckpointError('SRP_ERR_CHECKPOINT_NO_SESSION', `no session ${ref.id}`);
      return ref;
    }
    const s = this.store.get(ref);
    if (!s) throw new CheckpointError('SRP_ERR_CHECKPOINT_NO_SESSION', `no session ${ref}`);
    return s;
  }

  private durationFor(cls: SessionClassName): number {
    return cls === 'ims' ? this.config.sessionDurationImsMs : this.config.sessionDurationMs;
  }

  /** Creates (or replaces) a session. */
  create(input: SessionInput): SessionView {
    this.writable();
    checkWellFormed(input.id, 'session id');
    checkRecordWellFormed(input.attrs, 'attrs');
    checkRecordWellFormed(input.counters, 'counters');
    const now = this.clock.now();
    const old = this.store.get(input.id);
    if (old) this.deleteSession(old);
    const cls = input.class ?? 'non-ims';
    const createdAt = input.createdAt ?? now;
    // The id is absent now (just looked up, or removed above): no second lookup.
    // Objects on the Active (a Standby packs what it applies: table/packed.ts).
    const s = this.store.insert(input.id, cls, createdAt, input.lifetimeMs, now + input.lifetimeMs, copyFields(input.attrs), copyFields(input.counters), this.store.nextVersion());
    this.split.noteChange(input.id);
    const due = createdAt + this.durationFor(cls);
    if (due <= now) this.becomeEligible(s);
    else this.queueEligibility(cls, s.id, due);
    return toView(s);
  }

  /** Creates the session if absent, else merges attrs and refreshes its lifetime. */
  upsert(input: SessionInput): SessionView {
    const s = this.store.get(input.id);
    if (!s) return this.create(input);
    this.update(input.id, { ...(input.attrs ? { attrs: input.attrs } : {}), lifetimeMs: input.lifetimeMs });
    return toView(s);
  }

  /**
   * Merges attrs (null removes one) and restarts the lifetime (optionally a new one) as one
   * change: one version, one pending checkpoint. The session API's upsert of an existing session.
   * `ref`: the id, or the session as `store.get()` returned it.
   */
  update(ref: string | Session, patch: { attrs?: Record<string, string | null> | undefined; lifetimeMs?: number | undefined }): void {
    this.writable();
    const s = this.mustGet(ref);
    let aspects = M_LIFETIME;
    const attrs = patch.attrs;
    checkRecordWellFormed(attrs, 'attrs');
    if (attrs) {
      this.mergeAttrs(s, attrs);
      aspects |= M_ATTRS | (s.flags & F_COUNTERS_UNSYNCED ? M_COUNTERS : 0);
    }
    if (patch.lifetimeMs !== undefined) s.lifetimeMs = patch.lifetimeMs;
    s.expiresAt = this.clock.now() + s.lifetimeMs;
    this.changed(s, aspects);
  }

  /** Sets attributes; a null value removes the attribute. */
  updateAttrs(id: string, patch: Record<string, string | null>): void {
    this.writable();
    const s = this.mustGet(id);
    checkRecordWellFormed(patch, 'attrs');
    this.mergeAttrs(s, patch);
    this.changed(s, M_ATTRS | (s.flags & F_COUNTERS_UNSYNCED ? M_COUNTERS : 0));
  }

  /** Adds to a counter; replicated only when it crosses a multiple of counter-sync-every. */
  incrementCounter(ref: string | Session, name: string, by: bigint = 1n): bigint {
    this.writable();
    const s = this.mustGet(ref);
    checkWellFormed(name, 'counter name');
    const { records } = this.store;
    const counters = s.packed >= 0 ? records.readCounters(s) : (s.c as Record<string, bigint>);
    const known = counters[name];
    const old = known ?? 0n;
    const next = old + by;
    counters[name] = next;
    // A session still packed from this chassis' time as Standby stays packed.
    if (s.packed >= 0 && !records.packCountersObject(s, counters)) s.counters = counters;
    // A counter the Standby has never seen is synced at once: at a takeover it advances only
    // the counters it knows (by counter-sync-every), so an unknown one would restart from 0.
    if (known === undefined || old / this.syncEvery !== next / this.syncEvery) this.changed(s, M_COUNTERS);
    else {
      s.flags |= F_COUNTERS_UNSYNCED;
      this.split.noteChange(s.id);
    }
    return next;
  }

  /**
   * Applies an attrs patch (null removes one). A session still packed from this chassis' time
   * as Standby (table/packed.ts) stays packed: its attrs are decoded into an object that
   * dies with the call, patched and packed again.
   */
  private mergeAttrs(s: Session, patch: Record<string, string | null>): void {
    const { records } = this.store;
    const attrs = s.packed >= 0 ? records.readAttrs(s) : (s.a as Record<string, string>);
    for (const k in patch) {
      const v = patch[k];
      if (v === null) delete attrs[k];
      else attrs[k] = v;
    }
    if (s.packed >= 0 && !records.packAttrsObject(s, attrs)) s.attrs = attrs;
  }

  /** Restarts the session's lifetime (optionally a new one) from now. */
  refresh(id: string, lifetimeMs?: number): void {
    this.writable();
    const s = this.mustGet(id);
    if (lifetimeMs !== undefined) s.lifetimeMs = lifetimeMs;
    s.expiresAt = this.clock.now() + s.lifetimeMs;
    this.changed(s, M_LIFETIME);
  }

  delete(id: string): boolean {
    this.writable();
    const s = this.store.get(id);
    if (!s) return false;
    this.deleteSession(s);
    return true;
  }

  get(id: string): SessionView | undefined {
    const s = this.store.get(id);
    return s ? toView(s) : undefined;
  }

  /**
   * Counts and the audit's digest of the replicated table (ids and versions, kept up to date at
   * every change: free to read). For content, see contentSummary().
   */
  summary(): TableSummary {
    return { count: this.store.size, eligible: this.store.eligibleCount, digest: this.store.digest() };
  }

  /**
   * `GET /v1/sessions/summary`: counts and the content digest (content.ts): equal digests on both
   * sides mean equal replicated tables, attributes, counters, lifetimes and classes included.
   * Computed in slices (about a second per million sessions).
   */
  async contentSummary(): Promise<TableSummary & { versionDigest: string }> {
    const versionDigest = this.store.digest();
    const { digest } = await contentDigest(this.store, this.config.counterSyncEvery);
    return { count: this.store.size, eligible: this.store.eligibleCount, digest, versionDigest };
  }

  private changed(s: Session, aspects: number): void {
    this.store.setVersion(s, this.store.nextVersion());
    this.split.noteChange(s.id);
    if (s.eligible) this.sender.noteChange(s, aspects);
  }

  private deleteSession(s: Session): void {
    const version = this.store.nextVersion();
    this.split.noteDelete(s.id, version);
    if (s.eligible) this.sender.noteDelete(s, version);
    this.store.remove(s.id);
  }

  /** A record handed over by the peer, as this Active's change (split.ts decides its content). */
  private putRecord(r: SessionRecord): void {
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
    this.store.markEligible(s);
    this.sender.noteChange(s, M_FULL);
  }

  // ---- eligibility: one timer for all young sessions ------------------------------------

  private queueEligibility(cls: SessionClassName, id: string, due: number): void {
    const q = this.elig[cls];
    q.ids.push(id);
    q.dues.push(due);
    this.armEligibility();
  }

  private nextEligibilityDue(): number {
    let due = Infinity;
    for (const q of Object.values(this.elig)) if (q.head < q.ids.length) due = Math.min(due, q.dues[q.head]);
    return due;
  }

  private armEligibility(): void {
    const due = this.nextEligibilityDue();
    if (due === Infinity || (this.eligTimer !== null && this.eligTimerAt <= due)) return;
    if (this.eligTimer !== null) this.clock.clearTimeout(this.eligTimer);
    this.eligTimerAt = due;
    this.eligTimer = this.clock.setTimeout(() => {
      this.eligTimer = null;
      this.eligTimerAt = Infinity;
      this.runEligibility();
    }, Math.max(0, due - this.clock.now()));
  }

  private runEligibility(): void {
    const now = this.clock.now();
    for (const q of Object.values(this.elig)) {
      while (q.head < q.ids.length && q.dues[q.head] <= now) {
        const id = q.ids[q.head];
        const due = q.dues[q.head];
        q.head++;
        const s = this.store.get(id);
        // Skip sessions deleted or re-created since they were queued.
        if (s && !s.eligible && s.createdAt + this.durationFor(s.cls) === due) this.becomeEligible(s);
      }
      if (q.head > 4096 && q.head * 2 > q.ids.length) {
        q.ids = q.ids.slice(q.head);
        q.dues = q.dues.slice(q.head);
        q.head = 0;
      }
    }
    this.armEligibility();
  }

  private clearEligibility(): void {
    if (this.eligTimer !== null) this.clock.clearTimeout(this.eligTimer);
    this.eligTimer = null;
    this.eligTimerAt = Infinity;
    this.elig.ims = newQueue();
    this.elig['non-ims'] = newQueue();
  }

  // ---- expiry: one sweep timer, a bounded slice of the table per tick -------------------

  private armExpiry(): void {
    if (this.expiryTimer !== null || this.closed) return;
    this.expiryTimer = this.clock.setTimeout(() => {
      this.expiryTimer = null;
      this.sweepExpired();
      if (this.roleName === 'active') this.armExpiry();
    }, this.config.expirySweepIntervalMs);
  }

  private sweepExpired(): void {
    const now = this.clock.now();
    this.expiryIter ??= this.store.values();
    for (let i = 0; i < EXPIRY_SCAN_PER_TICK; i++) {
      const r = this.expiryIter.next();
      if (r.done) {
        this.expiryIter = null;
        return;
      }
      if (r.value.expiresAt <= now) this.deleteSession(r.value);
    }
  }

  // ---- roles ------------------------------------------------------------------------------

  onRoleChange(listener: (role: EngineRole) => void): () => void {
    this.roleListeners.add(listener);
    return () => this.roleListeners.delete(listener);
  }

  private setRole(role: EngineRole): void {
    if (this.roleName === role) return;
    this.roleName = role;
    this.stats.role = role;
    for (const l of this.roleListeners) {
      try {
        l(role);
      } catch {
        // a listener's failure is its own
      }
    }
  }

  /**
   * Takeover (or first start as Active). Applies everything received, then - when this
   * chassis was Standby - advances every counter by counter-sync-every (no sequence number is
   * ever reused), restarts every lifetime in full, records call loss, and only then returns.
   * Session versions are kept, so the table digest equals the old Active's when nothing was
   * lost; the version clock continues past the highest version held.
   */
  async becomeActive(opts: { cause?: string } = {}): Promise<TakeoverResult> {
    const started = this.clock.now();
    if (this.roleName === 'active') return { recovered: this.store.size, durationMs: 0, callLoss: null };
    const wasStandby = this.roleName === 'standby';
    await this.receiver.drain();
    this.receiver.abandonMacro();
    this.receiver.reset();
    let callLoss: CallLossRecord | null = null;
    if (wasStandby) {
      const now = this.clock.now();
      let n = 0;
      // Packed counters (table/packed.ts) are advanced when they are next read.
      this.store.records.takeover();
      for (const s of this.store.values()) {
        if (s.flags & F_COUNTERS_UNSYNCED) s.flags &= ~F_COUNTERS_UNSYNCED;
        const c = s.c;
        if (c !== null) for (const k in c) c[k] += this.syncEvery;
        s.expiresAt = now + s.lifetimeMs;
        this.store.markEligible(s);
        // Keep the replicated versions (the digest stays that of the old Active's table) and
        // continue the version clock past them, so changes made from now on are newer.
        this.store.bumpVersionClockPast(s.version);
        if (++n % 10_000 === 0) await yieldToLoop();
      }
      if (this.peer) {
        const recovered = this.store.size;
        callLoss = {
          at: this.clock.now(),
          cause: opts.cause ?? 'takeover',
          expected: this.peer.sessionCount,
          recovered,
          lostEligible: Math.max(0, this.peer.eligibleCount - recovered),
          lostYoung: Math.max(0, this.peer.sessionCount - this.peer.eligibleCount),
        };
        this.callLoss.record(callLoss);
        this.emit({ type: 'checkpoint-call-loss', at: callLoss.at, expected: callLoss.expected, recovered, cause: callLoss.cause });
      }
    }
    this.setRole('active');
    // Until a Standby holds this table, what this Active acknowledges is recorded for a
    // hand-over: the old Active may still be alive (a partition), and may win when they meet.
    this.split.record();
    this.armExpiry();
    this.armAudit();
    return { recovered: this.store.size, durationMs: this.clock.now() - started, callLoss };
  }

  becomeStandby(): void {
    this.split.synced(); // a Standby acknowledges nothing; its journal went into a hand-over, if any
    this.writeGate = null;
    this.sender.resume();
    this.sender.detach('became standby');
    this.audit.abort('became standby');
    this.stopActiveTimers();
    this.clearEligibility();
    this.receiver.reset();
    this.setRole('standby');
  }

  /** Active: a Standby came up on the link; bulk sync starts now. */
  peerJoined(): void {
    if (this.roleName !== 'active') return;
    this.sender.attach();
    this.armPeriodic();
  }

  linkDown(): void {
    // What the peer had not acknowledged may be lost with the link: record it, and everything
    // from now on, until a Standby has our table again.
    if (this.roleName === 'active') this.split.record(true);
    this.sender.detach('link down');
    this.audit.abort('link down');
    this.receiver.reset();
    if (this.periodicTimer !== null) this.clock.clearTimeout(this.periodicTimer);
    this.periodicTimer = null;
  }

  /** Every Hello from the peer: its session counts (call loss) and, on Standby, readiness. */
  peerHello(h: PeerHelloInfo): void {
    this.peer = { sessionCount: h.sessionCount, eligibleCount: h.eligibleCount };
    if (this.roleName !== 'active') this.receiver.helloReceived();
  }

  /** What this chassis puts in its own Hello. */
  helloFields(): { sessionCount: number; eligibleCount: number; standbyReady: boolean } {
    return { sessionCount: this.store.size, eligibleCount: this.store.eligibleCount, standbyReady: this.standbyReady };
  }

  private stopActiveTimers(): void {
    for (const t of [this.expiryTimer, this.periodicTimer, this.auditTimer]) if (t !== null) this.clock.clearTimeout(t);
    this.expiryTimer = this.periodicTimer = this.auditTimer = null;
    this.expiryIter = null;
  }

  private armPeriodic(): void {
    if (this.periodicTimer !== null) this.clock.clearTimeout(this.periodicTimer);
    this.periodicTimer = this.clock.setTimeout(() => {
      this.periodicTimer = null;
      if (this.roleName !== 'active' || !this.sender.isAttached) return;
      if (!this.sender.macroInProgress) this.sender.requestMacro('periodic');
      this.armPeriodic();
    }, this.config.periodicIntervalMin * 60_000);
  }

  private armAudit(delayMs?: number): void {
    if (!this.config.auditEnabled || this.closed) return;
    const now = this.clock.now();
    const at = delayMs === undefined ? nextAuditTime(now, this.config.auditDailyStartTime, this.config.auditPeriodicityMin) : now + delayMs;
    this.auditStats.nextRunAt = at;
    if (this.auditTimer !== null) this.clock.clearTimeout(this.auditTimer);
    this.auditTimer = this.clock.setTimeout(() => {
      this.auditTimer = null;
      if (this.roleName !== 'active') return;
      if (this.sender.isAttached && this.sender.macroInProgress) {
        // Comparing a table that a macro is rewriting would report noise: try again shortly.
        this.armAudit(AUDIT_RETRY_MS);
        return;
      }
      if (this.sender.isAttached) this.initiateAudit({ withSync: true, trigger: 'periodic' }).catch(() => undefined);
      this.armAudit();
    }, at - now);
  }

  // ---- messages ---------------------------------------------------------------------------

  /** Every checkpoint message received on the SRP link. Never throws. */
  handle(msg: CheckpointMessage): void {
    if (this.closed) return;
    switch (msg.kind) {
      case 'checkpointAck':
        this.sender.onAck(msg.body);
        return;
      case 'nack': {
        this.stats.nacks.received++;
        const kind = msg.body.kind === NackKind.Macro ? 'macro' : 'micro';
        this.emit({ type: 'checkpoint-nack-received', at: this.clock.now(), kind, commandId: msg.body.commandId, cause: msg.body.reason });
        if (this.roleName === 'active') this.sender.requestMacro('nack');
        return;
      }
      case 'auditBucketDigests':
        this.audit.onDigests(msg.body);
        return;
      case 'splitHandoff':
        // Only an Active takes the peer's changes; one that is not Active (yet) gets them again
        // with the next link up.
        if (this.roleName === 'active') this.split.apply(msg.body);
        return;
      case 'splitHandoffAck':
        this.split.onAck(msg.body);
        return;
      default:
        // Checkpoint data: only a non-Active applies it (an Active ignores a split-brain peer).
        if (this.roleName !== 'active') this.receiver.enqueue(msg);
    }
  }

  /**
   * This Active steps down for a peer that is Active too (split brain healed, or it was fenced):
   * captures what the peer may lack for a hand-over, before the table is given up. Call it
   * before becomeStandby(), then sendHandoff() whenever the link is up until it is acknowledged.
   */
  captureHandoff(epoch: number): Handoff | null {
    return this.roleName === 'active' ? this.split.capture(epoch) : null;
  }

  /** Sends the captured hand-over, if one waits for the peer's acknowledgement. */
  sendHandoff(): void {
    this.split.send();
  }

  get handoffPending(): boolean {
    return this.split.pendingHandoff;
  }

  /** Critical flush (planned switchover): every pending change sent and acknowledged. */
  flush(): Promise<void> {
    return this.sender.flush();
  }

  /**
   * Sends the pending micro-checkpoints now instead of after the batch delay (a few ms): for a
   * caller that has just made many changes in one turn, such as one API call of many ops.
   */
  sendPending(): void {
    this.sender.sendPending();
  }

  /** Resolves once every checkpoint received so far is applied. */
  drain(): Promise<void> {
    return this.receiver.drain();
  }

  requestMacro(reason: MacroReason = 'manual'): void {
    if (this.roleName === 'active') this.sender.requestMacro(reason);
  }

  /** `srp initiate-audit manual-with-sync` (withSync true) on the Active. */
  initiateAudit(opts: { withSync?: boolean; trigger?: string } = {}): Promise<AuditResult> {
    if (this.roleName !== 'active') return Promise.reject(new CheckpointError('SRP_ERR_CHECKPOINT_ROLE', 'audit is initiated on the Active'));
    return this.audit.initiate(opts.withSync ?? true, opts.trigger ?? 'manual');
  }

  /** `srp disable|enable nack micro-chkpt-cmd N` (N in 1..255). */
  setNackEnabled(commandId: number, enabled: boolean): void {
    if (!isValidCommandId(commandId)) throw new CheckpointError('SRP_ERR_CHECKPOINT_CONFIG', `micro-chkpt-cmd must be 1..255, got ${commandId}`);
    this.receiver.setNackEnabled(commandId, enabled);
  }

  /** Fault injection for tests and the debug API: the next `count` micro applies fail. */
  injectApplyFailure(count = 1): void {
    this.receiver.injectApplyFailure(count);
  }

  /** From the daemon's MessageWriter: payload bytes before and after compression. */
  recordCompression(before: number, after: number): void {
    this.stats.bytes.beforeCompression += before;
    this.stats.bytes.afterCompression += after;
  }

  setCodec(codec: string | null): void {
    this.stats.codec = codec;
  }

  statistics(): CheckpointStatistics {
    this.split.refresh();
    const s = structuredClone(this.stats);
    s.role = this.roleName;
    s.sessions = { current: this.store.size, ready: this.store.eligibleCount };
    s.standbyReady = this.standbyReady;
    s.pending = { sessions: this.sender.pendingSessions, deletes: this.sender.pendingDeletes, unackedBatches: this.sender.unackedBatches };
    s.nacks.disabledCommands = this.receiver.disabledNackCommands;
    s.macro.inProgress = this.sender.macroInProgress || this.receiver.macroInProgress;
    return s;
  }

  auditStatistics(): AuditStatistics {
    return { ...this.auditStats, lastDifferingBuckets: [...this.auditStats.lastDifferingBuckets] };
  }

  onEvent(listener: (e: CheckpointEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: CheckpointEvent): void {
    // A bulk sync the Standby acknowledged: it holds our table, nothing more to record.
    if (e.type === 'checkpoint-macro-end' && e.ok && e.reason === 'bulk-sync' && this.roleName === 'active') this.split.synced();
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // a listener's failure is its own
      }
    }
  }

  close(): void {
    this.closed = true;
    this.sender.detach('closed');
    this.audit.abort('closed');
    this.stopActiveTimers();
    this.clearEligibility();
  }
}
