// Subscriber traffic into the session store, with two real srpd processes on 127.0.0.1: the
// Active's traffic generator feeds its checkpoint table, the Standby's table converges to it
// (same digest) once the bounded traffic stops, and after kill -9 of the Active the new Active
// holds the same table and its own generator runs there. Bounds are generous (shared cores).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkBuilt, converged, makePair, sleep, type SrpdProcess, waitFor } from './helpers/cluster.js';

const cleanups: Array<() => Promise<void> | void> = [];
beforeAll(() => checkBuilt());
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const COUNT = 600;

function config(macs: [string, string], seed: number): string {
  const timers = { 'cf-boot': 0.2, 'config-sync': 0.1, 'filesys-sync': 0.1, 'bulk-sync': 0.1, 'line-card-boot': 0.2 };
  // Lifetimes far beyond the test: nothing expires, so the table only changes through traffic.
  const traffic = { rate: 200, count: COUNT, seed, tick: 0.1, 'min-lifetime': 600, 'max-lifetime': 900 };
  return [
    'checkpoint:',
    '  session-duration: 0s',
    '  session-duration-ims: 0s',
    'hardware:',
    `  cf-macs: ["${macs[0]}", "${macs[1]}"]`,
    `  timers: ${JSON.stringify(timers)}`,
    `  traffic: ${JSON.stringify(traffic)}`,
  ].join('\n');
}

interface Summary {
  count: number;
  eligible: number;
  digest: string;
  versionDigest: string;
}
interface Snapshot {
  sessions: { running: boolean; ops: number; live: number; generated: number } | null;
}

function get<T>(p: SrpdProcess, path: string): Promise<T> {
  return p.client.json<T>('GET', path, undefined, 5000);
}

async function post(p: SrpdProcess, path: string): Promise<number> {
  return (await p.request('POST', path, undefined, 5000)).status;
}

const summary = (p: SrpdProcess): Promise<Summary> => get<Summary>(p, '/v1/sessions/summary');
const snapshot = (p: SrpdProcess): Promise<Snapshot> => get<Snapshot>(p, '/v1/hw/snapshot');

async function sessionOps(p: SrpdProcess): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const m of (await p.metrics()).matchAll(/^srp_hw_session_ops_total\{outcome="([a-z]+)"\} (\d+)/gm)) out[m[1]] = Number(m[2]);
  return out;
}

describe('subscriber traffic -> session store (real srpd processes)', () => {
  it('fills the Active table, the Standby converges, and the new Active after kill -9 has the same table and runs the traffic', async () => {
    const pair = await makePair({
      extraA: config(['00-02-43-03-1C-2B', '00-02-43-03-1C-2C'], 1),
      extraB: config(['00-02-43-03-01-3B', '00-02-43-03-01-3C'], 2),
    });
    cleanups.push(pair.cleanup);
    await Promise.all([pair.a.start(), pair.b.start()]);
    const [active, standby] = await converged(pair.a, pair.b);
    expect(active.spec.chassisId).toBe('alpha');

    // Sessions appear on the Active and their number grows.
    const first = await waitFor('sessions on the Active', async () => {
      const s = await summary(active);
      return s.count > 0 ? s : null;
    });
    await waitFor('the session count to grow', async () => (await summary(active)).count > first.count, { timeoutMs: 10_000 });

    // The bounded traffic stops; the Standby's table converges to the Active's.
    await waitFor('the traffic to stop (count reached)', async () => {
      const s = (await snapshot(active)).sessions;
      return s && !s.running && s.ops >= COUNT;
    }, { timeoutMs: 30_000, intervalMs: 200 });
    const last = await waitFor('the Standby digest to equal the Active digest', async () => {
      const [a, b] = [await summary(active), await summary(standby)];
      return a.digest === b.digest && a.count === b.count ? a : null;
    }, { timeoutMs: 20_000, intervalMs: 200 });
    const live = (await snapshot(active)).sessions!.live;
    expect(last.count).toBe(live); // no expiry here: the table holds exactly the live sessions
    expect(last.eligible).toBe(last.count);
    expect(await sessionOps(active)).toMatchObject({ applied: COUNT, failed: 0 });
    // The Standby's generator never ran.
    expect((await snapshot(standby)).sessions).toMatchObject({ running: false, ops: 0 });
    const standbyOps = await sessionOps(standby);
    expect(standbyOps.applied ?? 0).toBe(0);

    // Hold the Standby's generator for the digest comparison below (it would start at once on
    // takeover and change the table); it is started again afterwards.
    expect(await post(standby, '/v1/hw/traffic/stop')).toBe(200);
    await sleep(300); // a few Hellos more, so nothing is in flight
    expect((await summary(standby)).digest).toBe(last.digest);
    await active.kill();
    await waitFor('the Standby to take over', async () => (await standby.state()) === 'Active', { timeoutMs: 15_000, intervalMs: 100 });
    const after = await summary(standby);
    // Every session at the old Active's version (takeover advanced the counters, so the content
    // digest moves on).
    expect(after).toMatchObject({ count: last.count, versionDigest: last.versionDigest });

    // The generator resumes on the new Active and its sessions go into the recovered table.
    expect(await post(standby, '/v1/hw/traffic/start')).toBe(200);
    await waitFor('the new Active to run the traffic', async () => (await summary(standby)).count > last.count, { timeoutMs: 15_000 });
    await waitFor('ops applied on the new Active', async () => (await sessionOps(standby)).applied > 0, { timeoutMs: 10_000 });
    expect((await sessionOps(standby)).failed ?? 0).toBe(0);
    // The generator's sessions come and go: look at the first of its early ones still alive.
    const view = await waitFor(
      'a session of the new Active\'s generator',
      async () => {
        for (let i = 1; i <= 20; i++) {
          const r = await standby.request<{ id: string; attrs: Record<string, string> }>('GET', `/v1/sessions/bravo-${String(i).padStart(8, '0')}`);
          if (r.status === 200) return r.body;
        }
        return null;
      },
      { timeoutMs: 10_000 },
    );
    expect(view.attrs).toMatchObject({ ratType: 'EUTRAN' });
    expect(view.attrs.imsi).toMatch(/^00101\d{10}$/);
  });
});
