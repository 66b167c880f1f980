/**
 * The engine's side of split brain (split.ts): it keeps the journal while this chassis is an
 * Active whose table no Standby holds, captures and sends the hand-over when it steps down for
 * its peer, and applies a hand-over received as the winner.
 */
import type { CallLossLog } from './call-loss.js';
import type { AttrTimes, CheckpointTransport, SessionRecord, SplitHandoff, SplitHandoffAck } from './messages.js';
import type { CheckpointEvent, SplitStatistics } from './stats.js';
import { DEFAULT_JOURNAL_LIMITS, SplitJournal, mergeForHandoff, type AttrChanges, type Handoff } from './split.js';
import type { Session } from './table/session.js';
import { ShardedMap } from './table/shards.js';
import type { SessionStore } from './table/store.js';
import { toRecord } from './table/view.js';
import { SEND_SLICE_MS } from './sender/macro-stream.js';
import { yieldToLoop } from './yield.js';

/** What the coordinator needs from the engine: its table and the API that replicates a change. */
export interface HandoffHost {
  readonly store: SessionStore;
  readonly transport: CheckpointTransport;
  readonly callLoss: CallLossLog;
  now(): number;
  emit(e: CheckpointEvent): void;
  /** Writes the record as the session's new state (a replicated change on this Active). */
  put(r: SessionRecord): void;
  remove(id: string): void;
  /** Sessions and deletions the sender has not had acknowledged. */
  unsynced(): { ids: string[]; deletes: [string, number][] };
  /**
   * When the sender's unacknowledged changes of `ids` were made and which attributes each set
   * (null: every one); `droppedUpTo`: until when its bounded log may lack one.
   */
  unackedChanges(ids: readonly string[]): { changes: ReadonlyMap<string, readonly { attrs: readonly string[] | null; at: number }[]>; droppedUpTo: number };
  /** Resolves when the link is writable again (`transport.writable` was false). */
  waitDrain(): Promise<void>;
  /** Holds the peer's checkpoints in the receiver's queue, unapplied, until the returned function is called. */
  holdTable(): () => void;
}

/** An own hand-over being merged back (reclaim()): how far, and what came of it so far. */
interface Reclaim {
  h: Handoff;
  /** The next record (then deletion) to merge. */
  next: number;
  /** Per record, then per deletion: merged already (by the walk, or by a read that came first). */
  done: Uint8Array;
  /** A record is being merged: what it reads of the table merges nothing else. */
  merging: boolean;
  /** The table's version clock at the takeover: a session with a later version was written since. */
  since: number;
  /** Sessions the peer deleted after the step-down (peerDeleted()); null: none. */
  peerDeletes: ReadonlySet<string> | null;
  merged: number;
  /** Not re-created: the peer deleted them after the step-down. */
  peerDeleted: number;
  same: number;
  deleted: number;
  kept: string[];
  superseded: number;
  failed: number;
  firstError: string | null;
}

const CHUNK = 1000;
const MAX_CONFLICT_IDS = 100;

export class SplitCoordinator {
  private journal: SplitJournal | null = null;
  private outgoing: Handoff | null = null;
  /** The peer acknowledged a bulk sync since the journal opened: it closes once the peer is ready. */
  private bulkSyncAcked = false;
  /**
   * The journal the outgoing hand-over was captured from, while this chassis' table still
   * holds those changes (null once it takes the peer's checkpoints as Standby).
   */
  private outgoingJournal: SplitJournal | null = null;
  private nextId = 1;
  /** The copy of the outgoing hand-over's records while it goes on (capture()). */
  private capturing: { h: Handoff; fill: Iterator<void> } | null = null;
  /** Settles when the last capture's copy is done. */
  private captureDone: Promise<unknown> = Promise.resolve();
  /** An own hand-over being merged back into this table (reclaim()), and how far it got. */
  private reclaiming: Reclaim | null = null;
  /**
   * Sessions the peer deleted by a checkpoint while our own hand-over waits and this table is
   * the peer's (peerDeleted()): were the hand-over taken back, they must not come back with it.
   */
  private peerDeletes: Set<string> | null = null;
  /** Settles when the last merge of an own hand-over (startReclaim) is done. */
  reclaimDone: Promise<void> = Promise.resolve();
  /** The send in progress (a newer send, the acknowledgement or a withdrawal ends it). */
  private sendRun = 0;
  /** Wakes the send in progress from its wait for the link to drain, so that it can end. */
  private wakeSend: (() => void) | null = null;
  /** Per sender (`epoch/handoffId`): the last chunk applied, so a resent hand-over is not applied twice. */
  private readonly applied = new Map<string, { chunks: number; applied: number; conflicts: number; conflictIds: string[] }>();
  readonly stats: SplitStatistics;

  constructor(
    private readonly host: HandoffHost,
    stats: SplitStatistics,
  ) {
    this.stats = stats;
  }

  get recording(): boolean {
    return this.journal !== null;
  }

  /**
   * Starts recording (becoming Active, or losing the link or the peer while Active), seeded with
   * what the peer had not acknowledged. An open journal is kept as it is: it has every change
   * since it opened, with its time, and a second seed would only blur those times.
   */
  record(seedFromSender = false): void {
    if (this.journal === null && this.outgoing !== null && this.outgoingJournal !== null) {
      // Active again before the peer took our hand-over (both stepped down in a race, and
      // this chassis won the re-election), with the table it handed over from: those changes
      // are ours again, journaled as before, and the hand-over is void (the peer takes this
      // table in a bulk sync, and its own hand-over meets these changes under the rule).
      this.journal = this.outgoingJournal;
      this.outgoing = null;
      this.outgoingJournal = null;
      this.capturing = null; // a copy still going stops: the table still has what it copies
      this.endSend();
      this.stats.handoffsWithdrawn++;
    }
    if (this.journal === null) {
      this.journal = new SplitJournal();
      if (seedFromSender) this.seed(this.journal);
    }
    this.bulkSyncAcked = false; // (again) until a new bulk sync is acknowledged
    this.refresh();
  }

  /** As Standby, checkpoints from the peer change the table: a captured journal no longer describes it. */
  tableFromPeer(): void {
    this.outgoingJournal = null;
  }

  /**
   * As Standby, a checkpoint from the peer deleted `id` (or named it deleted: this table may
   * lack it). While our own hand-over waits unacknowledged, that deletion is kept: the peer made
   * it after we stepped down (its sender forgets what was pending when a Standby attaches, and
   * as Active we applied none of its checkpoints), so it is later than anything the hand-over
   * carries, and taking the hand-over back (reclaim) must not re-create the session. Kept up to
   * the journal's limit of deletions; past it, counted (`peerDeletesUnkept`) and not kept.
   */
  peerDeleted(id: string): void {
    if (this.outgoing === null || this.outgoingJournal !== null) return;
    const d = (this.peerDeletes ??= new Set());
    if (d.size < DEFAULT_JOURNAL_LIMITS.maxDeletes || d.has(id)) d.add(id);
    else this.stats.peerDeletesUnkept++;
  }

  /**
   * The peer acknowledged a bulk sync: it holds our table. The journal stays open until the
   * peer also says it is a ready Standby (peerReady), which it does only once it has no
   * hand-over of its own waiting: a peer that stepped down for us may hand over after our bulk
   * sync, and its changes must meet ours under the conflict rule.
   */
  bulkSynced(): void {
    if (this.journal !== null) this.bulkSyncAcked = true;
  }

  /** The peer's Hello says it is a ready Standby: after a bulk sync it acknowledged, stop recording. */
  peerReady(): void {
    if (this.journal !== null && this.bulkSyncAcked) this.synced();
  }

  /** Stop recording (the peer holds our table and nothing of its own is to come; or we are Standby). */
  synced(): void {
    this.journal = null;
    this.bulkSyncAcked = false;
    this.refresh();
  }

  noteChange(id: string, attrs?: readonly string[], at?: number): void {
    this.journal?.noteChange(id, attrs, at);
  }

  noteDelete(id: string, version: number, at?: number): void {
    this.journal?.noteDelete(id, version, at);
  }

  /** Changed by this chassis while apart from its peer (the winner's side of a conflict). */
  changedWhileApart(id: string): boolean {
    return this.journal?.has(id) ?? false;
  }

  /**
   * Journals what the peer had not acknowledged, each change at the time it was made (the
   * sender's log). A change the log lacks (past its bound) may have set any attribute, at a
   * time not after `droppedUpTo`; a session not logged at all, at a time not after now.
   */
  private seed(j: SplitJournal): SplitJournal {
    const u = this.host.unsynced();
    const { changes, droppedUpTo } = this.host.unackedChanges(u.ids);
    const now = this.host.now();
    for (const id of u.ids) {
      const logged = changes.get(id);
      if (logged === undefined) {
        j.noteChange(id, undefined, now);
        continue;
      }
      if (droppedUpTo > -Infinity) j.noteChange(id, undefined, droppedUpTo);
      for (const c of logged) j.noteChange(id, c.attrs ?? undefined, c.at);
    }
    for (const [id, v] of u.deletes) j.noteDelete(id, v);
    return j;
  }

  /** Brings the journal figures of the statistics up to date. */
  refresh(): void {
    const j = this.journal;
    this.stats.recording = j !== null;
    this.stats.journalSessions = j?.size ?? 0;
    this.stats.journalWhole = j?.whole ?? false;
  }

  /**
   * This Active steps down for its peer: capture every session and deletion the peer may lack
   * (the journal, and what the sender still had unacknowledged) before the table is given up.
   * The journal and the deletions are taken at once; the sessions' records are copied in slices
   * of SEND_SLICE_MS with the event loop's turns between them (a whole table of 1M sessions
   * took 2.1 s in one turn), and while that goes on the checkpoints the peer sends wait in the
   * receiver's queue (holdTable), so the copy is of the table as it was at the step-down.
   * Resolves with the hand-over once copied (null when there is nothing to hand over, or it was
   * withdrawn meanwhile); it counts as pending from the call on, and send() waits for the copy.
   */
  capture(epoch: number): Promise<Handoff | null> {
    this.finishReclaim(); // what it merges goes in the journal first
    // An open journal has everything since it opened (record()); else seed one now.
    const j = this.journal ?? this.seed(new SplitJournal());
    this.journal = null;
    this.refresh();
    const deletes = [...j.deleted].map(([id, version]) => ({ id, version, at: j.deletedAt.get(id) ?? null }));
    if (j.droppedDeletes > 0) {
      this.stats.deletesDropped += j.droppedDeletes;
      const at = this.host.now();
      this.host.callLoss.record({ at, cause: 'split hand-over: deletions past the tombstone limit were not handed over', expected: j.droppedDeletes, recovered: 0, lostEligible: j.droppedDeletes, lostYoung: 0 });
    }
    this.endSend(); // a send of an earlier hand-over, if one is still going
    // Sharded: one Map of a whole table's ids rehashed 1M entries in one turn as it grew (a 200 ms turn).
    const h: Handoff = { id: this.nextId++, epoch, sessions: [], attrTimes: [], deletes, droppedDeletes: j.droppedDeletes, index: new ShardedMap() };
    this.outgoing = h;
    this.outgoingJournal = j;
    this.peerDeletes = null;
    this.capturing = { h, fill: copyRecords(this.host.store, j, h) };
    const done = this.copyInSlices(h);
    this.captureDone = done;
    return done;
  }

  private async copyInSlices(h: Handoff): Promise<Handoff | null> {
    let release: (() => void) | null = null;
    try {
      while (!this.stepCapture(performance.now() + SEND_SLICE_MS)) {
        release ??= this.host.holdTable();
        await yieldToLoop();
        // Withdrawn (record()), or finished at once by reclaim().
        if (this.capturing?.h !== h) break;
      }
    } catch (err) {
      // Not expected (it copies this table's own sessions): what was copied goes, the loss is recorded.
      if (this.capturing?.h === h) this.capturing = null;
      const cause = `split hand-over: the copy of the table failed after ${h.sessions.length} sessions (${(err as Error).message})`;
      this.host.callLoss.record({ at: this.host.now(), cause, expected: 0, recovered: 0, lostEligible: 0, lostYoung: 0 });
    } finally {
      release?.();
    }
    return this.outgoing === h ? h : null;
  }

  /** Copies records of the capture in progress until `deadline` (performance.now()); true once it is done. */
  private stepCapture(deadline: number): boolean {
    const c = this.capturing;
    if (c === null) return true;
    let n = 0;
    while (!c.fill.next().done) if ((++n & 63) === 0 && performance.now() > deadline) return false;
    this.capturing = null;
    if (c.h.sessions.length === 0 && c.h.deletes.length === 0 && this.outgoing === c.h) {
      this.outgoing = null;
      this.outgoingJournal = null;
    }
    return true;
  }

  /**
   * Becoming Active again (a takeover from Standby) with a hand-over the peer never
   * acknowledged, after taking the peer's checkpoints (so this table no longer holds those
   * changes, and no withdrawal can give them back): they would be lost with the hand-over, or,
   * kept, applied over newer data were the peer to become Active later. They are merged into
   * this table instead, under the conflict rule, as the winner merges a hand-over it receives,
   * except that what the peer wrote while apart is not known here, only when it last wrote each
   * session: an attribute takes the hand-over's value when it was written after that (or the
   * table's copy lacks it), a deletion is applied when it was made after that (one at an
   * unknown time is not). What this chassis' clients write once it is Active again is later
   * than anything handed over, and wins.
   *
   * Call it before the takeover: it takes the hand-over and says whether the takeover must keep
   * the sessions' last writes before it (SessionStore.beginTakeover); then startReclaim() once
   * Active, after record(), so that what it writes is journaled.
   */
  reclaim(): boolean {
    const h = this.outgoing;
    if (h === null || this.outgoingJournal !== null) return false;
    this.stepCapture(Infinity); // a copy still going ends here, in this turn
    if (this.outgoing !== h) return false;
    this.outgoing = null;
    this.endSend();
    this.stats.handoffsWithdrawn++;
    const peerDeletes = this.peerDeletes;
    this.peerDeletes = null;
    const done = new Uint8Array(h.sessions.length + h.deletes.length);
    this.reclaiming = { h, next: 0, done, merging: false, since: this.host.store.versionNow, peerDeletes, merged: 0, peerDeleted: 0, same: 0, deleted: 0, kept: [], superseded: 0, failed: 0, firstError: null };
    return true;
  }

  /**
   * Merges the hand-over taken by reclaim() in slices of SEND_SLICE_MS with the event loop's
   * turns between them (a whole table's took 18.7 s in one turn for 1M sessions); reclaimDone
   * settles when it is done.
   */
  startReclaim(): void {
    const r = this.reclaiming;
    if (r === null) return;
    // A session read (or written) before the walk reaches it is merged first: reads see the
    // merged table at once, and a client's write goes on top of the merge.
    this.host.store.setBeforeRead((id) => this.reclaimFirst(r, id));
    this.reclaimDone = this.reclaimInSlices(r);
  }

  /** Merges the hand-over's record or deletion of `id` now, if the merge has not yet. */
  private reclaimFirst(r: Reclaim, id: string): void {
    if (this.reclaiming !== r || r.merging) return; // a merge reads only the session it merges
    const at = r.h.index.get(id);
    if (at === undefined) return;
    this.reclaimAt(r, at >= 0 ? at : r.h.sessions.length - 1 - at);
  }

  /** Merges the record (then deletion) at `i`, unless done; a failure is counted, and the rest goes on. */
  private reclaimAt(r: Reclaim, i: number): void {
    if (r.done[i] !== 0) return;
    r.done[i] = 1;
    r.merging = true;
    const { h } = r;
    try {
      if (i < h.sessions.length) this.reclaimRecord(r, h.sessions[i], h.attrTimes[i]);
      else this.reclaimDelete(r, h.deletes[i - h.sessions.length]);
    } catch (err) {
      // Not expected (the records come from this table); counted as call loss.
      r.failed++;
      r.firstError ??= (err as Error).message;
    } finally {
      r.merging = false;
    }
  }

  /** Ends a merge in progress (startReclaim) in this turn: before the journal is captured, or the role given up. */
  finishReclaim(): void {
    this.stepReclaim(Infinity);
  }

  /** The engine closes: a merge in progress stops. */
  abandonReclaim(): void {
    if (this.reclaiming === null) return;
    this.reclaiming = null;
    this.host.store.setBeforeRead(null);
    this.host.store.dropPriorWrites();
  }

  private async reclaimInSlices(r: Reclaim): Promise<void> {
    while (!this.stepReclaim(performance.now() + SEND_SLICE_MS)) {
      await yieldToLoop();
      if (this.reclaiming !== r) return; // finished at once, or abandoned
    }
  }

  private stepReclaim(deadline: number): boolean {
    const r = this.reclaiming;
    if (r === null) return true;
    const { h } = r;
    const total = r.done.length;
    while (r.next < total) {
      this.reclaimAt(r, r.next++);
      if ((r.next & 63) === 0 && performance.now() > deadline) return false;
    }
    this.reclaiming = null;
    this.host.store.setBeforeRead(null);
    this.host.store.dropPriorWrites();
    if (r.failed > 0) {
      const cause = `split hand-over taken back: ${r.failed} sessions could not be merged (${r.firstError ?? ''})`;
      this.host.callLoss.record({ at: this.host.now(), cause, expected: r.failed, recovered: 0, lostEligible: r.failed, lostYoung: 0 });
    }
    this.host.emit({
      type: 'split-handoff-applied',
      at: this.host.now(),
      handoffId: h.id,
      applied: r.merged + r.deleted,
      conflicts: r.kept.length,
      conflictIds: r.kept.slice(0, MAX_CONFLICT_IDS),
      cause:
        `our own hand-over, never acknowledged by the peer, taken back on becoming Active again: ${r.merged} sessions merged, ${r.same} already so, ` +
        `${r.superseded} written or deleted here since, ${r.peerDeleted} deleted by the peer since the step-down, ${r.deleted} deletions applied, ${r.kept.length} not (the session was written after them, or their time is unknown)` +
        (r.failed > 0 ? `, ${r.failed} failed (${r.firstError ?? ''})` : ''),
    });
    return true;
  }

  private reclaimRecord(r: Reclaim, own: SessionRecord, t: AttrTimes | undefined): void {
    const { store } = this.host;
    const j = this.journal;
    if (j?.deleted.has(own.id)) {
      r.superseded++; // deleted by a client since the takeover: later than our write
      return;
    }
    const lastWrite = store.takeLastWriteBeforeTakeover(own.id);
    const local = store.get(own.id);
    if (local === undefined && r.peerDeletes?.has(own.id)) {
      r.peerDeleted++; // deleted by the peer after our step-down: later than our write
      return;
    }
    let winner: AttrChanges | null = null;
    if (local !== undefined && local.version > r.since) {
      // Written by a client since the takeover: those writes are later than ours.
      const since = j?.changedAttrs(own.id);
      if (!since) {
        r.superseded++; // which attributes is no longer known (the journal counts the whole table)
        return;
      }
      winner = { before: since.before ?? lastWrite ?? null, times: since.times };
    } else if (local !== undefined) winner = { before: lastWrite ?? local.expiresAt - local.lifetimeMs, times: new Map() };
    const table = local ? toRecord(local) : null;
    const merged = mergeForHandoff(own, table, table !== null, { winner, loser: timesOf(t) });
    if (table !== null && sameContent(merged, table)) {
      r.same++;
      return;
    }
    this.host.put(merged);
    r.merged++;
  }

  private reclaimDelete(r: Reclaim, d: Handoff['deletes'][number]): void {
    const { store } = this.host;
    const lastWrite = store.takeLastWriteBeforeTakeover(d.id);
    const local = store.get(d.id);
    if (local === undefined) return;
    if (local.version > r.since || d.at === null || lastWrite === undefined || lastWrite > d.at) {
      if (local.version > r.since) r.superseded++;
      else r.kept.push(d.id);
      return;
    }
    this.host.remove(d.id);
    r.deleted++;
  }

  /**
   * Sends the captured hand-over (again: on every link up until it is acknowledged), in slices
   * of SEND_SLICE_MS (the macro stream's) with the event loop's turns between them, and no
   * faster than the link drains: a whole-table hand-over (a peer that never acknowledged a bulk
   * sync) is a thousand chunks of a thousand records, seconds of encoding in one turn
   * otherwise. A send in progress gives way to a newer one, which starts from the first chunk.
   */
  send(): void {
    const h = this.outgoing;
    if (!h) return;
    this.endSend();
    void this.sendChunks(h, this.sendRun);
  }

  private endSend(): void {
    this.sendRun++;
    this.wakeSend?.();
    this.wakeSend = null;
  }

  private async sendChunks(h: Handoff, run: number): Promise<void> {
    const { transport } = this.host;
    const live = (): boolean => this.sendRun === run && this.outgoing === h;
    if (this.capturing?.h === h) {
      await this.captureDone;
      if (!live()) return;
    }
    const total = Math.max(1, Math.ceil(h.sessions.length / CHUNK));
    let sliceStart = performance.now();
    for (let i = 0; i < total; i++) {
      if (i > 0 && (performance.now() - sliceStart > SEND_SLICE_MS || !transport.writable)) {
        await yieldToLoop();
        while (live() && !transport.writable) {
          await new Promise<void>((resolve) => {
            this.wakeSend = resolve;
            void this.host.waitDrain().then(resolve);
          });
        }
        if (!live()) return;
        sliceStart = performance.now();
      }
      const last = i === total - 1;
      const msg: SplitHandoff = {
        handoffId: h.id,
        epoch: h.epoch,
        chunkSequence: i + 1,
        last,
        sessions: h.sessions.slice(i * CHUNK, (i + 1) * CHUNK),
        attrTimes: h.attrTimes.slice(i * CHUNK, (i + 1) * CHUNK),
        deletedIds: last ? h.deletes.map((d) => d.id) : [],
        deletedVersions: last ? h.deletes.map((d) => d.version) : [],
      };
      this.host.transport.send({ kind: 'splitHandoff', body: msg });
    }
    this.stats.handoffsSent++;
    this.host.emit({ type: 'split-handoff-sent', at: this.host.now(), handoffId: h.id, sessions: h.sessions.length, deletes: h.deletes.length, cause: 'stepped down for the peer: handing over what was acknowledged while apart' });
  }

  get pendingHandoff(): boolean {
    return this.outgoing !== null;
  }

  onAck(ack: SplitHandoffAck): void {
    if (!this.outgoing || ack.handoffId !== this.outgoing.id) return;
    this.outgoing = null;
    this.outgoingJournal = null;
    this.peerDeletes = null;
    this.endSend();
    this.stats.handoffsAcked++;
    this.host.emit({ type: 'split-handoff-acked', at: this.host.now(), handoffId: ack.handoffId, applied: ack.applied, conflicts: ack.conflicts, cause: 'the peer applied our hand-over' });
  }

  /** As the winner (Active): applies one chunk of the peer's hand-over under the conflict rule. */
  apply(h: SplitHandoff): void {
    const key = `${h.epoch}/${h.handoffId}`;
    const seen = this.applied.get(key) ?? { chunks: 0, applied: 0, conflicts: 0, conflictIds: [] };
    if (h.chunkSequence > seen.chunks) {
      seen.chunks = h.chunkSequence;
      h.sessions.forEach((r, i) => this.applyRecord(r, h.attrTimes[i], seen));
      for (const id of h.deletedIds) {
        if (this.changedWhileApart(id) && this.host.store.has(id)) this.conflict(id, seen);
        else if (this.host.store.has(id)) {
          this.host.remove(id);
          seen.applied++;
          this.stats.deletesApplied++;
        }
      }
      this.applied.set(key, seen);
    }
    if (!h.last) return;
    this.stats.handoffsApplied++;
    this.stats.lastConflictIds = seen.conflictIds.slice();
    this.host.transport.send({ kind: 'splitHandoffAck', body: { handoffId: h.handoffId, applied: seen.applied, conflicts: seen.conflicts, conflictIds: seen.conflictIds } });
    this.host.emit({
      type: 'split-handoff-applied',
      at: this.host.now(),
      handoffId: h.handoffId,
      applied: seen.applied,
      conflicts: seen.conflicts,
      conflictIds: seen.conflictIds,
      cause: `the peer's changes while apart: ${seen.applied} applied, ${seen.conflicts} merged with ours`,
    });
  }

  private applyRecord(r: SessionRecord, t: AttrTimes | undefined, seen: { applied: number; conflicts: number; conflictIds: string[] }): void {
    const local = this.host.store.get(r.id);
    if (local === undefined) {
      // Deleted here while apart, after the loser last wrote it (a whole-table hand-over carries
      // sessions the loser never touched): the deletion is the later write and stays.
      const deletedAt = this.journal?.deletedAt.get(r.id);
      if (deletedAt !== undefined && r.expiresAtMs - r.lifetimeMs <= deletedAt) {
        this.conflict(r.id, seen);
        return;
      }
    }
    const both = local !== undefined && this.changedWhileApart(r.id);
    this.host.put(mergeForHandoff(r, local ? toRecord(local) : null, both, { winner: this.journal?.changedAttrs(r.id) ?? null, loser: timesOf(t) }));
    if (both) this.conflict(r.id, seen);
    else {
      seen.applied++;
      this.stats.recordsApplied++;
    }
  }

  private conflict(id: string, seen: { conflicts: number; conflictIds: string[] }): void {
    seen.conflicts++;
    this.stats.conflicts++;
    if (seen.conflictIds.length < MAX_CONFLICT_IDS) seen.conflictIds.push(id);
  }
}

/** The loser's attribute times of a hand-over record, by name. */
function timesOf(t: AttrTimes | undefined): Map<string, number> {
  const m = new Map<string, number>();
  if (t) t.names.forEach((k, i) => m.set(k, t.atMs[i] ?? 0));
  return m;
}

/**
 * Copies the hand-over's records into `h` and fills its index, one per step: every session of the table when the
 * journal no longer lists ids, else each listed session still in the table, with its attribute
 * times (only the times it knows: a change at an unknown time never wins a clash).
 */
function* copyRecords(store: SessionStore, j: SplitJournal, h: Handoff): Generator<void, void, void> {
  // The deletions' places first (up to 200,000: in the slices, not in the step-down's turn).
  for (let k = 0; k < h.deletes.length; k++) {
    h.index.set(h.deletes[k].id, -1 - k);
    yield;
  }
  const ids = j.ids();
  if (ids === undefined) {
    for (const s of store.values()) {
      h.index.set(s.id, h.sessions.length);
      h.sessions.push(toRecord(s));
      yield;
    }
    return;
  }
  for (const id of ids) {
    const s: Session | undefined = store.get(id);
    if (!s) continue;
    h.index.set(id, h.sessions.length);
    h.sessions.push(toRecord(s));
    const t = j.changedAttrs(id);
    h.attrTimes.push(t ? { names: [...t.times.keys()], atMs: [...t.times.values()] } : { names: [], atMs: [] });
    yield;
  }
}

/** Whether the merge changed nothing the table's copy holds (no write needed). */
function sameContent(a: SessionRecord, b: SessionRecord): boolean {
  if (a.sessionClass !== b.sessionClass || a.lifetimeMs !== b.lifetimeMs || a.expiresAtMs !== b.expiresAtMs) return false;
  return sameEntries(a.attrs, b.attrs) && sameEntries(a.counters, b.counters);
}

function sameEntries<T>(a: Record<string, T>, b: Record<string, T>): boolean {
  let n = 0;
  for (const k in a) {
    if (a[k] !== b[k]) return false;
    n++;
  }
  return n === Object.keys(b).length;
}
