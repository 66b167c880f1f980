import { isWireError } from '@srp-ha/wire';
import type { EngineContext } from '../context.js';
import type { CheckpointAck, MacroReason } from '../messages.js';
import type { MacroTimeSpent } from '../stats.js';
import { F_COUNTERS_UNSYNCED, type Session } from '../table/session.js';
import type { TableWalk } from '../table/store.js';
import { yieldToLoop } from '../yield.js';
import { ChunkEncoder } from './chunk-encoder.js';
import type { MicroBatcher } from './micro-batcher.js';
import type { SenderState } from './state.js';

/**
 * How long the Active sends macro chunks back to back before the event loop gets a turn. A
 * turn runs one slice of every job that is due (this stream, a write call, the micro batch),
 * so the loop's delay is their sum: with 4 ms here and in a call, the liveness bench's Active
 * loop p99 was 30-39 ms during a 1M bulk sync under 50k updates/s, with 2 ms 18-27 ms, and
 * neither the sync nor the update rate slowed (three alternating runs each).
 */
export const SEND_SLICE_MS = 2;

/**
 * A micro batch goes behind the chunks sent before it (one stream, applied in order), so a
 * write made during a bulk sync waited for the Standby to apply every chunk queued ahead of
 * it, hundreds of milliseconds under load, exposed all that time to a kill -9 of this Active.
 * While the oldest unacknowledged micro batch has waited this long, no further chunk goes (for
 * at most MICRO_WAIT_CAP_MS at a time): the Standby's queue stays short, and its throughput is
 * the same, since it always has work queued.
 */
const MICRO_WAIT_MS = 50;
const MICRO_WAIT_CAP_MS = 1000;

interface MacroJob {
  reason: MacroReason;
  buckets: Set<number> | null; // null: the whole table
}

/** What the macro stream needs from the sender besides the shared state. */
export interface MacroHost {
  readonly micro: MicroBatcher;
  /** Resolves when the link may be writable again (drain, resume or detach). */
  waitDrain(): Promise<void>;
  /** A macro loop ended: the sender resolves its flush waiters if everything is done. */
  afterMacros(): void;
}

/**
 * The Active's macro checkpoints: bulk sync, periodic, on NACK, and bucket-limited for audit
 * repair, one after the other.
 *
 * Ordering: chunks are read from the live table while micro batches keep flowing between
 * them. A chunk always carries the newest state at the time it is sent; the receiver
 * overwrites unconditionally from chunks and drops at End whatever the snapshot did not
 * confirm. Before End the sender flushes every pending micro change, so End's digest is the
 * digest of exactly what precedes it on the stream.
 */
export class MacroStream {
  private snapshotSeq = 0;
  private readonly jobs: MacroJob[] = [];
  /** The records of the chunk being built, as wire bytes (chunk-encoder.ts). */
  private readonly chunk = new ChunkEncoder();
  private running = false;
  /** The walk of a whole-table macro in progress (null: none): what it is still to carry. */
  private walk: TableWalk | null = null;
  private awaitingAck: { snapshotId: number; reason: string; startedAt: number; sessions: number; endSentAt: number; spent: MacroTimeSpent } | null = null;

  constructor(
    private readonly ctx: EngineContext,
    private readonly state: SenderState,
    private readonly host: MacroHost,
  ) {}

  /**
   * Whether the whole-table macro in progress is still to carry `s`: its shard is past the one
   * being walked, so the walk reaches it if it is still in the table (a deleted one needs
   * nothing: End drops what the snapshot did not confirm).
   */
  willCarry(s: Session): boolean {
    return this.walk !== null && this.ctx.store.shardOf(s.id) > this.walk.shard;
  }

  get inProgress(): boolean {
    return this.running || this.jobs.length > 0 || this.awaitingAck !== null;
  }

  /** Drops waiting jobs and the macro awaiting its ack (detach); a running stream stops at its next chunk. */
  reset(): void {
    this.jobs.length = 0;
    this.awaitingAck = null;
    this.ctx.stats.macro.inProgress = false;
  }

  /** Queues a macro checkpoint; requests of the same kind that are still waiting merge. */
  request(reason: MacroReason, buckets: Iterable<number> | null = null): void {
    if (!this.state.attached) return;
    if (this.jobs.some((j) => j.buckets === null)) {
      // A full macro is already waiting: it covers this request.
    } else if (buckets === null) {
      // A full macro supersedes waiting bucket resyncs.
      this.jobs.length = 0;
      this.jobs.push({ reason, buckets: null });
    } else {
      const waiting = this.jobs.find((j) => j.buckets !== null);
      if (waiting) for (const b of buckets) waiting.buckets!.add(b);
      else this.jobs.push({ reason, buckets: new Set(buckets) });
    }
    this.ctx.stats.macro.inProgress = true;
    if (!this.running) void this.run();
  }

  /** The macro part of an ack: the snapshot awaiting it is applied on the Standby. */
  onAck(ack: CheckpointAck, now: number): void {
    const m = this.awaitingAck;
    if (ack.snapshotId === 0 || !m || ack.snapshotId !== m.snapshotId) return;
    this.awaitingAck = null;
    const { stats } = this.ctx;
    const durationMs = now - m.startedAt;
    stats.macro.lastAt = now;
    stats.macro.lastDurationMs = durationMs;
    stats.macro.lastReason = m.reason;
    stats.macro.lastSessions = m.sessions;
    stats.macro.lastTimeSpent = { ...m.spent, standbyMs: Math.max(0, now - m.endSentAt) };
    stats.macro.inProgress = this.running || this.jobs.length > 0;
    this.ctx.observer.macroCompleted?.(durationMs / 1000, m.reason, m.sessions);
    this.ctx.emit({ type: 'checkpoint-macro-end', at: now, snapshotId: m.snapshotId, reason: m.reason, ok: true, durationMs, cause: 'acknowledged by standby' });
  }

  private async run(): Promise<void> {
    this.running = true;
    const gen = this.state.abortGen;
    try {
      while (this.jobs.length > 0 && gen === this.state.abortGen) {
        const job = this.jobs.shift()!;
        await this.stream(job, gen);
      }
    } finally {
      this.running = false;
      if (gen === this.state.abortGen) this.ctx.stats.macro.inProgress = this.inProgress;
      // Detached and attached again while this loop was suspended (attach() detaches first;
      // a replaced connection or a restarted peer does both in one turn): the new bulk sync
      // was queued behind this loop, which only now has ended.
      else if (this.state.attached && this.jobs.length > 0) void this.run();
      this.host.afterMacros();
    }
  }

  /** The oldest unacknowledged micro batch has waited MICRO_WAIT_MS (see there). */
  private microWaiting(): boolean {
    const t = this.host.micro.oldestUnackedSentAt;
    return t !== null && this.ctx.clock.now() - t > MICRO_WAIT_MS;
  }

  private async stream(job: MacroJob, gen: number): Promise<void> {
    const { store, clock, config, stats, transport } = this.ctx;
    const { micro } = this.host;
    const snapshotId = ++this.snapshotSeq;
    const startedAt = clock.now();
    let expected = 0;
    if (job.buckets) for (const b of job.buckets) expected += store.bucketCount(b);
    else expected = store.eligibleCount;
    transport.send({
      kind: 'macroCheckpointBegin',
      body: { snapshotId, sessionCount: expected, reason: job.reason, startedAtMs: startedAt, resumeAfterBatch: micro.lastBatchSequence },
    });
    this.ctx.emit({ type: 'checkpoint-macro-begin', at: startedAt, snapshotId, reason: job.reason, sessions: expected, cause: job.reason });
    const chunk = this.chunk;
    chunk.take(); // anything left by a stream that was cut short
    // Where the time goes (stats.macro.lastTimeSpent), in performance.now() ms: the slices,
    // the waits, and the rest (the loop's turns between slices).
    const spent: MacroTimeSpent = { encodingMs: 0, otherWorkMs: 0, linkMs: 0, microAcksMs: 0, standbyMs: 0 };
    const streamStart = performance.now();
    let chunkSeq = 0;
    let sessions = 0;
    const sendChunk = (): void => {
      transport.send({ kind: 'macroCheckpointChunk', body: { snapshotId, chunkSequence: ++chunkSeq, sessions: chunk.take() } });
    };
    // Chunks go out back to back for up to SEND_SLICE_MS, then the loop gets a turn (API calls,
    // micro batches, acks): one chunk a turn made the bulk sync as slow as the busiest turn.
    let sliceStart = performance.now();
    const walk = store.values();
    if (job.buckets === null) this.walk = walk;
    try {
      for (const s of walk) {
        if (!s.eligible || (job.buckets && !job.buckets.has(s.bucket))) continue;
        try {
          chunk.add(s);
        } catch (err) {
          // A field the wire cannot carry (nothing the API lets in): the session is left out and
          // stays unsent; the Standby's End digest differs and its NACK brings another macro.
          if (isWireError(err)) continue;
          throw err;
        }
        s.sentEpoch = this.state.epoch;
        s.flags &= ~F_COUNTERS_UNSYNCED;
        // The chunk carries its current state: nothing left to send for it.
        micro.carried(s);
        sessions++;
        if (chunk.length >= config.macroChunkSize) {
          sendChunk();
          const sliceEnd = performance.now();
          if (sliceEnd - sliceStart > SEND_SLICE_MS || !transport.writable || this.microWaiting()) {
            spent.encodingMs += sliceEnd - sliceStart;
            await yieldToLoop();
            const drainFrom = performance.now();
            while (gen === this.state.abortGen && (this.state.paused || !transport.writable)) await this.host.waitDrain();
            const acksFrom = performance.now();
            spent.linkMs += acksFrom - drainFrom;
            const capped = clock.now() + MICRO_WAIT_CAP_MS;
            while (gen === this.state.abortGen && this.microWaiting() && clock.now() < capped) await new Promise<void>((r) => clock.setTimeout(() => r(), 2));
            if (gen !== this.state.abortGen) return;
            sliceStart = performance.now();
            spent.microAcksMs += sliceStart - acksFrom;
          }
        }
      }
    } finally {
      this.walk = null;
      // Changes left to a chunk that did not come (the stream cut short), or that could not
      // carry them (a field the wire refused): the batches send them.
      micro.undefer();
    }
    if (chunk.length > 0) sendChunk();
    // Everything changed so far goes before End, so End's digest describes the stream.
    micro.pump(true);
    transport.send({
      kind: 'macroCheckpointEnd',
      body: { snapshotId, chunkCount: chunkSeq, sessionCount: store.eligibleCount, digest: store.digestBytes() },
    });
    stats.macro.sent++;
    const streamEnd = performance.now();
    spent.encodingMs += streamEnd - sliceStart;
    spent.otherWorkMs = Math.max(0, streamEnd - streamStart - spent.encodingMs - spent.linkMs - spent.microAcksMs);
    for (const k of ['encodingMs', 'otherWorkMs', 'linkMs', 'microAcksMs'] as const) spent[k] = Math.round(spent[k]);
    this.awaitingAck = { snapshotId, reason: job.reason, startedAt, sessions, endSentAt: clock.now(), spent };
  }
}
