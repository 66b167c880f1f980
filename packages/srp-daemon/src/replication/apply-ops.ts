// Applying a validated session API write call to the engine.
import { sessionCounters, sessionVersion, type CheckpointEngine, type SessionHandle } from '@srp-ha/checkpoint';
import type { SessionOp } from './session-ops.js';

export const DEFAULT_LIFETIME_MS = 3_600_000;

/**
 * Applies validated ops in order. `sessions`: validateOps' table sessions of the same ops (each
 * entry saves a lookup), valid only when applied in the tick in which they were validated.
 * `versions`, when given, receives each op's resulting session version (null for a delete),
 * and `createdOps` the index of each upsert that created its session.
 */
export function applyOps(
  engine: CheckpointEngine,
  ops: readonly SessionOp[],
  sessions?: ReadonlyArray<SessionHandle | undefined | null>,
  versions?: Array<number | null>,
  createdOps?: number[],
): { created: number; updated: number; deleted: number } {
  let created = 0;
  let updated = 0;
  let deleted = 0;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    if (op.op === 'delete') {
      if (engine.delete(op.id)) deleted++;
      versions?.push(null);
      continue;
    }
    // validateOps' lookup: a session, undefined (absent) or null (not the first op on the id).
    const known = sessions ? sessions[i] : null;
    const cur = known === null ? engine.lookup(op.id) : known;
    if (!cur) {
      const attrs: Record<string, string> = {};
      for (const [k, v] of Object.entries(op.attrs ?? {})) if (v !== null) attrs[k] = v;
      const made = engine.create({
        id: op.id,
        class: op.class ?? 'non-ims',
        lifetimeMs: op.lifetimeMs ?? DEFAULT_LIFETIME_MS,
        attrs,
        ...(op.counters ? { counters: op.counters } : {}),
      });
      versions?.push(made.version);
      createdOps?.push(i);
      created++;
      continue;
    }
    const counters = op.counters;
    if (counters) {
      const have = sessionCounters(cur);
      for (const k of Object.keys(counters)) {
        const by = counters[k] - (have[k] ?? 0n);
        if (by > 0n) engine.incrementCounter(cur, k, by);
      }
    }
    // attrs and the lifetime restart as one change (one version, one checkpoint item).
    engine.update(cur, { attrs: op.attrs, lifetimeMs: op.lifetimeMs });
    versions?.push(sessionVersion(cur));
    updated++;
  }
  return { created, updated, deleted };
}
