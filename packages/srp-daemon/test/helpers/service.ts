// Two real srpd processes with service monitoring, for the monitor and tracking integration
// tests: config sections as YAML, the session API, `show srp monitor` and events over HTTP.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { SrpEvent } from '../../src/api/contract.js';
import type { MonitorShow } from '../../src/monitors/plane.js';
import { converged, makePair, waitFor, type SrpdProcess } from './cluster.js';

export function api<T>(p: SrpdProcess, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  return p.request<T>(method, path, body, 20_000);
}

export const monitor = async (p: SrpdProcess): Promise<MonitorShow> => (await api<MonitorShow>(p, 'GET', '/v1/srp/monitor')).body;

/**
 * Loads `n` sessions on the Active and waits until the Standby holds the same table; returns
 * the id+version digest, which a takeover keeps (it advances counters, so content moves on).
 */
export async function loadReplicated(active: SrpdProcess, standby: SrpdProcess, n: number, prefix: string): Promise<string> {
  const ops = Array.from({ length: n }, (_, i) => ({ op: 'upsert', id: `${prefix}-${i}`, attrs: { apn: 'internet' }, counters: { up: i }, lifetimeMs: 600_000 }));
  const r = await api<{ error?: string }>(active, 'POST', '/v1/sessions', { ops });
  if (r.status !== 200) throw new Error(`POST /v1/sessions: ${r.status} ${JSON.stringify(r.body)}`);
  return waitFor('the Standby to hold the Active table', async () => {
    const [a, b] = [(await sessionSummary(active)), await sessionSummary(standby)];
    return a.count === n && a.digest === b.digest ? a.versionDigest : null;
  });
}

/** `digest`: the content digest; `versionDigest`: ids and versions (what survives a takeover unchanged). */
export async function sessionSummary(p: SrpdProcess): Promise<{ count: number; digest: string; versionDigest: string }> {
  return (await api<{ count: number; digest: string; versionDigest: string }>(p, 'GET', '/v1/sessions/summary')).body;
}

/** The YAML of extra config keys (merged after the pair's own). */
export function yamlOf(doc: Record<string, unknown>): string {
  return stringify(doc);
}

/** Writes a file into the pair's directory and returns its path. */
export function writeIn(dir: string, name: string, text: string, mode = 0o644): string {
  const path = join(dir, name);
  writeFileSync(path, text, { mode });
  return path;
}

/** A simulated chassis with fast timers: two CFs (SSO) and two line cards. */
export function fastHardware(macs: [string, string], extra: Record<string, unknown> = {}, timers: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'cf-macs': macs,
    'redundancy-mode': 'SSO',
    'guard-timer': 1,
    timers: { 'cf-boot': 0.2, 'config-sync': 0.1, 'filesys-sync': 0.1, 'bulk-sync': 0.1, 'line-card-boot': 0.2, 'cf-reload': 2, switchover: { sso: 0.3 }, ...timers },
    ...extra,
  };
}

export const MACS: Record<'alpha' | 'bravo', [string, string]> = {
  alpha: ['00-02-43-03-1C-2B', '00-02-43-03-1C-2C'],
  bravo: ['00-02-43-03-01-3B', '00-02-43-03-01-3C'],
};

const PLACEHOLDER = '# service-monitoring keys';

/**
 * A started pair (alpha primary, bravo backup) whose configs get `extra(name, dir)`; resolves
 * once one is Active and the other a ready Standby. `cleanup` kills both.
 */
export async function servicePair(
  extra: (name: 'alpha' | 'bravo', dir: string) => Record<string, unknown>,
  cleanups: Array<() => unknown>,
  opts: { helloInterval?: string; deadInterval?: string } = {},
): Promise<{ active: SrpdProcess; standby: SrpdProcess; a: SrpdProcess; b: SrpdProcess; dir: string }> {
  // makePair writes the configs before the directory is known to us: fill in the extras after.
  const p = await makePair({ ...opts, extraA: PLACEHOLDER, extraB: PLACEHOLDER });
  cleanups.push(p.cleanup);
  for (const node of [p.a, p.b]) {
    const name = node.spec.chassisId as 'alpha' | 'bravo';
    const path = join(p.dir, `${name}.yaml`);
    writeFileSync(path, readFileSync(path, 'utf8').replace(PLACEHOLDER, yamlOf(extra(name, p.dir))));
  }
  await Promise.all([p.a.start(), p.b.start()]);
  const [active, standby] = await converged(p.a, p.b);
  await waitFor('the Standby to be ready', async () => (await standby.info()).standbyReady, { timeoutMs: 30_000 });
  return { active, standby, a: p.a, b: p.b, dir: p.dir };
}

export function eventsOf(list: SrpEvent[], type: string, match: Record<string, unknown> = {}): SrpEvent[] {
  return list.filter((e) => e.type === type && Object.entries(match).every(([k, v]) => (e as Record<string, unknown>)[k] === v));
}

export const at = (e: SrpEvent | undefined): number => (e ? Date.parse(e.at) : NaN);
