/**
 * Turns for write calls, and the slices a call is worked in.
 *
 * A call of thousands of ops is seconds of work on a loaded chassis (a 10k-op call took 1 s
 * while a million sessions were loaded under updates: the main thread missed its watchdog).
 * So a call is worked in slices of a few ms (`Slicer`), and the event loop polls I/O and runs
 * timers (the SRP link's acks, the liveness watchdog's beat, other API calls' reads) between
 * two slices. Write calls never interleave: each starts, in a check phase of its own, only
 * after the call before it has finished (`CallTurns`).
 */
export class CallTurns {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `work` after every call that asked before it, starting in a later check phase. */
  run<T>(work: () => T | Promise<T>): Promise<T> {
    const done = this.tail.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(work);
    this.tail = done.catch(() => undefined);
    return done;
  }
}

/**
 * How long a write call works before the event loop gets a turn: 2 ms, as the macro stream's
 * slice (see SEND_SLICE_MS in the checkpoint package: why, measured).
 */
export const CALL_SLICE_MS = 2;

/** Cuts work into slices of about `sliceMs`: `due()` is checked per unit of work, `pause()` between slices. */
export class Slicer {
  /** The work was paused at least once: what it looked up before may have changed since. */
  paused = false;
  private start = performance.now();
  private units = 0;

  constructor(private readonly sliceMs = CALL_SLICE_MS) {}

  /** True when the slice has run its time (the clock is read every 16 units). */
  readonly due = (): boolean => (++this.units & 15) === 0 && performance.now() - this.start > this.sliceMs;

  /** Gives the event loop a turn (I/O, timers), then starts a new slice. */
  async pause(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.paused = true;
    this.start = performance.now();
  }
}

/** A slice never ends: the work runs to its end in one go. */
export const NEVER_DUE = (): boolean => false;
