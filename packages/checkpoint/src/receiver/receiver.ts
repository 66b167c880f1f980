import { AUDIT_BUCKETS, RECOVERY_HELLOS } from '../config.js';
import type { EngineContext } from '../context.js';
import type { AuditReport, AuditRequest, CheckpointMessage, MicroCheckpoint, MicroCheckpointBatch } from '../messages.js';
import { bumpCommand, type AuditStatistics } from '../stats.js';
import { yieldToLoop } from '../yield.js';
import { MacroApplier } from './apply-macro.js';
import { MicroApplier, type ApplyOutcome } from './apply-micro.js';
import { NackSender } from './nacks.js';
import { SLICE_MS } from './slice.js';

/**
 * The Standby side. Applies checkpoints strictly in arrival order from one queue, in time
 * slices that yield to the event loop, acknowledges them, and tracks readiness: micro items
 * (apply-micro.ts), macro checkpoints (apply-macro.ts), NACKs (nacks.ts), and the Standby's
 * side of an audit.
 */
export class CheckpointReceiver {
  private queue: CheckpointMessage[] = [];
  private head = 0;
  private running = false;
  /** Set while the queue is held (hold()). */
  private gate: Promise<void> | null = null;
  private drainWaiters: (() => void)[] = [];
  private lastAppliedSeq = 0;
  private lastAckSent = 0;
  private readonly nacks: NackSender;
  private readonly macro: MacroApplier;
  private readonly micro: MicroApplier;
  private bulkSyncApplied = false;
  private hellos = 0;
  private readyFlag = false;
  /** Micro items that failed to apply since start (told to the Active in every ack). */
  private failedItems = 0;
  /** An item failed since the last full macro: the table may differ from the Active's. */
  private diverged = false;

  /** `onPeerDelete`: a session delete from the Active (MicroApplier's `deleted`). */
  constructor(
    private readonly ctx: EngineContext,
    private readonly auditStats: AuditStatistics,
    private readonly onReadyChange: (ready: boolean) => void,
    onPeerDelete: (id: string) => void = () => undefined,
  ) {
    this.nacks = new NackSender(ctx);
    this.macro = new MacroApplier(ctx, {
      nacks: this.nacks,
      applied: (reason) => {
        if (reason === 'audit') return;
        this.bulkSyncApplied = true;
        this.diverged = false;
      },
      ackSnapshot: (snapshotId) => {
        this.lastAckSent = this.lastAppliedSeq;
        this.ctx.transport.send({ kind: 'checkpointAck', body: { upToSequence: this.lastAppliedSeq, snapshotId, failedItems: this.failedItems } });
        this.updateReady();
      },
    });
    this.micro = new MicroApplier(ctx, this.macro, (it, reason) => this.fail(it, reason), onPeerDelete);
  }

  get ready(): boolean {
    return this.readyFlag;
  }

  get disabledNackCommands(): number[] {
    return this.nacks.disabledCommands;
  }

  get macroInProgress(): boolean {
    return this.macro.inProgress;
  }

  setNackEnabled(commandId: number, enabled: boolean): void {
    this.nacks.setEnabled(commandId, enabled);
  }

  /** Fault injection: the next `count` micro items fail to apply (as if corrupt). */
  injectApplyFailure(count = 1): void {
    this.micro.injectFailure(count);
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
    this.macro.setAuditScope(null);
    this.updateReady();
  }

  /** Abandons a macro that will never end (takeover): keeps everything received so far. */
  abandonMacro(): void {
    this.macro.abandon();
  }

  private updateReady(): void {
    // A table that may differ from the Active's (an item failed to apply) is not ready until a
    // full macro has made it equal again: the Active learns it from our Hellos and acks.
    const ready = this.bulkSyncApplied && !this.diverged && this.hellos >= RECOVERY_HELLOS[this.ctx.config.databaseRecovery];
    if (ready === this.readyFlag) return;
    this.readyFlag = ready;
    this.onReadyChange(ready);
  }

  /**
   * Holds what arrives in the queue, unapplied, until the returned function is called (a
   * stepping-down chassis copying its table for a hand-over while the peer's checkpoints come).
   */
  hold(): () => void {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    this.gate = gate;
    return () => {
      if (this.gate === gate) this.gate = null;
      open();
    };
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
        if (this.gate !== null) {
          await this.gate;
          sliceStart = performance.now();
          continue;
        }
        const msg = this.queue[this.head];
        this.queue[this.head++] = undefined as unknown as CheckpointMessage;
        if (this.head > 1024 && this.head * 2 > this.queue.length) {
          this.queue = this.queue.slice(this.head);
          this.head = 0;
        }
        try {
          if (msg.kind === 'macroCheckpointEnd') await this.macro.onEnd(msg.body);
          else if (msg.kind === 'macroCheckpointChunk') sliceStart = await this.macro.onChunk(msg.body, sliceStart);
          else this.process(msg);
        } catch (err) {
          // Nothing the peer sends may throw past here; count it as a failed apply.
          this.ctx.stats.micro.failed++;
          this.nacks.macroFailed(`receiver error: ${(err as Error).message}`, 0);
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
        return this.macro.onBegin(msg.body);
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
      const outcome = this.micro.apply(it);
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
    this.nacks.microFailed(it, reason, this.lastAppliedSeq + 1);
    return 'failed';
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
    if (r.withSync && r.differingBuckets.length > 0) this.macro.setAuditScope(r.differingBuckets);
  }
}
