// Who wins when two chassis meet: at start-up (election) and when two Actives meet after the
// link heals (split brain). Both sides run the same comparison, so they agree without talking.
import type { ChassisModeName } from '../contract.js';
import { compareMacForElection } from '../config/mac.js';

export interface Candidate {
  chassisId: string;
  mode: ChassisModeName;
  priority: number; // a lower number wins
  cfMac: Uint8Array;
  routeModifier: number;
}

/** Start-up: primary beats backup; then the lower priority number; then the higher CF MAC. */
export function winsElection(local: Candidate, peer: Candidate): boolean {
  if (local.mode !== peer.mode) return local.mode === 'primary';
  if (local.priority !== peer.priority) return local.priority < peer.priority;
  const mac = compareMacForElection(local.cfMac, peer.cfMac);
  if (mac !== 0) return mac > 0;
  return local.chassisId < peer.chassisId; // last resort, never equal on a real pair
}

/**
 * Two Actives: the one with the higher route modifier (the later takeover) steps down; then the
 * higher priority number; then the lower CF MAC.
 */
export function losesSplitBrain(local: Candidate, peer: Candidate): boolean {
  if (local.routeModifier !== peer.routeModifier) return local.routeModifier > peer.routeModifier;
  if (local.priority !== peer.priority) return local.priority > peer.priority;
  const mac = compareMacForElection(local.cfMac, peer.cfMac);
  if (mac !== 0) return mac < 0;
  return local.chassisId > peer.chassisId;
}

/** The route modifier after one more switchover: +1, back to `initial` past `threshold`. */
export function nextRouteModifier(current: number, rm: { initial: number; threshold: number }): number {
  const next = current + 1;
  return next > rm.threshold ? rm.initial : next;
}
