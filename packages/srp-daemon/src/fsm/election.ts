// Who wins when two chassis meet: at start-up (election), when two Standbys wait for an Active,
// and when two Actives meet after a partition heals (split brain). Both sides run the same
// comparison on the same Hello fields, so they agree without talking.
import type { ChassisModeName } from '../api/contract.js';
import { compareMacForElection } from '@srp-ha/common';

export interface Candidate {
  chassisId: string;
  mode: ChassisModeName;
  priority: number; // a lower number wins
  cfMac: Uint8Array;
  routeModifier: number;
  /** Takeover epoch of the table held (0: none yet). */
  epoch: number;
  /** Epoch of the table held when this chassis last became Active. */
  baseEpoch: number;
  /** Refuses writes until it has heard its peer (it was stalled, or its peer stopped hearing it). */
  fenced: boolean;
  /** Sessions old enough to be replicated. */
  eligible: number;
  /** It took over before its bulk sync finished: its table may be incomplete. */
  partialTable: boolean;
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
 * Two Standbys and no Active (or two chassis in Init): a complete table wins over a partial one
 * (a chassis that took over before its bulk sync finished, and has not finished one since, has
 * the newer epoch but not the sessions); then the one that holds the newer table takes over; on
 * equal tables the start-up election decides.
 */
export function winsTakeover(local: Candidate, peer: Candidate): boolean {
  if (local.partialTable !== peer.partialTable) return peer.partialTable;
  if (local.epoch !== peer.epoch) return local.epoch > peer.epoch;
  return winsElection(local, peer);
}

/**
 * Why `local` steps down when two Actives meet, or null when it stays. In order:
 *  1. an empty chassis steps down for one that holds sessions, whatever else is true: the
 *     winner keeps only its own table plus what the loser acknowledged while apart, so a full
 *     table that stepped down for an empty one would be lost (a restarted, empty Standby that
 *     took over from an Active that was only stalled);
 *     Likewise a chassis that took over before its bulk sync finished (a partial table) steps
 *     down for one whose table is complete;
 *  2. a fenced chassis (it was stalled, or its peer stopped hearing it) steps down for one that
 *     is not: the other served while it could not;
 *  3. the chassis that knows less steps down: its epoch is older than the table the other took
 *     over with (the other's table descends from a newer one, e.g. a chassis restarted empty);
 *  4. then as in ICSR: the higher route modifier (the later takeover) steps down, so the chassis
 *     the routing domain kept sending traffic to stays; then the higher priority number; then
 *     the lower CF MAC.
 * Whoever steps down hands the changes it acknowledged while apart to the winner.
 */
export function splitBrainLoss(local: Candidate, peer: Candidate): string | null {
  const tables = tableRule(local, peer);
  if (tables !== null) return tables.loser === 'local' ? tables.why : null;
  if (local.fenced !== peer.fenced) return local.fenced ? 'this chassis is fenced (it was stalled or unheard), the peer is not' : null;
  if (local.epoch < peer.baseEpoch) return `the peer's table (epoch ${peer.epoch}, from ${peer.baseEpoch}) is newer than ours (epoch ${local.epoch})`;
  if (peer.epoch < local.baseEpoch) return null;
  if (local.routeModifier !== peer.routeModifier) {
    return local.routeModifier > peer.routeModifier ? `route modifier ${local.routeModifier} vs the peer's ${peer.routeModifier}` : null;
  }
  if (local.priority !== peer.priority) return local.priority > peer.priority ? `priority ${local.priority} vs the peer's ${peer.priority}` : null;
  const mac = compareMacForElection(local.cfMac, peer.cfMac);
  if (mac !== 0) return mac < 0 ? 'equal priority: the peer has the higher CF MAC' : null;
  return local.chassisId > peer.chassisId ? 'equal in everything: the peer has the lower chassis-id' : null;
}

/**
 * Rule 1 of splitBrainLoss: which side's table lacks what the other's holds (empty against
 * sessions, then partial against complete), and why; null when the tables do not decide.
 */
export function tableRule(local: Candidate, peer: Candidate): { loser: 'local' | 'peer'; why: string } | null {
  if ((local.eligible === 0) !== (peer.eligible === 0)) {
    return local.eligible === 0 ? { loser: 'local', why: 'this chassis holds no sessions, the peer does' } : { loser: 'peer', why: 'the peer holds no sessions, this chassis does' };
  }
  if (local.partialTable !== peer.partialTable) {
    return local.partialTable
      ? { loser: 'local', why: 'this chassis took over before its bulk sync finished: the peer holds the complete table' }
      : { loser: 'peer', why: 'the peer took over before its bulk sync finished: this chassis holds the complete table' };
  }
  return null;
}

/** True when `local` steps down when two Actives meet (see splitBrainLoss). */
export function losesSplitBrain(local: Candidate, peer: Candidate): boolean {
  return splitBrainLoss(local, peer) !== null;
}

/** The route modifier after one more switchover: +1, back to `initial` past `threshold`. */
export function nextRouteModifier(current: number, rm: { initial: number; threshold: number }): number {
  const next = current + 1;
  return next > rm.threshold ? rm.initial : next;
}
