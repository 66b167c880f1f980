/**
 * Split brain healed: what an Active acknowledged while its peer may not have received it, and
 * the hand-over of those changes to the chassis that wins when two Actives meet.
 *
 * The journal records every change (create, update, delete) an Active makes while no Standby
 * holds its table: from the moment it becomes Active until a Standby has applied a bulk sync
 * from it, and from a link loss (seeded with what was pending or unacknowledged then) until the
 * next bulk sync is acknowledged. A chassis that steps down for its peer captures the journal
 * (and what its sender still had unacknowledged) as session records and tombstones and hands
 * them to the winner, which applies them under the conflict rule of `mergeForHandoff`.
 *
 * Bounded memory: past `maxIds` entries the journal stops listing ids and marks the whole table
 * (a hand-over of every session); tombstones past `maxDeletes` are dropped and counted, and
 * reported as call loss with their own reason by the engine.
 */
import type { AttrTimes, SessionRecord } from './messages.js';
import { ShardedMap } from './table/shards.js';

export interface JournalLimits {
  maxIds: number;
  maxDeletes: number;
}

export const DEFAULT_JOURNAL_LIMITS: JournalLimits = { maxIds: 200_000, maxDeletes: 200_000 };

/**
 * What one session's changes while apart did to its attributes: `times`, when each named
 * attribute was last set or removed; `before`, when not null, that any attribute may also have
 * changed at a time not after it (a create, or a change taken over from what the sender had
 * unacknowledged at a link loss).
 */
export interface AttrChanges {
  before: number | null;
  times: Map<string, number>;
}

/**
 * A changed session's journal entry: AttrChanges.before, and its attribute times flat as name,
 * time, name, time... (null: none). A Map per entry cost a busy Active a Map allocation for every
 * session it changed during a bulk sync (5 % of its main thread in a profile of the sync).
 */
interface Entry {
  before: number | null;
  times: Array<string | number> | null;
}

export class SplitJournal {
  /** Changed (or created) session ids and what changed; null once the whole table counts. */
  private entries: Map<string, Entry> | null = new Map();
  /** Deleted ids and the version of the deletion. */
  readonly deleted = new Map<string, number>();
  /** When each deletion was made (absent: at an unknown time, as one seeded from the sender). */
  readonly deletedAt = new Map<string, number>();
  /** Deletions past the tombstone limit: not handed over. */
  droppedDeletes = 0;

  constructor(private readonly limits: JournalLimits = DEFAULT_JOURNAL_LIMITS) {}

  /** True once the journal stopped listing ids: every session of the table is handed over. */
  get whole(): boolean {
    return this.entries === null;
  }

  get size(): number {
    return (this.entries?.size ?? 0) + this.deleted.size;
  }

  /**
   * `attrs`: the attribute names the change set or removed, at `at`; omitted: every attribute
   * counts, at an unknown time.
   */
  noteChange(id: string, attrs?: readonly string[], at = 0): void {
    const m = this.entries;
    if (m === null) return;
    if (this.deleted.size > 0) {
      this.deleted.delete(id);
      this.deletedAt.delete(id);
    }
    let e = m.get(id);
    if (e === undefined) {
      m.set(id, (e = { before: null, times: null }));
      if (m.size > this.limits.maxIds) {
        this.entries = null;
        return;
      }
    }
    if (attrs === undefined) e.before = Math.max(e.before ?? at, at);
    else for (const k of attrs) setTime(e, k, at);
  }

  /**
   * The attributes of `id` changed while apart and when: null when the journal no longer lists
   * ids, undefined when the session was not changed.
   */
  changedAttrs(id: string): Readonly<AttrChanges> | null | undefined {
    const m = this.entries;
    if (m === null) return null;
    const e = m.get(id);
    if (e === undefined) return undefined;
    const times = new Map<string, number>();
    const t = e.times;
    if (t !== null) for (let i = 0; i < t.length; i += 2) times.set(t[i] as string, t[i + 1] as number);
    return { before: e.before, times };
  }

  /** `at`: when the deletion was made; omitted: at an unknown time. */
  noteDelete(id: string, version: number, at?: number): void {
    this.entries?.delete(id);
    if (this.deleted.size >= this.limits.maxDeletes && !this.deleted.has(id)) {
      this.droppedDeletes++;
      return;
    }
    this.deleted.set(id, version);
    if (at === undefined) this.deletedAt.delete(id);
    else this.deletedAt.set(id, at);
  }

  has(id: string): boolean {
    return this.entries === null || this.entries.has(id) || this.deleted.has(id);
  }

  /** The changed ids (undefined when the whole table counts). */
  ids(): Iterable<string> | undefined {
    return this.entries?.keys();
  }
}

/** Records that `e`'s attribute `name` was set or removed at `at` (the last time counts). */
function setTime(e: Entry, name: string, at: number): void {
  const t = (e.times ??= []);
  for (let i = 0; i < t.length; i += 2) {
    if (t[i] === name) {
      t[i + 1] = at;
      return;
    }
  }
  t.push(name, at);
}

/** What a stepping-down chassis hands over: records of changed sessions and tombstones. */
export interface Handoff {
  id: number;
  epoch: number;
  sessions: SessionRecord[];
  /** Parallel to sessions: when the loser set each attribute it changed while apart. */
  attrTimes: AttrTimes[];
  /** `at`: when the deletion was made (null: unknown); only this chassis reads it, the wire has no field for it. */
  deletes: { id: string; version: number; at: number | null }[];
  droppedDeletes: number;
  /**
   * Where each id is: its record's place in `sessions`, or -1 - its place in `deletes`. Built
   * with the copy; a merge back (handoff.ts) finds by it the record of a session that is read
   * before the merge has reached it.
   */
  index: ShardedMap<number>;
}

/**
 * The winner's conflict rule for a session both sides changed while apart: the union of the
 * attributes where an attribute both set or removed while apart takes the later write (`winner`
 * and `loser` times: when each side set it, on its clock; the winner on a tie), the loser's value
 * for the rest. Where the winner may have changed an attribute at an unknown time, the earlier
 * of two bounds stands for it: AttrChanges.before, and its session's last write; when the journal no longer lists ids (null), the
 * winner session's last write (the last restart of its lifetime, as every upsert of the session
 * API restarts it) does: the loser's value wins only where the loser wrote it after that. Each
 * counter at the higher of the two
 * (counters never go down, and the higher value never reuses a sequence number), the longer
 * lifetime and the later expiry, the winner's class. A session only the loser changed is taken
 * as the loser has it, over the winner's attributes it does not have (counters still at the
 * higher value). A deletion loses to a change the winner made; otherwise it is applied.
 */
export function mergeForHandoff(
  loser: SessionRecord,
  winner: SessionRecord | null,
  winnerChanged: boolean,
  times: { winner: Readonly<AttrChanges> | null; loser: ReadonlyMap<string, number> } = { winner: null, loser: new Map() },
): SessionRecord {
  if (!winner) return loser;
  const counters: Record<string, bigint> = { ...loser.counters };
  for (const [k, v] of Object.entries(winner.counters)) if (counters[k] === undefined || v > counters[k]) counters[k] = v;
  if (!winnerChanged) {
    // The loser's session over the winner's attributes: what the loser holds may lack some of
    // the winner's (a chassis that took over before its bulk sync finished made a session it
    // had not been sent yet anew, with only what it was written while apart); an attribute it
    // removed while apart stays removed.
    const attrs: Record<string, string> = { ...winner.attrs, ...loser.attrs };
    for (const k of times.loser.keys()) if (!(k in loser.attrs)) delete attrs[k];
    return { ...loser, attrs, counters };
  }
  // The winner's session as it is; the loser's value of every attribute the winner did not
  // touch (what the loser set while apart; the rest is the same on both sides), and of every
  // attribute both touched that the loser wrote later (or removed later).
  const w = times.winner;
  const lastWrite = winner.expiresAtMs - winner.lifetimeMs;
  const loserWins = (k: string): boolean => {
    const lt = times.loser.get(k);
    if (w === null) return !(k in winner.attrs) || (lt !== undefined && lt > lastWrite);
    // An unknown time is bounded twice: by `before` and by the session's last write.
    const wt = w.times.get(k) ?? (w.before === null ? undefined : Math.min(w.before, lastWrite));
    if (wt === undefined) return true;
    return lt !== undefined && lt > wt;
  };
  const attrs: Record<string, string> = { ...winner.attrs };
  for (const [k, v] of Object.entries(loser.attrs)) if (loserWins(k)) attrs[k] = v;
  for (const k of times.loser.keys()) if (!(k in loser.attrs) && loserWins(k)) delete attrs[k];
  return {
    ...winner,
    attrs,
    counters,
    lifetimeMs: Math.max(loser.lifetimeMs, winner.lifetimeMs),
    expiresAtMs: Math.max(loser.expiresAtMs, winner.expiresAtMs),
  };
}
