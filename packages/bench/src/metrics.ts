// Figures read from a daemon from outside: its Prometheus text (/metrics) and /proc.
import { readFileSync } from 'node:fs';

export type Samples = Map<string, number>;

/**
 * Parses Prometheus text exposition into `name{labels}` -> value (labels as written, e.g.
 * `srp_event_loop_delay_seconds{stat="p99"}`). Comments and unparsable lines are skipped.
 */
export function parseMetrics(text: string): Samples {
  const out: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const sp = line.lastIndexOf(' ');
    if (sp <= 0) continue;
    const v = Number(line.slice(sp + 1));
    if (!Number.isNaN(v)) out.set(line.slice(0, sp), v);
  }
  return out;
}

/** Event-loop delay since the previous scrape, in ms (the daemon's srp_event_loop_delay_seconds). */
export function eventLoopDelay(m: Samples): { p50: number | null; p99: number | null; max: number | null } {
  const get = (stat: string): number | null => {
    const v = m.get(`srp_event_loop_delay_seconds{stat="${stat}"}`);
    return v === undefined ? null : Math.round(v * 1e5) / 100;
  };
  return { p50: get('p50'), p99: get('p99'), max: get('max') };
}

/** CPU seconds (user + system) a process has used, from /proc; null where there is none. */
export function cpuSeconds(pid: number | null | undefined): number | null {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

/** CPU use of some processes over an interval, in % of one core. */
export class CpuMeter {
  private readonly start: Array<number | null>;
  private readonly t0 = performance.now();
  private readonly self0 = process.cpuUsage();

  constructor(private readonly pids: ReadonlyArray<number | null>) {
    this.start = pids.map(cpuSeconds);
  }

  /** % of one core of each pid (null when unknown), then of this process. */
  read(): { pids: Array<number | null>; self: number } {
    const s = (performance.now() - this.t0) / 1000;
    const pct = (a: number | null, b: number | null): number | null => (a === null || b === null || s <= 0 ? null : Math.round(((b - a) / s) * 100));
    const self = process.cpuUsage(this.self0);
    return { pids: this.pids.map((p, i) => pct(this.start[i] ?? null, cpuSeconds(p))), self: Math.round(((self.user + self.system) / 1e6 / s) * 100) };
  }
}
