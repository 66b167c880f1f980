import { MicroCommand } from './commands.js';
import { AUDIT_BUCKETS, RECOVERY_HELLOS } from './config.js';
import type {
  AuditReport,
  AuditRequest,
  CheckpointMessage,
  MacroCheckpointBegin,
  MacroCheckpointChunk,
  MacroCheckpointEnd,
  MicroCheckpoint,
  MicroCheckpointBatch,
  SessionClassName,
  SessionRecord,
} from './messages.js';
import { NackKind } from './messages.js';
import type { NackKind as WireNackKind } from '@srp-ha/wire';
import { NackLimiter } from './nack.js';
import { PayloadReader } from './payload.js';
import type { EngineContext } from './context.js';
import { bumpCommand, type AuditStatistics } from './stats.js';
import type { Session } from './table/session.js';
import { classFromWire } from './table/view.js';

interface MacroState {
  snapshotId: number;
  reason: string;
  gen: number;
  scope: Set<number> | null;
  nextChunk: number;
  startedAt: number;
  failed: string | null;
  expected: number;
}

export type ApplyOutcome = 'applied' | 'stale' | 'failed';

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
/**
 * Work slice before yielding to the event loop, in real milliseconds. 2 ms, like the link's
 * decoding slice: both run in the same loop turn (one socket read decoded, then the queue), and
 * a scavenge of the bulk sync (10-20 ms on a busy 2-core box) lands on top of both. The
 * Standby's event-loop delay p99 during a 1M bulk sync was 29-30 ms with 8 ms slices, 21-23
 * with 4, and 13-20 ms with 4 against 12-16 with 2 on 2026-12-03 (packages/checkpoint/README.md).
 */
const SLICE_MS = 2;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The Standby side. Applies checkpoints strictly in arrival order from one queue, in time
 * slices that yield to the event loop, checks versions, and NACKs what it cannot apply.
 *
 * Version rule: an item whose version is not newer than the local copy is stale and dropped
 * (not a failure). During a macro, a session that the snapshot has not confirmed yet may hold
 * a version from a previous Active, so the version check is skipped for it: the stream is
 * authoritative.
 */
export class CheckpointReceiver {
  private queue: CheckpointMessage[] = [];
  private head = 0;
  private running = false;
  private drainWaiters: (() => void)[] = [];
  private lastAppliedSeq = 0;
  private lastAckSent = 0;
  private macro: MacroState | null = null;
  private macroGen = 0;
  private pendingAuditScope: Set<number> | null = null;
  private readonly limiter: NackLimiter;
  private readonly nackDisabled = new Set<number>();
  private injectFailures = 0;
  /** Reused for every micro item (no reader and Buffer view allocated per item). */
  private readonly reader = new PayloadReader();
  private bulkSyncApplied = false;
  private hellos = 0;
  private readyFlag = false;
  /** Micro items that failed to apply since start (told to the Active in every ack). */
  private failedItems = 0;
  /** An item failed since the last full macro: the table may differ from the Active's. */
  private diverged = false;

  constructor(
    private readonly ctx: EngineContext,
    private readonly auditStats: AuditStatistics,
    private readonly onReadyChange: (ready: boolean) => void,
  ) {
    this.limiter = new NackLimiter(ctx.config.nackMaxResponse);
  }

  get ready(): boolean {
    return this.readyFlag;
  }

  get nackBudgetUsed(): number {
    return this.limiter.used;
  }

  get disabledNackCommands(): number[] {
    return [...this.nackDisabled].sort((a, b) => a - b);
  }

  get macroInProgress(): boolean {
    return this.macro !== null;
  }

  setNackEnabled(commandId: number, enabled: boolean): void {
    if (enabled) this.nackDisabled.delete(commandId);
    else this.nackDisabled.add(commandId);
  }

  /** Fault injection: the next `count` micro items fail to apply (as if corrupt). */
  injectApplyFailure(count = 1): void {
    this.injectFailures += count;
  }

  /** A Hello from the Active arrived (database-recovery counts them). */
  helloReceived(): void {
    this.hellos++;
    this.updateReady();
  }

  /** Link down or role change: readiness starts over; a half-received macro is abandoned. */
  reset(): void {
    this.hellos = 0;
    this.bulkSyncApplied = false;
    this.diverged = false;
    this.lastAppliedSeq = 0;
    this.lastAckSent = 0;
    this.pendingAuditScope = null;
    this.updateReady();
  }

  /** Abandons a macro that will never end (takeover): keeps everything received so far. */
  abandonMacro(): void {
    this.macro = null;
    this.ctx.stats.macro.inProgress = false;
  }

  private updateReady(): void {
    // A table that may differ from the Active's (an item failed to apply) is not ready until a
    // full macro has made it equal again: the Active learns it from our Hellos and acks.
    const ready = this.bulkSyncApplied && !this.diverged && this.hellos >= RECOVERY_HELLOS[this.ctx.config.databaseRecovery];
    if (ready === this.readyFlag) return;
    this.readyFlag = ready;
    this.onReadyChange(ready);
  }

  enqueue(msg: CheckpointMessage): void {
    this.queue.push(msg);
    if (!this.running) void this.run();
  }

  /** Resolves once everything received so far is applied. */
  drain(): Promise<void> {
    if (!this.running && this.head >= this.queue.length) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      let sliceStart = performance.now();
      while (this.head < this.queue.length) {
        const msg = this.queue[this.head];
        this.queue[this.head++] = undefined as unknown as CheckpointMessage;
        if (this.head > 1024 && this.head * 2 > this.queue.length) {
          this.queue = this.queue.slice(this.head);
          this.head = 0;
        }
        try {
          if (msg.kind === 'macroCheckpointEnd') await this.onEnd(msg.body);
          else if (msg.kind === 'macroCheckpointChunk') sliceStart = await this.onChunk(msg.body, sliceStart);
          else this.process(msg);
        } catch (err) {
          // Nothing the peer sends may throw past here; count it as a failed apply.
          this.ctx.stats.micro.failed++;
          this.nack(NackKind.Macro, 0, '', `receiver error: ${(err as Error).message}`, 0);
        }
        // Applied (or refused): nothing of the message is used after this; its buffer may be reused.
        this.ctx.transport.release?.(msg);
        // Acked when the queue has run empty, and before each yield: with batches still
        // queued, the queue may not run empty for a while, and the Active's lag counts until
        // the ack.
        const sliceOver = performance.now() - sliceStart > SLICE_MS;
        if (sliceOver || this.head >= this.queue.length) this.maybeAck(true);
        if (sliceOver) {
          await yieldToLoop();
          sliceStart = performance.now();
        }
      }
    } finally {
      this.queue = [];
      this.head = 0;
      this.running = false;
      const w = this.drainWaiters;
      this.drainWaiters = [];
      for (const fn of w) fn();
    }
  }

  private process(msg: CheckpointMessage): void {
    switch (msg.kind) {
      case 'microCheckpointBatch':
        return this.onBatch(msg.body);
      case 'macroCheckpointBegin':
        return this.onBegin(msg.body);
      case 'auditRequest':
        return this.onAuditRequest(msg.body);
      case 'auditReport':
        return this.onAuditReport(msg.body);
      default:
        return;
    }
  }

  private maybeAck(force: boolean): void {
    if (this.lastAppliedSeq > this.lastAckSent && (force || this.lastAppliedSeq - this.lastAckSent >= 16)) {
      this.lastAckSent = this.lastAppliedSeq;
      this.ctx.transport.send({ kind: 'checkpointAck', body: { upToSequence: this.lastAppliedSeq, snapshotId: 0, failedItems: this.failedItems } });
    }
  }

  // ---- micro ----------------------------------------------------------------------------

  private onBatch(b: MicroCheckpointBatch): void {
    const { stats } = this.ctx;
    stats.micro.batchesReceived++;
    stats.micro.received += b.items.length;
    for (const it of b.items) {
      const outcome = this.applyItem(it);
      if (outcome === 'applied') {
        stats.micro.applied++;
        bumpCommand(stats, it.commandId, 'applied');
      } else if (outcome === 'stale') {
        stats.micro.stale++;
      }
    }
    if (b.batchSequence > this.lastAppliedSeq) this.lastAppliedSeq = b.batchSequence;
    this.maybeAck(false);
  }

  private fail(it: MicroCheckpoint, reason: string): ApplyOutcome {
    this.ctx.stats.micro.failed++;
    this.failedItems++;
    if (!this.diverged) {
      this.diverged = true;
      this.updateReady();
    }
    bumpCommand(this.ctx.stats, it.commandId, 'failed');
    if (this.ctx.config.nackMicro && !this.nackDisabled.has(it.commandId)) {
      this.nack(NackKind.Micro, it.commandId, it.sessionId, reason, this.lastAppliedSeq + 1);
    } else {
      this.ctx.stats.nacks.suppressed++;
      this.ctx.emit({ type: 'checkpoint-nack-suppressed', at: this.ctx.clock.now(), kind: 'micro', commandId: it.commandId, cause: `nack disabled: ${reason}` });
    }
    return 'failed';
  }

  private nack(kind: WireNackKind, commandId: number, sessionId: string, reason: string, sequence: number): void {
    const now = this.ctx.clock.now();
    const kindName = kind === NackKind.Macro ? 'macro' : 'micro';
    if (kind === NackKind.Macro && !this.ctx.config.nackMacro) {
      this.ctx.stats.nacks.suppressed++;
      return;
    }
    if (!this.limiter.tryConsume(now)) {
      this.ctx.stats.nacks.suppressed++;
      this.ctx.emit({ type: 'checkpoint-nack-suppressed', at: now, kind: kindName, commandId, cause: `max-response reached: ${reason}` });
      return;
    }
    this.ctx.stats.nacks.sent++;
    this.ctx.transport.send({ kind: 'nack', body: { kind, commandId, sessionId, reason, sequence } });
    this.ctx.emit({ type: 'checkpoint-nack-sent', at: now, kind: kindName, commandId, sessionId, cause: reason });
  }

  private isUnconfirmed(s: Session): boolean {
    const m = this.macro;
    return m !== null && s.mark !== m.gen && (m.scope === null || m.scope.has(s.bucket));
  }

  /** Applies one micro item with the version rule; exported for tests through applyItem. */
  applyItem(it: MicroCheckpoint): ApplyOutcome {
    if (this.injectFailures > 0) {
      this.injectFailures--;
      return this.fail(it, 'injected apply failure');
    }
    const { store } = this.ctx;
    const { records } = store;
    const s = store.get(it.sessionId);
    if (s && !this.isUnconfirmed(s) && it.version <= s.version) return 'stale';
    try {
      const r = this.reader.reset(it.payload);
      switch (it.commandId) {
        case MicroCommand.SessionFull: {
          r.check('full');
          const cls = classFromWire(r.u8());
          const createdAt = r.varint();
          const lifetimeMs = r.varint();
          const expiresAt = r.varint();
          // Attributes and counters go into the arena as they came (table/packed.ts),
          // unless they are too large for it.
          const aStart = r.offset;
          const t = this.put(s, it.sessionId, cls, createdAt, lifetimeMs, expiresAt, it.version);
          const p = it.payload;
          const aEnd = r.skipAttrs().offset;
          if (!records.pack(t, p, aStart, aEnd, p, aEnd, p.length)) records.setObjects(t, r.seek(aStart).attrs(), r.counters());
          return 'applied';
        }
        case MicroCommand.AttrsUpdate: {
          if (!s) return this.fail(it, 'attrs update for an unknown session');
          r.check('attrs');
          if (!records.packAttrs(s, it.payload, 0, it.payload.length)) s.attrs = r.attrs();
          break;
        }
        case MicroCommand.CountersSync: {
          if (!s) return this.fail(it, 'counters for an unknown session');
          r.check('counters');
          if (!records.packCounters(s, it.payload, 0, it.payload.length)) s.counters = r.counters();
          break;
        }
        case MicroCommand.LifetimeRefresh: {
          if (!s) return this.fail(it, 'lifetime refresh for an unknown session');
          r.check('lifetime');
          s.lifetimeMs = r.varint();
          s.expiresAt = r.varint();
          break;
        }
        case MicroCommand.AttrsLifetime: {
          if (!s) return this.fail(it, 'attrs and lifetime for an unknown session');
          r.check('attrs-lifetime');
          s.lifetimeMs = r.varint();
          s.expiresAt = r.varint();
          const aStart = r.offset;
          if (!records.packAttrs(s, it.payload, aStart, it.payload.length)) s.attrs = r.attrs();
          break;
        }
        case MicroCommand.SessionDelete:
          if (!s) return 'stale';
          store.remove(it.sessionId);
          return 'applied';
        default:
          return this.fail(it, `unknown micro-checkpoint command ${it.commandId}`);
      }
      store.setVersion(s, it.version);
      return 'applied';
    } catch (err) {
      return this.fail(it, (err as Error).message);
    }
  }

  /** A session record of a macro chunk, applied whole. */
  private upsert(r: SessionRecord): void {
    const { store } = this.ctx;
    const s = this.put(store.get(r.id), r.id, classFromWire(r.sessionClass), r.createdAtMs, r.lifetimeMs, r.expiresAtMs, r.version);
    store.records.set(s, r.attrs, r.counters);
  }

  /**
   * Sets a session's state but its attributes and counters (`s`: the table's session of `id`,
   * as the caller just looked it up; undefined: absent, inserted without a second lookup),
   * confirmed by the current macro. The caller sets those at once (store.records).
   */
  private put(s: Session | undefined, id: string, cls: SessionClassName, createdAt: number, lifetimeMs: number, expiresAt: number, version: number): Session {
    const { store } = this.ctx;
    if (s) {
      s.cls = cls;
      s.createdAt = createdAt;
      s.lifetimeMs = lifetimeMs;
      s.expiresAt = expiresAt;
      store.setVersion(s, version);
    } else {
      s = store.insert(id, cls, createdAt, lifetimeMs, expiresAt, null, null, version);
    }
    store.markEligible(s);
    s.mark = this.macroGen;
    return s;
  }

  // ---- macro ----------------------------------------------------------------------------

  private onBegin(b: MacroCheckpointBegin): void {
    this.ctx.stats.macro.received++;
    this.ctx.stats.macro.inProgress = true;
    const gen = ++this.macroGen;
    this.macro = {
      snapshotId: b.snapshotId,
      reason: b.reason,
      gen,
      scope: b.reason === 'audit' ? this.pendingAuditScope : null,
      nextChunk: 1,
      startedAt: this.ctx.clock.now(),
      failed: null,
      expected: b.sessionCount,
    };
    this.pendingAuditScope = null;
    this.ctx.emit({ type: 'checkpoint-macro-begin', at: this.ctx.clock.now(), snapshotId: b.snapshotId, reason: b.reason, sessions: b.sessionCount, cause: 'received' });
  }

  /**
   * Applies a chunk in slices: yields to the event loop whenever the current slice (started at
   * `sliceStart`) has run SLICE_MS, so a 1000-session chunk never holds the loop for long.
   * Returns the start of the slice in progress. Nothing else is applied meanwhile (one queue).
   */
  private async onChunk(c: MacroCheckpointChunk, sliceStart: number): Promise<number> {
    const m = this.macro;
    if (!m || m.snapshotId !== c.snapshotId) {
      this.ctx.stats.macro.failed++;
      this.nack(NackKind.Macro, 0, '', `chunk of unknown snapshot ${c.snapshotId}`, c.snapshotId);
      return sliceStart;
    }
    if (m.failed) return sliceStart;
    if (c.chunkSequence !== m.nextChunk) {
      m.failed = `chunk ${c.chunkSequence} out of sequence, expected ${m.nextChunk}`;
      return sliceStart;
    }
    m.nextChunk++;
    const rs = c.sessions;
    for (let i = 0; i < rs.length; i++) {
      // A received chunk decodes record i only now (wire's macro-chunk.ts).
      this.upsert(rs.at(i) as SessionRecord);
      if ((i & 63) === 63 && performance.now() - sliceStart > SLICE_MS) {
        await yieldToLoop();
        if (this.macro !== m) return performance.now(); // abandoned (takeover)
        sliceStart = performance.now();
      }
    }
    return sliceStart;
  }

  private async onEnd(e: MacroCheckpointEnd): Promise<void> {
    const m = this.macro;
    const { store, stats, clock } = this.ctx;
    if (!m || m.snapshotId !== e.snapshotId) {
      stats.macro.failed++;
      this.nack(NackKind.Macro, 0, '', `end of unknown snapshot ${e.snapshotId}`, e.snapshotId);
      return;
    }
    if (!m.failed && e.chunkCount !== m.nextChunk - 1) m.failed = `expected ${e.chunkCount} chunks, got ${m.nextChunk - 1}`;
    // Whatever the snapshot did not confirm is gone on the Active.
    const doomed: string[] = [];
    let n = 0;
    let sliceStart = performance.now();
    for (const s of store.values()) {
      if (this.macro !== m) return; // abandoned (takeover)
      if (s.mark !== m.gen && (m.scope === null || m.scope.has(s.bucket))) doomed.push(s.id);
      if (++n % 4096 === 0 && performance.now() - sliceStart > SLICE_MS) {
        await yieldToLoop();
        sliceStart = performance.now();
      }
    }
    if (this.macro !== m) return;
    for (const id of doomed) store.remove(id);
    this.macro = null;
    stats.macro.inProgress = false;
    if (!m.failed && store.eligibleCount !== e.sessionCount) m.failed = `session count ${store.eligibleCount} != ${e.sessionCount}`;
    if (!m.failed && !sameBytes(store.digestBytes(), e.digest)) m.failed = 'table digest differs after apply';
    const now = clock.now();
    const durationMs = now - m.startedAt;
    if (m.failed) {
      stats.macro.failed++;
      this.nack(NackKind.Macro, 0, '', m.failed, e.snapshotId);
    } else {
      stats.macro.applied++;
      stats.macro.lastAt = now;
      stats.macro.lastDurationMs = durationMs;
      stats.macro.lastReason = m.reason;
      stats.macro.lastSessions = store.eligibleCount;
      this.limiter.reset();
      if (m.reason !== 'audit') {
        this.bulkSyncApplied = true;
        this.diverged = false;
      }
      this.ctx.observer.macroCompleted?.(durationMs / 1000, m.reason, store.eligibleCount);
    }
    this.ctx.emit({ type: 'checkpoint-macro-end', at: now, snapshotId: e.snapshotId, reason: m.reason, ok: !m.failed, durationMs, cause: m.failed ?? 'applied' });
    this.lastAckSent = this.lastAppliedSeq;
    this.ctx.transport.send({ kind: 'checkpointAck', body: { upToSequence: this.lastAppliedSeq, snapshotId: e.snapshotId, failedItems: this.failedItems } });
    this.updateReady();
  }

  // ---- audit ----------------------------------------------------------------------------

  private onAuditRequest(a: AuditRequest): void {
    const { store } = this.ctx;
    if (a.bucketCount !== AUDIT_BUCKETS) {
      this.ctx.transport.send({ kind: 'auditBucketDigests', body: { auditId: a.auditId, buckets: [] } });
      return;
    }
    const buckets = [];
    for (let b = 0; b < AUDIT_BUCKETS; b++) buckets.push({ bucket: b, digest: store.bucketDigest(b), sessionCount: store.bucketCount(b) });
    this.ctx.transport.send({ kind: 'auditBucketDigests', body: { auditId: a.auditId, buckets } });
  }

  private onAuditReport(r: AuditReport): void {
    const st = this.auditStats;
    st.runs++;
    st.lastRunAt = this.ctx.clock.now();
    st.lastDifferingBuckets = [...r.differingBuckets];
    st.bucketsCompared += AUDIT_BUCKETS;
    st.bucketsDiffering += r.differingBuckets.length;
    st.sessionsCompared += r.sessionsCompared;
    st.sessionsResynced += r.sessionsResynced;
    if (r.withSync && r.differingBuckets.length > 0) this.pendingAuditScope = new Set(r.differingBuckets);
  }
}
