// The wire's view of chassis states and modes; what our Hellos say; a believed Hello as the
// state machine takes it, and the state machine's record of the peer as show commands render it.
import { ChassisMode, ChassisState, type Hello } from '@srp-ha/wire';
import type { ChassisModeName, ChassisStateName, PeerInfo } from '../api/contract.js';
import { formatMac } from '@srp-ha/common';
import type { FsmState, PeerHello, PeerView } from '../fsm/types.js';
import type { LocalStatus } from '../liveness/protocol.js';
import type { SrpConfig } from '../config/config.js';

export const STATE_TO_WIRE: Record<ChassisStateName, ChassisState> = {
  Init: ChassisState.CHASSIS_STATE_INIT,
  'Pending-Active': ChassisState.CHASSIS_STATE_PENDING_ACTIVE,
  Active: ChassisState.CHASSIS_STATE_ACTIVE,
  'Pending-Standby': ChassisState.CHASSIS_STATE_PENDING_STANDBY,
  Standby: ChassisState.CHASSIS_STATE_STANDBY,
};
const STATE_FROM_WIRE = new Map<ChassisState, ChassisStateName>(
  (Object.entries(STATE_TO_WIRE) as [ChassisStateName, ChassisState][]).map(([k, v]) => [v, k]),
);

export function modeToWire(mode: ChassisModeName): ChassisMode {
  return mode === 'primary' ? ChassisMode.CHASSIS_MODE_PRIMARY : ChassisMode.CHASSIS_MODE_BACKUP;
}

function modeFromWire(mode: ChassisMode): ChassisModeName | null {
  return mode === ChassisMode.CHASSIS_MODE_PRIMARY ? 'primary' : mode === ChassisMode.CHASSIS_MODE_BACKUP ? 'backup' : null;
}

/** The state machine's view of a believed Hello, or why it is malformed. */
export function toPeerHello(h: Hello, verdict: { fresh: boolean; newBoot: boolean }): PeerHello | string {
  const state = STATE_FROM_WIRE.get(h.state);
  const mode = modeFromWire(h.mode);
  if (!state || !mode || h.cfMac.length !== 6) return `state ${h.state}, mode ${h.mode}, ${h.cfMac.length}-octet CF MAC`;
  return {
    chassisId: h.chassisId,
    mode,
    state,
    priority: h.priority,
    cfMac: h.cfMac,
    routeModifier: h.routeModifier,
    standbyReady: h.standbyReady,
    bootId: String(h.bootId),
    epoch: h.epoch,
    baseEpoch: h.baseEpoch,
    fenced: h.fenced,
    eligible: h.eligibleCount,
    sessions: h.sessionCount,
    configDigest: h.configDigest,
    fresh: verdict.fresh,
    newBoot: verdict.newBoot,
    goodbye: h.goodbye,
    takeoverNow: h.takeoverNow,
    partialTable: h.partialTable,
  };
}

/** What our Hellos say: the state machine's view of this chassis plus what the runner counts. */
export function localStatus(
  config: SrpConfig,
  s: FsmState,
  extras: Pick<LocalStatus, 'configDigest' | 'sessionCount' | 'eligibleCount' | 'helloAllowed'>,
): LocalStatus {
  return {
    chassisId: config.chassisId,
    mode: modeToWire(config.mode),
    state: STATE_TO_WIRE[s.name],
    priority: s.effectivePriority,
    cfMac: s.cfMac,
    routeModifier: s.routeModifier,
    ...extras,
    standbyReady: s.name === 'Standby' && s.localReady,
    epoch: s.epoch,
    baseEpoch: s.baseEpoch,
    fenced: s.fenced !== null,
    partialTable: s.partialTable,
  };
}

/** The peer as `show srp info` shows it: the runner's one record of it (the state machine's). */
export function peerInfo(p: PeerView | null, address: string | null, wallMs: (t: number) => number): PeerInfo | null {
  if (!p) return null;
  return {
    chassisId: p.chassisId,
    epoch: p.epoch,
    fenced: p.fenced,
    state: p.state,
    mode: p.mode,
    priority: p.priority,
    cfMac: formatMac(p.cfMac),
    routeModifier: p.routeModifier,
    standbyReady: p.standbyReady,
    sessions: p.sessions,
    address,
    lastHelloAt: new Date(wallMs(p.lastHelloAt)).toISOString(),
  };
}
