// One row of the chaos report, and how rows are printed.

export type Verdict = 'PASS' | 'WARN' | 'FAIL' | 'SKIP';

export interface ScenarioResult {
  scenario: string;
  run: number;
  verdict: Verdict;
  /** Fault to the peer seen Active from outside, ms; null when no takeover is expected or seen. */
  takeoverMs: number | null;
  /** Per-switchover takeover times for scenarios with many (ms). */
  takeoverSamplesMs?: number[];
  /** null = not measured (see sessionsNote). */
  eligibleLost: number | null;
  /** Eligible sessions lost that the Standby had not been sent yet (bulk sync cut short). */
  unsyncedLost?: number;
  youngLost: number | null;
  sessionsNote: string | null;
  /** Time both chassis were seen Active at once, ms. */
  dualActiveMs: number;
  /** Where dualActiveMs comes from: the routing domain (hardware present) or state polling. */
  dualActiveSource?: 'routing-domain' | 'polling';
  finalStates: { a: string; b: string };
  notes: string[];
  durationMs: number;
}

export function emptyResult(scenario: string, run: number): ScenarioResult {
  return {
    scenario,
    run,
    verdict: 'PASS',
    takeoverMs: null,
    eligibleLost: null,
    youngLost: null,
    sessionsNote: null,
    dualActiveMs: 0,
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

const ms = (v: number | null): string => (v === null ? '-' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);
const n = (v: number | null): string => (v === null ? 'n/a' : String(v));

const COLUMNS = ['scenario', 'run', 'takeover', 'eligible lost', 'young lost', 'two Actives', 'final a/b', 'verdict'] as const;

export function tableRows(results: ScenarioResult[]): string[][] {
  return results.map((r) => {
    let takeover = ms(r.takeoverMs);
    if (r.takeoverSamplesMs && r.takeoverSamplesMs.length > 0) {
      const s = [...r.takeoverSamplesMs].sort((x, y) => x - y);
      const p50 = s[Math.floor((s.length - 1) / 2)] ?? 0;
      takeover = `p50 ${ms(p50)} max ${ms(s[s.length - 1] ?? 0)}`;
    }
    return [
      r.scenario,
      String(r.run),
      r.verdict === 'SKIP' ? '-' : takeover,
      r.verdict === 'SKIP' ? '-' : n(r.eligibleLost) + (r.unsyncedLost ? ` (+${r.unsyncedLost} unsynced)` : ''),
      r.verdict === 'SKIP' ? '-' : n(r.youngLost),
      r.verdict === 'SKIP' ? '-' : ms(r.dualActiveMs),
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
