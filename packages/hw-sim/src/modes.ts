// What each intra-chassis redundancy mode does (seed 000, "Redundancy Modes").
import { RF_STATES, type RfState } from './rf-states.js';

export const REDUNDANCY_MODES = ['HSA', 'RPR', 'RPR+', 'SSO'] as const;
export type RedundancyMode = (typeof REDUNDANCY_MODES)[number];

export type SyncItem =
  | 'startup-config'
  | 'running-config'
  | 'chassis-state' // OIR of cards
  | 'line-card-state'
  | 'forwarding-table' // CEF/FIB
  | 'protocol-state'
  | 'application-state'; // RF clients' data, e.g. subscriber sessions

export interface ModeBehaviour {
  /** What the active keeps synchronised on the standby. */
  readonly synchronised: readonly SyncItem[];
  /** The state a standby must reach before it can take over without a chassis reset. */
  readonly standbyReadyState: RfState;
  /** The standby goes through COLD-CONFIG, COLD-FILESYS, COLD-BULK to HOT. */
  readonly standbySyncs: boolean;
  /** Bulk and incremental sync carry the RF clients' data (clients get onBulkSync). */
  readonly clientSync: boolean;
  /** A switchover is a cold restart of the whole chassis (HSA). */
  readonly chassisResetOnSwitchover: boolean;
  /** Line cards are reset and reloaded on switchover (RPR: "reloads all of the line cards"). */
  readonly lineCardsResetOnSwitchover: boolean;
  /** Nonstop forwarding: line cards keep their last FIB through the switchover (SSO). */
  readonly nonstopForwarding: boolean;
  /** Default switchover time (seed: ~30 s on the 7500; "only a few seconds" elsewhere, 3 s timer). */
  readonly defaultSwitchoverMs: number;
}

export const MODE_BEHAVIOUR: Readonly<Record<RedundancyMode, ModeBehaviour>> = {
  // "when one RP fails, the other RP reboots the router": nothing synced, full cold restart.
  HSA: {
    synchronised: [],
    standbyReadyState: RF_STATES.STANDBY_COLD,
    standbySyncs: false,
    clientSync: false,
    chassisResetOnSwitchover: true,
    lineCardsResetOnSwitchover: true,
    nonstopForwarding: false,
    defaultSwitchoverMs: 30_000,
  },
  // Standby cold-booted, startup config synced only; on switchover it re-parses the
  // configuration and reloads all line cards.
  RPR: {
    synchronised: ['startup-config'],
    standbyReadyState: RF_STATES.STANDBY_COLD,
    standbySyncs: false,
    clientSync: false,
    chassisResetOnSwitchover: false,
    lineCardsResetOnSwitchover: true,
    nonstopForwarding: false,
    defaultSwitchoverMs: 30_000,
  },
  // Standby fully initialised, configuration and chassis state synced; line cards are not
  // reset, but line card, protocol and application state is not synced: the new active
  // reprograms the forwarding table, so traffic is interrupted for the switchover time.
  'RPR+': {
    synchronised: ['startup-config', 'running-config', 'chassis-state'],
    standbyReadyState: RF_STATES.STANDBY_HOT,
    standbySyncs: true,
    clientSync: false,
    chassisResetOnSwitchover: false,
    lineCardsResetOnSwitchover: false,
    nonstopForwarding: false,
    defaultSwitchoverMs: 3_000,
  },
  // Everything synced, bulk then incremental; line cards keep forwarding (NSF).
  SSO: {
    synchronised: [
      'startup-config',
      'running-config',
      'chassis-state',
      'line-card-state',
      'forwarding-table',
      'protocol-state',
      'application-state',
    ],
    standbyReadyState: RF_STATES.STANDBY_HOT,
    standbySyncs: true,
    clientSync: true,
    chassisResetOnSwitchover: false,
    lineCardsResetOnSwitchover: false,
    nonstopForwarding: true,
    defaultSwitchoverMs: 3_000,
  },
};

export function isRedundancyMode(x: unknown): x is RedundancyMode {
  return typeof x === 'string' && (REDUNDANCY_MODES as readonly string[]).includes(x);
}
