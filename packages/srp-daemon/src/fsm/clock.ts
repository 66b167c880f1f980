// Time for the state machine and the runner, injected so tests drive it by hand (@srp-ha/common).
// systemClock is monotonic (a wall-clock step never fires or starves a timer); its timers are
// unref()ed.
export { systemClock, toWallMs, ManualClock, type Clock, type TimerHandle } from '@srp-ha/common';
