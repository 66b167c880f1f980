// The types of the chassis state machine (fsm/chassis.ts): its config, state, events, effects
// and the table of legal transitions.
import type { ChassisModeName, ChassisStateName, SwitchoverReason } from '../api/contract.js';

/**
 * startup: the start-up hold; switchover: a requested switchover's time limit; fence-listen: a
 * stall fenced an Active whose peer was already silent: a dead interval to hear it.
 */
export type TimerName = 'startup' | 'switchover' | 'fence-listen';

export interface FsmConfig {
  chassisId: string;
  mode: ChassisModeName;
  priority: number;
  cfMac: Uint8Array;
  deadIntervalMs: number;
  delayIntervalMs: number;
  /** A freshly started chassis may not claim Active before this (after delay-interval). */
  startupHoldMs: number;
  preemption: boolean;
  routeModifier: { initial: number; threshold: number };
  /** How long an Active in Pending-Standby waits for the peer to take over before it resumes. */
  switchoverTimeoutMs: number;
  /** A witness (etcd) is configured: only the holder of its lease may be Active. */
  witness?: boolean;
}

/** What the witness last said (witness/witness.ts). */
export interface WitnessView {
  held: boolean;
  reachable: boolean;
  holder: string | null;
}

/** What the state machine needs from a peer's Hello, and what the liveness detector judged of it. */
export interface PeerHello {
  chassisId: string;
  mode: ChassisModeName;
  state: ChassisStateName;
  priority: number;
  cfMac: Uint8Array;
  routeModifier: number;
  standbyReady: boolean;
  bootId: string;
  epoch: number;
  baseEpoch: number;
  fenced: boolean;
  eligible: number;
  /** The sessions it holds (call-loss accounting; show commands). */
  sessions: number;
  /** Its configuration digest: when it changes, the configurations are compared key by key. */
  configDigest: Uint8Array;
  /** It echoes this boot of ours and a recent Hello of ours (sent after our last stall). */
  fresh: boolean;
  /** The first believed Hello of a new boot of the peer: it restarted. */
  newBoot: boolean;
  /** Its sender is stopping; takeoverNow as in Goodbye. */
  goodbye: boolean;
  takeoverNow: boolean;
  /** It took over before its bulk sync finished: its table may lack sessions we hold. */
  partialTable: boolean;
}

export interface PeerView extends PeerHello {
  lastHelloAt: number;
  alive: boolean; // not judged dead by the liveness detector since its last Hello
}

export interface PendingSwitchover {
  requestId: number;
  force: boolean;
  reason: SwitchoverReason;
  phase: 'flushing' | 'requested' | 'accepted';
  startedAt: number;
}

export interface Fence {
  since: number;
  cause: string;
}

export interface FsmState {
  readonly config: FsmConfig;
  name: ChassisStateName;
  started: boolean;
  routeModifier: number;
  localReady: boolean;
  linkUp: boolean;
  peer: PeerView | null;
  deadlines: Record<TimerName, number | null>;
  switchover: PendingSwitchover | null;
  /** Set while in Pending-Active: why, and since when the takeover counts. */
  pendingActive: { reason: SwitchoverReason; since: number } | null;
  preemptRequested: boolean;
  nextRequestId: number;
  /** The MAC of our active CF card: the configured one until the hardware says otherwise. */
  cfMac: Uint8Array;
  /** Takeover epoch of the table this chassis holds: 0 after boot, the Active's once synced. */
  epoch: number;
  /** Epoch of the table held when this chassis last became Active (equal to `epoch` otherwise). */
  baseEpoch: number;
  /** The highest epoch any peer Hello carried. */
  maxSeenEpoch: number;
  /** Sessions old enough to be replicated, as the runner last said (the empty-chassis rule). */
  eligible: number;
  /** Non-null while this chassis refuses writes until it has heard its peer. */
  fenced: Fence | null;
  /**
   * This chassis took over from Standby before it had ever finished a bulk sync (`synced`): its
   * table may lack sessions the old Active holds. Kept when it steps down; cleared once a bulk
   * sync makes it ready.
   */
  partialTable: boolean;
  /**
   * Its table has been complete at least once this boot: a bulk sync made it a ready Standby,
   * or it became Active from Init (the only table). A ready Standby whose link just dropped
   * (its readiness starts over) still holds a complete table.
   */
  synced: boolean;
  /** The peer's Hellos say it no longer hears us (a one-way fault, our direction). */
  peerDeaf: boolean;
  /** The priority in Hellos and elections (service monitoring lowers it; see 'service-health'). */
  effectivePriority: number;
  /** Service monitoring allows this chassis to preempt (healthy for preemption-delay, no monitor flag). */
  preemptAllowed: boolean;
  /** The witness's last word; null without a witness. */
  witness: WitnessView | null;
}

export type FsmEvent =
  | { type: 'start' }
  | { type: 'hello'; hello: PeerHello }
  /** The liveness detector heard no Hello for the dead interval. */
  | { type: 'peer-dead'; silentMs: number }
  /** This process (or its main thread) was stalled long enough for the peer to judge it dead. */
  | { type: 'stalled'; ms: number; cause: string }
  /** The peer's Hellos say it no longer hears us (true), or it hears us again (false). */
  | { type: 'peer-deaf'; deaf: boolean; cause: string }
  | { type: 'timer'; timer: TimerName }
  | { type: 'goodbye'; reason: string; takeoverNow: boolean }
  | { type: 'link-up' }
  | { type: 'link-down' }
  | { type: 'readiness'; ready: boolean }
  /** The runner's count of eligible sessions (elections and the empty-chassis rule). */
  | { type: 'table'; eligible: number }
  /** The witness's status changed. */
  | { type: 'witness'; held: boolean; reachable: boolean; holder: string | null }
  /** `reason`/`cause`: a planned switchover started by service monitoring instead of an operator. */
  | { type: 'manual-switchover'; force: boolean; requestId: number; reason?: SwitchoverReason; cause?: string }
  /** Service monitoring (tracked objects, monitors): the effective priority and whether preemption is allowed. */
  | { type: 'service-health'; priority: number; preemptAllowed: boolean }
  | { type: 'flush-done'; requestId: number; flushedUpTo: number }
  | { type: 'flush-failed'; requestId: number; error: string }
  | { type: 'switchover-request'; requestId: number; force: boolean; reason: string; flushedUpTo: number }
  | { type: 'switchover-response'; requestId: number; accepted: boolean; reasons: string[] }
  | { type: 'before-active-done' }
  /** The active CF card changed (intra-chassis switchover in hw-sim): elections use the new MAC. */
  | { type: 'cf-mac'; cfMac: Uint8Array };

export type Effect =
  | {
      type: 'transition';
      from: ChassisStateName;
      to: ChassisStateName;
      reason: SwitchoverReason | null;
      cause: string;
      /** On reaching Active: when the takeover began (the peer's last Hello, or the request). */
      takeoverSince?: number;
    }
  | { type: 'arm-timer'; timer: TimerName; delayMs: number }
  | { type: 'cancel-timer'; timer: TimerName }
  | { type: 'send-hello' }
  | { type: 'send-switchover-request'; requestId: number; force: boolean; reason: string; flushedUpTo: number }
  | { type: 'send-switchover-response'; requestId: number; accepted: boolean; reasons: string[] }
  | { type: 'critical-flush'; requestId: number }
  | { type: 'before-active'; reason: SwitchoverReason; flushedUpTo: number | null }
  | { type: 'switchover-result'; requestId: number; accepted: boolean; reasons: string[] }
  | { type: 'peer-lost'; cause: string }
  | { type: 'fence'; fenced: boolean; cause: string }
  /** This Active stepped down for the peer: hand it what was acknowledged while apart. */
  | { type: 'split-handoff'; cause: string }
  | { type: 'log'; level: 'debug' | 'info' | 'warn'; msg: string }
  | { type: 'refused'; event: FsmEvent['type']; reason: string };

export interface StepResult {
  state: FsmState;
  effects: Effect[];
}

/** The legal transitions. Anything else is a bug and is refused with an exception. */
export const TRANSITIONS: Readonly<Record<ChassisStateName, readonly ChassisStateName[]>> = {
  Init: ['Pending-Active', 'Standby'],
  // Pending-Active -> Standby: a takeover the witness did not allow (the peer holds its lease
  // and is heard as Active again).
  'Pending-Active': ['Active', 'Standby'],
  Active: ['Pending-Standby', 'Standby'],
  'Pending-Standby': ['Standby', 'Active'],
  Standby: ['Pending-Active'],
};

export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
  readonly code = 'SRP_ERR_ILLEGAL_TRANSITION';
  constructor(
    readonly from: ChassisStateName,
    readonly to: ChassisStateName,
  ) {
    super(`illegal chassis transition ${from} -> ${to}`);
  }
}

export function initialState(config: FsmConfig): FsmState {
  return {
    config,
    name: 'Init',
    started: false,
    routeModifier: config.routeModifier.initial,
    localReady: false,
    linkUp: false,
    peer: null,
    deadlines: { startup: null, switchover: null, 'fence-listen': null },
    switchover: null,
    pendingActive: null,
    preemptRequested: false,
    nextRequestId: 1,
    cfMac: config.cfMac,
    epoch: 0,
    baseEpoch: 0,
    maxSeenEpoch: 0,
    eligible: 0,
    fenced: null,
    partialTable: false,
    synced: false,
    peerDeaf: false,
    effectivePriority: config.priority,
    preemptAllowed: true,
    witness: config.witness ? { held: false, reachable: false, holder: null } : null,
  };
}
