export { systemClock, monotonicClock, type Clock, type TimerHandle } from './clock.js';
export { ManualClock, flushMicrotasks } from './manual-clock.js';
