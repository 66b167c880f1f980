// A CPU hog: one busy child process per core, to measure a bench beside other work (--hog).
// The children spin until stop() kills them (each by its own pid). A child also ends by itself
// when the bench that started it is gone (killed by a signal, no 'exit' handler ran: it is
// its stdin pipe ends) or after MAX_SPIN_MS, so no hog outlives its bench.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';

/** A hog never spins longer than this (the longest bench run is well under it). */
const MAX_SPIN_MS = 3 * 3600_000;

/**
 * Spins in 50 ms turns and gives the event loop a turn between them: its stdin is a pipe from
 * the bench, which ends when the bench is gone, whatever killed it (process.ppid is read once
 * at start in Node, so the parent cannot be watched that way).
 */
const SPIN = `const end = Date.now() + ${MAX_SPIN_MS};
process.stdin.on('end', () => process.exit(0)).on('error', () => process.exit(0)).resume();
const spin = () => { const t = Date.now() + 50; while (Date.now() < t) {} if (Date.now() > end) process.exit(0); setImmediate(spin); };
spin();`;

export class CpuHog {
  private readonly children: ChildProcess[] = [];

  static start(processes = cpus().length): CpuHog {
    const hog = new CpuHog();
    for (let i = 0; i < processes; i++) {
      const c = spawn(process.execPath, ['-e', SPIN], { stdio: ['pipe', 'ignore', 'ignore'] });
      hog.children.push(c);
    }
    process.once('exit', () => hog.kill());
    return hog;
  }

  get pids(): number[] {
    return this.children.map((c) => c.pid ?? 0).filter((p) => p > 0);
  }

  private kill(): void {
    for (const c of this.children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    const exits = this.children.filter((c) => c.exitCode === null && c.signalCode === null).map((c) => new Promise((r) => c.once('exit', r)));
    this.kill();
    await Promise.all(exits);
  }
}
