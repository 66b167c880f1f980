// Notify hooks: an executable per transition, run one at a time in the order the transitions
// happened, with exit status and duration logged and reported. They never block the state
// machine: a slow hook delays only the hooks behind it.
import { execFile } from 'node:child_process';
import type { Logger } from 'pino';
import type { NotifyHook } from '../config/config.js';

export interface HookRun {
  transition: string;
  command: string;
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  error: string | null;
}

export interface HookJob {
  transition: string; // e.g. standby-to-pending-active
  env: Record<string, string>;
  args: string[];
}

export class HookQueue {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(
    private readonly hooks: NotifyHook[],
    private readonly logger: Logger,
    private readonly onRun: (run: HookRun) => void,
    private readonly timeoutMs = 30_000,
  ) {}

  /** Queues every hook configured for this transition (specific ones first, then `any`). */
  enqueue(job: HookJob): void {
    const matching = [
      ...this.hooks.filter((h) => h.transition === job.transition),
      ...this.hooks.filter((h) => h.transition === 'any'),
    ];
    for (const hook of matching) {
      this.pending++;
      this.tail = this.tail.then(() => this.run(hook, job)).finally(() => {
        this.pending--;
      });
    }
  }

  /** Resolves when every queued hook has finished. */
  async drain(): Promise<void> {
    while (this.pending > 0) await this.tail;
  }

  private run(hook: NotifyHook, job: HookJob): Promise<void> {
    const started = performance.now();
    return new Promise((resolve) => {
      execFile(
        hook.command,
        job.args,
        { env: { ...process.env, ...job.env }, timeout: this.timeoutMs, killSignal: 'SIGKILL' },
        (err, _stdout, stderr) => {
          const durationMs = Math.round((performance.now() - started) * 10) / 10;
          const e = err as (NodeJS.ErrnoException & { code?: number | string; signal?: string }) | null;
          const run: HookRun = {
            transition: job.transition,
            command: hook.command,
            exitCode: e ? (typeof e.code === 'number' ? e.code : null) : 0,
            signal: e?.signal ?? null,
            durationMs,
            error: e && typeof e.code !== 'number' ? e.message : null,
          };
          const level = run.exitCode === 0 ? 'info' : 'warn';
          this.logger[level](
            { ...run, stderr: stderr.slice(0, 500) || undefined },
            `notify hook ${job.transition} exited ${run.exitCode ?? run.signal ?? 'with an error'}`,
          );
          this.onRun(run);
          resolve();
        },
      );
    });
  }
}
