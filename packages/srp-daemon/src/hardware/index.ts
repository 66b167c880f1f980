// The simulated hardware under srpd: see plane.ts.
export { createHardwarePlane, type HardwarePlane, type HardwarePlaneOptions, type HardwareStatus } from './plane.js';
export { HARDWARE_COMMANDS } from './commands.js';
export { hardwareRoutes, noHardwareRoutes, routingAdvertisement, FAULT_ACTIONS, type FaultAction, type FaultResult, type RoutingAdvertisement } from './routes.js';
export { registerHardwareMetrics, type SinkCounters } from './metrics.js';
export { forwardChassisEvents, HW_EVENT_TYPES, type HwEventType } from './events.js';
export { wireHardware, type HardwareHost, type WiredHardware } from './wiring.js';
export { trafficSessionSink, type TrafficEngine } from './session-sink.js';
