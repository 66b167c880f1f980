// The ops of a session API write call (POST /v1/sessions, sessions.ts): their shape, checked
// one op at a time, before validate-ops.ts checks them against the table.
import { loneSurrogateAt, notWellFormed } from '@srp-ha/checkpoint';

const MAX_ID_LENGTH = 256;
const MAX_LIFETIME_MS = 2 ** 31;
const UPSERT_KEYS = new Set(['op', 'id', 'class', 'attrs', 'counters', 'lifetimeMs']);
const DELETE_KEYS = new Set(['op', 'id']);

export type SessionClass = 'ims' | 'non-ims';

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

export function isPlainObject(v: unknown): v is Record<string, unknown> {
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
export function parseOp(raw: unknown): SessionOp | string {
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
