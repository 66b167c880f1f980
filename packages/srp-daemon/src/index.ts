// The daemon core as a library: config, the chassis state machine and the runner.
export * from './api/contract.js';
export {
  ConfigError,
  loadConfigFile,
  loadConfigText,
  validateConfig,
  matchingValues,
  configDigest,
  type SrpConfig,
  type ConfigIssue,
  type NotifyHook,
} from './config/config.js';
export { systemClock, ManualClock, type Clock, type TimerHandle } from './fsm/clock.js';
export {
  step,
  initialState,
  checkSwitchover,
  TRANSITIONS,
  IllegalTransitionError,
  type FsmConfig,
  type FsmEvent,
  type FsmState,
  type Effect,
  type PeerHello,
} from './fsm/chassis.js';
export { winsElection, losesSplitBrain, nextRouteModifier } from './fsm/election.js';
export { SrpDaemon, type DaemonOptions } from './runtime/daemon.js';
export { noSessions, type DaemonParts, type SessionService, type ChassisHardware, type ChassisListener, type StateChange, type ReadinessContext } from './runtime/parts.js';
export type { MessagePort, LinkState } from './link/port.js';
export { EtcdWitness, type EtcdWitnessOptions } from './witness/etcd.js';
export { witnessTimings, WitnessError, type Witness, type WitnessStatus, type WitnessTimings, type WitnessErrorCode } from './witness/witness.js';
export { witnessKey, type WitnessConfig, type EtcdWitnessConfig } from './config/witness.js';
