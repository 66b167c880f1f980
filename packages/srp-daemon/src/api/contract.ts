// What the daemon core offers to its management plane (HTTP API, WebSocket events, metrics,
// srpctl). The core implements `ManagedDaemon`; the management code only reads through it,
// so each side can be tested on its own.
import type { Registry } from 'prom-client';

export const CHASSIS_STATES = ['Init', 'Pending-Active', 'Active', 'Pending-Standby', 'Standby'] as const;
export type ChassisStateName = (typeof CHASSIS_STATES)[number];
export type ChassisModeName = 'primary' | 'backup';

export interface PeerInfo {
  chassisId: string;
  epoch: number;
  fenced: boolean;
  state: ChassisStateName;
  mode: ChassisModeName;
  priority: number;
  cfMac: string;
  routeModifier: number;
  standbyReady: boolean;
  sessions: number;
  address: string | null;
  lastHelloAt: string | null;
}

export interface SwitchoverRecord {
  at: string; // ISO-8601
  reason: SwitchoverReason;
  from: ChassisStateName;
  to: ChassisStateName;
}

export type SwitchoverReason =
  | 'peer-dead' // no hello for dead-interval
  | 'peer-goodbye' // peer shut down gracefully
  | 'manual' // srp initiate-switchover on this or the peer chassis
  | 'manual-force'
  | 'split-brain' // two Actives met; the loser stepped down
  | 'no-peer-at-start' // became Active with no peer after dead-interval
  | 'election' // start-up election decided the role
  | 'preemption'
  | ServiceSwitchoverReason;

/** Planned switchovers started by service monitoring (monitors/, tracking/). */
export const SERVICE_SWITCHOVER_REASONS = ['monitor-aaa', 'monitor-diameter', 'monitor-bgp', 'tracking'] as const;
export type ServiceSwitchoverReason = (typeof SERVICE_SWITCHOVER_REASONS)[number];

/** What the liveness worker knows of the Hello path (show srp info). */
export interface LivenessInfo {
  /** A believed Hello of the peer within the dead interval. */
  hearing: boolean;
  /** The peer's last Hello says it heard us within the dead interval. */
  heardByPeer: boolean;
  /** none | peer-does-not-hear-us | we-do-not-hear-peer (see the README, "Split brain"). */
  linkFault: 'none' | 'peer-does-not-hear-us' | 'we-do-not-hear-peer';
  lastHeardAgoMs: number | null;
  peerLastHeardUsAgoMs: number | null;
  /** False while the main thread misses its watchdog: our Hellos stop. */
  vouching: boolean;
  watchdogMs: number;
  startupHoldMs: number;
  /** How the Hello path's thread is scheduled: "SCHED_RR 50", or "normal (...)" and why. */
  scheduling: string;
  /** Where the Hello path runs: "process 4242" (liveness.hello-path: process) or "worker thread of srpd". */
  helloPath: string;
}

export interface SrpInfo {
  chassisId: string;
  mode: ChassisModeName;
  state: ChassisStateName;
  priority: number;
  /** The priority advertised and used in elections: `priority` lowered by failed tracked objects. */
  effectivePriority: number;
  cfMac: string;
  routeModifier: number;
  link: 'up' | 'down';
  peer: PeerInfo | null;
  standbyReady: boolean; // this chassis, when Standby: bulk sync applied
  sessions: number;
  lastSwitchover: SwitchoverRecord | null;
  helloIntervalMs: number;
  deadIntervalMs: number;
  delayIntervalMs: number;
  compression: 'zlib' | 'lz4' | null; // negotiated on the current link
  digitRuns: boolean; // compressed frames to the peer carry bodies with their digit runs packed
  configDigest: string; // hex
  bind: string;
  peerAddress: string;
  startedAt: string;
  uptimeSeconds: number;
  /** Takeover epoch of the table this chassis holds, and of the one it took over with. */
  epoch: number;
  baseEpoch: number;
  /** Non-null while this chassis refuses writes until it has heard its peer. */
  fenced: { since: string; cause: string } | null;
  liveness: LivenessInfo;
  /** The witness (etcd) as this chassis sees it; null without one. */
  witness: { held: boolean; reachable: boolean; holder: string | null; leaseTtlMs: number; lastError: string | null } | null;
}

export interface SrpStatistics {
  hellos: { sent: number; received: number; missed: number };
  switchovers: Partial<Record<SwitchoverReason, number>>;
  configValidation: {
    checks: number;
    mismatches: number;
    lastResult: 'match' | 'mismatch' | 'unknown';
    differingKeys: string[];
  };
  refusedConnections: Record<string, number>; // by reason: bad-mac, bad-version, garbage, ...
  /** Hello datagrams refused, by reason (bad-mac, replay, stale-boot, not-peer-address, ...). */
  refusedDatagrams: Record<string, number>;
  liveness: { stalls: number; fences: number; watchdogTrips: number; linkFaults: number };
  link: { connects: number; disconnects: number; framesIn: number; framesOut: number; bytesIn: number; bytesOut: number };
}

export interface SwitchoverResult {
  accepted: boolean;
  reasons: string[]; // why it was refused; empty when accepted
}

export interface ConfigValidationResult {
  match: boolean | null; // null when no peer
  localDigest: string;
  peerDigest: string | null;
  differingKeys: string[];
}

export type SrpEvent =
  | { type: 'state-change'; at: string; from: ChassisStateName; to: ChassisStateName; cause: string }
  | { type: 'switchover'; at: string; reason: SwitchoverReason; from: ChassisStateName; to: ChassisStateName; cause: string }
  | { type: 'refused-connection'; at: string; reason: string; remote: string; cause: string }
  | { type: 'link'; at: string; status: 'up' | 'down'; remote: string; cause: string }
  | { type: 'config-validation'; at: string; match: boolean; differingKeys: string[]; cause: string }
  | { type: 'hook'; at: string; transition: string; command: string; exitCode: number | null; durationMs: number; cause: string }
  | { type: string; at: string; cause: string; [k: string]: unknown }; // later: checkpoint, nack, audit, hw

export interface ManagedDaemon {
  info(): SrpInfo;
  statistics(): SrpStatistics;
  initiateSwitchover(force: boolean): Promise<SwitchoverResult>;
  validateSwitchover(): SwitchoverResult;
  validateConfiguration(): Promise<ConfigValidationResult>;
  /** Subscribe to the event stream; returns the unsubscribe function. */
  onEvent(listener: (event: SrpEvent) => void): () => void;
  /** One prom-client registry per daemon instance. */
  readonly registry: Registry;
}

/**
 * Samples the core reports as they happen, for histograms (the metrics module implements it).
 * Point-in-time values (state, counters) are read from info()/statistics() at scrape time.
 */
export interface DaemonObserver {
  helloRtt(seconds: number): void;
  takeover(seconds: number, reason: SwitchoverReason): void;
}
