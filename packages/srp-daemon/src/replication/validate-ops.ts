// Validation of a whole session API write call against the table, before anything is applied.
import { beginPass, firstInPass, sessionClass, sessionCounters, type CheckpointEngine, type SessionHandle } from '@srp-ha/checkpoint';
import { HttpError } from '../management/router.js';
import { isPlainObject, parseOp, type OpError, type SessionClass, type SessionOp } from './session-ops.js';

export const MAX_OPS = 10_000;

/** What validation knows of a session: the table's state overlaid with earlier ops of the call. */
interface Shadow {
  /** The table's session before the call (undefined: none). */
  session: SessionHandle | undefined;
  /** No earlier op of the call names this id. */
  untouched: boolean;
  exists: boolean;
  cls: SessionClass;
  /** null: the table's own counters (copied only when an op of this call sets one). */
  counters: Record<string, bigint> | null;
}


/**
 * Validates every op against the table (and the ops before it); applies nothing.
 * `sessions[i]`: for an op that is the first of the call on its id, the table's session as
 * validation found it (undefined: none); null for later ops on the same id. applyOps uses it
 * to skip a second lookup in the table, which holds as long as nothing changes the table
 * between validation and apply (the route does both in the same tick).
 */
export function validateOps(
  engine: CheckpointEngine,
  body: unknown,
): { ops: SessionOp[]; errors: OpError[]; sessions: Array<SessionHandle | undefined | null>; versions: boolean } {
  if (!isPlainObject(body) || !Array.isArray(body.ops)) throw new HttpError(400, 'request body must be { "ops": [ ... ] }');
  const extra = Object.keys(body).filter((k) => k !== 'ops' && k !== 'versions');
  if (extra.length > 0) throw new HttpError(400, `unknown field(s) in request body: ${extra.join(', ')} (allowed: ops, versions)`);
  if (body.versions !== undefined && typeof body.versions !== 'boolean') throw new HttpError(400, `versions must be true or false, got ${JSON.stringify(body.versions)}`);
  const rawOps: unknown[] = body.ops;
  if (rawOps.length > MAX_OPS) throw new HttpError(413, `at most ${MAX_OPS} ops per call, got ${rawOps.length}`);
  const ops: SessionOp[] = [];
  const sessions: Array<SessionHandle | undefined | null> = [];
  const errors: OpError[] = [];
  // A shadow per id that is absent from the table, or named by more than one op, or by an op
  // that changes more than attrs and lifetime. An existing session named once by such a plain
  // upsert (the common case) needs none: the call's pass mark says the call has seen it.
  const shadows = new Map<string, Shadow>();
  const pass = beginPass();
  const shadowOf = (id: string, cur: SessionHandle | undefined): Shadow => {
    let s = shadows.get(id);
    if (!s) {
      s = cur
        ? { session: cur, untouched: true, exists: true, cls: sessionClass(cur), counters: null }
        : { session: undefined, untouched: true, exists: false, cls: 'non-ims', counters: {} };
      shadows.set(id, s);
    }
    return s;
  };
  const accept = (op: SessionOp, sh: Shadow): void => {
    ops.push(op);
    sessions.push(sh.untouched ? sh.session : null);
    sh.untouched = false;
  };
  for (let i = 0; i < rawOps.length; i++) {
    const op = parseOp(rawOps[i]);
    if (typeof op === 'string') {
      errors.push({ index: i, reason: op });
      continue;
    }
    const cur = engine.lookup(op.id);
    let sh: Shadow;
    if (cur && firstInPass(cur, pass)) {
      if (op.op === 'upsert' && op.counters === undefined && (op.class === undefined || op.class === sessionClass(cur))) {
        // First op on this id, a plain upsert: the shadow it would leave equals the session's
        // own state, so one is made only if a later op names the id again.
        ops.push(op);
        sessions.push(cur);
        continue;
      }
      sh = shadowOf(op.id, cur);
    } else if (cur) {
      // Named before in this call: a shadow exists, or the earlier op was a plain upsert.
      sh = shadows.get(op.id) ?? { session: cur, untouched: false, exists: true, cls: sessionClass(cur), counters: null };
      shadows.set(op.id, sh);
    } else {
      sh = shadowOf(op.id, undefined);
    }
    if (op.op === 'delete') {
      sh.exists = false;
      sh.counters = {};
      accept(op, sh);
      continue;
    }
    if (!sh.exists) {
      sh.exists = true;
      sh.cls = op.class ?? 'non-ims';
      sh.counters = { ...op.counters };
      accept(op, sh);
      continue;
    }
    if (op.class !== undefined && op.class !== sh.cls) {
      errors.push({ index: i, reason: `session ${op.id} is ${sh.cls}: the class cannot change (delete it first)` });
      continue;
    }
    if (!op.counters) {
      accept(op, sh);
      continue;
    }
    sh.counters ??= sh.session ? { ...sessionCounters(sh.session) } : {};
    let bad: string | null = null;
    for (const [k, v] of Object.entries(op.counters)) {
      const c = sh.counters[k] ?? 0n;
      if (v < c) {
        bad = `counters.${k} would go down from ${c} to ${v} (counters are monotonic)`;
        break;
      }
    }
    if (bad) {
      errors.push({ index: i, reason: bad });
      continue;
    }
    Object.assign(sh.counters, op.counters);
    accept(op, sh);
  }
  return { ops, errors, sessions, versions: body.versions === true };
}
