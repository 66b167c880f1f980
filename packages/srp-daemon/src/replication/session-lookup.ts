// POST /v1/sessions/lookup { ids: [...] }: many sessions in one read, on either side. It answers
// `{ sessions: [...] }` in the order of `ids`, each `{ id, version, attrs, counters, eligible }`
// (counters as decimal strings) or null when the table has no such session. A read: no token
// needed, and it works on the Standby as on the Active (a chaos judge reads the final table).
import type { CheckpointEngine } from '@srp-ha/checkpoint';
import { HttpError, type Route } from '../management/router.js';

export const MAX_LOOKUP_IDS = 10_000;

export interface LookedUp {
  id: string;
  version: number;
  eligible: boolean;
  attrs: Record<string, string>;
  counters: Record<string, string>;
}

export function lookupSessions(engine: CheckpointEngine, body: unknown): { sessions: Array<LookedUp | null> } {
  const ids = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as { ids?: unknown }).ids : undefined;
  if (!Array.isArray(ids)) throw new HttpError(400, 'request body must be { "ids": [ ... ] }');
  const extra = Object.keys(body as object).filter((k) => k !== 'ids');
  if (extra.length > 0) throw new HttpError(400, `unknown field(s) in request body: ${extra.join(', ')} (allowed: ids)`);
  if (ids.length > MAX_LOOKUP_IDS) throw new HttpError(413, `at most ${MAX_LOOKUP_IDS} ids per call, got ${ids.length}`);
  const sessions: Array<LookedUp | null> = [];
  for (let i = 0; i < ids.length; i++) {
    const id: unknown = ids[i];
    if (typeof id !== 'string') throw new HttpError(400, `ids[${i}] must be a string, got ${JSON.stringify(id)}`);
    const v = engine.get(id);
    if (!v) {
      sessions.push(null);
      continue;
    }
    const counters: Record<string, string> = {};
    for (const [k, n] of Object.entries(v.counters)) counters[k] = n.toString();
    sessions.push({ id, version: v.version, eligible: v.eligible, attrs: { ...v.attrs }, counters });
  }
  return { sessions };
}

export function lookupRoute(engine: CheckpointEngine): Route {
  return { method: 'POST', path: '/v1/sessions/lookup', mutating: false, handler: ({ body }) => lookupSessions(engine, body) };
}
