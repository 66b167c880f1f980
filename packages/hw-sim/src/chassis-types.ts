// The data types of one simulated chassis: the views and counters `snapshot()` returns (the
// metrics seam), the history entries behind `show redundancy history`, the constructor options,
// and the internal record of a CF card that the chassis modules share.
import type { Clock } from './clock.js';
import type { SwitchoverCause } from './events.js';
import type { LineCardView } from './line-card.js';
import type { RedundancyMode } from './modes.js';
import type { RfClient } from './rf-clients.js';
import type { RfState } from './rf-states.js';
import type { SessionSink, TrafficStats } from './traffic.js';

export interface CfCardView {
  slot: number;
  mac: string;
  present: boolean;
  hung: boolean;
  rfState: RfState;
  rfStateName: string;
  role: 'active' | 'standby' | 'booting' | 'offline' | 'removed';
  inStateMs: number;
}

export interface RedundancyCounters {
  switchovers: number;
  switchoversByCause: Record<SwitchoverCause, number>;
  chassisResets: number;
  standbyFailures: number;
  bulkSyncs: number;
  bulkSyncsAborted: number;
  incrementalSyncs: number;
  lineCardStatusEvents: number;
  clientNotifications: number;
  clientNotificationErrors: number;
  clientNotificationTimeouts: number;
}

/** The counters the chassis keeps itself (the client ones come from the RF client registry). */
export type ChassisCounters = Omit<RedundancyCounters, 'clientNotifications' | 'clientNotificationErrors' | 'clientNotificationTimeouts'>;

export interface PacketCounters {
  forwarded: number;
  dropped: number;
  droppedNoRoute: number;
  droppedCardDown: number;
  droppedNoLineCard: number;
}

export interface LastSwitchover {
  at: number;
  cause: SwitchoverCause;
  from: number;
  to: number;
  durationMs: number | null; // null while in progress
  reset: boolean;
}

export interface ChassisSnapshot {
  chassisId: string;
  at: number;
  uptimeMs: number;
  configuredMode: RedundancyMode;
  operatingMode: RedundancyMode | 'Non-redundant';
  hardwareMode: 'Duplex' | 'Simplex';
  activeCf: { slot: number; mac: string } | null;
  cfs: CfCardView[];
  lineCards: LineCardView[];
  packets: PacketCounters;
  sessions: TrafficStats | null;
  counters: RedundancyCounters;
  switchoverInProgress: boolean;
  lastSwitchover: LastSwitchover | null;
  guard: { active: boolean; remainingMs: number };
  rfClients: number;
}

export interface HistoryEntry {
  at: number;
  text: string;
}

/** One CF card as the chassis modules see it (not exported from the package). */
export interface CfCard {
  slot: number;
  mac: string;
  present: boolean;
  hung: boolean;
  rf: RfState;
  since: number;
  epoch: number; // bumped when the card fails or powers on: stale timers and awaits check it
}

export interface ChassisOptions {
  clock?: Clock;
  /** Where generated session operations go (can be set later with setSessionSink). */
  sink?: SessionSink | null;
  /** Extra RF clients registered before start. */
  clients?: RfClient[];
}
