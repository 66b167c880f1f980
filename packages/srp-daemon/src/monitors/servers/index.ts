// Real AAA servers (FreeRADIUS, freeDiameter) started as child processes, for the tests, the
// chaos suite and the lab: `@srp-ha/srp-daemon/aaa-servers`.
export { startFreeRadius, freeRadiusMissing, freeRadiusBinary, type FreeRadius, type FreeRadiusOptions } from './freeradius.js';
export { startFreeDiameter, freeDiameterMissing, type FreeDiameter, type FreeDiameterOptions } from './freediameter.js';
export { AaaServerError, ensureDebianTool, freeTcpPort, freeUdpPort, haveCommand, ServerProcess } from './tools.js';
