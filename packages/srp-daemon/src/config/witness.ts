// The `witness:` section of srpd's config: an etcd lease that only the Active may hold. Parsed
// apart from config.ts; config.ts calls parseWitnessConfig once. The key's layout and the
// lease-ttl rule are documented in the README ("Witness (etcd)").
import { formatDuration, parseDuration, parseHostPort, type HostPort } from '@srp-ha/common';
import { isMapping, unknownKeyReason, type Fail } from './fields.js';

export interface EtcdWitnessConfig {
  /** etcd client endpoints (one cluster), tried in turn. */
  endpoints: HostPort[];
  /** Prefix of every key, `/srp-ha` by default: the pair's key is `${keyPrefix}/${pair}/active`. */
  keyPrefix: string;
  /** The lease's time to live: whole seconds (etcd's unit). */
  leaseTtlMs: number;
  /** The pair's name, the same on both chassis. */
  pair: string;
}

export interface WitnessConfig {
  etcd: EtcdWitnessConfig;
}

export const WITNESS_KEYS = ['etcd'] as const;
export const ETCD_WITNESS_KEYS = ['endpoints', 'key-prefix', 'lease-ttl', 'pair'] as const;
export const DEFAULT_KEY_PREFIX = '/srp-ha';
/** A bare `lease-ttl: 2000` means 2000 s, almost surely a slip for 2000ms: capped. */
export const MAX_LEASE_TTL_MS = 300_000;

/**
 * The shortest lease-ttl for a dead-interval: at least 1 s and at least 2 x dead-interval,
 * rounded up to whole seconds. With renewals every lease-ttl/3 and `held` judged over 0.9 x
 * lease-ttl, a stall that the peer tolerates (shorter than dead-interval) never costs the lease.
 */
export function minLeaseTtlMs(deadIntervalMs: number): number {
  return Math.max(1000, Math.ceil((2 * deadIntervalMs) / 1000) * 1000);
}

/** The default lease-ttl: 2 s, or the minimum when the dead-interval asks for more. */
export function defaultLeaseTtlMs(deadIntervalMs: number): number {
  return Math.max(2000, minLeaseTtlMs(deadIntervalMs));
}

/** The pair's Active key. */
export function witnessKey(c: Pick<EtcdWitnessConfig, 'keyPrefix' | 'pair'>): string {
  return `${c.keyPrefix}/${c.pair}/active`;
}


const PAIR_RE = /^[A-Za-z0-9._+-]{1,128}$/;
const PREFIX_RE = /^(\/[A-Za-z0-9._+-]+)+$/;

export function parseWitnessConfig(raw: unknown, deadIntervalMs: number, report: Fail): WitnessConfig | null {
  if (raw === undefined || raw === null) return null;
  if (!isMapping(raw)) {
    report('witness', 'must be a mapping with etcd');
    return null;
  }
  for (const k of Object.keys(raw)) if (!(WITNESS_KEYS as readonly string[]).includes(k)) report(`witness.${k}`, unknownKeyReason(k, WITNESS_KEYS));
  const e = raw['etcd'];
  if (e === undefined || e === null) {
    report('witness.etcd', 'missing (required: the only witness is etcd)');
    return null;
  }
  if (!isMapping(e)) {
    report('witness.etcd', 'must be a mapping with endpoints, key-prefix, lease-ttl and pair');
    return null;
  }
  for (const k of Object.keys(e))
    if (!(ETCD_WITNESS_KEYS as readonly string[]).includes(k)) report(`witness.etcd.${k}`, unknownKeyReason(k, ETCD_WITNESS_KEYS));

  let failed = false;
  const fail = (key: string, reason: string): void => {
    failed = true;
    report(`witness.etcd.${key}`, reason);
  };
  const endpoints = parseEndpoints(e['endpoints'], fail);
  const keyPrefix = parseKeyPrefix(e['key-prefix'], fail);
  const leaseTtlMs = parseLeaseTtl(e['lease-ttl'], deadIntervalMs, fail);

  const pair = e['pair'];
  let pairName = '';
  if (pair === undefined || pair === null)
    fail('pair', "missing (required): the pair's name, the same on both chassis (for example their two chassis-ids sorted and joined with '+'); a chassis must find the key before it has heard its peer");
  else if ((typeof pair !== 'string' && typeof pair !== 'number') || !PAIR_RE.test(String(pair)))
    fail('pair', `must be 1..128 characters of letters, digits, ".", "_", "+" or "-", got ${JSON.stringify(pair)}`);
  else pairName = String(pair);

  if (failed) return null;
  return { etcd: { endpoints, keyPrefix, leaseTtlMs, pair: pairName } };
}

function parseEndpoints(v: unknown, fail: Fail): HostPort[] {
  if (v === undefined || v === null) {
    fail('endpoints', 'missing (required: a list of etcd client addresses, host:port)');
    return [];
  }
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list) || list.length === 0) {
    fail('endpoints', 'must be a non-empty list of host:port');
    return [];
  }
  const out: HostPort[] = [];
  const seen = new Set<string>();
  list.forEach((item, i) => {
    if (typeof item === 'string' && /^[a-z]+:\/\//i.test(item)) {
      fail(`endpoints[${i}]`, `must be host:port without a scheme (plain http), got '${item}'`);
      return;
    }
    const hp = parseHostPort(item, { allowZero: false });
    if (typeof hp === 'string') return fail(`endpoints[${i}]`, hp);
    const id = `${hp.host}:${hp.port}`;
    if (seen.has(id)) return fail(`endpoints[${i}]`, `lists ${String(item)} twice`);
    seen.add(id);
    out.push(hp);
  });
  return out;
}

function parseKeyPrefix(v: unknown, fail: Fail): string {
  if (v === undefined || v === null) return DEFAULT_KEY_PREFIX;
  if (typeof v !== 'string' || v.length > 256 || !PREFIX_RE.test(v)) {
    fail('key-prefix', `must be a path such as /srp-ha: segments of letters, digits, ".", "_", "+" or "-" each after one "/", no "/" at the end, got ${JSON.stringify(v)}`);
    return DEFAULT_KEY_PREFIX;
  }
  return v;
}

function parseLeaseTtl(v: unknown, deadIntervalMs: number, fail: Fail): number {
  const fallback = defaultLeaseTtlMs(deadIntervalMs);
  if (v === undefined || v === null) return fallback;
  const ms = parseDuration(v);
  if (typeof ms === 'string') {
    fail('lease-ttl', ms);
    return fallback;
  }
  const min = minLeaseTtlMs(deadIntervalMs);
  if (ms % 1000 !== 0) fail('lease-ttl', `must be a whole number of seconds (etcd leases count in seconds), got ${formatDuration(ms)}`);
  else if (ms < min)
    fail('lease-ttl', `must be at least ${formatDuration(min)} (1 s and 2 x dead-interval, in whole seconds: a stall the peer tolerates must not cost the lease), got ${formatDuration(ms)}`);
  else if (ms > MAX_LEASE_TTL_MS)
    fail('lease-ttl', `must be at most ${formatDuration(MAX_LEASE_TTL_MS)} (a dead holder blocks the takeover for up to lease-ttl), got ${formatDuration(ms)}`);
  else return ms;
  return fallback;
}
