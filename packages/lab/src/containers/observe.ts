// Looking at the compose lab from outside, through the published ports only: chassis states,
// sessions written and read back by id, Prometheus queries. Every wait is bounded.
import type { ChassisState, SrpApi } from '../api.js';
import { CHASSIS, type Chassis, type ComposeLab } from './compose.js';
import { ContainerError, sleep } from './run.js';

export type States = Record<Chassis, ChassisState | 'down'>;

export async function states(lab: ComposeLab): Promise<States> {
  const one = async (c: Chassis): Promise<ChassisState | 'down'> => {
    try {
      return (await lab.api(c).info(1500)).state;
    } catch {
      return 'down';
    }
  };
  const [p, b] = await Promise.all(CHASSIS.map(one));
  return { 'srpd-primary': p ?? 'down', 'srpd-backup': b ?? 'down' };
}

export const activeOf = (s: States): Chassis[] => CHASSIS.filter((c) => s[c] === 'Active');
export const other = (c: Chassis): Chassis => (c === 'srpd-primary' ? 'srpd-backup' : 'srpd-primary');

/**
 * Polls both chassis every `everyMs` until `ok(states)`; resolves with the states and the
 * milliseconds it took. A timeout names what was awaited and the last states seen.
 */
export async function waitForStates(lab: ComposeLab, what: string, ok: (s: States) => boolean, timeoutMs: number, everyMs = 50): Promise<{ states: States; ms: number }> {
  const t0 = performance.now();
  let last: States | null = null;
  for (;;) {
    last = await states(lab);
    if (ok(last)) return { states: last, ms: Math.round(performance.now() - t0) };
    if (performance.now() - t0 > timeoutMs) throw new ContainerError('SRP_CTR_TIMEOUT', `${what}: not within ${timeoutMs} ms; last seen ${JSON.stringify(last)}`);
    await sleep(everyMs);
  }
}

/** One Active and one Standby (the Standby ready when `ready`). */
export async function waitSettled(lab: ComposeLab, timeoutMs: number, ready = true): Promise<{ active: Chassis; standby: Chassis }> {
  const { states: s } = await waitForStates(lab, 'one Active and one Standby', (x) => activeOf(x).length === 1 && Object.values(x).includes('Standby'), timeoutMs, 250);
  const active = activeOf(s)[0] ?? 'srpd-primary';
  const standby = other(active);
  if (ready) {
    const deadline = Date.now() + timeoutMs;
    while (!(await lab.api(standby).info(1500).then((i) => i.standbyReady, () => false))) {
      if (Date.now() > deadline) throw new ContainerError('SRP_CTR_TIMEOUT', `${standby} did not report standbyReady within ${timeoutMs} ms`);
      await sleep(250);
    }
  }
  return { active, standby };
}

/** Upserts sessions `ids` on the chassis behind `api` (which needs the token) in one call. */
export async function writeSessions(api: SrpApi, ids: readonly string[]): Promise<void> {
  const ops = ids.map((id, n) => ({ op: 'upsert', id, class: 'non-ims', attrs: { apn: 'lab', n: String(n) }, lifetimeMs: 3_600_000 }));
  await api.json('POST', '/v1/sessions', { ops }, 30_000);
}

/** Which of `ids` the chassis behind `api` does not hold (GET /v1/sessions/:id is 404), 16 at a time. */
export async function missingSessions(api: SrpApi, ids: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < ids.length) {
      const id = ids[next++] ?? '';
      const r = await api.request('GET', `/v1/sessions/${encodeURIComponent(id)}`, undefined, 5000);
      if (r.status === 404) missing.push(id);
      else if (r.status !== 200) throw new ContainerError('SRP_CTR_COMMAND_FAILED', `GET /v1/sessions/${id}: HTTP ${r.status} ${r.text.slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, ids.length) }, worker));
  return missing;
}

export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** An instant query against the lab's Prometheus: the result vector (an error throws). */
export async function promQuery(lab: ComposeLab, expr: string): Promise<PromSample[]> {
  const r = await fetch(`${lab.prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`, { signal: AbortSignal.timeout(5000) });
  const body = (await r.json()) as { status: string; error?: string; data?: { resultType: string; result: PromSample[] | [number, string] } };
  if (body.status !== 'success') throw new ContainerError('SRP_CTR_COMMAND_FAILED', `query ${expr}: ${body.error ?? r.status}`);
  const res = body.data?.result ?? [];
  // A scalar result is one value.
  return body.data?.resultType === 'scalar' ? [{ metric: {}, value: res as [number, string] }] : (res as PromSample[]);
}
