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
import type { SessionRecord } from './messages.js';

export interface JournalLimits {
  maxIds: number;
  maxDeletes: number;
}

export const DEFAULT_JOURNAL_LIMITS: JournalLimits = { maxIds: 200_000, maxDeletes: 200_000 };

export class SplitJournal {
  /** Changed (or created) session ids; null once the whole table counts. */
  private changed: Set<string> | null = new Set();
  /**
   * The attribute names each changed session had set or removed while apart (a change that
   * touched no attribute leaves an empty set; null: every attribute counts, as for a session
   * created while apart or seeded from what the sender had unacknowledged).
   */
  private readonly attrNames = new Map<string, Set<string> | null>();
  /** Deleted ids and the version of the deletion. */
  readonly deleted = new Map<string, number>();
  /** Deletions past the tombstone limit: not handed over. */
  droppedDeletes = 0;

  constructor(private readonly limits: JournalLimits = DEFAULT_JOURNAL_LIMITS) {}

  /** True once the journal stopped listing ids: every session of the table is handed over. */
  get whole(): boolean {
    return this.changed === null;
  }

  get size(): number {
    return (this.changed?.size ?? 0) + this.deleted.size;
  }

  /** `attrs`: the attribute names the change set or removed; omitted: every attribute counts. */
  noteChange(id: string, attrs?: Iterable<string>): void {
    const c = this.changed;
    if (c === null) return;
    this.deleted.delete(id);
    c.add(id);
    const known = this.attrNames.get(id);
    if (attrs === undefined) this.attrNames.set(id, null);
    else if (known !== null) {
      const set = known ?? new Set<string>();
      for (const k of attrs) set.add(k);
      this.attrNames.set(id, set);
    }
    if (c.size > this.limits.maxIds) {
      this.changed = null;
      this.attrNames.clear();
    }
  }

  /**
   * The attributes of `id` changed while apart: a set of names, null when every attribute
   * counts (or the journal no longer lists ids), undefined when the session was not changed.
   */
  changedAttrs(id: string): ReadonlySet<string> | null | undefined {
    if (this.changed === null) return null;
    if (!this.changed.has(id)) return undefined;
    return this.attrNames.get(id) ?? null;
  }

  noteDelete(id: string, version: number): void {
    this.changed?.delete(id);
    this.attrNames.delete(id);
    if (this.deleted.size >= this.limits.maxDeletes && !this.deleted.has(id)) {
      this.droppedDeletes++;
      return;
    }
    this.deleted.set(id, version);
  }

  has(id: string): boolean {
    return this.changed === null || this.changed.has(id) || this.deleted.has(id);
  }

  /** The changed ids (undefined when the whole table counts). */
  ids(): ReadonlySet<string> | undefined {
    return this.changed ?? undefined;
  }
}

/** What a stepping-down chassis hands over: records of changed sessions and tombstones. */
export interface Handoff {
  id: number;
  epoch: number;
  sessions: SessionRecord[];
  deletes: { id: string; version: number }[];
  droppedDeletes: number;
}

/**
 * The winner's conflict rule for a session both sides changed while apart: the union of the
 * attributes, the winner's value only for the attributes the winner itself set or removed while
 * apart (`winnerAttrs`; null: all of them), the loser's for the rest; each counter at the higher of the two
 * (counters never go down, and the higher value never reuses a sequence number), the longer
 * lifetime and the later expiry, the winner's class. A session only the loser changed is taken
 * as the loser has it (counters still at the higher value). A deletion loses to a change the
 * winner made; otherwise it is applied.
 */
export function mergeForHandoff(loser: SessionRecord, winner: SessionRecord | null, winnerChanged: boolean, winnerAttrs: ReadonlySet<string> | null = null): SessionRecord {
  if (!winner) return loser;
  const counters: Record<string, bigint> = { ...loser.counters };
  for (const [k, v] of Object.entries(winner.counters)) if (counters[k] === undefined || v > counters[k]) counters[k] = v;
  if (!winnerChanged) return { ...loser, counters };
  let attrs: Record<string, string>;
  if (winnerAttrs === null) attrs = { ...loser.attrs, ...winner.attrs };
  else {
    // The winner's session as it is, and the loser's value of every attribute it did not touch
    // (what it set while apart; the rest is the same on both sides).
    attrs = { ...winner.attrs };
    for (const [k, v] of Object.entries(loser.attrs)) if (!winnerAttrs.has(k)) attrs[k] = v;
  }
  return {
    ...winner,
    attrs,
    counters,
    lifetimeMs: Math.max(loser.lifetimeMs, winner.lifetimeMs),
    expiresAtMs: Math.max(loser.expiresAtMs, winner.expiresAtMs),
  };
}
