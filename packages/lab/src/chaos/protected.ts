// "Protected again": exactly one Active, the other Standby and ready (as it says, and as the
// Active sees it), and equal content digests (GET /v1/sessions/summary on both: equal digests,
// equal replicated tables). The bound a scenario gets for it, by default.
import type { ChaosNode } from '../chassis.js';

export interface Protection {
  /** ms from the end of the fault until protected (null: not within the bound). */
  ms: number | null;
  active: ChaosNode | null;
  /** What the last look saw (for a FAIL). */
  last: string;
}

/** The default bound: 3 dead intervals plus the bulk sync of a table of `sessions`. */
export function defaultProtectBound(deadIntervalMs: number, sessions: number): number {
  return 3 * deadIntervalMs + bulkSyncEstimateMs(sessions);
}

/**
 * What a bulk sync of `sessions` may take on a busy 2-core box: 1 s, plus 20 µs a session
 * (50k sessions/s; the checkpoint bench measures 1M in 5-10 s, 100-200k/s, on an idle one).
 */
export function bulkSyncEstimateMs(sessions: number): number {
  return 1000 + Math.ceil(sessions / 50);
}
