import type { CallLossRecord } from '../call-loss.js';
import type { SessionStore } from '../table/store.js';
import { yieldToLoop } from '../yield.js';
import type { PeerHelloInfo } from './types.js';

/**
 * A Standby's table becomes the Active's (SessionStore.beginTakeover: every lifetime restarts
 * in full from `now`, every counter advances, every session counts as eligible), lazily: the
 * sessions are settled as they are looked up, and the returned walk settles the rest in the
 * background, yielding to the event loop every 10k sessions. The Active serves before it ends.
 */
export function takeOverTable(store: SessionStore, now: number): Promise<void> {
  store.beginTakeover(now);
  return settleRest(store);
}

async function settleRest(store: SessionStore): Promise<void> {
  // values() settles each session it yields while any is owed.
  const it = store.values();
  for (let n = 1; store.unsettledCount > 0 && !it.next().done; n++) if (n % 10_000 === 0) await yieldToLoop();
}

/** The call loss of a takeover: what the old Active reported in its last Hello against what this one holds. */
export function callLossOf(peer: PeerHelloInfo, recovered: number, at: number, cause: string): CallLossRecord {
  return {
    at,
    cause,
    expected: peer.sessionCount,
    recovered,
    lostEligible: Math.max(0, peer.eligibleCount - recovered),
    lostYoung: Math.max(0, peer.sessionCount - peer.eligibleCount),
  };
}
