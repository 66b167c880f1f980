import { FEATURE_MICRO_ASPECTS } from '../commands.js';
import type { EngineContext } from '../context.js';
import { CheckpointError } from '../errors.js';
import type { CheckpointAck, MacroReason } from '../messages.js';
import type { ReplicationOutcome } from '../stats.js';
import type { Session } from '../table/session.js';
import { MacroStream } from './macro-stream.js';
import { MicroBatcher } from './micro-batcher.js';
import type { SenderState } from './state.js';
import type { ChangedAttrs, LoggedChange } from './unacked-attrs.js';

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

/**
 * The Active side: micro checkpoints (micro-batcher.ts) and macro checkpoints (macro-stream.ts)
 * over one link, attached while a Standby is on it, paused while fenced, and the critical flush.
 */
export class CheckpointSender {
  private readonly state: SenderState = { epoch: 0, attached: false, paused: false, abortGen: 0, aspects: false, peerEmpty: false };
  private readonly micro: MicroBatcher;
  private readonly macro: MacroStream;
  private drainWaiters: (() => void)[] = [];
  private flushWaiters: Waiter[] = [];

  constructor(private readonly ctx: EngineContext) {
    this.micro = new MicroBatcher(ctx, this.state, () => this.checkFlushed(), (s) => this.macro.willCarry(s));
    this.macro = new MacroStream(ctx, this.state, {
      micro: this.micro,
      waitDrain: () => this.waitDrain(),
      afterMacros: () => this.checkFlushed(),
    });
  }

  get isAttached(): boolean {
    return this.state.attached;
  }

  get pendingSessions(): number {
    return this.micro.pendingSessions;
  }

  get pendingDeletes(): number {
    return this.micro.pendingDeletes;
  }

  get unackedBatches(): number {
    return this.micro.unackedBatches;
  }

  get macroInProgress(): boolean {
    return this.macro.inProgress;
  }

  /**
   * A (new) Standby is on the link: forget what was pending, it gets everything in a bulk sync.
   * `peerEmpty`: its table is empty (SenderState.peerEmpty).
   */
  attach(peerEmpty = false): void {
    this.detach('new peer');
    this.state.epoch++;
    this.state.attached = true;
    this.state.peerEmpty = peerEmpty;
    // A transport that cannot say runs the peer of this very library.
    const features = this.ctx.transport.peerFeatures;
    this.state.aspects = features === undefined || features.includes(FEATURE_MICRO_ASPECTS);
    this.requestMacro('bulk-sync');
  }

  /**
   * The link is down or we stopped being Active: drop pending state and in-flight work; callers
   * waiting for a replicated acknowledgement get `outcome`.
   */
  detach(reason = 'link down', outcome: ReplicationOutcome = 'link-down'): void {
    this.state.attached = false;
    this.state.abortGen++;
    this.micro.reset(outcome);
    this.macro.reset();
    this.wakeDrainWaiters();
    const waiters = this.flushWaiters;
    this.flushWaiters = [];
    for (const w of waiters) w.reject(new CheckpointError('SRP_ERR_CHECKPOINT_LINK_DOWN', `checkpoint flush aborted: ${reason}`));
  }

  /** Sends nothing until resume(): pending changes wait (coalesced as always). */
  pause(): void {
    this.state.paused = true;
  }

  resume(): void {
    if (!this.state.paused) return;
    this.state.paused = false;
    this.wakeDrainWaiters();
    this.pump(false);
  }

  /**
   * What the peer may not hold yet: sessions with a pending change or in a batch not yet
   * acknowledged, and deletions likewise (with their versions).
   */
  unsynced(): { ids: string[]; deletes: [string, number][] } {
    return this.micro.unsynced();
  }

  /** When the unacknowledged changes of `ids` were made, and which attributes each set. */
  unackedChanges(ids: readonly string[]): { changes: Map<string, LoggedChange[]>; droppedUpTo: number } {
    return this.micro.unackedChanges(ids);
  }

  /** Resolves at the link's next drain (see CheckpointTransport.onDrain). */
  waitDrain(): Promise<void> {
    return new Promise<void>((r) => this.drainWaiters.push(r));
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

  /**
   * A replicated aspect of an eligible session changed (or it just became eligible: M_FULL);
   * `attrs`: the attributes it set or removed, null: every one.
   */
  noteChange(s: Session, aspects: number, attrs: ChangedAttrs = null): void {
    this.micro.noteChange(s, aspects, attrs);
  }

  noteDelete(s: Session, version: number): void {
    this.micro.noteDelete(s, version);
  }

  /** Sends batches while the link takes them and the window allows (force: regardless). */
  pump(force: boolean): void {
    this.micro.pump(force);
  }

  onAck(ack: CheckpointAck): void {
    const now = this.ctx.clock.now();
    this.micro.onAck(ack, now);
    this.macro.onAck(ack, now);
    this.pump(false);
  }

  /**
   * Sends the pending changes now rather than at the batch timer: for a caller that has just
   * made a burst of changes in one turn (an API call), which is a batch already.
   */
  sendPending(): void {
    if (this.micro.pendingSessions > 0) this.pump(false);
  }

  /**
   * Resolves once the Standby has acknowledged every change made so far, or says why not
   * (micro-batcher.ts, ReplicationOutcome), within `timeoutMs`.
   */
  whenReplicated(timeoutMs: number): Promise<ReplicationOutcome> {
    return this.micro.whenReplicated(timeoutMs);
  }

  /** Queues a macro checkpoint; requests of the same kind that are still waiting merge. */
  requestMacro(reason: MacroReason, buckets: Iterable<number> | null = null): void {
    this.macro.request(reason, buckets);
  }

  // ---- critical flush ---------------------------------------------------------------------

  /** Resolves when every pending change (and any macro under way) is sent and acknowledged. */
  flush(): Promise<void> {
    if (!this.state.attached) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.flushWaiters.push({ resolve, reject });
      this.pump(false);
    });
  }

  private isFlushed(): boolean {
    return this.micro.pendingSessions === 0 && this.micro.unackedBatches === 0 && !this.macro.inProgress;
  }

  private checkFlushed(): void {
    if (this.flushWaiters.length === 0 || !this.isFlushed()) return;
    const waiters = this.flushWaiters;
    this.flushWaiters = [];
    for (const w of waiters) w.resolve();
  }
}
