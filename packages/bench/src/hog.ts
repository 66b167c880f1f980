// A CPU hog: one busy child process per core, to measure a bench beside other work (--hog).
// The children spin in a tight loop until stop() kills them (each by its own pid).
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';

export class CpuHog {
  private readonly children: ChildProcess[] = [];

  static start(processes = cpus().length): CpuHog {
    const hog = new CpuHog();
    for (let i = 0; i < processes; i++) {
      const c = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
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
