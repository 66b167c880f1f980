// A pause probe beside a bench: how long the machine kept a thread that wanted to run from
// running. One thread per CPU, pinned to it and, where allowed, at real-time priority, asks to
// wake every millisecond (pause-probe-main.ts, in its own process so that the bench's own work
// does not delay it). A liveness failure at short timers reads differently when the probe saw
// every CPU held for longer than the dead interval's margin at the same moment.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Cell, Column } from './result.js';

/** Wake-ups at least this late (ms) are counted, by the millisecond. */
export const LATE_FROM_MS = 5;

export interface CpuPauses {
  cpu: number;
  /** Pinned to its CPU (taskset worked). */
  pinned: boolean;
  /** Under SCHED_RR (chrt worked). */
  realtime: boolean;
  /** Why it is not pinned or not real time (null: it is both, or real time was not asked). */
  why: string | null;
  wakeups: number;
  /** The latest wake-up, ms after it was due. */
  maxMs: number;
  /** Wake-ups at least LATE_FROM_MS late: how many were late by each whole number of ms. */
  late: Record<string, number>;
  /** The latest wake-ups: how late (ms) and when they were due (epoch ms, to match daemon logs). */
  worst: Array<{ ms: number; at: number }>;
}

export interface PauseReport {
  startedAt: string;
  seconds: number;
  cpus: CpuPauses[];
}

function script(): string {
  const here = fileURLToPath(new URL('./pause-probe-main.js', import.meta.url));
  if (existsSync(here)) return here;
  const fromSrc = fileURLToPath(new URL('../dist/src/pause-probe-main.js', import.meta.url));
  if (existsSync(fromSrc)) return fromSrc;
  throw new Error(`the pause probe ${here} is missing: build the bench package (tsc -b)`);
}

export class PauseProbe {
  private out = '';
  private err = '';
  private readonly exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcess) {
    child.stdout?.on('data', (b: Buffer) => (this.out += b.toString()));
    child.stderr?.on('data', (b: Buffer) => (this.err += b.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /**
   * Starts the probe. `rtPriority` 0 runs it at normal priority. It stops by itself after
   * `maxSeconds` or when this process is gone (its stdin is a pipe from us).
   */
  static start(opts: { rtPriority?: number; maxSeconds?: number } = {}): PauseProbe {
    const args = [script(), '--rt-priority', String(opts.rtPriority ?? 50), '--seconds', String(opts.maxSeconds ?? 3 * 3600)];
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const probe = new PauseProbe(child);
    // Not outliving this process; the listener goes with the child (a bench starts one per run).
    const kill = (): void => void child.kill('SIGKILL');
    process.once('exit', kill);
    child.once('exit', () => process.off('exit', kill));
    return probe;
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** Stops the probe and returns what it saw. */
  async stop(): Promise<PauseReport> {
    this.child.stdin?.end('stop\n');
    const code = await Promise.race([this.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000).unref())]);
    if (code === 'timeout') {
      this.child.kill('SIGKILL');
      throw new Error('the pause probe did not stop within 10 s');
    }
    const line = this.out.trim().split('\n').pop() ?? '';
    if (code !== 0 || line === '') throw new Error(`the pause probe exited ${code}: ${this.err.trim() || 'no report'}`);
    return JSON.parse(line) as PauseReport;
  }
}

/** The latest wake-up on any CPU (ms). */
export function maxPauseMs(r: PauseReport): number {
  return Math.max(0, ...r.cpus.map((c) => c.maxMs));
}

/** Wake-ups of one CPU's thread at least `ms` late (`ms` of LATE_FROM_MS or more). */
function lateAtLeast(c: CpuPauses, ms: number): number {
  if (ms < LATE_FROM_MS) throw new Error(`the pause probe counts wake-ups from ${LATE_FROM_MS} ms late, not ${ms}`);
  let n = 0;
  for (const [k, count] of Object.entries(c.late)) if (Number(k) >= Math.floor(ms)) n += count;
  return n;
}

/** Wake-ups at least `ms` late, on all CPUs together (`ms` of LATE_FROM_MS or more). */
export function pausesOver(r: PauseReport, ms: number): number {
  return r.cpus.reduce((n, c) => n + lateAtLeast(c, ms), 0);
}

/** How the probe ran, for a note: "2 CPUs, pinned, SCHED_RR 50" or why not. */
export function describeProbe(r: PauseReport, rtPriority: number): string {
  const pinned = r.cpus.every((c) => c.pinned);
  const rt = r.cpus.every((c) => c.realtime);
  const why = r.cpus.find((c) => c.why)?.why;
  const mode = rt ? `SCHED_RR ${rtPriority}` : rtPriority > 0 ? 'normal priority (real time refused)' : 'normal priority';
  return `${r.cpus.length} thread(s), one per CPU, ${pinned ? 'pinned' : 'not pinned'}, ${mode}${why ? ` (${why})` : ''}`;
}

/** The note that says what the probe columns are. */
export const PROBE_COLUMNS_NOTE =
  'probe: a thread per CPU, pinned, at real-time priority where allowed, waking every 1 ms through the whole run (loading included); its latest wake-up, and how many came at least dead - hello late: a Hello sender held that long leaves its peer a dead interval of silence';

/** A bench's columns for what the probe saw during one run. */
export const PAUSE_COLUMNS: Column[] = [
  { key: 'probeMax', label: 'probe: latest wake-up', unit: 'ms', digits: 1 },
  { key: 'probeOverMargin', label: 'probe: wake-ups >= dead - hello late' },
];

/**
 * The cells of PAUSE_COLUMNS for one run: the latest wake-up and how many wake-ups came at
 * least `marginMs` late (dead - hello: a sender held that long leaves its peer a dead interval
 * of silence). Nulls when the probe failed.
 */
export function pauseCells(r: PauseReport | null, marginMs: number): Record<string, Cell> {
  return r ? { probeMax: maxPauseMs(r), probeOverMargin: pausesOver(r, Math.max(LATE_FROM_MS, marginMs)) } : { probeMax: null, probeOverMargin: null };
}

/**
 * A note: how the probe ran, per CPU its latest wake-up and how many came at least `marginMs`
 * late, and the latest four with their times (UTC), to match daemon logs.
 */
export function pauseNote(label: string, r: PauseReport | null, rtPriority: number, marginMs: number, error?: string): string {
  if (!r) return `${label}: pause probe failed: ${error ?? 'no report'}`;
  const margin = Math.max(LATE_FROM_MS, marginMs);
  const perCpu = r.cpus.map((c) => `CPU ${c.cpu} latest ${c.maxMs} ms, ${lateAtLeast(c, margin)} at least ${margin} ms late`).join('; ');
  const worst = r.cpus
    .flatMap((c) => c.worst.map((w) => ({ ...w, cpu: c.cpu })))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 4)
    .map((w) => `${w.ms} ms on CPU ${w.cpu} at ${new Date(w.at).toISOString().slice(11, 23)}`);
  return `${label}: pause probe (${describeProbe(r, rtPriority)}, ${r.seconds} s): ${perCpu}; ${worst.length > 0 ? `the latest wake-ups ${worst.join(', ')}` : `no wake-up ${LATE_FROM_MS} ms late or more`}`;
}

/** What a bench takes from the probe of one run: its row's cells (PAUSE_COLUMNS) and its note. */
export interface ProbeOutcome {
  cells: Record<string, Cell>;
  note: string;
}

/**
 * A probe for one bench run that never throws: started here, before the run; stop() after it,
 * in a finally, whatever became of the run, gives the row's cells and the note for `label`
 * (the note says why there is no report when the probe failed). `marginMs`: dead - hello.
 */
export function probeRun(rtPriority: number): { stop: (label: string, marginMs: number) => Promise<ProbeOutcome> } {
  let probe: PauseProbe | null = null;
  let startError: string | undefined;
  try {
    probe = PauseProbe.start({ rtPriority });
  } catch (err) {
    startError = (err as Error).message;
  }
  const seen = async (): Promise<{ report: PauseReport | null; error?: string }> => {
    if (!probe) return { report: null, error: startError ?? 'not started' };
    try {
      return { report: await probe.stop() };
    } catch (err) {
      return { report: null, error: (err as Error).message };
    }
  };
  return {
    stop: async (label, marginMs) => {
      const { report, error } = await seen();
      return { cells: pauseCells(report, marginMs), note: pauseNote(label, report, rtPriority, marginMs, error) };
    },
  };
}
