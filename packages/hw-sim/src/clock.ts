// Time for the whole model comes from an injected Clock (@srp-ha/common): no module here calls the
// real timers. The daemon passes `systemClock` (timers unref()ed: the simulated hardware never
// keeps a process alive); tests use `ManualClock` and `advanceAsync`, which lets awaited work
// (RF client notifications) run between timers.
export { systemClock, ManualClock, flushMicrotasks, type Clock } from '@srp-ha/common';
