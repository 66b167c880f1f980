/**
 * When this Active made each change its Standby has not acknowledged yet, and which attributes
 * it set or removed: the split journal opens only when the Active notices the split (its peer
 * lost, its link down), and the changes it made before that, still unacknowledged, must carry
 * their real times into a hand-over's conflict rule (split.ts), not the moment it noticed.
 *
 * A log in write order, as parallel arrays (no object per change: the micro batcher's hot path),
 * cut from the front as the Standby acknowledges: the batcher says when its queue was empty
 * after a batch (`drained`: every change logged so far went in that batch or an earlier one)
 * and which batches are acknowledged (`acked`). Bounded: past `limit` entries the oldest are
 * dropped, and `droppedUpTo` says until when the log no longer knows every change.
 */

/** The attributes a change set or removed; null: every attribute (a full record). */
export type ChangedAttrs = readonly string[] | null;

/** One session's changes, in write order. */
export interface LoggedChange {
  attrs: ChangedAttrs;
  at: number;
}

export const DEFAULT_UNACKED_LOG_LIMIT = 200_000;
const MAX_MARKS = 1024;

export class UnackedAttrLog {
  private ids: string[] = [];
  private attrs: ChangedAttrs[] = [];
  private at: number[] = [];
  /** Index of the first live entry in the arrays, and the absolute position of index 0. */
  private head = 0;
  private base = 0;
  /** Batch sequence -> log position: every change before the position went in a batch <= seq. */
  private marks: { seq: number; pos: number }[] = [];
  private lastAcked = 0;
  /** Time of the newest change dropped unacknowledged (the limit): -Infinity when none. */
  droppedUpTo = -Infinity;

  constructor(private readonly limit = DEFAULT_UNACKED_LOG_LIMIT) {}

  get size(): number {
    return this.ids.length - this.head;
  }

  /** The absolute position after the last entry. */
  private get end(): number {
    return this.base + this.ids.length;
  }

  note(id: string, attrs: ChangedAttrs, at: number): void {
    this.ids.push(id);
    this.attrs.push(attrs);
    this.at.push(at);
    if (this.size > this.limit) {
      this.droppedUpTo = this.at[this.head];
      this.dropBefore(this.base + this.head + 1);
    }
  }

  /** The batcher's queue is empty after batch `seq` (or no batch went: seq is the last one). */
  drained(seq: number): void {
    if (seq <= this.lastAcked) {
      this.dropBefore(this.end);
      return;
    }
    const last = this.marks[this.marks.length - 1];
    if (last && last.seq === seq) last.pos = this.end;
    else if (this.marks.length >= MAX_MARKS && last) Object.assign(last, { seq, pos: this.end });
    else this.marks.push({ seq, pos: this.end });
  }

  /** The Standby acknowledged batches up to `upTo`. */
  acked(upTo: number): void {
    if (upTo > this.lastAcked) this.lastAcked = upTo;
    let n = 0;
    let pos = -1;
    while (n < this.marks.length && this.marks[n].seq <= upTo) pos = this.marks[n++].pos;
    if (n === 0) return;
    this.marks.splice(0, n);
    this.dropBefore(pos);
  }

  /** The changes logged for each of `ids`, in write order (a session not logged: absent). */
  changesOf(ids: readonly string[]): Map<string, LoggedChange[]> {
    const want = new Set(ids);
    const out = new Map<string, LoggedChange[]>();
    for (let i = this.head; i < this.ids.length; i++) {
      const id = this.ids[i];
      if (!want.has(id)) continue;
      let list = out.get(id);
      if (!list) out.set(id, (list = []));
      list.push({ attrs: this.attrs[i], at: this.at[i] });
    }
    return out;
  }

  /** Forgets everything (the sender detached: a new peer gets a bulk sync). */
  clear(): void {
    this.base += this.ids.length;
    this.ids = [];
    this.attrs = [];
    this.at = [];
    this.head = 0;
    this.marks = [];
    this.droppedUpTo = -Infinity;
  }

  private dropBefore(pos: number): void {
    const idx = Math.min(pos - this.base, this.ids.length);
    if (idx <= this.head) return;
    this.head = idx;
    if (this.head === this.ids.length) {
      this.base += this.ids.length;
      this.ids = [];
      this.attrs = [];
      this.at = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.ids.length) {
      this.base += this.head;
      this.ids = this.ids.slice(this.head);
      this.attrs = this.attrs.slice(this.head);
      this.at = this.at.slice(this.head);
      this.head = 0;
    }
  }
}
