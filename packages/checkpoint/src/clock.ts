// The engine's time source is the shared @srp-ha/common: `systemClock` (monotonic on an epoch
// scale, so lifetimes and expiries never follow a wall-clock step; timers unref()ed so the
// engine never keeps a process alive), ManualClock in tests.
export { systemClock, toWallMs, ManualClock, type Clock } from '@srp-ha/common';
