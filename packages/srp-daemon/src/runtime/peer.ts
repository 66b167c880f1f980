// The wire's view of chassis states and modes, and the one record of the peer the runner keeps
// for show commands: its last believed Hello and when it came.
import { ChassisMode, ChassisState, type Hello } from '@srp-ha/wire';
import type { ChassisModeName, ChassisStateName, PeerInfo } from '../contract.js';
import { formatMac } from '@srp-ha/common';
import type { PeerHello } from '../fsm/types.js';

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
    fresh: verdict.fresh,
    newBoot: verdict.newBoot,
    goodbye: h.goodbye,
    takeoverNow: h.takeoverNow,
  };
}

export interface PeerRecord {
  hello: Hello;
  state: ChassisStateName;
  receivedAtIso: string;
}

export function peerInfo(p: PeerRecord | null, address: string | null): PeerInfo | null {
  if (!p) return null;
  const h = p.hello;
  return {
    chassisId: h.chassisId,
    epoch: h.epoch,
    fenced: h.fenced,
    state: p.state,
    mode: modeFromWire(h.mode) ?? 'backup',
    priority: h.priority,
    cfMac: formatMac(h.cfMac),
    routeModifier: h.routeModifier,
    standbyReady: h.standbyReady,
    sessions: h.sessionCount,
    address,
    lastHelloAt: p.receivedAtIso,
  };
}
