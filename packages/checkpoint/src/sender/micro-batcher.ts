import type { EngineContext } from '../context.js';
import type { CheckpointAck, MicroCheckpoint } from '../messages.js';
import { bumpCommand, type ReplicationOutcome } from '../stats.js';
import { F_QUEUED, type Session } from '../table/session.js';
import { ItemEncoder, M_ATTRS, M_DELETE, M_FULL } from './items.js';
import type { SenderState } from './state.js';
import { UnackedAttrLog, type ChangedAttrs, type LoggedChange } from './unacked-attrs.js';

/**
 * One caller waiting until the changes made before it asked are acknowledged. First until the
 * queue's head passes `tail` (every session pending when it asked has gone in a batch, or in a
 * macro chunk), then until the ack of batch `seq`.
 */
interface Barrier {
  tail: number;
  seq: number | null;
  failedAt: number;
  done: (outcome: ReplicationOutcome) => void;
}

interface InFlightBatch {
  seq: number;
  oldestChangeAt: number;
  /** When it was handed to the transport. */
  sentAt: number;
  /** The sessions the batch changed and the deletions it carried: unacknowledged until its ack. */
  ids: string[];
  deletes: [string, number][] | null;
}

/**
 * The Active's micro checkpoints: coalescing of changes, batches, and a window of unacked
 * batches.
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
 */
export class MicroBatcher {
  /** Sessions with pendingMask !== 0, and skipped ones (mask 0), from `head` on. */
  private queue: Session[] = [];
  private head = 0;
  /** Absolute position of queue[0] in everything ever queued (barriers count in it). */
  private queueBase = 0;
  /** Callers waiting for their changes to be acknowledged (whenReplicated), oldest first. */
  private barriers: Barrier[] = [];
  /** A macro chunk carried a pending session since the last batch went (see carried()). */
  private carriedSinceBatch = false;
  /** Sessions with pendingMask !== 0 (deletes included, deferred ones too). */
  private pendingCount = 0;
  /**
   * Pending sessions left to the running bulk sync's chunk (see noteChange), not queued: the
   * Standby joined with an empty table and has never had them, so a batch would carry each in
   * full, and the chunk carries it again a moment later: both main threads, busy in a bulk
   * sync under load, did that work twice (97-110 MiB on the wire for a 1M LZ4 sync under 50k
   * updates/s, 85-89 MiB without). Queued again (undefer()) by anything that needs every
   * pending change in the queue: a replicated acknowledgement, End, a cut-short stream; the
   * split hand-over counts them (unsynced).
   */
  private readonly deferred = new Set<Session>();
  private readonly deletes = new Map<string, { version: number; at: number; session: Session }>();
  private readonly inFlight: InFlightBatch[] = [];
  private batchSeq = 0;
  private lastAckedSeq = 0;
  private timer: unknown = null;
  private readonly items: ItemEncoder;
  /**
   * Pending sessions with M_ATTRS: the attributes set or removed since each was last sent
   * (duplicates allowed), or null when any may have changed. A session pending attrs without
   * an entry sends its whole map; an entry left behind only widens the next delta.
   */
  private readonly pendingAttrs = new Map<Session, string[] | null>();
  /** When each unacknowledged change was made and which attributes it set (split hand-over). */
  private readonly log = new UnackedAttrLog();

  /**
   * `afterPump`: called at the end of every pump (the sender resolves its flush waiters).
   * `willCarry`: whether the running macro is still to carry `s` (MacroStream.willCarry).
   */
  constructor(
    private readonly ctx: EngineContext,
    private readonly state: SenderState,
    private readonly afterPump: () => void,
    private readonly willCarry: (s: Session) => boolean,
  ) {
    this.items = new ItemEncoder(ctx.store);
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

  /** When the oldest batch not acknowledged yet was sent (null: none is out). */
  get oldestUnackedSentAt(): number | null {
    return this.inFlight.length > 0 ? this.inFlight[0].sentAt : null;
  }

  get lastBatchSequence(): number {
    return this.batchSeq;
  }

  /** Drops pending state and in-flight batches (detach); waiting callers get `outcome`. */
  reset(outcome: ReplicationOutcome): void {
    for (let i = this.head; i < this.queue.length; i++) {
      const s = this.queue[i];
      s.pendingMask = 0;
      s.flags &= ~F_QUEUED;
    }
    this.queueBase += this.queue.length;
    this.queue = [];
    this.head = 0;
    for (const d of this.deferred) d.pendingMask = 0;
    this.deferred.clear();
    this.pendingCount = 0;
    this.carriedSinceBatch = false;
    this.deletes.clear();
    this.pendingAttrs.clear();
    this.inFlight.length = 0;
    this.log.clear();
    if (this.timer !== null) {
      this.ctx.clock.clearTimeout(this.timer);
      this.timer = null;
    }
    const barriers = this.barriers;
    this.barriers = [];
    for (const b of barriers) b.done(outcome);
  }

  /**
   * Resolves once the Standby has acknowledged every change noted so far (the batches that
   * carried them and everything before them on the link), or says why not: the session API's
   * replicated acknowledgement. `timeoutMs`: how long to wait at most.
   */
  whenReplicated(timeoutMs: number): Promise<ReplicationOutcome> {
    // Every pending change in the queue, so that the barrier's tail covers them.
    this.undefer();
    return new Promise<ReplicationOutcome>((resolve) => {
      let timer: unknown = null;
      // Every outcome ends here: counted, the timer cleared.
      const b: Barrier = {
        tail: this.queueBase + this.queue.length,
        seq: null,
        failedAt: this.ctx.stats.micro.peerFailed,
        done: (outcome) => {
          if (timer !== null) this.ctx.clock.clearTimeout(timer);
          this.ctx.stats.writeAcks[outcome]++;
          resolve(outcome);
        },
      };
      if (!this.state.attached) return b.done('no-standby');
      if (this.pendingCount === 0) this.sealBarrier(b);
      if (b.seq !== null && b.seq <= this.lastAckedSeq) return b.done('replicated');
      this.barriers.push(b);
      timer = this.ctx.clock.setTimeout(() => {
        timer = null;
        const i = this.barriers.indexOf(b);
        if (i >= 0) this.barriers.splice(i, 1);
        b.done('timeout');
      }, timeoutMs);
      this.pump(false);
    });
  }

  /**
   * Every session pending when `b` was made has gone: it now waits for the ack of the last
   * batch, or of the next one when a macro chunk carried a pending session after that batch (a
   * chunk is applied in stream order, so the next batch's ack covers it; checkBarriers sends an
   * empty one when nothing else would go).
   */
  private sealBarrier(b: Barrier): void {
    b.seq = this.batchSeq + (this.carriedSinceBatch ? 1 : 0);
  }

  /** Moves barriers on: those whose sessions have all gone wait for an ack, acked ones resolve. */
  private checkBarriers(): void {
    if (this.barriers.length === 0) return;
    const at = this.queueBase + this.head;
    const failed = this.ctx.stats.micro.peerFailed;
    let kept = 0;
    let needBatch = false;
    for (const b of this.barriers) {
      if (b.seq === null && (at >= b.tail || this.pendingCount === 0)) this.sealBarrier(b);
      if (b.seq !== null && b.seq <= this.lastAckedSeq) {
        b.done(failed > b.failedAt ? 'apply-failed' : 'replicated');
        continue;
      }
      if (b.seq !== null && b.seq > this.batchSeq) needBatch = true;
      this.barriers[kept++] = b;
    }
    this.barriers.length = kept;
    if (needBatch && this.pendingCount === 0 && this.state.attached && !this.state.paused) this.sendBatch(true);
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
    for (const s of this.deferred) ids.push(s.id);
    for (const [id, d] of this.deletes) deletes.push([id, d.version]);
    for (const b of this.inFlight) {
      for (const id of b.ids) ids.push(id);
      if (b.deletes) for (const d of b.deletes) deletes.push(d);
    }
    return { ids, deletes };
  }

  /**
   * For `ids` (unsynced ones): their changes the peer has not acknowledged, when each was made
   * and which attributes it set, in write order; `droppedUpTo`: until when the log may lack a
   * change (it keeps a bounded number), -Infinity when it lacks none.
   */
  unackedChanges(ids: readonly string[]): { changes: Map<string, LoggedChange[]>; droppedUpTo: number } {
    return { changes: this.log.changesOf(ids), droppedUpTo: this.log.droppedUpTo };
  }

  /**
   * A replicated aspect of an eligible session changed (or it just became eligible: M_FULL).
   * `attrs`: the attributes the change set or removed; null: every one (a full record).
   */
  noteChange(s: Session, aspects: number, attrs: ChangedAttrs = null): void {
    if (!this.state.attached || !s.eligible) return;
    s.changedAt = this.ctx.clock.now();
    this.log.note(s.id, attrs, s.changedAt);
    if (aspects & M_ATTRS && this.state.aspects) this.noteAttrs(s, attrs);
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
        s.sentEpoch = this.state.epoch;
        aspects = M_FULL;
      } else if (this.state.peerEmpty && s.sentEpoch !== this.state.epoch && !(s.flags & F_QUEUED) && this.barriers.length === 0 && this.willCarry(s)) {
        // The peer has never had it, and the running bulk sync's chunk will carry it.
        s.pendingMask = aspects;
        this.pendingCount++;
        this.deferred.add(s);
        return;
      }
      this.enqueue(s, aspects);
    }
    this.schedule();
  }

  /** Queues the deferred sessions (see `deferred`): a batch sends them unless a chunk carries them first. */
  undefer(): void {
    if (this.deferred.size === 0) return;
    for (const s of this.deferred) {
      if (s.pendingMask === 0 || s.flags & F_QUEUED) continue;
      s.flags |= F_QUEUED;
      this.queue.push(s);
    }
    this.deferred.clear();
    this.schedule();
  }

  /** Adds the attributes a change set or removed to s's pending ones (see pendingAttrs). */
  private noteAttrs(s: Session, attrs: ChangedAttrs): void {
    const names = this.pendingAttrs.get(s);
    if (names === null) return;
    if (attrs === null) this.pendingAttrs.set(s, null);
    else if (names === undefined) this.pendingAttrs.set(s, s.pendingMask !== 0 && s.pendingMask & M_ATTRS ? null : attrs.slice());
    else for (const a of attrs) names.push(a);
  }

  noteDelete(s: Session, version: number): void {
    if (!this.state.attached) return;
    this.pendingAttrs.delete(s);
    if (s.sentEpoch !== this.state.epoch) {
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

  /** A macro chunk carries `s`'s current state: nothing left to send for it (see sealBarrier). */
  carried(s: Session): void {
    if (s.pendingMask === 0) return;
    this.carriedSinceBatch = true;
    this.unpend(s);
  }

  /** Nothing to send for `s` any more; its queue entry, if any, is skipped when reached. */
  unpend(s: Session): void {
    this.pendingAttrs.delete(s);
    if (s.pendingMask === 0) return;
    s.pendingMask = 0;
    this.pendingCount--;
    if (this.deferred.size > 0) this.deferred.delete(s);
  }

  /**
   * Drops the entries before `head` and the skipped ones: the queue stays within twice the
   * pending sessions.
   */
  private sweepQueue(): void {
    const kept: Session[] = [];
    const base = this.queueBase + this.head;
    // Barriers waiting for the head to pass their tail keep counting in the new positions.
    const waiting = this.barriers.filter((b) => b.seq === null);
    let w = 0;
    for (let i = this.head; i < this.queue.length; i++) {
      while (w < waiting.length && waiting[w].tail <= this.queueBase + i) waiting[w++].tail = base + kept.length;
      const s = this.queue[i];
      if (s.pendingMask !== 0) kept.push(s);
      else s.flags &= ~F_QUEUED;
    }
    while (w < waiting.length) waiting[w++].tail = base + kept.length;
    this.queue = kept;
    this.queueBase = base;
    this.head = 0;
  }

  /** Pending sessions in the queue (not deferred). */
  private get queuedCount(): number {
    return this.pendingCount - this.deferred.size;
  }

  private schedule(): void {
    if (this.queuedCount <= 0) return;
    if (this.queuedCount >= this.ctx.config.batchMaxItems) {
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
    if (!this.state.attached || this.state.paused) return;
    const { transport, config } = this.ctx;
    while (this.queuedCount > 0 && (force || (transport.writable && this.inFlight.length < config.maxUnackedBatches))) {
      if (!this.sendBatch()) break;
    }
    if (this.queuedCount > 0 && this.timer === null && transport.writable && this.inFlight.length < config.maxUnackedBatches) this.schedule();
    // Deferred sessions count as drained: the log is cut on acks only after it drains, and
    // with a change left to a chunk every few ms a bulk sync under load kept it growing to its
    // bound. Their entries may go with the ack of a batch sent before their chunk: a split
    // hand-over then dates such a change `now` (seed), for a session the peer never had.
    else if (this.queuedCount <= 0) this.log.drained(this.batchSeq);
    this.checkBarriers();
    this.afterPump();
  }

  /** One batch from the queue; false when the queue held nothing to send (empty: send one anyway). */
  private sendBatch(empty = false): boolean {
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
        items.push(this.items.deletion(s.id, d.version));
        (deletes ??= []).push([s.id, d.version]);
        if (d.at < oldest) oldest = d.at;
      } else {
        if (!s.eligible) {
          this.pendingAttrs.delete(s);
          continue;
        }
        let names: string[] | null = null;
        if (mask & M_ATTRS && this.pendingAttrs.size > 0) {
          names = this.pendingAttrs.get(s) ?? null;
          this.pendingAttrs.delete(s);
        }
        items.push(this.items.encode(s, mask, this.state.epoch, this.state.aspects, names));
        ids.push(s.id);
        if (s.changedAt < oldest) oldest = s.changedAt;
      }
    }
    this.head = head;
    if (head === queue.length) {
      this.queueBase += queue.length;
      this.queue = [];
      this.head = 0;
    } else if (head > 4096 && head * 2 > queue.length) {
      this.sweepQueue(); // the sent prefix, and any skipped entries with it
    }
    if (items.length === 0 && !empty) return this.queuedCount > 0 && this.head < this.queue.length;
    const seq = ++this.batchSeq;
    this.carriedSinceBatch = false;
    for (const it of items) bumpCommand(stats, it.commandId, 'sent');
    stats.micro.sent += items.length;
    stats.micro.batchesSent++;
    this.inFlight.push({ seq, oldestChangeAt: oldest, sentAt: this.ctx.clock.now(), ids, deletes });
    this.ctx.transport.send({ kind: 'microCheckpointBatch', body: { batchSequence: seq, items } });
    return true;
  }

  /** The micro part of an ack: batches up to its sequence are applied (replication lag). */
  onAck(ack: CheckpointAck, now: number): void {
    if (ack.failedItems > this.ctx.stats.micro.peerFailed) this.ctx.stats.micro.peerFailed = ack.failedItems;
    if (ack.upToSequence <= this.lastAckedSeq) return;
    this.lastAckedSeq = ack.upToSequence;
    let n = 0;
    while (n < this.inFlight.length && this.inFlight[n].seq <= ack.upToSequence) {
      if (this.inFlight[n].oldestChangeAt === Infinity) {
        n++; // an empty batch (checkBarriers): no change to measure a lag of
        continue;
      }
      const lag = Math.max(0, now - this.inFlight[n].oldestChangeAt);
      const l = this.ctx.stats.replicationLagMs;
      l.last = lag;
      l.max = l.max === null ? lag : Math.max(l.max, lag);
      l.samples++;
      this.ctx.observer.replicationLag?.(lag / 1000);
      n++;
    }
    this.inFlight.splice(0, n);
    this.log.acked(ack.upToSequence);
    this.checkBarriers();
  }
}
