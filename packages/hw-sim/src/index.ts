// @srp-ha/hw-sim: the simulated chassis (CF cards with intra-chassis SSO, line cards with
// nonstop forwarding, RF clients, faults, subscriber traffic) and the simulated routing domain.
export { systemClock, ManualClock, flushMicrotasks, type Clock } from './clock.js';
export { HwSimError, type HwSimErrorCode } from './errors.js';
export { RF_STATES, rfStateName, formatRfState, isActiveFamily, isStandbyFamily, type RfState, type RfStateKey } from './rf-states.js';
export { RF_TRANSITIONS, rfStep, type RfEvent, type RfStepResult } from './rf-fsm.js';
export { REDUNDANCY_MODES, MODE_BEHAVIOUR, isRedundancyMode, type RedundancyMode, type ModeBehaviour, type SyncItem } from './modes.js';
export {
  LC_STATES,
  LC_TRANSITIONS,
  lineCardStep,
  type LineCardState,
  type LineCardEvent,
  type LineCardAlarm,
  type LineCardView,
  type LineCardCounters,
} from './line-card.js';
export {
  RfClientRegistry,
  BUILTIN_RF_CLIENTS,
  type RfClient,
  type RfNotification,
  type RfNotificationKind,
  type NotificationRecord,
} from './rf-clients.js';
export {
  resolveHardwareConfig,
  hardwareConfigFromYaml,
  DEFAULT_TIMERS,
  DEFAULT_TRAFFIC,
  MAX_TRAFFIC_RATE,
  MAX_SESSIONS,
  type HardwareConfig,
  type HardwareConfigInput,
  type HardwareTimers,
  type TrafficConfig,
} from './config.js';
export { TypedEmitter, type ChassisEvents, type ChassisEventName, type SwitchoverCause, type CardFaultKind } from './events.js';
export {
  Chassis,
  type ChassisOptions,
  type ChassisSnapshot,
  type CfCardView,
  type RedundancyCounters,
  type PacketCounters,
  type LastSwitchover,
  type HistoryEntry,
} from './chassis.js';
export { Prng } from './prng.js';
export {
  TrafficGenerator,
  type SessionOp,
  type SessionSink,
  type SessionClass,
  type SessionAttrs,
  type SessionCounters,
  type TrafficHost,
  type TrafficStats,
  type TrafficStopReason,
} from './traffic.js';
export {
  RoutingDomain,
  emptyRoutingDomain,
  advertise,
  withdraw,
  routePackets,
  routingStats,
  selectRoute,
  activeClaims,
  compareChassisId,
  type RouteAdvertisement,
  type RoutingDomainState,
  type RoutingDomainStats,
} from './routing-domain.js';
export * from './show.js';
