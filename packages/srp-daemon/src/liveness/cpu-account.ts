// Where a stalled thread's time went. Linux keeps, per thread, the time it ran on a CPU and the
// time it waited, runnable, for one (/proc/thread-self/schedstat), and per host the time a
// hypervisor ran something else on our virtual CPUs (steal, /proc/stat). Sampled at every check
// of the liveness worker, the difference across a stall tells an operator what to fix: waiting
// for a CPU (a loaded host: realtime-priority helps), steal (the hypervisor: dedicated vCPUs),
// on a CPU (this thread's own work), or none of these: not runnable (stopped, or blocked in the
// kernel on memory or a lock).
import { closeSync, openSync, readSync } from 'node:fs';

export interface CpuSample {
  /** Nanoseconds this thread ran on a CPU, and waited runnable for one (schedstat). */
  runNs: number;
  waitNs: number;
  /** Host steal, all CPUs, in ms (/proc/stat: USER_HZ ticks, 10 ms each). */
  stealMs: number;
}

/** A stall's time, split by where it went (ms). */
export interface StallAccount {
  onCpuMs: number;
  waitingForCpuMs: number;
  stealMs: number;
  /** The rest: neither running, runnable nor stolen (stopped, or blocked in the kernel: page faults, locks). */
  blockedMs: number;
}

/** Reads this thread's and the host's CPU accounting; null where /proc does not have it. */
export class CpuAccount {
  private readonly buf = Buffer.alloc(512);
  private schedFd: number | null;
  private statFd: number | null;

  constructor() {
    this.schedFd = tryOpen('/proc/thread-self/schedstat');
    this.statFd = tryOpen('/proc/stat');
  }

  sample(): CpuSample | null {
    if (this.schedFd === null) return null;
    const sched = this.read(this.schedFd);
    if (sched === null) return null;
    const [run, wait] = sched.split(' ');
    const runNs = Number(run);
    const waitNs = Number(wait);
    if (!Number.isFinite(runNs) || !Number.isFinite(waitNs)) return null;
    let stealMs = 0;
    const stat = this.statFd === null ? null : this.read(this.statFd);
    if (stat !== null && stat.startsWith('cpu ')) {
      // cpu user nice system idle iowait irq softirq steal ...
      const steal = Number(stat.slice(4, stat.indexOf('\n')).trim().split(/\s+/)[7]);
      if (Number.isFinite(steal)) stealMs = steal * 10;
    }
    return { runNs, waitNs, stealMs };
  }

  /** Splits `gapMs` (a stall) by the difference of two samples around it. */
  static account(before: CpuSample, after: CpuSample, gapMs: number): StallAccount {
    const onCpuMs = Math.max(0, (after.runNs - before.runNs) / 1e6);
    const waitingForCpuMs = Math.max(0, (after.waitNs - before.waitNs) / 1e6);
    // Steal is counted over every CPU of the host: at most the gap of it is ours.
    const stealMs = Math.min(gapMs, Math.max(0, after.stealMs - before.stealMs));
    return { onCpuMs, waitingForCpuMs, stealMs, blockedMs: Math.max(0, gapMs - onCpuMs - waitingForCpuMs - stealMs) };
  }

  /** "on a CPU 3 ms, waiting for one 45 ms, host steal 0 ms, not runnable 4 ms" */
  static describe(a: StallAccount): string {
    const ms = (n: number): string => `${Math.round(n)} ms`;
    return `on a CPU ${ms(a.onCpuMs)}, waiting for one ${ms(a.waitingForCpuMs)}, host steal ${ms(a.stealMs)}, not runnable ${ms(a.blockedMs)}`;
  }

  close(): void {
    for (const fd of [this.schedFd, this.statFd]) if (fd !== null) closeSync(fd);
    this.schedFd = this.statFd = null;
  }

  private read(fd: number): string | null {
    try {
      const n = readSync(fd, this.buf, 0, this.buf.length, 0);
      return this.buf.toString('latin1', 0, n);
    } catch {
      return null;
    }
  }
}

function tryOpen(path: string): number | null {
  try {
    return openSync(path, 'r');
  } catch {
    return null;
  }
}
