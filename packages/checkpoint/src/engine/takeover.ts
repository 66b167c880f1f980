import type { CallLossRecord } from '../call-loss.js';
import type { SessionStore } from '../table/store.js';
import { yieldToLoop } from '../yield.js';
import type { PeerHelloInfo } from './types.js';

/**
 * A Standby's table becomes the Active's (SessionStore.beginTakeover: every lifetime restarts
 * in full from `now`, every counter advances, every session counts as eligible), lazily: the
 * sessions are settled as they are looked up, and the returned walk settles the rest in the
 * background, in slices of WALK_SLICE_MS. The walk starts after a turn of the event loop, so the
 * takeover itself costs no walk: the Active serves first (a 10k-session first slice, run inside
 * the takeover, held it for 5-22 ms with 1M sessions on the development machine).
 */
export function takeOverTable(store: SessionStore, now: number, reclaim: { keepPriorWrites: boolean; done: () => Promise<unknown> } = { keepPriorWrites: false, done: () => Promise.resolve() }): Promise<void> {
  store.beginTakeover(now, reclaim.keepPriorWrites);
  return settleRest(store, reclaim.done);
}

/** How long one slice of the background walk may hold the event loop (ms). */
const WALK_SLICE_MS = 2;

/**
 * `before`: what the walk waits for first (a hand-over being taken back reads the sessions' last
 * writes before the takeover, which the walk would overwrite, and keep, one by one).
 */
async function settleRest(store: SessionStore, before: () => Promise<unknown>): Promise<void> {
  await yieldToLoop();
  await before();
  // values() settles each session it yields while any is owed.
  const it = store.values();
  let sliceStart = performance.now();
  for (let n = 1; store.unsettledCount > 0 && !it.next().done; n++) {
    if ((n & 255) === 0 && performance.now() - sliceStart > WALK_SLICE_MS) {
      await yieldToLoop();
      sliceStart = performance.now();
    }
  }
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
