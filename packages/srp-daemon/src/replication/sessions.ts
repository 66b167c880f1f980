// The session API of the management port (for applications and tests):
//   POST /v1/sessions          { ops: [ {op:"upsert", id, class?, attrs?, counters?, lifetimeMs?},
//                                       {op:"delete", id} ], versions?: true }
//                              up to MAX_OPS per call, Active only
//                              -> { ops, created, updated, deleted, count, receivedAtMonotonicMs }
//                              (when the call reached the API: CLOCK_MONOTONIC ms, as the probe
//                              log's); with `versions: true` also each op's resulting session
//                              version (null: delete) and `createdOps`, the indexes of the
//                              upserts that made a session
//   POST /v1/sessions/lookup   { ids: [...] } -> { sessions: [ {id, version, attrs, counters} | null ] }
//   GET  /v1/sessions/summary  { count, eligible, digest } (the audit's digest: equal = equal tables)
//   GET  /v1/sessions/:id      one session (counters as decimal strings)
// A call is validated as a whole before anything is applied: one bad op rejects the call with
// the index and reason of every bad op (400). Writes on a non-Active answer 409 with the
// Active's address; reads work on both sides.
import { systemClock, toWallMs } from '@srp-ha/common';
import { countersOf, loneSurrogateAt, notWellFormed, type CheckpointEngine, type Session, type SessionView } from '@srp-ha/checkpoint';
import type { ChassisStateName, SrpInfo } from '../contract.js';
import { HttpError, Reply, type Route } from '../management/router.js';
import { monotonicMs } from './probes.js';
import { lookupRoute } from './session-lookup.js';

export const MAX_OPS = 10_000;
export const DEFAULT_LIFETIME_MS = 3_600_000;
const MAX_ID_LENGTH = 256;
const MAX_LIFETIME_MS = 2 ** 31;
const MAX_REPORTED_ERRORS = 100;
const UPSERT_KEYS = new Set(['op', 'id', 'class', 'attrs', 'counters', 'lifetimeMs']);
const DELETE_KEYS = new Set(['op', 'id']);

export interface SessionApiHost {
  readonly state: ChassisStateName;
  info(): SrpInfo;
}

type SessionClass = 'ims' | 'non-ims';

export type SessionOp =
  | {
      op: 'upsert';
      id: string;
      class?: SessionClass;
      attrs?: Record<string, string | null>;
      counters?: Record<string, bigint>;
      lifetimeMs?: number;
    }
  | { op: 'delete'; id: string };

export interface OpError {
  index: number;
  reason: string;
}

/** What validation knows of a session: the table's state overlaid with earlier ops of the call. */
interface Shadow {
  /** The table's session before the call (undefined: none). */
  session: Session | undefined;
  /** No earlier op of the call names this id. */
  untouched: boolean;
  exists: boolean;
  cls: SessionClass;
  /** null: the table's own counters (copied only when an op of this call sets one). */
  counters: Record<string, bigint> | null;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The keys of `o` not in `allowed` (none in the common case: no array built). */
function unknownKeys(o: Record<string, unknown>, allowed: ReadonlySet<string>): string[] | null {
  let extra: string[] | null = null;
  for (const k in o) if (!allowed.has(k)) (extra ??= []).push(k);
  return extra;
}

function parseCounter(v: unknown): bigint | string {
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v < 0) return `must be a non-negative safe integer (or a decimal string), got ${v}`;
    return BigInt(v);
  }
  if (typeof v === 'string' && /^\d{1,20}$/.test(v)) {
    const n = BigInt(v);
    return n < 2n ** 64n ? n : `must fit in 64 bits, got ${v}`;
  }
  return `must be a non-negative integer or a decimal string, got ${JSON.stringify(v)}`;
}

/**
 * Checks one op's shape; returns the typed op or a reason. The op is the parsed JSON object
 * itself (its counters replaced by bigints): a 10k-op call makes no second set of objects.
 */
function parseOp(raw: unknown): SessionOp | string {
  if (!isPlainObject(raw)) return 'must be an object';
  const id = raw.id;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) return `id must be a string of 1..${MAX_ID_LENGTH} characters`;
  const idAt = loneSurrogateAt(id);
  if (idAt >= 0) return notWellFormed('id', idAt);
  if (raw.op === 'delete') {
    const extra = unknownKeys(raw, DELETE_KEYS);
    return extra ? `unknown field(s) for delete: ${extra.join(', ')}` : (raw as SessionOp);
  }
  if (raw.op !== 'upsert') return `op must be "upsert" or "delete", got ${JSON.stringify(raw.op)}`;
  const extra = unknownKeys(raw, UPSERT_KEYS);
  if (extra) return `unknown field(s): ${extra.join(', ')} (allowed: ${[...UPSERT_KEYS].join(', ')})`;
  if (raw.class !== undefined && raw.class !== 'ims' && raw.class !== 'non-ims') return `class must be "ims" or "non-ims", got ${JSON.stringify(raw.class)}`;
  if (raw.lifetimeMs !== undefined) {
    const l = raw.lifetimeMs;
    if (typeof l !== 'number' || !Number.isInteger(l) || l < 1 || l > MAX_LIFETIME_MS) return `lifetimeMs must be an integer 1..${MAX_LIFETIME_MS}`;
  }
  if (raw.attrs !== undefined) {
    const attrs = raw.attrs;
    if (!isPlainObject(attrs)) return 'attrs must be an object of string values';
    for (const k in attrs) {
      if (k === '__proto__') return 'attrs.__proto__ is not allowed as an attribute name';
      const v = attrs[k];
      if (typeof v !== 'string' && v !== null) return `attrs.${k} must be a string (or null to remove it)`;
      const kAt = loneSurrogateAt(k);
      if (kAt >= 0) return notWellFormed(`attribute name ${JSON.stringify(k)}`, kAt);
      const vAt = v === null ? -1 : loneSurrogateAt(v);
      if (vAt >= 0) return notWellFormed(`attrs.${k}`, vAt);
    }
  }
  if (raw.counters !== undefined) {
    if (!isPlainObject(raw.counters)) return 'counters must be an object of integers';
    const counters: Record<string, bigint> = {};
    for (const [k, v] of Object.entries(raw.counters)) {
      if (k === '__proto__') return 'counters.__proto__ is not allowed as a counter name';
      const kAt = loneSurrogateAt(k);
      if (kAt >= 0) return notWellFormed(`counter name ${JSON.stringify(k)}`, kAt);
      const n = parseCounter(v);
      if (typeof n === 'string') return `counters.${k} ${n}`;
      counters[k] = n;
    }
    raw.counters = counters;
  }
  return raw as SessionOp;
}

/** Stamps one validateOps call on the sessions it names (Session.stamp). */
let callStamp = 0;

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
): { ops: SessionOp[]; errors: OpError[]; sessions: Array<Session | undefined | null>; versions: boolean } {
  if (!isPlainObject(body) || !Array.isArray(body.ops)) throw new HttpError(400, 'request body must be { "ops": [ ... ] }');
  const extra = Object.keys(body).filter((k) => k !== 'ops' && k !== 'versions');
  if (extra.length > 0) throw new HttpError(400, `unknown field(s) in request body: ${extra.join(', ')} (allowed: ops, versions)`);
  if (body.versions !== undefined && typeof body.versions !== 'boolean') throw new HttpError(400, `versions must be true or false, got ${JSON.stringify(body.versions)}`);
  const rawOps: unknown[] = body.ops;
  if (rawOps.length > MAX_OPS) throw new HttpError(413, `at most ${MAX_OPS} ops per call, got ${rawOps.length}`);
  const ops: SessionOp[] = [];
  const sessions: Array<Session | undefined | null> = [];
  const errors: OpError[] = [];
  // A shadow per id that is absent from the table, or named by more than one op, or by an op
  // that changes more than attrs and lifetime. An existing session named once by such a plain
  // upsert (the common case) needs none: its stamp says the call has seen it.
  const shadows = new Map<string, Shadow>();
  const stamp = ++callStamp;
  const shadowOf = (id: string, cur: Session | undefined): Shadow => {
    let s = shadows.get(id);
    if (!s) {
      s = cur
        ? { session: cur, untouched: true, exists: true, cls: cur.cls, counters: null }
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
    const cur = engine.store.get(op.id);
    let sh: Shadow;
    if (cur && cur.stamp !== stamp) {
      cur.stamp = stamp;
      if (op.op === 'upsert' && op.counters === undefined && (op.class === undefined || op.class === cur.cls)) {
        // First op on this id, a plain upsert: the shadow it would leave equals the session's
        // own state, so one is made only if a later op names the id again.
        ops.push(op);
        sessions.push(cur);
        continue;
      }
      sh = shadowOf(op.id, cur);
    } else if (cur) {
      // Named before in this call: a shadow exists, or the earlier op was a plain upsert.
      sh = shadows.get(op.id) ?? { session: cur, untouched: false, exists: true, cls: cur.cls, counters: null };
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
    sh.counters ??= sh.session ? { ...countersOf(sh.session) } : {};
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

/**
 * Applies validated ops in order. `sessions`: validateOps' table sessions of the same ops (each
 * entry saves a lookup), valid only when applied in the tick in which they were validated.
 * `versions`, when given, receives each op's resulting session version (null for a delete),
 * and `createdOps` the index of each upsert that created its session.
 */
export function applyOps(
  engine: CheckpointEngine,
  ops: readonly SessionOp[],
  sessions?: ReadonlyArray<Session | undefined | null>,
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
    const cur = known === null ? engine.store.get(op.id) : known;
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
      const have = countersOf(cur);
      for (const k of Object.keys(counters)) {
        const by = counters[k] - (have[k] ?? 0n);
        if (by > 0n) engine.incrementCounter(cur, k, by);
      }
    }
    // attrs and the lifetime restart as one change (one version, one checkpoint item).
    engine.update(cur, { attrs: op.attrs, lifetimeMs: op.lifetimeMs });
    versions?.push(cur.version);
    updated++;
  }
  return { created, updated, deleted };
}

/** A session as JSON (bigint counters as decimal strings). */
export function sessionJson(v: SessionView): Record<string, unknown> {
  const counters: Record<string, string> = {};
  for (const [k, n] of Object.entries(v.counters)) counters[k] = n.toString();
  return {
    id: v.id,
    class: v.class,
    createdAt: new Date(toWallMs(v.createdAt)).toISOString(),
    lifetimeMs: v.lifetimeMs,
    expiresAt: new Date(toWallMs(v.expiresAt)).toISOString(),
    expiresInMs: Math.round(v.expiresAt - systemClock.now()),
    attrs: v.attrs,
    counters,
    version: v.version,
    eligible: v.eligible,
  };
}

/** 409 for a write on a chassis that is not (yet) Active, with the Active's address. */
export function notActiveReply(host: SessionApiHost, what: string): Reply {
  const info = host.info();
  const peer = info.peer;
  const activeIsPeer = peer?.state === 'Active';
  const error = `${what} is allowed only on the Active; this chassis is ${info.state}${activeIsPeer ? `, the Active is ${peer.chassisId} at ${peer.address ?? info.peerAddress}` : ''}`;
  return Reply.json(409, {
    code: 'SRP_ERR_NOT_ACTIVE',
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

/**
 * Turns for write calls: one call per event-loop iteration. A call of thousands of ops is one
 * long synchronous turn; when several arrive together they would otherwise run back to back
 * in one poll phase while the SRP link's acks and hellos, and timers, wait behind all of them.
 * Here each call waits for a setImmediate of its own, and the loop polls I/O and runs timers
 * between two calls.
 */
export class CallTurns {
  private waiting: Array<() => void> = [];
  private head = 0;
  private scheduled = false;

  /** Resolves in a later check phase, after every call that asked before it. */
  next(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.run);
      }
    });
  }

  private readonly run = (): void => {
    const resolve = this.waiting[this.head];
    this.waiting[this.head++] = undefined as unknown as () => void;
    if (this.head === this.waiting.length) {
      this.waiting = [];
      this.head = 0;
      this.scheduled = false;
    } else {
      setImmediate(this.run);
    }
    resolve(); // the call runs in this callback's microtasks, before the next iteration
  };
}

export function sessionRoutes(engine: CheckpointEngine, host: SessionApiHost): Route[] {
  const turns = new CallTurns();
  return [
    {
      method: 'POST',
      path: '/v1/sessions',
      handler: async ({ body }) => {
        // When the call reached the API (its body read): the start of its replication lag.
        const receivedAtMonotonicMs = monotonicMs();
        await turns.next();
        // Role, then validation of the whole call, then apply: all in the same tick.
        if (host.state !== 'Active' || engine.role !== 'active') return notActiveReply(host, 'writing sessions');
        if (engine.fenced !== null) return fencedReply(host, engine.fenced);
        const { ops, errors, sessions, versions } = validateOps(engine, body);
        if (errors.length > 0) {
          return Reply.json(400, {
            error: `${errors.length} bad op${errors.length === 1 ? '' : 's'}, nothing applied; first: op ${errors[0].index}: ${errors[0].reason}`,
            errors: errors.slice(0, MAX_REPORTED_ERRORS),
          });
        }
        const out: Array<number | null> | undefined = versions ? [] : undefined;
        const made: number[] | undefined = versions ? [] : undefined;
        const r = applyOps(engine, ops, sessions, out, made);
        // The call is a batch already: its changes go now, not after the batch delay (which
        // could otherwise end only after the next call's whole turn).
        engine.sendPending();
        return { ops: ops.length, ...r, count: engine.store.size, receivedAtMonotonicMs, ...(out ? { versions: out, createdOps: made } : {}) };
      },
    },
    lookupRoute(engine),
    {
      method: 'GET',
      path: '/v1/sessions/summary',
      handler: async () => ({ ...(await engine.contentSummary()), role: engine.role, state: host.state }),
    },
    {
      method: 'GET',
      path: '/v1/sessions/:id',
      handler: ({ params }) => {
        const v = engine.get(params.id ?? '');
        if (!v) throw new HttpError(404, `no session ${JSON.stringify(params.id)}`);
        return sessionJson(v);
      },
    },
  ];
}
