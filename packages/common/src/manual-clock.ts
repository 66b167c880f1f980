import type { Clock, TimerHandle } from './clock.js';

interface ManualTimer {
  readonly id: number;
  readonly at: number;
  readonly fn: () => void;
}

/** More firings than this in one advance() means a timer keeps re-arming itself at the same instant. */
const MAX_FIRINGS_PER_ADVANCE = 1_000_000;

/**
 * A clock that moves only when a test tells it to. Due timers fire in deadline order; timers due
 * at the same instant fire in the order they were armed. Timers armed by a firing timer fire in
 * the same advance() if they fall due before its end. While a timer runs, now() is its deadline.
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

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: ManualTimer = { id: this.nextId++, at: this.t + (Number.isFinite(ms) ? Math.max(0, ms) : 0), fn };
    this.timers.push(timer);
    return timer;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((x) => x !== handle);
  }

  /** Number of armed timers (tests use it to check that nothing leaks). */
  pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing synchronously every timer that falls due on the way. */
  advance(ms: number): void {
    const end = this.end(ms);
    for (let fired = 0; ; fired++) {
      const next = this.popDue(end, fired);
      if (!next) break;
      this.t = next.at;
      next.fn();
    }
    this.t = end;
  }

  /**
   * Like advance(), but drains the microtask queue before and after every timer, so awaited work
   * started by a timer (promise continuations) runs before the next timer fires.
   */
  async advanceAsync(ms: number): Promise<void> {
    const end = this.end(ms);
    await flushMicrotasks();
    for (let fired = 0; ; fired++) {
      const next = this.popDue(end, fired);
      if (!next) break;
      this.t = next.at;
      next.fn();
      await flushMicrotasks();
    }
    this.t = end;
    await flushMicrotasks();
  }

  private end(ms: number): number {
    if (!(ms >= 0)) throw new RangeError(`ManualClock: cannot advance by ${ms} ms`);
    return this.t + ms;
  }

  private popDue(end: number, fired: number): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const x of this.timers) {
      if (x.at <= end && (!best || x.at < best.at || (x.at === best.at && x.id < best.id))) best = x;
    }
    if (!best) return undefined;
    if (fired >= MAX_FIRINGS_PER_ADVANCE) {
      throw new Error(`ManualClock: more than ${MAX_FIRINGS_PER_ADVANCE} timers fired in one advance (a timer re-arming itself with 0 ms?)`);
    }
    this.timers = this.timers.filter((x) => x !== best);
    return best;
  }
}

/** Lets pending promise continuations run (a bounded number of microtask turns, no macrotask). */
export async function flushMicrotasks(turns = 50): Promise<void> {
  for (let i = 0; i < turns; i++) await Promise.resolve();
}
