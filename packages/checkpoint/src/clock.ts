// The engine's time source is the shared @srp-ha/clock: wall time (`systemClock`, timers
// unref()ed so the engine never keeps a process alive), ManualClock in tests.
export { systemClock, ManualClock, type Clock } from '@srp-ha/clock';
