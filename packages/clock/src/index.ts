export { systemClock, monotonicClock, toWallMs, type Clock, type TimerHandle } from './clock.js';
export { ManualClock, flushMicrotasks } from './manual-clock.js';
