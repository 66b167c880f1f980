// srpd with a `hardware:` section, as real processes on 127.0.0.1: CF faults under a running
// pair, the MAC tiebreak from the simulated CFs, and the routing domain during a link cut.
// Timing bounds are generous on purpose (2 shared cores); nothing here measures speed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RoutingDomain } from '@srp-ha/hw-sim';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SrpEvent } from '../src/api/contract.js';
import { checkBuilt, converged, freePort, makePair, sleep, SrpdProcess, waitFor } from './helpers/cluster.js';
import { relay } from './helpers/relay.js';

const cleanups: Array<() => Promise<void> | void> = [];
beforeAll(() => checkBuilt());
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function hardware(macs: [string, string], timers: Record<string, unknown> = {}, extra: string[] = []): string {
  const t = { 'cf-boot': 0.2, 'config-sync': 0.1, 'filesys-sync': 0.1, 'bulk-sync': 0.1, 'line-card-boot': 0.2, ...timers };
  return [
    'hardware:',
    `  cf-macs: ["${macs[0]}", "${macs[1]}"]`,
    '  redundancy-mode: SSO',
    `  timers: ${JSON.stringify(t)}`,
    ...extra.map((l) => `  ${l}`),
  ].join('\n');
}

const A_MACS: [string, string] = ['00-02-43-03-1C-2B', '00-02-43-03-1C-2C'];
const B_MACS: [string, string] = ['00-02-43-03-01-3B', '00-02-43-03-01-3C'];

function getJson<T>(p: SrpdProcess, path: string): Promise<T> {
  return p.client.json<T>('GET', path, undefined, 5000);
}

function post(p: SrpdProcess, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  return p.request<Record<string, unknown>>('POST', path, body, 5000);
}

interface HwStatus {
  activeCf: { slot: number; mac: string } | null;
  helloAllowed: boolean;
}

async function standbyHot(p: SrpdProcess): Promise<void> {
  await waitFor(`${p.spec.chassisId}: standby CF STANDBY HOT`, async () => (await getJson<{ peerState: number }>(p, '/v1/redundancy/states')).peerState === 8, {
    timeoutMs: 20_000,
    intervalMs: 100,
  });
}

async function hwPair(extraA: string, extraB: string): Promise<{ active: SrpdProcess; standby: SrpdProcess }> {
  const pair = await makePair({ extraA, extraB });
  cleanups.push(pair.cleanup);
  // The helper's cf-mac values (alpha 00-02-43-03-1C-2B, bravo 00-02-43-03-01-3B) are the first
  // hardware MAC of each chassis, as the config requires.
  await Promise.all([pair.a.start(), pair.b.start()]);
  const [active, standby] = await converged(pair.a, pair.b);
  return { active, standby };
}

function switchovers(list: SrpEvent[]): SrpEvent[] {
  return list.filter((e) => e.type === 'switchover');
}

describe('srpd with simulated hardware (real processes)', () => {
  it('crashing the active CF of the Active chassis: SSO switchover inside it, no interchassis switchover, Hellos continue', async () => {
    const { active, standby } = await hwPair(hardware(A_MACS, { switchover: { sso: 2 } }), hardware(B_MACS));
    await standbyHot(active);
    const [ea, eb] = [await active.events(), await standby.events()];
    cleanups.push(() => {
      ea.close();
      eb.close();
    });
    const before = (await standby.statistics()).hellos.received;
    const crash = await post(active, '/v1/hw/cards/1/crash');
    expect(crash.status).toBe(200);
    // Well past the dead interval (1 s) and the SSO switchover time (2 s).
    const until = Date.now() + 4_000;
    while (Date.now() < until) {
      expect(await standby.state()).toBe('Standby');
      expect(await active.state()).toBe('Active');
      await sleep(200);
    }
    const hw = await getJson<HwStatus>(active, '/v1/hw/status');
    expect(hw.activeCf).toEqual({ slot: 2, mac: A_MACS[1] });
    expect((await standby.statistics()).hellos.received).toBeGreaterThan(before + 10);
    // The Hellos now carry the new active CF's MAC.
    await waitFor('the peer to see the new CF MAC', async () => (await standby.info()).peer?.cfMac === A_MACS[1], { timeoutMs: 5000 });
    expect(switchovers(ea.list)).toEqual([]);
    expect(switchovers(eb.list)).toEqual([]);
    expect(ea.list.map((e) => e.type)).toEqual(expect.arrayContaining(['hw-card-fault', 'hw-active-cf-changed', 'hw-cf-switchover']));
    const states = await getJson<{ myStateText: string }>(active, '/v1/redundancy/states');
    expect(states.myStateText).toBe('13 -ACTIVE');
  });

  it('crashing both CFs of the Active chassis: Hellos stop, the peer takes over, the rebooted chassis rejoins as Standby', async () => {
    // CFs take 2.5 s to boot: a chassis reset is longer than the 1 s dead interval.
    const { active, standby } = await hwPair(hardware(A_MACS, { 'cf-boot': 2.5 }), hardware(B_MACS, { 'cf-boot': 2.5 }));
    expect(active.spec.chassisId).toBe('alpha');
    await standbyHot(active);
    const eb = await standby.events();
    cleanups.push(() => eb.close());
    expect((await post(active, '/v1/hw/cards/2/crash')).status).toBe(200);
    expect((await post(active, '/v1/hw/cards/1/crash')).status).toBe(200);
    expect((await getJson<HwStatus>(active, '/v1/hw/status')).helloAllowed).toBe(false);
    await waitFor('the peer to take over', async () => (await standby.state()) === 'Active', { timeoutMs: 15_000, intervalMs: 100 });
    const so = switchovers(eb.list);
    expect(so.length).toBeGreaterThanOrEqual(1);
    expect(so[0]).toMatchObject({ reason: 'peer-dead', to: 'Active' });
    // The chassis comes back (a CF boots) and, having lost its sessions, serves as Standby.
    // It may pass through Standby before its reset (it hears the new Active and steps down while
    // its CFs are down): wait for a CF in charge again, then for Standby.
    await waitFor(
      'the rebooted chassis to be Standby with a CF in charge',
      async () => (await getJson<HwStatus>(active, '/v1/hw/status')).helloAllowed && (await active.state()) === 'Standby',
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    await sleep(1500);
    expect(await standby.state()).toBe('Active');
    expect(await active.state()).toBe('Standby');
  });

  it('equal priorities: the higher CF MAC of the simulated hardware wins (00-02-43-03-1C-2B beats 00-02-43-03-01-3B)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'srpd-hw-'));
    const [pa, pb] = [await freePort(), await freePort()];
    const common = { mode: 'primary' as const, priority: 10, helloInterval: '200ms', deadInterval: '1s' };
    // alpha carries the lower MAC and the lower chassis id: only the MAC can make bravo win.
    const a = new SrpdProcess({ ...common, chassisId: 'alpha', cfMac: B_MACS[0], srpPort: pa, peerPort: pb, extra: hardware(B_MACS) }, dir);
    const b = new SrpdProcess({ ...common, chassisId: 'bravo', cfMac: A_MACS[0], srpPort: pb, peerPort: pa, extra: hardware(A_MACS) }, dir);
    cleanups.push(async () => {
      await Promise.all([a.kill(), b.kill()]);
      rmSync(dir, { recursive: true, force: true });
    });
    await Promise.all([a.start(), b.start()]);
    const [active, standby] = await converged(a, b);
    expect(active.spec.chassisId).toBe('bravo');
    expect(standby.spec.chassisId).toBe('alpha');
    expect((await active.info()).cfMac).toBe(A_MACS[0]);
    expect((await standby.info()).peer?.cfMac).toBe(A_MACS[0]);
  });

  it('routing domain during a link cut: both claim Active, exactly one (the lower route modifier) receives the traffic', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'srpd-hw-'));
    const [pa, pb] = [await freePort(), await freePort()];
    // Each side dials its peer (and sends its Hellos) through a cuttable relay.
    const toA = await relay(pa);
    const toB = await relay(pb);
    const common = { helloInterval: '200ms', deadInterval: '1s' };
    const a = new SrpdProcess({ ...common, chassisId: 'alpha', mode: 'primary', priority: 10, cfMac: A_MACS[0], srpPort: pa, peerPort: toB.port, extra: hardware(A_MACS) }, dir);
    const b = new SrpdProcess({ ...common, chassisId: 'bravo', mode: 'backup', priority: 20, cfMac: B_MACS[0], srpPort: pb, peerPort: toA.port, extra: hardware(B_MACS) }, dir);
    cleanups.push(async () => {
      await Promise.all([a.kill(), b.kill()]);
      await Promise.all([toA.close(), toB.close()]);
      rmSync(dir, { recursive: true, force: true });
    });
    await Promise.all([a.start(), b.start()]);
    await converged(a, b);

    const domain = new RoutingDomain();
    const delivered: Record<string, number> = { alpha: 0, bravo: 0 };
    const byNode: Record<string, SrpdProcess> = { alpha: a, bravo: b };
    let sawDualActive = false;
    const pump = async (rounds: number): Promise<void> => {
      for (let i = 0; i < rounds; i++) {
        let claims = 0;
        for (const p of [a, b]) {
          const adv = await getJson<{ chassisId: string; active: boolean; routeModifier: number }>(p, '/v1/hw/routing');
          domain.advertise(adv.chassisId, { active: adv.active, routeModifier: adv.routeModifier });
          if (adv.active) claims++;
        }
        if (claims === 2) sawDualActive = true;
        const to = domain.route(100);
        if (to) {
          const r = await post(byNode[to], '/v1/hw/forward', { packets: 100 });
          delivered[to] += r.body.forwarded as number;
        }
        await sleep(100);
      }
    };
    await pump(5);
    expect(delivered).toEqual({ alpha: 500, bravo: 0 });

    toA.cut();
    toB.cut();
    await waitFor('bravo to take over during the cut', async () => (await b.state()) === 'Active', { timeoutMs: 15_000, intervalMs: 100 });
    expect(await a.state()).toBe('Active');
    await pump(10);
    expect(sawDualActive).toBe(true);
    // bravo took over with a higher route modifier: the domain keeps sending to alpha.
    expect(delivered.bravo).toBe(0);
    expect(delivered.alpha).toBe(1500);
    expect(domain.stats().dualActiveNow).toBe(true);

    toA.heal();
    toB.heal();
    await converged(a, b, 20_000);
    const metric = async (p: SrpdProcess): Promise<number> => {
      const text = await p.metrics();
      return Number(/^srp_hw_packets_forwarded_total (\d+)$/m.exec(text)?.[1] ?? NaN);
    };
    expect(await metric(a)).toBe(1500);
    expect(await metric(b)).toBe(0);
  });
});
