// The base every package shares: the injected clock, and the parsers of the values that appear
// in configs and on command lines (MAC addresses, durations, host:port).
export { systemClock, toWallMs, type Clock, type TimerHandle } from './clock.js';
export { ManualClock, flushMicrotasks } from './manual-clock.js';
export { parseMac, macOctets, formatMac, compareMacForElection, type Mac } from './mac.js';
export { parseDuration, formatDuration } from './duration.js';
export { parseHostPort, formatHostPort, isLoopbackHost, isWildcardHost, type HostPort } from './host-port.js';
