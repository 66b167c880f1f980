import type { Clock } from './clock.js';
import { MicroCommand } from './commands.js';
import type { CheckpointConfig } from './config.js';
import { CheckpointError } from './errors.js';
import type { CheckpointAck, CheckpointMessage, CheckpointTransport, MacroReason, MicroCheckpoint, SessionRecord } from './messages.js';
import { PayloadWriter } from './payload.js';
import { bumpCommand, type CheckpointEvent, type CheckpointObserver, type CheckpointStatistics } from './stats.js';
import { F_COUNTERS_UNSYNCED, F_QUEUED, type Session } from './table/session.js';
import type { SessionStore } from './table/store.js';
import { classToWire, toRecord } from './table/view.js';

/** Aspects of a session waiting to be sent (bit set in the coalescing map). */
export const M_ATTRS = 1;
export const M_COUNTERS = 2;
export const M_LIFETIME = 4;
export const M_FULL = 8;
export const M_DELETE = 16;
/** Attrs changed and the lifetime restarted: one AttrsLifetime item. */
const M_ATTRS_LIFETIME = M_ATTRS | M_LIFETIME;

export interface EngineContext {
  readonly store: SessionStore;
  readonly clock: Clock;
  readonly transport: CheckpointTransport;
  readonly config: CheckpointConfig;
  readonly stats: CheckpointStatistics;
  readonly observer: CheckpointObserver;
  emit(event: CheckpointEvent): void;
}

interface InFlightBatch {
  seq: number;
  oldestChangeAt: number;
  /** The sessions the batch changed and the deletions it carried: unacknowledged until its ack. */
  ids: string[];
  deletes: [string, number][] | null;
}

interface MacroJob {
  reason: MacroReason;
  buckets: Set<number> | null; // null: the whole table
}

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

const EMPTY = new Uint8Array(0);

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The Active side: micro-checkpoint batching with coalescing and a window of unacked
 * batches, and macro-checkpoint streaming.
 *
 * Coalescing: the aspects changed since a session was last sent are a bit set on the session
 * itself (`pendingMask`, 0: nothing to send), and `queue` lists the sessions to visit, each at
 * most once (F_QUEUED). A batch reads the *current* state of a session when it is built, so
 * however slow the link, memory is one queue entry per distinct changed session (entries whose
 * changes went another way, in a macro chunk say, are skipped, and swept out when they pile
 * up). A map of every pending id cost ~180 bytes of garbage and three hash operations per
 * update (set, delete, and the rehash of the map as it grew and shrank with every batch).
 * A deleted session stays queued (mask M_DELETE) with its delete version in `deletes` (by id)
 * until it is sent, or until a re-created session of the same id replaces it.
 *
 * Macro ordering: chunks are read from the live table while micro batches keep flowing
 * between them. A chunk always carries the newest state at the time it is sent; the receiver
 * overwrites unconditionally from chunks and drops at End whatever the snapshot did not
 * confirm. Before End the sender flushes every pending micro change, so End's digest is the
 * digest of exactly what precedes it on the stream.
 */
export class CheckpointSender {
  /** Incremented on every new peer: sessions with sentEpoch !== epoch go in full first. */
  private epoch = 0;
  private attached = false;
  /** Fenced: nothing is sent while set (pending changes wait, coalesced). */
  private paused = false;
  /** Sessions with pendingMask !== 0, and skipped ones (mask 0), from `head` on. */
  private queue: Session[] = [];
  private head = 0;
  /** Sessions with pendingMask !== 0 (deletes included). */
  private pendingCount = 0;
  private readonly deletes = new Map<string, { version: number; at: number; session: Session }>();
  private readonly inFlight: InFlightBatch[] = [];
  private batchSeq = 0;
  private lastAckedSeq = 0;
  private timer: unknown = null;
  private readonly writer = new PayloadWriter();

  private snapshotSeq = 0;
  private readonly macroJobs: MacroJob[] = [];
  private macroRunning = false;
  private macroAwaitingAck: { snapshotId: number; reason: string; startedAt: number; sessions: number } | null = null;
  private abortGen = 0;
  private drainWaiters: (() => void)[] = [];
  private flushWaiters: Waiter[] = [];

  constructor(private readonly ctx: EngineContext) {}

  get isAttached(): boolean {
    return this.attached;
  }

  get pendingSessions(): number {
    return this.pendingCount;
  }

  get pendingDeletes(): number {
    return this.deletes.size;
  }

  get unackedBatches(): number {
    return this.inFlight.length;
  }

  get lastBatchSequence(): number {
    return this.batchSeq;
  }

  get macroInProgress(): boolean {
    return this.macroRunning || this.macroJobs.length > 0 || this.macroAwaitingAck !== null;
  }

  /** A (new) Standby is on the link: forget what was pending, it gets everything in a bulk sync. */
  attach(): void {
    this.detach('new peer');
    this.epoch++;
    this.attached = true;
    this.requestMacro('bulk-sync');
  }

  /** The link is down or we stopped being Active: drop pending state and in-flight work. */
  detach(reason = 'link down'): void {
    this.attached = false;
    this.abortGen++;
    for (let i = this.head; i < this.queue.length; i++) {
      const s = this.queue[i];
      s.pendingMask = 0;
      s.flags &= ~F_QUEUED;
    }
    this.queue = [];
    this.head = 0;
    this.pendingCount = 0;
    this.deletes.clear();
    this.inFlight.length = 0;
    this.macroJobs.length = 0;
    this.macroAwaitingAck = null;
    this.ctx.stats.macro.inProgress = false;
    if (this.timer !== null) {
      this.ctx.clock.clearTimeout(this.timer);
      this.timer = null;
    }
    this.wakeDrainWaiters();
    const waiters = this.flushWaiters;
    this.flushWaiters = [];
    for (const w of waiters) w.reject(new CheckpointError('SRP_ERR_CHECKPOINT_LINK_DOWN', `checkpoint flush aborted: ${reason}`));
  }

  /** Sends nothing until resume(): pending changes wait (coalesced as always). */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.wakeDrainWaiters();
    this.pump(false);
  }

  /**
   * What the peer may not hold yet: sessions with a pending change or in a batch not yet
   * acknowledged, and deletions likewise (with their versions).
   */
  unsynced(): { ids: string[]; deletes: [string, number][] } {
    const ids: string[] = [];
    const deletes: [string, number][] = [];
    for (let i = this.head; i < this.queue.length; i++) {
      const s = this.queue[i];
      if (s && s.pendingMask !== 0 && !(s.pendingMask & M_DELETE)) ids.push(s.id);
    }
    for (const [id, d] of this.deletes) deletes.push([id, d.version]);
    for (const b of this.inFlight) {
      for (const id of b.ids) ids.push(id);
      if (b.deletes) for (const d of b.deletes) deletes.push(d);
    }
    return { ids, deletes };
  }

  onDrain(): void {
    this.wakeDrainWaiters();
    this.pump(false);
  }

  private wakeDrainWaiters(): void {
    const w = this.drainWaiters;
    this.drainWaiters = [];
    for (const fn of w) fn();
  }

  // ---- micro checkpoints ----------------------------------------------------------------

  /** A replicated aspect of an eligible session changed (or it just became eligible: M_FULL). */
  noteChange(s: Session, aspects: number): void {
    if (!this.attached || !s.eligible) return;
    s.changedAt = this.ctx.clock.now();
    if (s.pendingMask !== 0) {
      // Already pending: fold the aspects in.
      this.ctx.stats.micro.coalesced++;
      s.pendingMask |= aspects;
    } else {
      const d = this.deletes.size > 0 ? this.deletes.get(s.id) : undefined;
      if (d !== undefined) {
        // A delete followed by a re-create: the peer needs the full new session instead, and
        // holds a session of this id (so a delete of the new one before it is sent must go).
        this.ctx.stats.micro.coalesced++;
        this.unpend(d.session);
        this.deletes.delete(s.id);
        s.sentEpoch = this.epoch;
        aspects = M_FULL;
      }
      this.enqueue(s, aspects);
    }
    this.schedule();
  }

  noteDelete(s: Session, version: number): void {
    if (!this.attached) return;
    if (s.sentEpoch !== this.epoch) {
      // The peer never had it (or gets it from a chunk that will no longer find it).
      this.unpend(s);
      return;
    }
    if (s.pendingMask !== 0) {
      this.ctx.stats.micro.coalesced++;
      s.pendingMask = M_DELETE;
    } else {
      this.enqueue(s, M_DELETE);
    }
    this.deletes.set(s.id, { version, at: this.ctx.clock.now(), session: s });
    this.schedule();
  }

  private enqueue(s: Session, mask: number): void {
    s.pendingMask = mask;
    this.pendingCount++;
    if (s.flags & F_QUEUED) return; // still queued from before: the entry serves again
    s.flags |= F_QUEUED;
    this.queue.push(s);
    if (this.queue.length - this.head > 2 * this.pendingCount + 4096) this.sweepQueue();
  }

  /** Nothing to send for `s` any more; its queue entry, if any, is skipped when reached. */
  private unpend(s: Session): void {
    if (s.pendingMask === 0) return;
    s.pendingMask = 0;
    this.pendingCount--;
  }

  /**
   * Drops the entries before `head` and the skipped ones: the queue stays within twice the
   * pending sessions.
   */
  private sweepQueue(): void {
    const kept: Session[] = [];
    for (let i = this.head; i < this.queue.length; i++) {
      const s = this.queue[i];
      if (s.pendingMask !== 0) kept.push(s);
      else s.flags &= ~F_QUEUED;
    }
    this.queue = kept;
    this.head = 0;
  }

  private schedule(): void {
    if (this.pendingCount >= this.ctx.config.batchMaxItems) {
      this.pump(false);
      return;
    }
    if (this.timer === null) {
      this.timer = this.ctx.clock.setTimeout(() => {
        this.timer = null;
        this.pump(false);
      }, this.ctx.config.batchDelayMs);
    }
  }

  /** Sends batches while the link takes them and the window allows (force: regardless). */
  pump(force: boolean): void {
    if (!this.attached || this.paused) return;
    const { transport, config } = this.ctx;
    while (this.pendingCount > 0 && (force || (transport.writable && this.inFlight.length < config.maxUnackedBatches))) {
      if (!this.sendBatch()) break;
    }
    if (this.pendingCount > 0 && this.timer === null && transport.writable && this.inFlight.length < config.maxUnackedBatches) this.schedule();
    this.checkFlushed();
  }

  /** One batch from the queue; false when the queue held nothing to send. */
  private sendBatch(): boolean {
    const { stats, config } = this.ctx;
    const items: MicroCheckpoint[] = [];
    const ids: string[] = [];
    let deletes: [string, number][] | null = null;
    let oldest = Infinity;
    const queue = this.queue;
    let head = this.head;
    while (head < queue.length && items.length < config.batchMaxItems) {
      const s = queue[head];
      queue[head++] = undefined as unknown as Session;
      s.flags &= ~F_QUEUED;
      const mask = s.pendingMask;
      if (mask === 0) continue;
      s.pendingMask = 0;
      this.pendingCount--;
      if (mask & M_DELETE) {
        const d = this.deletes.get(s.id);
        if (d === undefined || d.session !== s) continue;
        this.deletes.delete(s.id);
        items.push({ commandId: MicroCommand.SessionDelete, sessionId: s.id, version: d.version, payload: EMPTY });
        (deletes ??= []).push([s.id, d.version]);
        if (d.at < oldest) oldest = d.at;
      } else {
        if (!s.eligible) continue;
        items.push(this.encodeItem(s, mask));
        ids.push(s.id);
        if (s.changedAt < oldest) oldest = s.changedAt;
      }
    }
    this.head = head;
    if (head === queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (head > 4096 && head * 2 > queue.length) {
      this.sweepQueue(); // the sent prefix, and any skipped entries with it
    }
    if (items.length === 0) return this.pendingCount > 0 && this.head < this.queue.length;
    const seq = ++this.batchSeq;
    for (const it of items) bumpCommand(stats, it.commandId, 'sent');
    stats.micro.sent += items.length;
    stats.micro.batchesSent++;
    this.inFlight.push({ seq, oldestChangeAt: oldest, ids, deletes });
    this.send({ kind: 'microCheckpointBatch', body: { batchSequence: seq, items } });
    return true;
  }

  private encodeItem(s: Session, mask: number): MicroCheckpoint {
    const w = this.writer;
    let cmd: number;
    // One aspect, or attrs with the lifetime, has an item of its own; anything else is sent whole.
    const single = mask === M_ATTRS || mask === M_COUNTERS || mask === M_LIFETIME || mask === M_ATTRS_LIFETIME;
    if (!single || s.sentEpoch !== this.epoch) {
      cmd = MicroCommand.SessionFull;
      w.u8(classToWire(s.cls)).varint(s.createdAt).varint(s.lifetimeMs).varint(s.expiresAt);
      this.section(s, false);
      this.section(s, true);
      s.sentEpoch = this.epoch;
      s.flags &= ~F_COUNTERS_UNSYNCED;
    } else if (mask === M_ATTRS) {
      cmd = MicroCommand.AttrsUpdate;
      this.section(s, false);
    } else if (mask === M_ATTRS_LIFETIME) {
      cmd = MicroCommand.AttrsLifetime;
      w.varint(s.lifetimeMs).varint(s.expiresAt);
      this.section(s, false);
    } else if (mask === M_COUNTERS) {
      cmd = MicroCommand.CountersSync;
      this.section(s, true);
      s.flags &= ~F_COUNTERS_UNSYNCED;
    } else {
      cmd = MicroCommand.LifetimeRefresh;
      w.varint(s.lifetimeMs).varint(s.expiresAt);
    }
    return { commandId: cmd, sessionId: s.id, version: s.version, payload: w.take() };
  }

  /** Writes s's attrs or counters section: copied as it is packed, or encoded from objects. */
  private section(s: Session, counters: boolean): void {
    if (s.packed >= 0) this.ctx.store.records.writeSection(s, this.writer, counters);
    else if (counters) this.writer.counters(s.c as Record<string, bigint>);
    else this.writer.attrs(s.a as Record<string, string>);
  }


  private send(msg: CheckpointMessage): void {
    this.ctx.transport.send(msg);
  }

  onAck(ack: CheckpointAck): void {
    const now = this.ctx.clock.now();
    if (ack.failedItems > this.ctx.stats.micro.peerFailed) this.ctx.stats.micro.peerFailed = ack.failedItems;
    if (ack.upToSequence > this.lastAckedSeq) {
      this.lastAckedSeq = ack.upToSequence;
      let n = 0;
      while (n < this.inFlight.length && this.inFlight[n].seq <= ack.upToSequence) {
        const lag = Math.max(0, now - this.inFlight[n].oldestChangeAt);
        const l = this.ctx.stats.replicationLagMs;
        l.last = lag;
        l.max = l.max === null ? lag : Math.max(l.max, lag);
        l.samples++;
        this.ctx.observer.replicationLag?.(lag / 1000);
        n++;
      }
      this.inFlight.splice(0, n);
    }
    const m = this.macroAwaitingAck;
    if (ack.snapshotId !== 0 && m && ack.snapshotId === m.snapshotId) {
      this.macroAwaitingAck = null;
      const { stats } = this.ctx;
      const durationMs = now - m.startedAt;
      stats.macro.lastAt = now;
      stats.macro.lastDurationMs = durationMs;
      stats.macro.lastReason = m.reason;
      stats.macro.lastSessions = m.sessions;
      stats.macro.inProgress = this.macroRunning || this.macroJobs.length > 0;
      this.ctx.observer.macroCompleted?.(durationMs / 1000, m.reason, m.sessions);
      this.ctx.emit({ type: 'checkpoint-macro-end', at: now, snapshotId: m.snapshotId, reason: m.reason, ok: true, durationMs, cause: 'acknowledged by standby' });
    }
    this.pump(false);
  }

  /**
   * Sends the pending changes now rather than at the batch timer: for a caller that has just
   * made a burst of changes in one turn (an API call), which is a batch already.
   */
  sendPending(): void {
    if (this.pendingCount > 0) this.pump(false);
  }

  // ---- critical flush ---------------------------------------------------------------------

  /** Resolves when every pending change (and any macro under way) is sent and acknowledged. */
  flush(): Promise<void> {
    if (!this.attached) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.flushWaiters.push({ resolve, reject });
      this.pump(false);
    });
  }

  private isFlushed(): boolean {
    return this.pendingCount === 0 && this.inFlight.length === 0 && !this.macroInProgress;
  }

  private checkFlushed(): void {
    if (this.flushWaiters.length === 0 || !this.isFlushed()) return;
    const waiters = this.flushWaiters;
    this.flushWaiters = [];
    for (const w of waiters) w.resolve();
  }

  // ---- macro checkpoints ------------------------------------------------------------------

  /** Queues a macro checkpoint; requests of the same kind that are still waiting merge. */
  requestMacro(reason: MacroReason, buckets: Iterable<number> | null = null): void {
    if (!this.attached) return;
    if (this.macroJobs.some((j) => j.buckets === null)) {
      // A full macro is already waiting: it covers this request.
    } else if (buckets === null) {
      // A full macro supersedes waiting bucket resyncs.
      this.macroJobs.length = 0;
      this.macroJobs.push({ reason, buckets: null });
    } else {
      const waiting = this.macroJobs.find((j) => j.buckets !== null);
      if (waiting) for (const b of buckets) waiting.buckets!.add(b);
      else this.macroJobs.push({ reason, buckets: new Set(buckets) });
    }
    this.ctx.stats.macro.inProgress = true;
    if (!this.macroRunning) void this.runMacros();
  }

  private async runMacros(): Promise<void> {
    this.macroRunning = true;
    const gen = this.abortGen;
    try {
      while (this.macroJobs.length > 0 && gen === this.abortGen) {
        const job = this.macroJobs.shift()!;
        await this.stream(job, gen);
      }
    } finally {
      this.macroRunning = false;
      if (gen === this.abortGen) this.ctx.stats.macro.inProgress = this.macroInProgress;
      // Detached and attached again while this loop was suspended (attach() detaches first;
      // a replaced connection or a restarted peer does both in one turn): the new bulk sync
      // was queued behind this loop, which only now has ended.
      else if (this.attached && this.macroJobs.length > 0) void this.runMacros();
      this.checkFlushed();
    }
  }

  private async stream(job: MacroJob, gen: number): Promise<void> {
    const { store, clock, config, stats } = this.ctx;
    const snapshotId = ++this.snapshotSeq;
    const startedAt = clock.now();
    let expected = 0;
    if (job.buckets) for (const b of job.buckets) expected += store.bucketCount(b);
    else expected = store.eligibleCount;
    this.send({
      kind: 'macroCheckpointBegin',
      body: { snapshotId, sessionCount: expected, reason: job.reason, startedAtMs: startedAt, resumeAfterBatch: this.batchSeq },
    });
    this.ctx.emit({ type: 'checkpoint-macro-begin', at: startedAt, snapshotId, reason: job.reason, sessions: expected, cause: job.reason });
    let chunk: SessionRecord[] = [];
    let chunkSeq = 0;
    let sessions = 0;
    const sendChunk = (): void => {
      this.send({ kind: 'macroCheckpointChunk', body: { snapshotId, chunkSequence: ++chunkSeq, sessions: chunk } });
      chunk = [];
    };
    for (const s of store.values()) {
      if (!s.eligible || (job.buckets && !job.buckets.has(s.bucket))) continue;
      chunk.push(toRecord(s));
      s.sentEpoch = this.epoch;
      s.flags &= ~F_COUNTERS_UNSYNCED;
      // The chunk carries its current state: nothing left to send for it.
      this.unpend(s);
      sessions++;
      if (chunk.length >= config.macroChunkSize) {
        sendChunk();
        await yieldToLoop();
        while (gen === this.abortGen && (this.paused || !this.ctx.transport.writable)) await new Promise<void>((r) => this.drainWaiters.push(r));
        if (gen !== this.abortGen) return;
      }
    }
    if (chunk.length > 0) sendChunk();
    // Everything changed so far goes before End, so End's digest describes the stream.
    this.pump(true);
    this.send({
      kind: 'macroCheckpointEnd',
      body: { snapshotId, chunkCount: chunkSeq, sessionCount: store.eligibleCount, digest: store.digestBytes() },
    });
    stats.macro.sent++;
    this.macroAwaitingAck = { snapshotId, reason: job.reason, startedAt, sessions };
  }
}
