// A bench's result: one JSON file under results/ (commit, date, machine, load average before
// and after, parameters, figures), printed as the same tables. The README's tables are made
// from these files (readme.ts), never copied by hand.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commit, load, machine, repoRoot, type Commit, type LoadAverage, type Machine } from './machine.js';

export type Cell = string | number | boolean | null;

export interface Column {
  key: string;
  label: string;
  /** Printed after the label, e.g. "ms" or "B". */
  unit?: string;
  /** Decimals for numbers (default 0). */
  digits?: number;
}

export interface Table {
  /** Stable name, for the README generator (e.g. "updates"). */
  id: string;
  title: string;
  columns: Column[];
  rows: Array<Record<string, Cell>>;
  notes?: string[];
}

/** One pass of a bench: alone on the machine ("idle") or beside the CPU hog ("hogged"). */
export interface Run {
  variant: 'idle' | 'hogged';
  loadBefore: LoadAverage;
  loadAfter: LoadAverage;
  startedAt: string;
  seconds: number;
  tables: Table[];
  /** Why a part did not run (a missing tool, say). */
  skipped: string[];
}

export interface BenchResult {
  schema: 1;
  bench: string;
  /** The command that produced it. */
  command: string;
  commit: Commit;
  date: string;
  machine: Machine;
  params: Record<string, Cell>;
  runs: Run[];
}

export function newResult(bench: string, params: Record<string, Cell>, command: string): BenchResult {
  return { schema: 1, bench, command, commit: commit(), date: new Date().toISOString(), machine: machine(), params, runs: [] };
}

/** What a bench body reports for one pass. */
export interface RunOutput {
  tables: Table[];
  skipped?: string[];
}

/** Runs `body` once, timing it and taking the load average before and after. */
export async function measureRun(variant: Run['variant'], body: () => Promise<RunOutput>): Promise<Run> {
  const loadBefore = load();
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const out = await body();
  return { variant, loadBefore, loadAfter: load(), startedAt, seconds: Math.round((performance.now() - t0) / 100) / 10, tables: out.tables, skipped: out.skipped ?? [] };
}

export function resultsDir(): string {
  return process.env.BENCH_RESULTS_DIR ?? join(repoRoot(), 'results');
}

/** Writes results/<bench>-<date>-<commit>.json; returns the path. */
export function writeResult(r: BenchResult, dir = resultsDir()): string {
  mkdirSync(dir, { recursive: true });
  const stamp = r.date.replace(/[:.]/g, '-');
  const file = join(dir, `${r.bench}-${stamp}-${r.commit.hash ?? 'nogit'}.json`);
  writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
  return file;
}

// ---- printing ------------------------------------------------------------------------------

export function formatCell(v: Cell, digits = 0): string {
  if (v === null) return '-';
  if (typeof v === 'number') return Number.isFinite(v) ? v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : String(v);
  return String(v);
}

const header = (c: Column): string => (c.unit ? `${c.label} (${c.unit})` : c.label);

/** A table as aligned text (the console). */
export function textTable(t: Table): string {
  const head = t.columns.map(header);
  const body = t.rows.map((r) => t.columns.map((c) => formatCell(r[c.key] ?? null, c.digits)));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((s, i) => (i === 0 ? s.padEnd(widths[i] ?? 0) : s.padStart(widths[i] ?? 0))).join('  ');
  const out = [t.title, line(head), ...body.map(line)];
  for (const n of t.notes ?? []) out.push(`  ${n}`);
  return out.join('\n');
}

/** A table as Markdown (the README). */
export function markdownTable(t: Table): string {
  const head = `| ${t.columns.map(header).join(' | ')} |`;
  const sep = `|${t.columns.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`;
  const rows = t.rows.map((r) => `| ${t.columns.map((c) => formatCell(r[c.key] ?? null, c.digits)).join(' | ')} |`);
  return [head, sep, ...rows].join('\n');
}

const loadText = (l: LoadAverage): string => l.join(' ');

/** The header lines of a result: what ran, where, when, under which load. */
export function describe(r: BenchResult): string[] {
  const m = r.machine;
  return [
    `${r.bench}: commit ${r.commit.hash ?? '?'}${r.commit.dirty ? ' (with uncommitted changes)' : ''}, ${r.date}`,
    `machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, node ${m.node}, ${m.platform}`,
    `command: ${r.command}`,
    `params: ${Object.entries(r.params).map(([k, v]) => `${k}=${String(v)}`).join(' ')}`,
  ];
}

export function printRun(run: Run): void {
  console.log(`\n== ${run.variant}: load average ${loadText(run.loadBefore)} before, ${loadText(run.loadAfter)} after, ${run.seconds} s`);
  for (const s of run.skipped) console.log(`skipped: ${s}`);
  for (const t of run.tables) console.log(`\n${textTable(t)}`);
}
