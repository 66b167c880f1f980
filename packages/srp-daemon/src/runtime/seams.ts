// Where the checkpoint engine and the simulated hardware plug into the daemon core. Every seam
// has a default, so srpd runs on its own today; the lead wires the real ones in.
import type { Hello, SrpMessage } from '@srp-ha/wire';
import type { ChassisStateName, SwitchoverReason } from '../contract.js';

/** Session counts advertised in every Hello (call-loss accounting on the peer). */
export interface SessionSource {
  sessionCount(): number;
  eligibleCount(): number;
}

export interface ReadinessContext {
  state: ChassisStateName;
  /** Hellos received from an Active peer since this chassis last became Standby (or the link came up). */
  activeHellosWhileStandby: number;
}

export interface DaemonSeams {
  sessions?: SessionSource;
  /**
   * Standby readiness (session managers connected, bulk sync applied). Polled after every
   * Hello and on `SrpDaemon.refreshReadiness()`. Default: ready after `readyAfterHellos` Hellos.
   */
  readiness?: (ctx: ReadinessContext) => boolean;
  /**
   * Pending-Active: finish applying what was received (up to `flushedUpTo` on a planned
   * switchover) before this chassis reports Active. Default: resolves at once.
   */
  beforeActive?: (ctx: { reason: SwitchoverReason; flushedUpTo: number | null }) => Promise<void>;
  /**
   * Pending-Standby: flush every pending checkpoint and wait for the peer's acknowledgement
   * (critical flush) before handing over; resolves with the last micro batch sent.
   */
  criticalFlush?: () => Promise<{ flushedUpTo: number }>;
  /** Every message of the link that the core does not handle itself (checkpoint, audit, nack). */
  onPeerMessage?: (msg: SrpMessage) => void;
  /**
   * The link's surviving connection changed while the link stayed up (two connections raced,
   * or the current one closed with another ready): messages sent on the old one may be lost.
   */
  onLinkSwitched?: () => void;
  /** Told of every state change, after the state machine moved (e.g. to start/stop checkpointing). */
  onStateChange?: (change: { from: ChassisStateName; to: ChassisStateName; reason: SwitchoverReason | null }) => void;
  /** Every well-formed Hello from the peer, before readiness is polled (checkpoint call-loss, recovery). */
  onPeerHello?: (hello: Hello) => void;
  /** Every frame written on the link: payload bytes before and after compression. */
  onEncoded?: (kind: SrpMessage['kind'], beforeBytes: number, afterBytes: number) => void;
  /**
   * This Active stops acknowledging writes (fenced: it was stalled, or its peer stopped hearing
   * it) or starts again. The replication plane stops sending checkpoints as Active meanwhile.
   */
  onFence?: (fenced: boolean, cause: string) => void;
  /** This Active stepped down for a peer that is Active too: hand it what was acknowledged while apart. */
  onSplitHandoff?: (cause: string) => void;
  /** The MAC of the active CF card (hw-sim); default the configured `cf-mac`. */
  cfMac?: () => Uint8Array;
  /**
   * Hellos come from the active CF: false while the chassis has no CF in charge (hw-sim), so
   * no Hello is sent and the peer takes over after its dead interval. Default: always true.
   */
  helloAllowed?: () => boolean;
}

export const zeroSessions: SessionSource = { sessionCount: () => 0, eligibleCount: () => 0 };

export function readyAfterHellos(n: number): (ctx: ReadinessContext) => boolean {
  return (ctx) => ctx.state === 'Standby' && ctx.activeHellosWhileStandby >= n;
}
