// The main thread's end of the liveness channel: starts the Hello path (a process of its own,
// process-channel.ts, or a worker thread, here), tells it what our Hellos must say, beats its
// watchdog, and hands its reports to the runner. The Hello path sends, receives and judges
// Hellos apart from this thread, so session work here (a bulk sync, a burst of API calls, a
// major GC) cannot delay a Hello or fake a dead peer.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BOARD, processNowMs, type LivenessSettings, type LocalStatus, type MainToWorker, type WorkerToMain } from './protocol.js';

export interface LivenessChannel {
  /** Counters and times the Hello path keeps (BOARD slots). */
  readonly board: Float64Array;
  /** Now, on the clock of the board's times. */
  now(): number;
  /** Starts the Hello path; resolves once it listens for Hellos, rejects when it cannot. */
  start(): Promise<void>;
  /** What the next Hellos say; sent on at once when more than the session counts changed. */
  update(status: LocalStatus): void;
  /** A Hello now, outside the regular beat (a state change the peer must learn at once). */
  sendNow(): void;
  reboot(bootId: number): void;
  setKeys(keys: Uint8Array[]): void;
  /** The last Hello (with the goodbye flag), then the Hello path ends. */
  stop(takeoverNow: boolean): Promise<void>;
  onReport(cb: (msg: WorkerToMain) => void): void;
  /** Where the Hello path runs, for `show srp info` (e.g. `process 4242`, `worker thread`). */
  where(): string;
}

/**
 * A script of the Hello path (worker.js, hello-process.js): dist's .js beside this module, or
 * dist's when this runs from src/ (tests).
 */
export function helloScript(name: string): URL {
  const here = new URL(`./${name}`, import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const fromSrc = new URL(`../../dist/src/liveness/${name}`, import.meta.url);
  if (existsSync(fileURLToPath(fromSrc))) return fromSrc;
  throw new Error(`the Hello path's ${fileURLToPath(here)} is missing: build the package (tsc -b)`);
}

/** Session counts change all the time; they go to the Hello path at most this often. */
const COUNTS_EVERY_MS = 50;

/** The watchdog beat's period: a quarter of the watchdog, within 5-100 ms. */
export const beatEveryMs = (watchdogMs: number): number => Math.max(5, Math.min(100, Math.floor(watchdogMs / 4)));

/** How a Hello path's launch tells its channel what became of it. */
export interface LaunchEvents {
  message(msg: WorkerToMain): void;
  /** It failed (could not start, or crashed). */
  failed(err: Error): void;
  /** It ended; `how`: "exited with 1", "was killed by SIGKILL". */
  ended(how: string): void;
}

/** What both Hello paths (thread, process) do alike on the main thread's side. */
export abstract class PostingChannel implements LivenessChannel {
  readonly board: Float64Array;
  private readonly listeners: ((msg: WorkerToMain) => void)[] = [];
  private last: LocalStatus | null = null;
  private lastPostedAt = 0;
  private beat: NodeJS.Timeout | null = null;
  private stopped: Promise<void> | null = null;

  constructor(
    protected readonly settings: LivenessSettings,
    /** What the Hello path is called in failures ("the liveness worker", "the Hello process"). */
    private readonly what: string,
  ) {
    this.board = new Float64Array(settings.board);
  }

  /** Starts the Hello path; what becomes of it goes to `on`. */
  protected abstract launch(on: LaunchEvents): void;
  protected abstract post(msg: MainToWorker): void;
  /** The main thread turned at `at`: tells the Hello path where the board is not shared. */
  protected abstract beatAt(at: number): void;
  /** Resolves when the Hello path has ended (at once when it never ran or has ended). */
  protected abstract ended(): Promise<void>;
  /** Ends it at once (after the goodbye, when it did not end by itself). */
  protected abstract kill(): Promise<void>;
  abstract where(): string;

  now(): number {
    return processNowMs();
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.board[BOARD.mainBeatAt] = processNowMs();
      let ready = false;
      this.launch({
        message: (msg) => {
          if (!ready && msg.type === 'ready') {
            ready = true;
            resolve();
          } else if (!ready && msg.type === 'failed') {
            reject(new Error(msg.message));
            return;
          }
          this.report(msg);
        },
        failed: (err) => {
          if (!ready) reject(err);
          else if (!this.stopped) this.report({ type: 'failed', message: `${this.what} failed: ${err.message}` });
        },
        ended: (how) => {
          if (!ready) reject(new Error(`${this.what} ${how} before it was ready`));
          else if (!this.stopped) this.report({ type: 'failed', message: `${this.what} ${how}` });
        },
      });
      if (this.last) this.post({ type: 'status', status: this.last }); // given before start()
      // The watchdog beat: while this thread turns, the Hello path vouches for the chassis.
      this.beat = setInterval(() => {
        const at = processNowMs();
        this.board[BOARD.mainBeatAt] = at;
        this.beatAt(at);
      }, beatEveryMs(this.settings.watchdogMs));
      this.beat.unref();
    });
  }

  update(status: LocalStatus): void {
    const prev = this.last;
    const now = processNowMs();
    if (prev && sameExceptCounts(prev, status)) {
      if ((prev.sessionCount === status.sessionCount && prev.eligibleCount === status.eligibleCount) || now - this.lastPostedAt < COUNTS_EVERY_MS) return;
    }
    this.last = status;
    this.lastPostedAt = now;
    this.post({ type: 'status', status });
  }

  sendNow(): void {
    this.post({ type: 'send-now' });
  }

  reboot(bootId: number): void {
    this.post({ type: 'reboot', bootId });
  }

  setKeys(keys: Uint8Array[]): void {
    this.post({ type: 'keys', keys });
  }

  stop(takeoverNow: boolean): Promise<void> {
    this.stopped ??= (async () => {
      if (this.beat) clearInterval(this.beat);
      const done = this.ended();
      this.post({ type: 'stop', takeoverNow });
      await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
      await this.kill();
    })();
    return this.stopped;
  }

  onReport(cb: (msg: WorkerToMain) => void): void {
    this.listeners.push(cb);
  }

  private report(msg: WorkerToMain): void {
    for (const l of this.listeners) l(msg);
  }
}

/** The Hello path on a worker thread of srpd's process (liveness.hello-path: thread). */
export class WorkerLivenessChannel extends PostingChannel {
  private worker: Worker | null = null;
  private exited = false;

  constructor(settings: LivenessSettings) {
    super(settings, 'the liveness worker');
  }

  protected launch(on: LaunchEvents): void {
    const w = new Worker(helloScript('worker.js'), { workerData: this.settings, name: 'srp-liveness' });
    this.worker = w;
    w.on('message', (msg: WorkerToMain) => on.message(msg));
    w.on('error', (err) => on.failed(err));
    w.on('exit', (code) => {
      this.exited = true;
      on.ended(`exited with ${code}`);
    });
  }

  protected post(msg: MainToWorker): void {
    this.worker?.postMessage(msg);
  }

  protected beatAt(): void {
    // The board is shared: the beat is already on it.
  }

  protected ended(): Promise<void> {
    const w = this.worker;
    if (!w || this.exited) return Promise.resolve();
    return new Promise((resolve) => w.once('exit', () => resolve()));
  }

  protected async kill(): Promise<void> {
    await this.worker?.terminate();
  }

  where(): string {
    return 'worker thread of srpd';
  }
}

function sameExceptCounts(a: LocalStatus, b: LocalStatus): boolean {
  return (
    a.state === b.state &&
    a.mode === b.mode &&
    a.priority === b.priority &&
    a.routeModifier === b.routeModifier &&
    a.standbyReady === b.standbyReady &&
    a.epoch === b.epoch &&
    a.baseEpoch === b.baseEpoch &&
    a.fenced === b.fenced &&
    a.partialTable === b.partialTable &&
    a.helloAllowed === b.helloAllowed &&
    a.chassisId === b.chassisId &&
    Buffer.compare(a.cfMac, b.cfMac) === 0 &&
    Buffer.compare(a.configDigest, b.configDigest) === 0
  );
}
