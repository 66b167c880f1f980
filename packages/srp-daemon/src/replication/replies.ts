// The session API's refusals of a write: 409 on a chassis that is not Active, 503 on a fenced one.
import type { ChassisStateName, SrpInfo } from '../api/contract.js';
import { Reply } from '../management/router.js';

export interface SessionApiHost {
  readonly state: ChassisStateName;
  info(): SrpInfo;
}


/** 409 for a write on a chassis that is not (yet) Active, with the Active's address. */
export function notActiveReply(host: SessionApiHost, what: string): Reply {
  const info = host.info();
  const peer = info.peer;
  const activeIsPeer = peer?.state === 'Active';
  const error = `${what} is allowed only on the Active; this chassis is ${info.state}${activeIsPeer ? `, the Active is ${peer.chassisId} at ${peer.address ?? info.peerAddress}` : ''}`;
  return Reply.json(409, {
    error,
    accepted: false,
    reasons: [error],
    state: info.state,
    active: activeIsPeer ? { chassisId: peer.chassisId, address: peer.address ?? info.peerAddress } : null,
  });
}

/** 503: this Active refuses writes for now (fenced, or no witness lease); says who else may serve. */
export function fencedReply(host: SessionApiHost, why: string): Reply {
  const info = host.info();
  const peer = info.peer;
  const error = `writes refused: ${why}`;
  return Reply.json(503, {
    error,
    code: 'SRP_ERR_FENCED',
    accepted: false,
    reasons: [error],
    state: info.state,
    active: peer?.state === 'Active' ? { chassisId: peer.chassisId, address: peer.address ?? info.peerAddress } : null,
  });
}
