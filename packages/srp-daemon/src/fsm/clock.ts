// Time for the state machine and the runner, injected so tests drive it by hand (@srp-ha/clock).
// The daemon's real clock is monotonic (`performance.now()`), so a wall-clock step never fires or
// starves a dead-interval timer; its timers are unref()ed.
export { monotonicClock as systemClock, ManualClock, type Clock, type TimerHandle } from '@srp-ha/clock';
