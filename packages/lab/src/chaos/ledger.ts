// Every write the chaos suite had acknowledged, and what each one leaves in a session.
//
// Each write carries its own mark, so it can be judged alone, whatever happened to the writes
// before it (a write that timed out may or may not have been applied somewhere):
//   create   attrs.w = 1
//   attr     attrs.w = the session's next sequence number (2, 3, ...)
//   counter  counters.c = the last value sent + 1 (counters only go up)
// A final session holds write k (or a later one) when its attrs.w >= k's w for attribute writes
// and creates, and its counters.c >= k's c for counter writes. Both only grow in the order the
// writer sends, so "a later one" is covered, and a session missing altogether holds nothing.
// A create also sets attrs.born, and counters.c = 0 (a session is born with its counter, so an
// increment is an increment of a counter the Standby has). An update of a session the chassis
// no longer has creates it afresh (an upsert), without `born`: the daemon says so
// (`createdOps`), the ledger notes when, and every write acknowledged before that is not held,
// whatever the marks say. That new incarnation is young again from then on.
// The log is kept as parallel number arrays: a load scenario acknowledges hundreds of thousands.

export type WriteKind = 'create' | 'attr' | 'counter';
const KINDS: readonly WriteKind[] = ['create', 'attr', 'counter'];

/** A write sent but not answered yet. */
export interface PendingWrite {
  session: number;
  kind: WriteKind;
  mark: number;
  op: Record<string, unknown>;
}

export interface AckedWrite {
  id: string;
  kind: WriteKind;
  /** attrs.w (create, attr) or counters.c (counter) the write set. */
  mark: number;
  /** The session version the daemon answered (null when it gave none). */
  version: number | null;
  /** When the answer arrived (lab clock, ms). */
  ackedAt: number;
  /** Which chassis acknowledged it. */
  node: string;
}

export class Ledger {
  readonly ids: string[] = [];
  private readonly index = new Map<string, number>();
  /** Per session: when its create was acknowledged (NaN: not yet). */
  readonly createdAt: number[] = [];
  private readonly nextSeq: number[] = [];
  private readonly counter: number[] = [];
  /** Per session: when updates created it afresh (only sessions that had it happen). */
  private readonly recreations = new Map<number, number[]>();
  /** Per session: the highest acknowledged marks (0: none). */
  readonly maxW: number[] = [];
  readonly maxC: number[] = [];
  // The log of acknowledged writes, one entry per index across these arrays.
  private readonly lSession: number[] = [];
  private readonly lKind: number[] = [];
  private readonly lMark: number[] = [];
  private readonly lVersion: number[] = [];
  private readonly lAt: number[] = [];
  private readonly lNode: number[] = [];
  private readonly nodes: string[] = [];
  /** Writes sent whose answer never came or was a refusal. */
  unacked = 0;

  get acked(): number {
    return this.lSession.length;
  }

  get sessions(): number {
    return this.ids.length;
  }

  /** Indexes of sessions whose create was acknowledged, in acknowledgement order. */
  readonly live: number[] = [];
  /** Sessions a paced load owns: the writer does not pick them. */
  private readonly reserved = new Set<number>();

  /** Reserves `s` for one writer; false when it was reserved already. */
  reserve(s: number): boolean {
    if (this.reserved.has(s)) return false;
    this.reserved.add(s);
    return true;
  }

  isReserved(s: number): boolean {
    return this.reserved.has(s);
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  sessionOf(id: string): number | undefined {
    return this.index.get(id);
  }

  /** A create of a new session `id`. */
  planCreate(id: string, extraAttrs?: Record<string, string>): PendingWrite {
    if (this.index.has(id)) throw new Error(`ledger: session ${id} planned twice`);
    const s = this.ids.length;
    this.ids.push(id);
    this.index.set(id, s);
    this.createdAt.push(NaN);
    this.nextSeq.push(2);
    this.counter.push(0);
    this.maxW.push(0);
    this.maxC.push(0);
    return { session: s, kind: 'create', mark: 1, op: { op: 'upsert', id, attrs: { ...extraAttrs, born: '1', w: '1' }, counters: { c: 0 } } };
  }

  planAttr(s: number): PendingWrite {
    const seq = this.nextSeq[s]++;
    return { session: s, kind: 'attr', mark: seq, op: { op: 'upsert', id: this.ids[s], attrs: { w: String(seq) } } };
  }

  planCounter(s: number): PendingWrite {
    const c = ++this.counter[s];
    return { session: s, kind: 'counter', mark: c, op: { op: 'upsert', id: this.ids[s], counters: { c } } };
  }

  /** The daemon holds counter c at `value` already (a new Active advanced it): go on from there. */
  rebaseCounter(s: number, value: number): void {
    if (value > this.counter[s]) this.counter[s] = value;
  }

  /**
   * Records `writes` as acknowledged by `node` at `at`: `versions` per write, `createdOps` the
   * indexes of writes that created their session (as the daemon answered them).
   */
  ack(writes: readonly PendingWrite[], versions: ReadonlyArray<number | null> | undefined, at: number, node: string, createdOps?: readonly number[]): void {
    let n = this.nodes.indexOf(node);
    if (n < 0) n = this.nodes.push(node) - 1;
    for (const i of createdOps ?? []) {
      const w = writes[i];
      if (w && w.kind !== 'create') {
        const list = this.recreations.get(w.session) ?? [];
        list.push(at);
        this.recreations.set(w.session, list);
      }
    }
    for (let i = 0; i < writes.length; i++) {
      const w = writes[i];
      if (w === undefined) continue;
      const s = w.session;
      if (w.kind === 'create') {
        if (Number.isNaN(this.createdAt[s])) {
          this.createdAt[s] = at;
          this.live.push(s);
        }
      }
      if (w.kind === 'counter') this.maxC[s] = Math.max(this.maxC[s] ?? 0, w.mark);
      else this.maxW[s] = Math.max(this.maxW[s] ?? 0, w.mark);
      this.lSession.push(s);
      this.lKind.push(KINDS.indexOf(w.kind));
      this.lMark.push(w.mark);
      this.lVersion.push(versions?.[i] ?? -1);
      this.lAt.push(at);
      this.lNode.push(n);
    }
  }

  /** When the incarnation of `s` that a write acknowledged at `at` went to began. */
  bornAt(s: number, at: number): number {
    let t = this.createdAt[s] ?? NaN;
    for (const r of this.recreations.get(s) ?? []) if (r <= at && !(r < t)) t = r;
    return t;
  }

  /** Sessions seen replicated (equal digests with every one of them eligible), and when. */
  private readonly confirmed = new Map<number, number>();

  /** Every session acknowledged so far is on the Standby (checked from outside) at `at`. */
  confirmReplicated(at: number): void {
    for (const s of this.live) this.confirmed.set(s, at);
  }

  /**
   * Until when the incarnation of `s` that a write acknowledged at `at` went to counts as
   * young: its birth + `youngMs`; never, if it was seen replicated (whatever lost it then did
   * so after that, when it was no longer young).
   */
  youngUntil(s: number, at: number, youngMs: number): number {
    const born = this.bornAt(s, at);
    const seen = this.confirmed.get(s);
    return seen !== undefined && seen >= born ? -Infinity : born + youngMs;
  }

  /** The last time an update created `s` afresh (NaN: never). */
  lastRecreation(s: number): number {
    const list = this.recreations.get(s);
    return list && list.length > 0 ? Math.max(...list) : NaN;
  }

  nack(writes: readonly PendingWrite[]): void {
    this.unacked += writes.length;
  }

  /** Every acknowledged write of the sessions in `sessions`, in acknowledgement order. */
  writesOf(sessions: ReadonlySet<number>): Map<number, AckedWrite[]> {
    const out = new Map<number, AckedWrite[]>();
    for (let i = 0; i < this.lSession.length; i++) {
      const s = this.lSession[i] ?? -1;
      if (!sessions.has(s)) continue;
      const v = this.lVersion[i] ?? -1;
      const list = out.get(s) ?? [];
      list.push({
        id: this.ids[s] ?? '?',
        kind: KINDS[this.lKind[i] ?? 0] ?? 'create',
        mark: this.lMark[i] ?? 0,
        version: v < 0 ? null : v,
        ackedAt: this.lAt[i] ?? 0,
        node: this.nodes[this.lNode[i] ?? 0] ?? '?',
      });
      out.set(s, list);
    }
    return out;
  }
}
