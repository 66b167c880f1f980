// How a runner is built: its options, and the link's options, the state machine's first state
// and the settings it logs at start as they follow from the config.
import type { Logger } from 'pino';
import { DEFAULT_MAX_FRAME_SIZE } from '@srp-ha/wire';
import { formatHostPort, macOctets, type HostPort } from '@srp-ha/common';
import type { DaemonObserver } from '../api/contract.js';
import type { SrpConfig } from '../config/config.js';
import { initialState, type FsmState, type step } from '../fsm/chassis.js';
import type { Clock } from '../fsm/clock.js';
import type { KeyRing } from '../link/keys.js';
import type { ChassisLink, LinkOptions } from '../link/link.js';
import type { Witness } from '../witness/witness.js';
import type { LivenessFactory } from './liveness-bridge.js';
import type { DaemonParts } from './parts.js';

export interface DaemonOptions {
  logger: Logger;
  clock?: Clock;
  /** The session service, the hardware and the listeners the runner is composed with. */
  parts?: DaemonParts;
  /** Without a session service: a Standby is ready after this many Hellos from its Active peer. */
  readyAfterHellos?: number;
  /** How long a Pending-Standby waits for the peer to take over; default max(2 x dead, 5 s). */
  switchoverTimeoutMs?: number;
  observer?: DaemonObserver;
  /** The Hello path; default a worker thread (liveness/channel.ts). The runner harness runs it in-thread. */
  liveness?: LivenessFactory;
  /** The SRP link; default TCP (link/link.ts). The runner harness passes an in-memory one. */
  link?: (opts: LinkOptions) => ChassisLink;
  /**
   * The daemon cannot go on (its liveness channel died, or the state machine failed): srpd
   * exits. Default: log it and stop (a Goodbye lets the peer take over at once).
   */
  onFatal?: (err: Error) => void;
  /** A witness (witness/etcd.ts): only the holder of its lease may be Active and acknowledge writes. */
  witness?: Witness | null;
  /** The state machine's transition function; tests substitute a failing one. Default fsm `step`. */
  step?: typeof step;
}

/** The SRP link's options (the runner changes `bootId` in place when the chassis resets). */
export function linkOptionsFor(config: SrpConfig, keys: KeyRing, bootId: number, clock: Clock, logger: Logger): LinkOptions {
  return {
    bind: config.bind,
    peer: config.peer,
    keys,
    tls: config.tls,
    peerAllow: config.peerAllow,
    chassisId: config.chassisId,
    bootId,
    compression: config.compression,
    helloIntervalMs: config.helloIntervalMs,
    deadIntervalMs: config.deadIntervalMs,
    maxFrameSize: DEFAULT_MAX_FRAME_SIZE,
    clock,
    logger: logger.child({ chassisId: config.chassisId }),
  };
}

/** The state machine before its `start` event. */
export function firstState(config: SrpConfig, opts: DaemonOptions): FsmState {
  return initialState({
    chassisId: config.chassisId,
    mode: config.mode,
    priority: config.priority,
    cfMac: macOctets(config.cfMac),
    deadIntervalMs: config.deadIntervalMs,
    delayIntervalMs: config.delayIntervalMs,
    startupHoldMs: config.liveness.startupHoldMs,
    witness: opts.witness !== undefined && opts.witness !== null,
    preemption: config.preemption,
    routeModifier: config.routeModifier,
    switchoverTimeoutMs: opts.switchoverTimeoutMs ?? Math.max(2 * config.deadIntervalMs, 5000),
  });
}

/** What the runner logs when it starts. */
export function startupFields(c: SrpConfig, bound: HostPort): Record<string, unknown> {
  return {
    mode: c.mode,
    priority: c.priority,
    cfMac: c.cfMac,
    bind: formatHostPort(bound),
    peer: formatHostPort(c.peer),
    helloIntervalMs: c.helloIntervalMs,
    deadIntervalMs: c.deadIntervalMs,
    delayIntervalMs: c.delayIntervalMs,
    startupHoldMs: c.liveness.startupHoldMs,
    watchdogMs: c.liveness.watchdogMs,
  };
}
