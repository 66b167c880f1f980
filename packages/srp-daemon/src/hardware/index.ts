// The simulated hardware under srpd: see plane.ts.
export { createHardwarePlane, type HardwarePlane, type HardwarePlaneOptions } from './plane.js';
export { HARDWARE_COMMANDS } from './commands.js';
export { hardwareRoutes, noHardwareRoutes, routingAdvertisement } from './routes.js';
export { FAULT_ACTIONS, type FaultAction, type FaultResult, type HardwareStatus, type RoutingAdvertisement, type SinkCounters } from './api.js';
export { registerHardwareMetrics } from './metrics.js';
export { forwardChassisEvents, HW_EVENT_TYPES, type HwEventType } from './events.js';
export { wireHardware, type HardwareHost, type WiredHardware } from './wiring.js';
export { trafficSessionSink, type TrafficEngine } from './session-sink.js';
