// Time for the whole model comes from an injected Clock: no module here calls the real timers,
// except `systemClock`, which the daemon passes in. Tests use `ManualClock` and advance it by hand.

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Real time for the daemon. Timers are unref()ed: the simulated hardware never keeps a process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

interface ManualTimer {
  id: number;
  at: number;
  fn: () => void;
}

/**
 * A clock that only moves when told to. Timers due at the same instant fire in the order they
 * were armed. `advanceAsync` lets awaited work (RF client notifications) run between timers.
 */
export class ManualClock implements Clock {
  private t: number;
  private nextId = 1;
  private timers: ManualTimer[] = [];

  constructor(start = 0) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const timer = { id: this.nextId++, at: this.t + Math.max(0, ms), fn };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((x) => x.id !== handle);
  }

  /** Number of armed timers (tests use it to check that nothing leaks). */
  pending(): number {
    return this.timers.length;
  }

  /** Advance time, firing due timers synchronously. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const next = this.popDue(end);
      if (!next) break;
      this.t = next.at;
      next.fn();
    }
    this.t = end;
  }

  /** Advance time, draining the microtask queue before and after every timer. */
  async advanceAsync(ms: number): Promise<void> {
    const end = this.t + ms;
    await flushMicrotasks();
    for (;;) {
      const next = this.popDue(end);
      if (!next) break;
      this.t = next.at;
      next.fn();
      await flushMicrotasks();
    }
    this.t = end;
    await flushMicrotasks();
  }

  private popDue(end: number): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const x of this.timers) {
      if (x.at <= end && (!best || x.at < best.at || (x.at === best.at && x.id < best.id))) best = x;
    }
    if (best) this.timers = this.timers.filter((x) => x !== best);
    return best;
  }
}

/** Let pending promise continuations run (bounded: 50 macrotask-free turns). */
export async function flushMicrotasks(turns = 50): Promise<void> {
  for (let i = 0; i < turns; i++) await Promise.resolve();
}
