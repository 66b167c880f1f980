// Time is injected: state machines, the replication engine and the simulated chassis read it
// through a Clock, so tests can drive it by hand with ManualClock.

/** An opaque timer handle: a Node `Timeout` for the real clocks, a timer record for ManualClock. */
export type TimerHandle = object;

export interface Clock {
  /** Milliseconds; for {@link systemClock}, monotonic on an epoch scale (see there). */
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

/**
 * The origin of systemClock: the wall time at which performance.now() was 0, as Node read it
 * at start-up (microsecond precision). `Date.now() - performance.now()` was 1.5-2.1 ms off it
 * (Date.now() truncates to the millisecond, and a process descheduled between the two reads
 * is off by as long): two chassis' write times, which the split hand-over compares, were then
 * misordered for writes a few milliseconds apart.
 */
const EPOCH_ORIGIN = performance.timeOrigin;

/**
 * The clock of every timer, lifetime and expiry: monotonic (performance.now(), immune to
 * wall-clock steps, NTP or by hand) on an epoch scale (it read the wall clock once, at load,
 * so its values look like epoch milliseconds and stay comparable across processes that
 * started under the same wall clock), in whole milliseconds (they travel as uint64 on the
 * wire). Timers unref()ed.
 */
export const systemClock: Clock = realClock(() => Math.round(EPOCH_ORIGIN + performance.now()));

/**
 * A reading `t` of `clock`, as wall-clock epoch milliseconds now: for what people read (logs,
 * ISO times in the API). It follows the wall clock as it is now, steps included.
 */
export function toWallMs(t: number, clock: Clock = systemClock): number {
  return Date.now() - (clock.now() - t);
}
