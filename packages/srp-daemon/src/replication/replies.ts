// The session API's refusals of a write: 409 on a chassis that is not Active, 503 on a fenced one.
import type { ChassisStateName, SrpInfo } from '../api/contract.js';
import { Reply } from '../management/router.js';

export interface SessionApiHost {
  readonly state: ChassisStateName;
  info(): SrpInfo;
}


/** How much of a write call was applied before it was refused (the call is not acknowledged). */
export interface PartialCall {
  applied: number;
  total: number;
}

/** What a refused call says of its ops: nothing when none was applied. */
function partialNote(p: PartialCall | undefined): { note: string; fields: Record<string, number> } {
  if (!p || p.applied === 0) return { note: '', fields: {} };
  return { note: ` (${p.applied} of the call's ${p.total} ops were applied before that; the call is not acknowledged)`, fields: { applied: p.applied, total: p.total } };
}

/** 409 for a write on a chassis that is not (yet) Active, with the Active's address. */
export function notActiveReply(host: SessionApiHost, what: string, partial?: PartialCall): Reply {
  const info = host.info();
  const peer = info.peer;
  const activeIsPeer = peer?.state === 'Active';
  const p = partialNote(partial);
  const error = `${what} is allowed only on the Active; this chassis is ${info.state}${activeIsPeer ? `, the Active is ${peer.chassisId} at ${peer.address ?? info.peerAddress}` : ''}${p.note}`;
  return Reply.json(409, {
    error,
    ...p.fields,
    accepted: false,
    reasons: [error],
    state: info.state,
    active: activeIsPeer ? { chassisId: peer.chassisId, address: peer.address ?? info.peerAddress } : null,
  });
}

/** 503: this Active refuses writes for now (fenced, or no witness lease); says who else may serve. */
export function fencedReply(host: SessionApiHost, why: string, partial?: PartialCall): Reply {
  const info = host.info();
  const peer = info.peer;
  const p = partialNote(partial);
  const error = `writes refused: ${why}${p.note}`;
  return Reply.json(503, {
    error,
    ...p.fields,
    code: 'SRP_ERR_FENCED',
    accepted: false,
    reasons: [error],
    state: info.state,
    active: peer?.state === 'Active' ? { chassisId: peer.chassisId, address: peer.address ?? info.peerAddress } : null,
  });
}
