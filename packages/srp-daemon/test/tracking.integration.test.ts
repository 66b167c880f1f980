// Tracked objects with two real srpd processes on simulated chassis: crashing both line cards
// of the Active lowers its priority below failover-threshold and it hands over (reason
// tracking); once its cards are back (removed and re-inserted) it preempts after
// preemption-delay. A script and a weight file move the priority too.
import { writeFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkBuilt, waitFor } from './helpers/cluster.js';
import { api, at, eventsOf, fastHardware, MACS, monitor, servicePair, writeIn } from './helpers/service.js';

const cleanups: Array<() => unknown> = [];
beforeAll(() => checkBuilt());
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const TIMING = { helloInterval: '300ms', deadInterval: '3s' };
const DELAY_S = 3;

describe('tracking: tracked objects, effective priority, failover threshold, preemption delay', () => {
  it('both line cards of the Active crash: below failover-threshold, switchover; re-inserted: it takes the role back after preemption-delay', async () => {
    const { active, standby } = await servicePair(
      (name) => ({
        // alpha 10 + 100 = 110 > threshold 50; bravo's own threshold allows its priority 20.
        'failover-threshold': 50,
        preemption: true,
        'preemption-delay': `${DELAY_S}s`,
        track: { 'line-cards': { type: 'line-cards', down: 'all', decrement: 100 } },
        hardware: fastHardware(MACS[name], {}, { 'line-card-boot': 4 }),
      }),
      cleanups,
      TIMING,
    );
    expect(active.spec.chassisId).toBe('alpha');
    await waitFor('the line cards up and tracked', async () => (await monitor(active)).tracking.objects[0]?.state === 'up', { timeoutMs: 20_000 });
    const info = await active.info();
    expect([info.priority, info.effectivePriority]).toEqual([10, 10]);
    const ea = await active.events();
    cleanups.push(() => ea.close());

    const cards = (await api<Array<{ slot: number; kind: string }>>(active, 'GET', '/v1/hw/cards')).body;
    const lcs = cards.filter((c) => c.kind === 'LC').map((c) => c.slot);
    expect(lcs.length).toBe(2);
    for (const slot of lcs) expect((await api(active, 'POST', `/v1/hw/cards/${slot}/crash-linecard`, {})).status).toBe(200);
    await waitFor('the switchover', async () => (await standby.state()) === 'Active' && (await active.state()) === 'Standby', { timeoutMs: 20_000, intervalMs: 25 });
    // The Active handed over because of the tracked objects, and both say so.
    expect(eventsOf(ea.list, 'service-switchover')[0]).toMatchObject({ reason: 'tracking' });
    expect(eventsOf(ea.list, 'switchover', { from: 'Pending-Standby', to: 'Standby' })[0]).toMatchObject({ reason: 'tracking' });
    expect((await standby.info()).lastSwitchover).toMatchObject({ reason: 'tracking', from: 'Pending-Active', to: 'Active' });
    const low = await active.info();
    expect(low.effectivePriority).toBe(110);
    const shown = await monitor(active);
    expect(shown.tracking.belowThreshold).toBe(true);
    expect(shown.tracking.preemptHeldBy).toMatch(/below failover-threshold/);
    // The peer sees the lowered priority in our Hellos.
    expect((await standby.info()).peer?.priority).toBe(110);

    // Re-insert both cards: they boot, the priority recovers, and after the delay alpha preempts.
    for (const slot of lcs) {
      await api(active, 'POST', `/v1/hw/cards/${slot}/remove`, {});
      expect((await api(active, 'POST', `/v1/hw/cards/${slot}/insert`, {})).status).toBe(200);
    }
    await waitFor('alpha Active again', async () => (await active.state()) === 'Active', { timeoutMs: 40_000, intervalMs: 50 });
    expect((await active.info()).lastSwitchover?.reason).toBe('preemption');
    const recovered = eventsOf(ea.list, 'priority', { effective: 10 })[0];
    const back = eventsOf(ea.list, 'state-change', { to: 'Active' }).at(-1);
    expect(recovered).toBeDefined();
    expect(at(back) - at(recovered)).toBeGreaterThanOrEqual(DELAY_S * 1000 - 300);
    expect(eventsOf(ea.list, 'track', { object: 'line-cards', state: 'down' }).length).toBeGreaterThanOrEqual(1);
    const metrics = await standby.metrics();
    expect(metrics).toMatch(/srp_switchovers_total\{reason="tracking"\} 1/);
  });

  it('a script and a weight file: exit status and the weight move the effective priority, shown in show srp info and show srp monitor', async () => {
    const files = new Map<string, { weight: string; flag: string }>();
    const { active } = await servicePair(
      (name, dir) => {
        const weight = writeIn(dir, `${name}.weight`, '0\n');
        const flag = writeIn(dir, `${name}.ok`, 'yes\n');
        const script = writeIn(dir, `${name}-check.sh`, `#!/bin/sh\n[ "$(cat ${flag})" = yes ]\n`, 0o755);
        files.set(name, { weight, flag });
        return {
          track: {
            check: { type: 'script', command: script, interval: '200ms', timeout: '200ms', decrement: 7 },
            load: { type: 'weight-file', path: weight, interval: '200ms', decrement: 30 },
            lo: { type: 'interface', name: 'lo', interval: '500ms', decrement: 1 },
          },
        };
      },
      cleanups,
      TIMING,
    );
    const mine = files.get(active.spec.chassisId);
    if (!mine) throw new Error('no files');
    const eff = async (): Promise<number> => (await active.info()).effectivePriority;
    await waitFor('every object up', async () => (await monitor(active)).tracking.objects.every((o) => o.state === 'up'), { timeoutMs: 20_000 });
    expect(await eff()).toBe(10);
    writeFileSync(mine.flag, 'no\n');
    await waitFor('the script down', async () => (await eff()) === 17, { timeoutMs: 10_000 });
    writeFileSync(mine.weight, '12\n');
    await waitFor('the weight applied', async () => (await eff()) === 29, { timeoutMs: 10_000 });
    writeFileSync(mine.weight, 'garbage\n');
    await waitFor('the fallback decrement', async () => (await eff()) === 47, { timeoutMs: 10_000 });
    expect((await active.info()).effectivePriority).toBe(47);
    const objects = (await monitor(active)).tracking.objects;
    expect(objects.find((o) => o.name === 'load')?.cause).toMatch(/does not hold a weight/);
    expect(objects.find((o) => o.name === 'check')?.cause).toMatch(/exited 1/);
    expect(objects.find((o) => o.name === 'lo')?.state).toBe('up');
    writeFileSync(mine.flag, 'yes\n');
    writeFileSync(mine.weight, '0\n');
    await waitFor('back to the configured priority', async () => (await eff()) === 10, { timeoutMs: 10_000 });
    const metrics = await active.metrics();
    expect(metrics).toMatch(/srp_track_priority_effective 10/);
    expect(metrics).toMatch(/srp_track_object_up\{object="check",type="script"\} 1/);
  });
});
