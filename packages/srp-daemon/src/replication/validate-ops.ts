// Validation of a whole session API write call against the table, before anything is applied.
import { beginPass, firstInPass, sessionClass, sessionCounters, type CheckpointEngine, type SessionHandle, type WriteAck } from '@srp-ha/checkpoint';
import { HttpError } from '../management/router.js';
import { NEVER_DUE, type Slicer } from './call-turns.js';
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


export interface ValidatedCall {
  ops: SessionOp[];
  errors: OpError[];
  /** Per accepted op: the table's session as validation found it (see `Validation`). */
  sessions: Array<SessionHandle | undefined | null>;
  versions: boolean;
  /** The call's `ack` (null: the config's checkpoint.write-ack). */
  ack: WriteAck | null;
}

/**
 * Validates every op against the table (and the ops before it); applies nothing.
 * `sessions[i]`: for an op that is the first of the call on its id, the table's session as
 * validation found it (undefined: none); null for later ops on the same id. applyOps uses it
 * to skip a second lookup in the table, which holds as long as nothing changes the table
 * between validation and apply (no pause of the call in between).
 *
 * Resumable: `run(due)` validates ops until they are all done or `due()` ends the slice.
 */
export class Validation {
  private readonly out: ValidatedCall;
  private readonly rawOps: unknown[];
  private i = 0;
  // A shadow per id that is absent from the table, or named by more than one op, or by an op
  // that changes more than attrs and lifetime. An existing session named once by such a plain
  // upsert (the common case) needs none: the call's pass mark says the call has seen it.
  private readonly shadows = new Map<string, Shadow>();
  private readonly pass = beginPass();

  constructor(
    private readonly engine: CheckpointEngine,
    body: unknown,
  ) {
    if (!isPlainObject(body) || !Array.isArray(body.ops)) throw new HttpError(400, 'request body must be { "ops": [ ... ] }');
    const extra = Object.keys(body).filter((k) => k !== 'ops' && k !== 'versions' && k !== 'ack');
    if (extra.length > 0) throw new HttpError(400, `unknown field(s) in request body: ${extra.join(', ')} (allowed: ops, versions, ack)`);
    if (body.versions !== undefined && typeof body.versions !== 'boolean') throw new HttpError(400, `versions must be true or false, got ${JSON.stringify(body.versions)}`);
    if (body.ack !== undefined && body.ack !== 'applied' && body.ack !== 'replicated') throw new HttpError(400, `ack must be "applied" or "replicated", got ${JSON.stringify(body.ack)}`);
    this.rawOps = body.ops;
    if (this.rawOps.length > MAX_OPS) throw new HttpError(413, `at most ${MAX_OPS} ops per call, got ${this.rawOps.length}`);
    this.out = { ops: [], errors: [], sessions: [], versions: body.versions === true, ack: body.ack ?? null };
  }

  get result(): ValidatedCall {
    return this.out;
  }

  private shadowOf(id: string, cur: SessionHandle | undefined): Shadow {
    let s = this.shadows.get(id);
    if (!s) {
      s = cur
        ? { session: cur, untouched: true, exists: true, cls: sessionClass(cur), counters: null }
        : { session: undefined, untouched: true, exists: false, cls: 'non-ims', counters: {} };
      this.shadows.set(id, s);
    }
    return s;
  }

  private accept(op: SessionOp, sh: Shadow): void {
    this.out.ops.push(op);
    this.out.sessions.push(sh.untouched ? sh.session : null);
    sh.untouched = false;
  }

  /** Validates ops until all are done (true) or `due()` ends the slice (false). */
  run(due: () => boolean): boolean {
    const { rawOps, out, engine } = this;
    for (; this.i < rawOps.length; this.i++) {
      if (due()) return false;
      const error = this.one(rawOps[this.i], engine);
      if (error !== null) out.errors.push({ index: this.i, reason: error });
    }
    return true;
  }

  /** Validates one op; returns why it is refused, or null. */
  private one(raw: unknown, engine: CheckpointEngine): string | null {
    const op = parseOp(raw);
    if (typeof op === 'string') return op;
    const cur = engine.lookup(op.id);
    let sh: Shadow;
    if (cur && firstInPass(cur, this.pass)) {
      if (op.op === 'upsert' && op.counters === undefined && (op.class === undefined || op.class === sessionClass(cur))) {
        // First op on this id, a plain upsert: the shadow it would leave equals the session's
        // own state, so one is made only if a later op names the id again.
        this.out.ops.push(op);
        this.out.sessions.push(cur);
        return null;
      }
      sh = this.shadowOf(op.id, cur);
    } else if (cur) {
      // Named before in this call: a shadow exists, or the earlier op was a plain upsert.
      sh = this.shadows.get(op.id) ?? { session: cur, untouched: false, exists: true, cls: sessionClass(cur), counters: null };
      this.shadows.set(op.id, sh);
    } else {
      sh = this.shadowOf(op.id, undefined);
    }
    if (op.op === 'delete') {
      sh.exists = false;
      sh.counters = {};
      this.accept(op, sh);
      return null;
    }
    if (!sh.exists) {
      sh.exists = true;
      sh.cls = op.class ?? 'non-ims';
      sh.counters = { ...op.counters };
      this.accept(op, sh);
      return null;
    }
    if (op.class !== undefined && op.class !== sh.cls) return `session ${op.id} is ${sh.cls}: the class cannot change (delete it first)`;
    if (!op.counters) {
      this.accept(op, sh);
      return null;
    }
    sh.counters ??= sh.session ? { ...sessionCounters(sh.session) } : {};
    for (const [k, v] of Object.entries(op.counters)) {
      const c = sh.counters[k] ?? 0n;
      if (v < c) return `counters.${k} would go down from ${c} to ${v} (counters are monotonic)`;
    }
    Object.assign(sh.counters, op.counters);
    this.accept(op, sh);
    return null;
  }
}

/** Validates a whole call in one go (see `Validation`). */
export function validateOps(engine: CheckpointEngine, body: unknown): ValidatedCall {
  const v = new Validation(engine, body);
  v.run(NEVER_DUE);
  return v.result;
}

/** Validates a whole call in slices, giving the event loop a turn between two. */
export async function validateOpsInSlices(engine: CheckpointEngine, body: unknown, slicer: Slicer): Promise<ValidatedCall> {
  const v = new Validation(engine, body);
  while (!v.run(slicer.due)) await slicer.pause();
  return v.result;
}
