// The etcd witness with real srpd processes and a real etcd (Debian etcd-server): each chassis
// reaches its peer (TCP and Hellos) and etcd through relays it can be cut off from. Only the
// holder of the witness lease may be Active and acknowledge writes. Bounds are generous.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkBuilt, converged, makePair, sleep, waitFor, type SrpdProcess } from './helpers/cluster.js';
import { EtcdServer, skipWithoutEtcd } from './helpers/etcd.js';
import { relay, type Relay } from './helpers/relay.js';

const cleanups: Array<() => Promise<void>> = [];
beforeAll(() => checkBuilt());
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const LEASE_MS = 2000;
const DEAD_MS = 300;

async function write(p: SrpdProcess, id: string): Promise<number> {
  return (await p.request('POST', '/v1/sessions', { ops: [{ op: 'upsert', id }] }, 5000)).status;
}

async function witnessPair(): Promise<{ a: SrpdProcess; b: SrpdProcess; etcd: EtcdServer; toA: Relay; toB: Relay; etcdA: Relay; etcdB: Relay }> {
  const etcd = await EtcdServer.create();
  cleanups.push(() => etcd.dispose());
  const [etcdA, etcdB] = [await relay(etcd.clientPort), await relay(etcd.clientPort)];
  cleanups.push(async () => {
    await Promise.all([etcdA.close(), etcdB.close()]);
  });
  const cfg = (r: Relay): string =>
    `checkpoint:\n  session-duration: 0s\nwitness:\n  etcd:\n    endpoints: [127.0.0.1:${r.port}]\n    pair: alpha+bravo\n    lease-ttl: ${LEASE_MS / 1000}s`;
  const pair = await makePair({ helloInterval: '100ms', deadInterval: `${DEAD_MS}ms`, relays: true, extraA: cfg(etcdA), extraB: cfg(etcdB) });
  cleanups.push(pair.cleanup);
  await Promise.all([pair.a.start(), pair.b.start()]);
  return { a: pair.a, b: pair.b, etcd, toA: pair.toA!, toB: pair.toB!, etcdA, etcdB };
}

/** Watches both chassis every 20 ms for `ms`; returns how many samples saw two Actives. */
async function twoActives(a: SrpdProcess, b: SrpdProcess, ms: number): Promise<number> {
  let both = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const [sa, sb] = await Promise.all([a.state(), b.state()]);
    if (sa === 'Active' && sb === 'Active') both++;
    await sleep(20);
  }
  return both;
}

describe.skipIf(skipWithoutEtcd('the witness integration tests'))('the etcd witness, real processes', () => {
  it('only the lease holder is Active; a link cut both ways never makes two Actives, and the heal changes nothing', async () => {
    const { a, b, toA, toB } = await witnessPair();
    const [active, standby] = await converged(a, b, 30_000);
    await waitFor('the Active to hold the lease', async () => (await active.info()).witness?.held === true, { timeoutMs: 15_000 });
    expect((await standby.info()).witness).toMatchObject({ held: false, holder: active.spec.chassisId });

    toA.cut();
    toB.cut();
    // The Standby judges its peer dead and wants to take over, but the lease stays with the Active.
    expect(await twoActives(a, b, 3 * DEAD_MS + 2 * LEASE_MS)).toBe(0);
    expect(await active.state()).toBe('Active');
    expect(await write(active, 'during-cut')).toBe(200);
    toA.heal();
    toB.heal();
    const [after] = await converged(a, b, 30_000);
    expect(after).toBe(active);
  }, 120_000);

  it('etcd down: the pair stays as it is, the Active keeps acknowledging writes, and says the witness is unreachable', async () => {
    const { a, b, etcd } = await witnessPair();
    const [active, standby] = await converged(a, b, 30_000);
    await waitFor('the Active to hold the lease', async () => (await active.info()).witness?.held === true, { timeoutMs: 15_000 });
    await etcd.kill();
    await waitFor('the witness to be unreachable', async () => (await active.info()).witness?.reachable === false, { timeoutMs: 10_000 });
    await sleep(2 * LEASE_MS); // past the lease: held is false, the link is up, the peer hears us
    expect([await active.state(), await standby.state()]).toEqual(['Active', 'Standby']);
    expect((await active.info()).witness?.held).toBe(false);
    expect(await write(active, 'etcd-down')).toBe(200);
    await etcd.start();
    await waitFor('the Active to hold the lease again', async () => (await active.info()).witness?.held === true, { timeoutMs: 20_000 });
    expect([await active.state(), await standby.state()]).toEqual(['Active', 'Standby']);
  }, 120_000);

  it('an Active cut off from its peer and from etcd stops acknowledging writes within the lease, and its peer takes over', async () => {
    const { a, b, toA, toB, etcdA, etcdB } = await witnessPair();
    const [active, standby] = await converged(a, b, 30_000);
    await waitFor('the Active to hold the lease', async () => (await active.info()).witness?.held === true, { timeoutMs: 15_000 });
    const [srpToActive, etcdOfActive] = active === a ? [toA, etcdA] : [toB, etcdB];
    const srpToStandby = active === a ? toB : toA;
    const cutAt = performance.now();
    srpToActive.cut();
    srpToStandby.cut();
    etcdOfActive.cut();
    await waitFor('the isolated Active to refuse writes', async () => (await write(active, `x${Math.random()}`)) === 503, { timeoutMs: 3 * LEASE_MS, intervalMs: 50 });
    expect(performance.now() - cutAt).toBeLessThan(LEASE_MS + 2000);
    await waitFor('the peer to take over', async () => (await standby.state()) === 'Active', { timeoutMs: 3 * LEASE_MS + 5000, intervalMs: 50 });
    expect(await write(standby, 'after-handover')).toBe(200);
    srpToActive.heal();
    srpToStandby.heal();
    etcdOfActive.heal();
    const [winner] = await converged(a, b, 30_000);
    expect(winner).toBe(standby);
  }, 120_000);
});
