/**
 * The engine's side of split brain (split.ts): it keeps the journal while this chassis is an
 * Active whose table no Standby holds, captures and sends the hand-over when it steps down for
 * its peer, and applies a hand-over received as the winner.
 */
import type { CallLossLog } from './call-loss.js';
import type { AttrTimes, CheckpointTransport, SessionRecord, SplitHandoff, SplitHandoffAck } from './messages.js';
import type { CheckpointEvent, SplitStatistics } from './stats.js';
import { SplitJournal, mergeForHandoff, type Handoff } from './split.js';
import type { Session } from './table/session.js';
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

  noteDelete(id: string, version: number): void {
    this.journal?.noteDelete(id, version);
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
   * Returns the hand-over (null when there is nothing to hand over); send it with send().
   */
  capture(epoch: number): Handoff | null {
    // An open journal has everything since it opened (record()); else seed one now.
    const j = this.journal ?? this.seed(new SplitJournal());
    this.journal = null;
    this.refresh();
    const { store } = this.host;
    const sessions: SessionRecord[] = [];
    const attrTimes: AttrTimes[] = [];
    const ids = j.ids();
    if (ids === undefined) for (const s of store.values()) sessions.push(toRecord(s));
    else
      for (const id of ids) {
        const s: Session | undefined = store.get(id);
        if (!s) continue;
        sessions.push(toRecord(s));
        // Only the times it knows: a change at an unknown time never wins a clash.
        const t = j.changedAttrs(id);
        attrTimes.push(t ? { names: [...t.times.keys()], atMs: [...t.times.values()] } : { names: [], atMs: [] });
      }
    const deletes = [...j.deleted].map(([id, version]) => ({ id, version }));
    if (j.droppedDeletes > 0) {
      this.stats.deletesDropped += j.droppedDeletes;
      const at = this.host.now();
      this.host.callLoss.record({ at, cause: 'split hand-over: deletions past the tombstone limit were not handed over', expected: j.droppedDeletes, recovered: 0, lostEligible: j.droppedDeletes, lostYoung: 0 });
    }
    if (sessions.length === 0 && deletes.length === 0) return null;
    this.endSend(); // a send of an earlier hand-over, if one is still going
    this.outgoing = { id: this.nextId++, epoch, sessions, attrTimes, deletes, droppedDeletes: j.droppedDeletes };
    this.outgoingJournal = j;
    return this.outgoing;
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
    const both = local !== undefined && this.changedWhileApart(r.id);
    const loser = new Map<string, number>();
    if (t) t.names.forEach((k, i) => loser.set(k, t.atMs[i] ?? 0));
    this.host.put(mergeForHandoff(r, local ? toRecord(local) : null, both, { winner: this.journal?.changedAttrs(r.id) ?? null, loser }));
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
