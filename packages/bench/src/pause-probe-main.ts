// The pause probe's own process (started by pauses.ts): one worker thread per CPU, each pinned
// to its CPU (taskset) and, where the process may, under SCHED_RR (chrt), asking to wake every
// millisecond. A wake-up that comes much later than asked says the thread could not run: its
// CPU was taken away by the VM's host, held by a kernel section that cannot be preempted, or
// (without real-time priority) given to other threads. It prints one JSON report (PauseReport)
// on stdout when its stdin says "stop" or ends, or after --seconds.
import { spawnSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { cpus } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { LATE_FROM_MS, type CpuPauses, type PauseReport } from './pauses.js';

const WORST_KEPT = 8;

interface ProbeData {
  cpu: number;
  rtPriority: number;
  stop: SharedArrayBuffer;
}

function onThread(cmd: string, args: string[]): string | null {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 5000 });
  if (r.error) return `${cmd}: ${r.error.message}`;
  if (r.status !== 0) return `${cmd} exited ${r.status}: ${(r.stderr || r.stdout).trim()}`;
  return null;
}

/** A worker: pins itself, asks for real time, then sleeps 1 ms at a time until told to stop. */
function probeThread(d: ProbeData): CpuPauses {
  const tid = readlinkSync('/proc/thread-self').split('/').pop() ?? '';
  const pinError = onThread('taskset', ['--pid', '--cpu-list', String(d.cpu), tid]);
  const rtError = d.rtPriority > 0 ? onThread('chrt', ['--rr', '--pid', String(d.rtPriority), tid]) : 'not asked';
  const stop = new Int32Array(d.stop);
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const late: Record<number, number> = {};
  const worst: Array<{ ms: number; at: number }> = [];
  let wakeups = 0;
  let maxMs = 0;
  let last = performance.now();
  while (Atomics.load(stop, 0) === 0) {
    Atomics.wait(sleeper, 0, 0, 1);
    const now = performance.now();
    const lateMs = now - last - 1;
    last = now;
    wakeups++;
    if (lateMs > maxMs) maxMs = lateMs;
    if (lateMs >= LATE_FROM_MS) {
      const ms = Math.floor(lateMs);
      late[ms] = (late[ms] ?? 0) + 1;
      worst.push({ ms: Math.round(lateMs * 10) / 10, at: Math.round(performance.timeOrigin + now - lateMs - 1) });
      worst.sort((a, b) => b.ms - a.ms);
      if (worst.length > WORST_KEPT) worst.pop();
    }
  }
  return { cpu: d.cpu, pinned: pinError === null, realtime: rtError === null, why: pinError ?? (rtError === 'not asked' ? null : rtError), wakeups, maxMs: Math.round(maxMs * 10) / 10, late, worst };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string, dflt: number): number => {
    const i = args.indexOf(`--${name}`);
    const v = i >= 0 ? Number(args[i + 1]) : dflt;
    if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be a non-negative number, got ${args[i + 1]}`);
    return v;
  };
  const seconds = opt('seconds', 3 * 3600);
  const rtPriority = opt('rt-priority', 50);
  const n = Math.max(1, cpus().length);
  const stop = new SharedArrayBuffer(4);
  const startedAt = Date.now();
  const t0 = performance.now();
  const workers = Array.from({ length: n }, (_, cpu) => {
    const w = new Worker(new URL(import.meta.url), { workerData: { cpu, rtPriority, stop } satisfies ProbeData });
    return new Promise<CpuPauses>((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
  });
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    Atomics.store(new Int32Array(stop), 0, 1);
  };
  const timer = setTimeout(end, seconds * 1000);
  process.stdin.on('data', (b: Buffer) => {
    if (b.toString().includes('stop')) end();
  });
  process.stdin.on('end', end).on('error', end);
  const perCpu = await Promise.all(workers);
  clearTimeout(timer);
  const report: PauseReport = {
    startedAt: new Date(startedAt).toISOString(),
    seconds: Math.round((performance.now() - t0) / 100) / 10,
    cpus: perCpu,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exit(0);
}

if (isMainThread) {
  main().catch((err: Error) => {
    process.stderr.write(`pause probe: ${err.message}\n`);
    process.exit(2);
  });
} else {
  parentPort?.postMessage(probeThread(workerData as ProbeData));
}
