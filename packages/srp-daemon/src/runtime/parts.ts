// What the runner is composed with (srpd composes them in cli/srpd.ts; an embedding program may
// pass its own): the session service that replicates the sessions, the hardware under the
// chassis, and listeners told of what the runner decided. Checkpoint traffic does not pass
// through the runner: the session service binds to the link's message port itself.
import type { ChassisStateName, SwitchoverReason } from '../api/contract.js';
import type { PeerView } from '../fsm/types.js';

export interface ReadinessContext {
  state: ChassisStateName;
  /** Hellos received from an Active peer since this chassis last became Standby (or the link came up). */
  activeHellosWhileStandby: number;
}

/** The sessions this chassis protects (the replication plane in srpd). */
export interface SessionService {
  /** Session counts advertised in every Hello (call-loss accounting on the peer). */
  sessionCount(): number;
  eligibleCount(): number;
  /**
   * Standby readiness (bulk sync applied). Polled after every Hello and on
   * `SrpDaemon.refreshReadiness()`.
   */
  ready(ctx: ReadinessContext): boolean;
  /**
   * Pending-Active: finish applying what was received (up to `flushedUpTo` on a planned
   * switchover) before this chassis reports Active.
   */
  beforeActive(ctx: { reason: SwitchoverReason; flushedUpTo: number | null }): Promise<void>;
  /**
   * Pending-Standby: flush every pending checkpoint and wait for the peer's acknowledgement
   * (critical flush) before handing over; resolves with the last micro batch sent.
   */
  criticalFlush(): Promise<{ flushedUpTo: number }>;
}

/** The hardware under the chassis (hw-sim in srpd). */
export interface ChassisHardware {
  /** The MAC of the active CF card. */
  cfMac(): Uint8Array;
  /**
   * Hellos come from the active CF: false while the chassis has no CF in charge, so no Hello is
   * sent and the peer takes over after its dead interval.
   */
  helloAllowed(): boolean;
}

export interface StateChange {
  from: ChassisStateName;
  to: ChassisStateName;
  reason: SwitchoverReason | null;
}

/** Told of what the runner decided, after the state machine moved. Every method is optional. */
export interface ChassisListener {
  /** Every state change (e.g. to start or stop checkpointing, traffic, probes). */
  stateChanged?(change: StateChange): void;
  /** Every believed Hello of the peer, as the runner's one record of the peer now holds it. */
  peerHello?(peer: PeerView): void;
  /**
   * Writes are refused from now on (`refused` says why: fenced, or no witness lease) or
   * accepted again (`refused` null). The replication plane stops sending checkpoints meanwhile.
   */
  writeGate?(refused: string | null): void;
  /** The peer is no longer heard (dead, or cut off while the link may still look up). */
  peerLost?(cause: string): void;
  /** This Active stepped down for a peer that is Active too: hand it what was acknowledged while apart. */
  splitHandoff?(cause: string): void;
}

export interface DaemonParts {
  /** Default: no sessions; a Standby is ready after `readyAfterHellos` Hellos from its Active. */
  sessions?: SessionService;
  /** Default: the configured `cf-mac`, Hellos always allowed. */
  hardware?: ChassisHardware;
  listeners?: ChassisListener[];
}

/** Without a session service: no sessions, and a Standby is ready after `n` Hellos from its Active. */
export function noSessions(n: number): SessionService {
  return {
    sessionCount: () => 0,
    eligibleCount: () => 0,
    ready: (ctx) => ctx.state === 'Standby' && ctx.activeHellosWhileStandby >= n,
    beforeActive: () => Promise.resolve(),
    criticalFlush: () => Promise.resolve({ flushedUpTo: 0 }),
  };
}
