// The engine's facade: every public method of CheckpointEngine, each a few lines that hand the
// work to one of its parts (writes.ts, the sender, the receiver, audit, split brain, schedules,
// expiry, takeover.ts). It is longer than the ~400 lines a file keeps to because the engine's
// API is; the parts hold the logic.
import { AuditCoordinator, type AuditResult } from '../audit.js';
import { CallLossLog, type CallLossRecord } from '../call-loss.js';
import { systemClock, type Clock } from '../clock.js';
import { isValidCommandId } from '../commands.js';
import { resolveCheckpointConfig, type CheckpointConfig } from '../config.js';
import type { EngineContext } from '../context.js';
import { CheckpointError } from '../errors.js';
import { SplitCoordinator } from '../handoff.js';
import { Listeners } from '../listeners.js';
import { NackKind, type CheckpointMessage, type CheckpointTransport, type MacroReason } from '../messages.js';
import { CheckpointReceiver } from '../receiver/receiver.js';
import { CheckpointSender } from '../sender/sender.js';
import type { Handoff } from '../split.js';
import {
  type AuditStatistics,
  type CheckpointEvent,
  type CheckpointStatistics,
  type ReplicationOutcome,
  emptyAuditStatistics,
  emptyStatistics,
} from '../stats.js';
import { contentDigest } from '../table/content.js';
import { fromHandle, toHandle, type SessionHandle } from '../handle.js';
import type { ArenaStats } from '../table/arena.js';
import { SessionStore } from '../table/store.js';
import { type SessionView, toView } from '../table/view.js';
import { ExpirySweeper } from './expiry.js';
import { Schedules } from './schedules.js';
import { callLossOf, takeOverTable } from './takeover.js';
import type { CheckpointEngineOptions, EngineRole, PeerHelloInfo, SessionInput, TableSummary, TakeoverResult } from './types.js';
import { SessionWrites } from './writes.js';

/** The engine's session table: for the package's internal subpath (tests, benchmarks), never the public API. */
export let storeOf: (engine: CheckpointEngine) => SessionStore;

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
 *
 * Sessions go out as ids, plain snapshots (SessionView) and opaque handles (handle.ts); the
 * table itself stays inside the package (`storeOf`, on the internal subpath).
 */
export class CheckpointEngine {
  static {
    storeOf = (engine) => engine.store;
  }

  readonly config: CheckpointConfig;
  private readonly store = new SessionStore();
  readonly callLoss = new CallLossLog();
  private readonly clock: Clock;
  private readonly transport: CheckpointTransport;
  private readonly stats = emptyStatistics();
  private readonly auditStats = emptyAuditStatistics();
  private readonly sender: CheckpointSender;
  private readonly receiver: CheckpointReceiver;
  private readonly audit: AuditCoordinator;
  private readonly split: SplitCoordinator;
  private readonly writes: SessionWrites;
  private readonly expiry: ExpirySweeper;
  private readonly schedules: Schedules;
  private readonly listeners = new Listeners<CheckpointEvent>();
  private readonly roleListeners = new Listeners<EngineRole>();
  /** The background walk of the last takeover (takeover.ts). */
  private settling: Promise<void> = Promise.resolve();
  private roleName: EngineRole = 'init';
  private peer: PeerHelloInfo | null = null;
  private closed = false;
  /** Non-null while writes are refused (fenced: stalled or unheard; no witness lease): why. */
  private writeGate: string | null = null;
  /** True while the peer's split hand-over is applied: the write gate does not refuse it. */
  private handoffWrites = false;

  constructor(opts: CheckpointEngineOptions) {
    this.config = resolveCheckpointConfig(opts.config);
    this.clock = opts.clock ?? systemClock;
    this.transport = opts.transport;
    // What a takeover adds to every counter (the store advances them as it settles sessions).
    this.store.records.advanceBy = BigInt(this.config.counterSyncEvery);
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
    this.receiver = new CheckpointReceiver(
      ctx,
      this.auditStats,
      (ready) => {
        if (ready) this.emit({ type: 'checkpoint-standby-ready', at: this.clock.now(), sessions: this.store.size, cause: 'bulk sync applied' });
      },
      (id) => this.split.peerDeleted(id),
    );
    this.audit = new AuditCoordinator(ctx, this.sender, this.auditStats);
    this.split = new SplitCoordinator(
      {
        store: this.store,
        transport: this.transport,
        callLoss: this.callLoss,
        now: () => this.clock.now(),
        emit: (e) => this.emit(e),
        put: (r) => this.applyingHandoff(() => this.writes.putRecord(r)),
        remove: (id) => void this.applyingHandoff(() => this.writes.delete(id)),
        unsynced: () => this.sender.unsynced(),
        unackedChanges: (ids) => this.sender.unackedChanges(ids),
        waitDrain: () => this.sender.waitDrain(),
        holdTable: () => this.receiver.hold(),
      },
      this.stats.split,
    );
    this.writes = new SessionWrites({
      store: this.store,
      clock: this.clock,
      config: this.config,
      sender: this.sender,
      split: this.split,
      checkWritable: () => this.checkWritable(),
    });
    this.expiry = new ExpirySweeper(
      this.store,
      this.clock,
      this.config.expirySweepIntervalMs,
      (s) => this.writes.deleteSession(s),
      () => this.roleName === 'active' && !this.closed,
    );
    this.schedules = new Schedules({
      clock: this.clock,
      config: this.config,
      sender: this.sender,
      auditStats: this.auditStats,
      active: () => this.roleName === 'active',
      closed: () => this.closed,
      audit: () => void this.initiateAudit({ withSync: true, trigger: 'periodic' }).catch(() => undefined),
    });
    this.transport.onDrain(() => this.sender.onDrain());
  }

  get role(): EngineRole {
    return this.roleName;
  }

  /** Standby: bulk sync applied and enough Hellos heard (standby database-recovery). */
  get standbyReady(): boolean {
    return this.roleName === 'standby' && this.receiver.ready;
  }

  // ---- session API (Active, or before any role): writes.ts --------------------------------

  private checkWritable(): void {
    if (this.closed) throw new CheckpointError('SRP_ERR_CHECKPOINT_CLOSED', 'engine closed');
    if (this.roleName === 'standby') throw new CheckpointError('SRP_ERR_CHECKPOINT_ROLE', 'sessions are read-only on the Standby');
    if (this.writeGate !== null && !this.handoffWrites) throw new CheckpointError('SRP_ERR_CHECKPOINT_FENCED', this.writeGate);
  }

  /**
   * Runs a write of the peer's split hand-over. The write gate (fencing, the witness lease)
   * holds clients' writes back; the hand-over is writes the peer acknowledged while apart, and
   * arrives just as the two meet again, when this chassis may still be fenced for a moment (its
   * peer's Hellos still say it does not hear us). Refused, they would wait for a resend.
   */
  private applyingHandoff<T>(fn: () => T): T {
    this.handoffWrites = true;
    try {
      return fn();
    } finally {
      this.handoffWrites = false;
    }
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

  /** Creates (or replaces) a session. */
  create(input: SessionInput): SessionView {
    return this.writes.create(input);
  }

  /** Creates the session if absent, else merges attrs and refreshes its lifetime. */
  upsert(input: SessionInput): SessionView {
    return this.writes.upsert(input);
  }

  /**
   * Merges attrs (null removes one), raises counters (as raiseCounters) and restarts the
   * lifetime (optionally a new one) as one change: one version, one pending checkpoint. The
   * session API's upsert of an existing session. `ref`: the id, or the session's handle as
   * `lookup()` returned it.
   */
  update(
    ref: string | SessionHandle,
    patch: { attrs?: Record<string, string | null> | undefined; lifetimeMs?: number | undefined; counters?: Readonly<Record<string, bigint>> | undefined },
  ): void {
    this.writes.update(typeof ref === 'string' ? ref : fromHandle(ref), patch);
  }

  /** Sets attributes; a null value removes the attribute. */
  updateAttrs(id: string, patch: Record<string, string | null>): void {
    this.writes.updateAttrs(id, patch);
  }

  /**
   * Adds to a counter; replicated only when it crosses a multiple of counter-sync-every.
   * `ref`: the id, or the session's handle.
   */
  incrementCounter(ref: string | SessionHandle, name: string, by: bigint = 1n): bigint {
    return this.writes.incrementCounter(typeof ref === 'string' ? ref : fromHandle(ref), name, by);
  }

  /**
   * Raises counters to the given values as one change (a counter already at or above its value
   * stays: counters only move up); replicated as incrementCounter. `ref`: the id, or the
   * session's handle.
   */
  raiseCounters(ref: string | SessionHandle, values: Readonly<Record<string, bigint>>): void {
    this.writes.raiseCounters(typeof ref === 'string' ? ref : fromHandle(ref), values);
  }

  /** Restarts the session's lifetime (optionally a new one) from now. */
  refresh(id: string, lifetimeMs?: number): void {
    this.writes.refresh(id, lifetimeMs);
  }

  delete(id: string): boolean {
    return this.writes.delete(id);
  }

  /** A snapshot of the session (a copy: later changes do not show in it). */
  get(id: string): SessionView | undefined {
    const s = this.store.get(id);
    return s ? toView(s) : undefined;
  }

  /** The session's handle, to read it (handle.ts) or change it without a second lookup. */
  lookup(id: string): SessionHandle | undefined {
    const s = this.store.get(id);
    return s ? toHandle(s) : undefined;
  }

  /** Sessions in the table. */
  get size(): number {
    return this.store.size;
  }

  /** Sessions old enough to be replicated (the replicated set). */
  get eligibleCount(): number {
    return this.store.eligibleCount;
  }

  /** Where a Standby keeps its sessions packed, off the JS heap (table/arena.ts). */
  arenaStats(): ArenaStats {
    return this.store.records.arena.stats();
  }

  /**
   * Counts and the audit's digest of the replicated table (ids and versions, kept up to date at
   * every change: free to read). For content, see contentSummary().
   */
  summary(): TableSummary {
    return { count: this.store.size, eligible: this.store.eligibleCount, digest: this.store.digest() };
  }

  /**
   * `GET /v1/sessions/summary`: counts and the content digest (table/content.ts): equal digests
   * on both sides mean equal replicated tables, attributes, counters, lifetimes and classes
   * included. Computed in slices (about a second per million sessions), after the merge of an
   * own hand-over being taken back, if one is going on (seconds per million): the digest is of
   * the table that merge leaves, not of a table half merged.
   */
  async contentSummary(): Promise<TableSummary & { versionDigest: string }> {
    await this.split.reclaimDone;
    const versionDigest = this.store.digest();
    const { digest } = await contentDigest(this.store, this.config.counterSyncEvery);
    return { count: this.store.size, eligible: this.store.eligibleCount, digest, versionDigest };
  }

  // ---- roles ------------------------------------------------------------------------------

  onRoleChange(listener: (role: EngineRole) => void): () => void {
    return this.roleListeners.add(listener);
  }

  private setRole(role: EngineRole): void {
    if (this.roleName === role) return;
    this.roleName = role;
    this.stats.role = role;
    this.roleListeners.emit(role);
  }

  /**
   * Takeover (or first start as Active). Applies everything received, then - when this
   * chassis was Standby - takes the table over (every counter advances by counter-sync-every,
   * so no sequence number is ever reused; every lifetime restarts in full), records call loss,
   * and returns. The table is taken over lazily (takeover.ts): `settled()` resolves when every
   * session is. Session versions are kept, so the table digest equals the old Active's when
   * nothing was lost.
   */
  async becomeActive(opts: { cause?: string } = {}): Promise<TakeoverResult> {
    const started = this.clock.now();
    if (this.roleName === 'active') return { recovered: this.store.size, durationMs: 0, callLoss: null };
    const wasStandby = this.roleName === 'standby';
    await this.receiver.drain();
    this.receiver.abandonMacro();
    this.receiver.reset();
    let callLoss: CallLossRecord | null = null;
    // Our own hand-over, if the peer never took it and we took its table since: merged into
    // this table (reclaim), judged by the sessions' last writes before the takeover.
    const reclaiming = wasStandby && this.split.reclaim();
    if (wasStandby) {
      // Serves at once: the table is settled as it is used and, for the rest, in the background.
      this.settling = takeOverTable(this.store, this.clock.now(), { keepPriorWrites: reclaiming, done: () => this.split.reclaimDone });
      if (this.peer) {
        callLoss = callLossOf(this.peer, this.store.size, this.clock.now(), opts.cause ?? 'takeover');
        this.callLoss.record(callLoss);
        this.emit({ type: 'checkpoint-call-loss', at: callLoss.at, expected: callLoss.expected, recovered: callLoss.recovered, cause: callLoss.cause });
      }
    }
    this.setRole('active');
    // Until a Standby holds this table, what this Active acknowledges is recorded for a
    // hand-over: the old Active may still be alive (a partition), and may win when they meet.
    this.split.record();
    this.split.startReclaim();
    this.expiry.arm();
    this.schedules.armAudit();
    return { recovered: this.store.size, durationMs: this.clock.now() - started, callLoss };
  }

  /** Resolves when the last takeover has settled every session (tests, benches). */
  settled(): Promise<void> {
    return this.settling;
  }

  becomeStandby(): void {
    this.split.finishReclaim(); // merged while still Active: the peer gets it in our checkpoints
    this.split.synced(); // a Standby acknowledges nothing; its journal went into a hand-over, if any
    this.writeGate = null;
    this.sender.resume();
    this.sender.detach('became standby', 'stepped-down');
    this.audit.abort('became standby');
    this.stopActiveTimers();
    this.writes.eligibility.clear();
    this.receiver.reset();
    this.setRole('standby');
  }

  /**
   * Active: a Standby came up on the link; bulk sync starts now. `peerEmpty`: its table is
   * empty (a Standby that just started, as its Hellos say): during the bulk sync a change to a
   * session the stream has not reached yet goes in that session's chunk only, not also in a
   * micro batch before it. Leave it false for a peer that may hold an older copy of the table:
   * its copy of such a session would miss the change until the chunk comes.
   */
  peerJoined(opts: { peerEmpty?: boolean } = {}): void {
    if (this.roleName !== 'active') return;
    this.sender.attach(opts.peerEmpty === true);
    this.schedules.armPeriodic();
  }

  /**
   * Active: the peer is no longer heard (it may be dead, or cut off while the link still looks
   * up): what it had not acknowledged may never reach it, so record it, and every change from
   * now on, until a Standby has our table again (as linkDown does, with the link kept).
   */
  peerLost(): void {
    if (this.roleName === 'active') this.split.record(true);
  }

  linkDown(): void {
    // What the peer had not acknowledged may be lost with the link: record it, and everything
    // from now on, until a Standby has our table again.
    if (this.roleName === 'active') this.split.record(true);
    this.sender.detach('link down');
    this.audit.abort('link down');
    this.receiver.reset();
    this.schedules.stopPeriodic();
  }

  /** Every Hello from the peer: its session counts (call loss) and, on Standby, readiness. */
  peerHello(h: PeerHelloInfo): void {
    this.peer = { sessionCount: h.sessionCount, eligibleCount: h.eligibleCount };
    if (this.roleName !== 'active') this.receiver.helloReceived();
    else if (h.standbyReady === true) this.split.peerReady();
  }

  /** What this chassis puts in its own Hello. */
  helloFields(): { sessionCount: number; eligibleCount: number; standbyReady: boolean } {
    return { sessionCount: this.store.size, eligibleCount: this.store.eligibleCount, standbyReady: this.standbyReady };
  }

  private stopActiveTimers(): void {
    this.expiry.stop();
    this.schedules.stop();
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
        if (this.roleName !== 'active') {
          this.split.tableFromPeer();
          this.receiver.enqueue(msg);
        }
    }
  }

  /**
   * This Active steps down for a peer that is Active too (split brain healed, or it was fenced):
   * captures what the peer may lack for a hand-over, before the table is given up. Call it
   * before becomeStandby(), then sendHandoff() whenever the link is up until it is acknowledged.
   * The hand-over is pending from the call on; the promise resolves once its records are copied
   * (in slices: the peer's checkpoints wait meanwhile), with null when there is nothing to hand
   * over.
   */
  captureHandoff(epoch: number): Promise<Handoff | null> {
    return this.roleName === 'active' ? this.split.capture(epoch) : Promise.resolve(null);
  }

  /** Sends the captured hand-over, if one waits for the peer's acknowledgement. */
  sendHandoff(): void {
    this.split.send();
  }

  get handoffPending(): boolean {
    return this.split.pendingHandoff;
  }

  /** Critical flush (planned switchover): every pending change sent and acknowledged. */
  async flush(): Promise<void> {
    await this.split.reclaimDone; // an own hand-over being taken back is part of the table
    return this.sender.flush();
  }

  /**
   * Sends the pending micro-checkpoints now instead of after the batch delay (a few ms): for a
   * caller that has just made many changes in one turn, such as one API call of many ops.
   */
  sendPending(): void {
    this.sender.sendPending();
  }

  /**
   * The session API's replicated acknowledgement: resolves `replicated` once the Standby has
   * acknowledged every change made so far on this Active (the write just applied included),
   * or with why not (`no-standby`, `link-down`, `stepped-down`, `apply-failed`, `timeout` after `timeoutMs`,
   * by default the config's writeAckTimeoutMs). The changes stay applied here either way.
   */
  whenReplicated(timeoutMs = this.config.writeAckTimeoutMs): Promise<ReplicationOutcome> {
    return this.sender.whenReplicated(timeoutMs);
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
    return this.listeners.add(listener);
  }

  private emit(e: CheckpointEvent): void {
    // A bulk sync the Standby acknowledged: it holds our table, nothing more to record.
    if (e.type === 'checkpoint-macro-end' && e.ok && e.reason === 'bulk-sync' && this.roleName === 'active') this.split.bulkSynced();
    this.listeners.emit(e);
  }

  close(): void {
    this.closed = true;
    this.split.abandonReclaim();
    this.sender.detach('closed');
    this.audit.abort('closed');
    this.stopActiveTimers();
    this.writes.eligibility.clear();
  }
}
