// What a bench is, and the run of one: parameters, an idle pass, with --hog a pass beside the
// CPU hog, the result file and the printed tables.
import { DATA_SHAPES, type DataShape } from './data.js';
import { CpuHog } from './hog.js';
import { describe, measureRun, newResult, printRun, writeResult, type BenchResult, type Cell, type RunOutput } from './result.js';

/** Options every bench understands (the CLI's). */
export interface BenchOptions {
  short: boolean;
  hog: boolean;
  data: DataShape;
  /** Bench-specific settings as given on the command line (--set key=value or the named flags). */
  values: Record<string, string | undefined>;
}

export interface BenchContext {
  short: boolean;
  data: DataShape;
  variant: 'idle' | 'hogged';
  /** Pids of the hog's processes (empty when idle). */
  hogPids: number[];
}

export interface Bench<P extends Record<string, Cell>> {
  name: string;
  /** One line: what it measures. */
  summary: string;
  /** The settings (--KEY VALUE) it reads. */
  settings: readonly string[];
  /** Parameters from the options (the short mode's small N when `short`); throws on a bad value. */
  params(o: BenchOptions): P;
  run(p: P, ctx: BenchContext): Promise<RunOutput>;
}

/** A positive number from an option, or `fallback`; throws naming the option. */
export function numberOption(o: BenchOptions, key: string, fallback: number, { integer = false, min = 0 } = {}): number {
  const raw = o.values[key];
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))) {
    throw new Error(`--${key} must be ${integer ? 'an integer' : 'a number'} >= ${min}, got '${raw}'`);
  }
  return v;
}

/** A comma-separated list from an option, each checked by `ok`. */
export function listOption(o: BenchOptions, key: string, fallback: string, ok: (s: string) => boolean, what: string): string[] {
  const raw = o.values[key] ?? fallback;
  const items = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const i of items) if (!ok(i)) throw new Error(`--${key}: '${i}' is not ${what}`);
  return items;
}

/** One of `choices` from an option, or `fallback`; throws naming the option. */
export function choiceOption<T extends string>(o: BenchOptions, key: string, fallback: T, choices: readonly T[]): T {
  const raw = o.values[key];
  if (raw === undefined) return fallback;
  if ((choices as readonly string[]).includes(raw)) return raw as T;
  throw new Error(`--${key} must be one of ${choices.join(', ')}, got '${raw}'`);
}

export function parseDataShape(s: string | undefined): DataShape {
  if (s === undefined) return 'realistic';
  if ((DATA_SHAPES as readonly string[]).includes(s)) return s as DataShape;
  throw new Error(`--data must be one of ${DATA_SHAPES.join(', ')}, got '${s}'`);
}

/** Runs a bench: idle, then beside the hog when asked; prints and writes the result. */
export async function runBench<P extends Record<string, Cell>>(b: Bench<P>, o: BenchOptions, command: string): Promise<{ result: BenchResult; file: string }> {
  const params = b.params(o);
  const result = newResult(b.name, { ...params, data: o.data, short: o.short }, command);
  for (const line of describe(result)) console.log(line);
  const variants: Array<'idle' | 'hogged'> = o.hog ? ['idle', 'hogged'] : ['idle'];
  for (const variant of variants) {
    const hog = variant === 'hogged' ? CpuHog.start() : null;
    try {
      const run = await measureRun(variant, () => b.run(params, { short: o.short, data: o.data, variant, hogPids: hog?.pids ?? [] }));
      result.runs.push(run);
      printRun(run);
    } finally {
      await hog?.stop();
    }
  }
  const file = writeResult(result);
  console.log(`\nwritten: ${file}`);
  return { result, file };
}
