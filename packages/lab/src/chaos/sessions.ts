// Sessions, seen through srpd's session API when it offers one (POST /v1/sessions,
// GET /v1/sessions/summary). When it does not (404), every session figure of the chaos suite is
// "n/a" and the report says why: nothing is inferred from anything else.
import type { SrpApi } from '../api.js';

export interface SessionSummary {
  count: number;
  eligible: number;
  digest: string;
  [k: string]: unknown;
}

export const SESSIONS_NA = 'n/a: this srpd has no session API (GET /v1/sessions/summary answers 404)';

/** null when the API is not there. */
export async function sessionSummary(api: SrpApi): Promise<SessionSummary | null> {
  return api.optional<SessionSummary>('/v1/sessions/summary');
}

export async function hasSessionApi(api: SrpApi): Promise<boolean> {
  try {
    return (await sessionSummary(api)) !== null;
  } catch {
    return false;
  }
}

/**
 * Creates sessions `from`..`from + n - 1` on the Active in batches (upserts: the API's
 * `{ op: "upsert", id, attrs }`). `idPrefix` keeps runs apart. Returns how many were sent.
 */
export async function loadSessions(api: SrpApi, n: number, idPrefix: string, from = 0, batch = 1000): Promise<number> {
  let done = 0;
  for (let i = from; i < from + n; i += batch) {
    const ops = [];
    for (let j = i; j < Math.min(from + n, i + batch); j++) ops.push({ op: 'upsert', id: `${idPrefix}-${j}`, attrs: { n: String(j) } });
    await api.json('POST', '/v1/sessions', { ops }, 30_000);
    done += ops.length;
  }
  return done;
}
