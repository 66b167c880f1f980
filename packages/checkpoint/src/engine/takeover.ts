import type { CallLossRecord } from '../call-loss.js';
import { F_COUNTERS_UNSYNCED } from '../table/session.js';
import type { SessionStore } from '../table/store.js';
import { yieldToLoop } from '../yield.js';
import type { PeerHelloInfo } from './types.js';

/**
 * A Standby's table becomes the Active's: every counter advances by counter-sync-every (no
 * sequence number is ever reused; packed counters advance lazily, table/packed.ts), every
 * lifetime restarts in full from `now`, every session counts as eligible. Versions are kept,
 * so the table digest equals the old Active's when nothing was lost, and the version clock
 * continues past the highest one held. Yields to the event loop every 10k sessions.
 */
export async function takeOverTable(store: SessionStore, syncEvery: bigint, now: number): Promise<void> {
  let n = 0;
  store.records.takeover();
  for (const s of store.values()) {
    if (s.flags & F_COUNTERS_UNSYNCED) s.flags &= ~F_COUNTERS_UNSYNCED;
    const c = s.c;
    if (c !== null) for (const k in c) c[k] += syncEvery;
    s.expiresAt = now + s.lifetimeMs;
    store.markEligible(s);
    // Keep the replicated versions (the digest stays that of the old Active's table) and
    // continue the version clock past them, so changes made from now on are newer.
    store.bumpVersionClockPast(s.version);
    if (++n % 10_000 === 0) await yieldToLoop();
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
