// Time is injected: state machines, the replication engine and the simulated chassis read it
// through a Clock, so tests can drive it by hand with ManualClock.

/** An opaque timer handle: a Node `Timeout` for the real clocks, a timer record for ManualClock. */
export type TimerHandle = object;

export interface Clock {
  /** Milliseconds. Wall time for {@link systemClock}, monotonic for {@link monotonicClock}. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Like the global clearTimeout: a handle that is not (or no longer) armed is ignored. */
  clearTimeout(handle: unknown): void;
}

function realClock(now: () => number): Clock {
  return {
    now,
    setTimeout(fn, ms) {
      // unref(): a timer armed through a Clock never keeps the process alive on its own.
      const t = setTimeout(fn, ms);
      t.unref();
      return t;
    },
    clearTimeout(handle) {
      clearTimeout(handle as ReturnType<typeof setTimeout>);
    },
  };
}

/** Real time as `Date.now()` (epoch milliseconds, comparable across processes); timers unref()ed. */
export const systemClock: Clock = realClock(() => Date.now());

/** Real time as `performance.now()` (monotonic, immune to wall-clock steps); timers unref()ed. */
export const monotonicClock: Clock = realClock(() => performance.now());
