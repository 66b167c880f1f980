// The README's performance tables, made from the result files: a marker pair
//   <!-- bench:NAME [tables=ID,ID] -->  ...  <!-- /bench -->
// in a README is filled with the newest full (not --short) result of bench NAME: a line saying
// what ran where and when (commit, date, machine, load), then its tables as Markdown.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { markdownTable, type BenchResult } from './result.js';

const MARKER = /<!-- bench:([a-z0-9-]+)((?: [a-z]+=[^ ]+)*) -->\n[\s\S]*?<!-- \/bench -->/g;

/** Every result file in `dir`, parsed; files that are not results are skipped with a reason. */
export function readResults(dir: string): { results: BenchResult[]; bad: string[] } {
  const results: BenchResult[] = [];
  const bad: string[] = [];
  if (!existsSync(dir)) return { results, bad };
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    try {
      const r = JSON.parse(readFileSync(join(dir, f), 'utf8')) as BenchResult;
      if (r.schema !== 1 || typeof r.bench !== 'string' || !Array.isArray(r.runs)) throw new Error('not a bench result (schema 1)');
      results.push(r);
    } catch (err) {
      bad.push(`${f}: ${(err as Error).message}`);
    }
  }
  return { results, bad };
}

/** The newest result of `bench` (full runs only, unless `short`). */
export function newest(results: readonly BenchResult[], bench: string, short = false): BenchResult | null {
  const mine = results.filter((r) => r.bench === bench && (short || r.params.short !== true));
  return mine.sort((a, b) => a.date.localeCompare(b.date)).at(-1) ?? null;
}

/** The Markdown that goes between one marker pair. */
export function renderResult(r: BenchResult, tableIds: readonly string[] | null): string {
  const m = r.machine;
  const out: string[] = [
    `Generated from \`results/\` by \`npm run bench:readme\`: \`${r.command}\` at ${r.commit.hash ?? '?'}${r.commit.dirty ? ' (with uncommitted changes)' : ''}, ` +
      `${r.date.slice(0, 16).replace('T', ' ')} UTC; ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, node ${m.node}.`,
  ];
  for (const run of r.runs) {
    out.push('', `${run.variant === 'hogged' ? 'Beside the CPU hog (one busy process per core)' : 'Alone'}: load average ${run.loadBefore.join(' / ')} before, ${run.loadAfter.join(' / ')} after.`);
    for (const s of run.skipped) out.push('', `Skipped: ${s}.`);
    for (const t of run.tables.filter((x) => tableIds === null || tableIds.includes(x.id))) {
      out.push('', `${t.title}:`, '', markdownTable(t));
      for (const n of t.notes ?? []) out.push('', `- ${n}`);
    }
  }
  return out.join('\n');
}

/** Fills every marker pair of `text`; returns the new text and the benches without a result. */
export function fillMarkers(text: string, results: readonly BenchResult[]): { text: string; missing: string[] } {
  const missing: string[] = [];
  const filled = text.replace(MARKER, (whole, bench: string, attrs: string) => {
    const tables = /tables=([^ ]+)/.exec(attrs)?.[1]?.split(',') ?? null;
    const r = newest(results, bench);
    if (!r) {
      missing.push(bench);
      return whole;
    }
    return `<!-- bench:${bench}${attrs} -->\n${renderResult(r, tables)}\n<!-- /bench -->`;
  });
  return { text: filled, missing };
}

/** Fills the markers of each file in place; returns what changed and what had no result. */
export function updateReadmes(files: readonly string[], results: readonly BenchResult[]): { changed: string[]; missing: string[] } {
  const changed: string[] = [];
  const missing = new Set<string>();
  for (const f of files) {
    const before = readFileSync(f, 'utf8');
    const { text, missing: m } = fillMarkers(before, results);
    for (const b of m) missing.add(b);
    if (text !== before) {
      writeFileSync(f, text);
      changed.push(f);
    }
  }
  return { changed, missing: [...missing] };
}
