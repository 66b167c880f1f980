// One row of the chaos report, and how rows are printed.
import type { LostWrite } from './judge.js';

export type Verdict = 'PASS' | 'WARN' | 'FAIL' | 'SKIP';

export interface AckedReport {
  /** Acknowledged writes checked on the final Active, and the sessions they touched. */
  checked: number;
  sessions: number;
  /** Writes sent but never acknowledged (timeouts, refusals): not judged. */
  unacked: number;
  lostCount: number;
  lostByKind: Record<'create' | 'attr' | 'counter', number>;
  /** The first lost writes (id, kind, mark, version, when): all of them up to 1000. */
  lost: LostWrite[];
  callLossSessions: number;
  callLossWrites: number;
  /** The first young sessions that lost writes (up to 100). */
  callLossIds: string[];
  unsyncedSessions: number;
  unsyncedWrites: number;
}

export interface ScenarioResult {
  scenario: string;
  run: number;
  verdict: Verdict;
  /** What injected the link faults: 'kernel' (netns + nftables), 'proxy' (user space) or 'engine' (docker network commands). */
  link: 'kernel' | 'proxy' | 'engine' | null;
  linkLabel: string | null;
  timers: { helloIntervalMs: number; deadIntervalMs: number };
  sessions: number;
  /** Fault to the peer seen Active from outside, ms; null when no takeover is expected or seen. */
  takeoverMs: number | null;
  /** Per-switchover takeover times for scenarios with many (ms). */
  takeoverSamplesMs?: number[];
  /** The acknowledged-write check; null when not measured (see sessionsNote). */
  acked: AckedReport | null;
  sessionsNote: string | null;
  /** Time both chassis were seen Active at once, ms. */
  dualActiveMs: number;
  /** Where dualActiveMs comes from: the routing domain (hardware present) or state polling. */
  dualActiveSource?: 'routing-domain' | 'polling';
  /** From the end of the fault to one Active + ready Standby + equal digests (null: not within the bound). */
  protectedMs: number | null;
  protectBoundMs: number | null;
  /** Sessions written on both sides of a split, and what the daemons counted as conflicts. */
  conflicts?: { written: number; counted: number | null };
  finalStates: { a: string; b: string };
  notes: string[];
  /** Every state change seen from outside, relative to the start of the run (JSON only). */
  timeline?: string[];
  durationMs: number;
}

export function emptyResult(scenario: string, run: number, timers: { helloIntervalMs: number; deadIntervalMs: number }, sessions: number): ScenarioResult {
  return {
    scenario,
    run,
    verdict: 'PASS',
    link: null,
    linkLabel: null,
    timers,
    sessions,
    takeoverMs: null,
    acked: null,
    sessionsNote: null,
    dualActiveMs: 0,
    protectedMs: null,
    protectBoundMs: null,
    finalStates: { a: '-', b: '-' },
    notes: [],
    durationMs: 0,
  };
}

/** Raise the verdict (never lowers it). */
export function mark(r: ScenarioResult, v: 'WARN' | 'FAIL', note: string): void {
  const rank: Record<Verdict, number> = { SKIP: 0, PASS: 1, WARN: 2, FAIL: 3 };
  if (rank[v] > rank[r.verdict]) r.verdict = v;
  r.notes.push(`${v}: ${note}`);
}

export const fmtMs = (v: number | null): string => (v === null ? '-' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);

const COLUMNS = ['scenario', 'run', 'link', 'takeover', 'acked lost', 'call loss', 'two Actives', 'protected again', 'final a/b', 'verdict'] as const;

function takeoverText(r: ScenarioResult): string {
  if (r.takeoverSamplesMs && r.takeoverSamplesMs.length > 0) {
    const s = [...r.takeoverSamplesMs].sort((x, y) => x - y);
    const p50 = s[Math.floor((s.length - 1) / 2)] ?? 0;
    return `p50 ${fmtMs(p50)} max ${fmtMs(s[s.length - 1] ?? 0)}`;
  }
  return fmtMs(r.takeoverMs);
}

function ackedText(r: ScenarioResult): string {
  const a = r.acked;
  if (a === null) return 'n/a';
  return `${a.lostCount} of ${a.checked}${a.unsyncedWrites > 0 ? ` (+${a.unsyncedWrites} unsynced)` : ''}`;
}

export function tableRows(results: ScenarioResult[]): string[][] {
  return results.map((r) => {
    const skip = r.verdict === 'SKIP';
    const dash = (v: string): string => (skip ? '-' : v);
    return [
      r.scenario,
      String(r.run),
      r.link ?? '-',
      dash(takeoverText(r)),
      dash(ackedText(r)),
      dash(r.acked === null ? 'n/a' : `${r.acked.callLossSessions}`),
      dash(fmtMs(r.dualActiveMs)),
      dash(r.protectedMs === null ? (r.protectBoundMs === null ? '-' : `> ${fmtMs(r.protectBoundMs)}`) : fmtMs(r.protectedMs)),
      `${r.finalStates.a}/${r.finalStates.b}`,
      r.verdict,
    ];
  });
}

export function formatTable(results: ScenarioResult[]): string {
  const rows = [COLUMNS.slice() as string[], ...tableRows(results)];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]): string => `| ${row.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const sep = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(rows[0] ?? []), sep, ...rows.slice(1).map(line)].join('\n');
}

/** The lost writes of a run as note lines (at most `limit`). */
export function lostLines(r: ScenarioResult, limit = 10): string[] {
  const a = r.acked;
  if (!a || a.lostCount === 0) return [];
  const shown = a.lost.slice(0, limit).map((w) => `${w.id} ${w.kind} ${w.kind === 'counter' ? 'c' : 'w'}=${w.mark} v${w.version ?? '?'} on ${w.node} ${w.when} (held: ${w.held})`);
  const more = a.lostCount - shown.length;
  const k = a.lostByKind;
  return [`lost acknowledged writes (${k.create} creates, ${k.attr} attribute updates, ${k.counter} counter increments): ${shown.join('; ')}${more > 0 ? `; and ${more} more (all in the JSON, up to 1000)` : ''}`];
}
