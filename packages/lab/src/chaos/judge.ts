// The acknowledged-write judge: after the scenario, the final Active's table is read (POST
// /v1/sessions/lookup, thousands of ids a call) and every session the ledger has is checked
// against its acknowledged writes (ledger.ts: each write leaves a mark). A write whose mark the
// final session does not hold is lost. Lost writes of a session that was young (younger than
// checkpoint.session-duration, so never replicated) at a moment the Active changed hands or a
// fault struck after the write are call loss, judged apart; lost writes of a session the
// Standby had never been sent (a bulk sync cut short) are reported as unsynced.
import type { SrpApi } from '../api.js';
import type { Observation } from '../poller.js';
import type { AckedWrite, Ledger } from './ledger.js';

export interface FinalSession {
  w: number;
  c: number;
  version: number;
  /** Created by a create (attrs.born), not afresh by an update after it was lost. */
  born: boolean;
}

export interface LostWrite extends AckedWrite {
  /** Where the ack falls relative to the fault window: "-0.20 s before", "+1.30 s in", "+0.40 s after". */
  when: string;
  /** What the final Active held of the session instead: "absent", or its marks and version. */
  held: string;
}

export interface Judgement {
  /** Acknowledged writes checked, sessions they touched. */
  checked: number;
  sessions: number;
  /** Lost acknowledged writes of sessions old enough to be replicated (the failures). */
  lost: LostWrite[];
  lostCount: number;
  /** Lost writes by kind. */
  lostByKind: Record<'create' | 'attr' | 'counter', number>;
  /** Young sessions that lost writes (call loss), and those writes. */
  callLossSessions: number;
  callLossWrites: number;
  /** The first young sessions that lost writes (up to 100). */
  callLossIds: string[];
  /** Writes lost on sessions the Standby had never been sent (bulk sync cut short). */
  unsyncedWrites: number;
  unsyncedSessions: number;
}

export interface JudgeOptions {
  /** checkpoint.session-duration of the pair (ms). */
  sessionDurationMs: number;
  /** Slack for the replication of a session that just became eligible (ms). */
  marginMs: number;
  /** Moments (lab clock) the Active changed hands or a fault struck. */
  moments: readonly number[];
  /** The fault window (lab clock). */
  window: { from: number; to: number } | null;
  /** Sessions the Standby did not hold when the Active died (their loss is not a failure). */
  unsynced?: ReadonlySet<string>;
  /** At most this many lost writes are listed (all are counted). */
  listLimit?: number;
}

/** Reads the final state of every ledger session from `api`. */
export async function readFinal(api: SrpApi, ledger: Ledger, batch = 5000): Promise<Array<FinalSession | null>> {
  const out: Array<FinalSession | null> = [];
  for (let i = 0; i < ledger.ids.length; i += batch) {
    const ids = ledger.ids.slice(i, i + batch);
    const r = await api.json<{ sessions: Array<{ version: number; attrs: Record<string, string>; counters: Record<string, string> } | null> }>(
      'POST',
      '/v1/sessions/lookup',
      { ids },
      30_000,
    );
    for (const s of r.sessions) out.push(s === null ? null : { w: Number(s.attrs.w ?? 0), c: Number(s.counters.c ?? 0), version: s.version, born: s.attrs.born !== undefined });
  }
  return out;
}

/**
 * Moments the Active changed hands as the poller saw them: a chassis seen in another state after
 * Active, and a chassis seen Active after another state (the takeover itself, when the sessions
 * the new Active was never sent are lost). Both are needed: a write answered by the old Active
 * after it waited for the Standby's ack can arrive after the poller saw that chassis step down,
 * yet the session it made was still young when the peer took over. Not answering ('down': busy,
 * frozen, killed) is no change of hands by itself; the faults that make a chassis stop are
 * moments of their own.
 */
export function roleMoments(changes: readonly Observation[]): number[] {
  const out: number[] = [];
  const last = new Map<string, string>();
  for (const o of changes) {
    if (o.state === 'down') continue;
    const before = last.get(o.node);
    if (before === 'Active' && o.state !== 'Active') out.push(o.t);
    else if (before !== undefined && before !== 'Active' && o.state === 'Active') out.push(o.t);
    last.set(o.node, o.state);
  }
  return out;
}

export function when(t: number, window: { from: number; to: number } | null): string {
  if (window === null) return '';
  const s = (ms: number): string => `${ms >= 0 ? '+' : '-'}${(Math.abs(ms) / 1000).toFixed(2)} s`;
  if (t < window.from) return `${s(t - window.from)} before the fault`;
  if (t <= window.to) return `${s(t - window.from)} into the fault`;
  return `${s(t - window.to)} after the fault`;
}

function heldOf(f: FinalSession | null): string {
  return f === null ? 'absent' : `w=${f.w} c=${f.c}${f.born ? '' : ' (made afresh by an update)'} version ${f.version}`;
}

export function judge(ledger: Ledger, final: ReadonlyArray<FinalSession | null>, o: JudgeOptions): Judgement {
  const failing = new Set<number>();
  let checked = 0;
  let sessions = 0;
  for (let s = 0; s < ledger.ids.length; s++) {
    const w = ledger.maxW[s] ?? 0;
    const c = ledger.maxC[s] ?? 0;
    if (w === 0 && c === 0) continue; // nothing acknowledged
    sessions++;
    const f = final[s];
    if (!f || !f.born || f.w < w || f.c < c) failing.add(s);
  }
  const out: Judgement = { checked: 0, sessions, lost: [], lostCount: 0, lostByKind: { create: 0, attr: 0, counter: 0 }, callLossSessions: 0, callLossWrites: 0, callLossIds: [], unsyncedWrites: 0, unsyncedSessions: 0 };
  checked = ledger.acked;
  out.checked = checked;
  if (failing.size === 0) return out;
  const limit = o.listLimit ?? 1000;
  const moments = [...o.moments].sort((x, y) => x - y);
  for (const [s, writes] of ledger.writesOf(failing)) {
    const f = final[s] ?? null;
    const unsynced = o.unsynced?.has(ledger.ids[s] ?? '') ?? false;
    // A session made afresh by an update holds nothing acknowledged before that update.
    const last = ledger.lastRecreation(s);
    const since = f !== null && !f.born ? (Number.isNaN(last) ? Infinity : last) : -Infinity;
    let young = false;
    let un = false;
    for (const wr of writes) {
      const held = f !== null && wr.ackedAt >= since && (wr.kind === 'counter' ? f.c >= wr.mark : f.w >= wr.mark);
      if (held) continue;
      // Call loss: some moment at or after this write found the session (this incarnation of
      // it) still young.
      const youngUntil = ledger.youngUntil(s, wr.ackedAt, o.sessionDurationMs + o.marginMs);
      if (moments.some((m) => m >= wr.ackedAt && m < youngUntil)) {
        out.callLossWrites++;
        young = true;
        continue;
      }
      if (unsynced) {
        out.unsyncedWrites++;
        un = true;
        continue;
      }
      out.lostCount++;
      out.lostByKind[wr.kind]++;
      if (out.lost.length < limit) out.lost.push({ ...wr, when: when(wr.ackedAt, o.window), held: heldOf(f) });
    }
    if (young) {
      out.callLossSessions++;
      if (out.callLossIds.length < 100) out.callLossIds.push(ledger.ids[s] ?? '?');
    }
    if (un) out.unsyncedSessions++;
  }
  out.lost.sort((x, y) => x.ackedAt - y.ackedAt);
  return out;
}
