// The etcd witness against a real etcd (Debian etcd-server) on 127.0.0.1: two witnesses as two
// chassis would run them, a holder in a child process killed with SIGKILL or frozen with SIGSTOP,
// etcd itself frozen and stopped. lease-ttl is 2 s; bounds are generous (2 shared cores), the
// measured figures are printed.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EtcdWitness } from '../src/witness/etcd.js';
import type { WitnessStatus } from '../src/witness/witness.js';
import { PACKAGE_ROOT, sleep, waitFor } from './helpers/cluster.js';
import { EtcdServer, skipWithoutEtcd } from './helpers/etcd.js';

const TTL = 2000;
const HOLDER = join(PACKAGE_ROOT, 'dist/test/helpers/witness-holder.js');

let etcd: EtcdServer;
let pairNo = 0;
const cleanups: Array<() => Promise<void> | void> = [];

const now = (): number => performance.now();

function witness(chassisId: string, pair: string): EtcdWitness {
  const w = new EtcdWitness({ endpoints: [{ host: '127.0.0.1', port: etcd.clientPort }], keyPrefix: '/srp-test', pair, chassisId, leaseTtlMs: TTL });
  cleanups.push(() => w.stop());
  return w;
}

function twoChassis(): { a: EtcdWitness; b: EtcdWitness; pair: string } {
  const pair = `pair-${++pairNo}`;
  return { a: witness('alpha', pair), b: witness('bravo', pair), pair };
}

/** Reads both witnesses every 10 ms and records any moment when both say `held`. */
function neverBoth(a: EtcdWitness, b: EtcdWitness): { stop: () => number } {
  let both = 0;
  const t = setInterval(() => {
    if (a.status.held && b.status.held) both++;
  }, 10);
  return {
    stop: () => {
      clearInterval(t);
      return both;
    },
  };
}

/** A chassis reduced to its witness, in its own process: status lines as they come. */
function holderProcess(pair: string, chassisId: string): { child: ChildProcess; last: () => WitnessStatus | null; lines: WitnessStatus[]; log: () => string } {
  if (!existsSync(HOLDER)) throw new Error(`${HOLDER} is missing: run 'corepack pnpm exec tsc -b' first`);
  const child = spawn(process.execPath, [HOLDER, etcd.endpoint, '/srp-test', pair, chassisId, String(TTL)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: WitnessStatus[] = [];
  let log = '';
  createInterface({ input: child.stdout }).on('line', (l) => lines.push(JSON.parse(l) as WitnessStatus));
  child.stderr.on('data', (b: Buffer) => (log += b.toString()));
  cleanups.push(() => {
    child.kill('SIGCONT');
    child.kill('SIGKILL');
  });
  return { child, lines, last: () => lines.at(-1) ?? null, log: () => log };
}

const holds = (w: EtcdWitness) => (): boolean => w.status.held;

/** alpha in a child process holds the key; bravo, in this process, waits for it. */
async function childHoldsBravoWaits(): Promise<{ h: ReturnType<typeof holderProcess>; b: EtcdWitness }> {
  const pair = `pair-${++pairNo}`;
  const h = holderProcess(pair, 'alpha');
  await waitFor('the child holds', () => h.last()?.held === true, { timeoutMs: 20_000 });
  const b = witness('bravo', pair);
  b.acquire();
  await waitFor('bravo sees alpha', () => b.status.holder === 'alpha', { timeoutMs: 10_000 });
  return { h, b };
}

describe.skipIf(skipWithoutEtcd('the etcd witness tests'))('etcd witness (real etcd)', () => {
  beforeAll(async () => {
    etcd = await EtcdServer.create();
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    etcd.thaw();
    if (!etcd.running) await etcd.start();
  });
  afterAll(async () => {
    await etcd?.dispose();
  });

  it('two chassis race for the key: exactly one holds it, and both see it as the holder', async () => {
    const { a, b } = twoChassis();
    const guard = neverBoth(a, b);
    a.acquire();
    b.acquire();
    const winner = await waitFor('one holder', () => (a.status.held ? a : b.status.held ? b : null), { timeoutMs: 15_000 });
    const loser = winner === a ? b : a;
    const name = winner === a ? 'alpha' : 'bravo';
    await waitFor('both see the holder', () => a.status.holder === name && b.status.holder === name, { timeoutMs: 10_000 });
    await sleep(2 * TTL); // renewals keep it; the other keeps trying and keeps failing
    expect(winner.status).toMatchObject({ held: true, reachable: true, holder: name, leaseTtlMs: TTL, lastError: null });
    expect(loser.status).toMatchObject({ held: false, reachable: true, holder: name });
    expect(guard.stop()).toBe(0);
  });

  it("the holder's release lets the other acquire at once", async () => {
    const { a, b } = twoChassis();
    a.acquire();
    await waitFor('alpha holds', holds(a), { timeoutMs: 15_000 });
    b.acquire();
    await sleep(500);
    expect(b.status.held).toBe(false);
    const guard = neverBoth(a, b);
    const t0 = now();
    await a.release();
    expect(a.status.held).toBe(false);
    await waitFor('bravo holds', holds(b), { timeoutMs: 10_000 });
    const tookMs = now() - t0;
    console.log(`witness: bravo held the key ${tookMs.toFixed(0)} ms after alpha released it`);
    expect(tookMs).toBeLessThan(TTL); // the revoke deletes the key and the watch tells bravo
    expect(b.status.holder).toBe('bravo');
    await waitFor('alpha sees bravo', () => a.status.holder === 'bravo', { timeoutMs: 5000 });
    expect(guard.stop()).toBe(0);
  });

  it('a holder process killed with SIGKILL frees the key within lease-ttl (plus etcd expiry check)', async () => {
    const { h, b } = await childHoldsBravoWaits();
    expect(b.status.held).toBe(false);
    const t0 = now();
    h.child.kill('SIGKILL');
    await waitFor('bravo holds', holds(b), { timeoutMs: 4 * TTL + 5000 });
    const tookMs = now() - t0;
    console.log(`witness: bravo held the key ${tookMs.toFixed(0)} ms after the holder was killed (lease-ttl ${TTL} ms)`);
    // etcd frees the key within TTL of the last renewal and checks expiries every 500 ms.
    expect(tookMs).toBeLessThan(TTL + 500 + 2500);
  });

  it('a frozen holder process loses the key to the other; when it wakes, it reports held false', async () => {
    const { h, b } = await childHoldsBravoWaits();
    h.child.kill('SIGSTOP');
    await waitFor('bravo holds', holds(b), { timeoutMs: 4 * TTL + 5000 });
    const seen = h.lines.length;
    h.child.kill('SIGCONT');
    await waitFor('the child reports after waking', () => h.lines.length > seen, { timeoutMs: 10_000 });
    expect(h.lines[seen]?.held).toBe(false);
    await sleep(TTL);
    expect(h.lines.slice(seen).every((s) => !s.held)).toBe(true);
    expect(h.last()).toMatchObject({ held: false, holder: 'bravo' });
    // Logged once, whichever the child saw first on waking: the new holder (watch) or its
    // lapsed renewal (held timer); with the watch first it once logged nothing.
    expect(h.log().match(/lost the Active key/g)).toHaveLength(1);
    expect(b.status.held).toBe(true);
  });

  it('etcd frozen: the holder turns unreachable and loses held within lease-ttl, the other cannot acquire; after the thaw exactly one holds', async () => {
    const { a, b } = twoChassis();
    a.acquire();
    await waitFor('alpha holds', holds(a), { timeoutMs: 15_000 });
    b.acquire();
    const guard = neverBoth(a, b);
    const changes: Array<{ at: number; s: WitnessStatus }> = [];
    a.onStatus((s) => changes.push({ at: now(), s }));
    await sleep(300);
    const t0 = now();
    etcd.freeze();
    await waitFor('alpha unreachable and not holding', () => !a.status.reachable && !a.status.held, { timeoutMs: 3 * TTL });
    const lostAt = changes.find((c) => !c.s.held)?.at ?? now();
    const unreachableAt = changes.find((c) => !c.s.reachable)?.at ?? now();
    console.log(`witness: etcd frozen; alpha unreachable after ${(unreachableAt - t0).toFixed(0)} ms, held false after ${(lostAt - t0).toFixed(0)} ms (lease-ttl ${TTL} ms)`);
    expect(lostAt - t0).toBeLessThanOrEqual(TTL + 250); // on its own timer: no etcd call returned
    expect(a.status.lastError).toMatch(/SRP_ERR_WITNESS_TIMEOUT/);
    await sleep(TTL);
    expect(b.status).toMatchObject({ held: false, reachable: false });
    etcd.thaw();
    await waitFor('one holder again', () => a.status.held || b.status.held, { timeoutMs: 6 * TTL });
    await sleep(TTL);
    expect(a.status.held !== b.status.held).toBe(true);
    expect(a.status.reachable && b.status.reachable).toBe(true);
    expect(guard.stop()).toBe(0);
  });

  it('stop() ends within a few request timeouts while etcd is frozen, and a status read after it says not held', async () => {
    const { a } = twoChassis();
    a.acquire();
    await waitFor('alpha holds', holds(a), { timeoutMs: 15_000 });
    etcd.freeze();
    const t0 = now();
    await a.stop();
    const tookMs = now() - t0;
    console.log(`witness: stop() with etcd frozen took ${tookMs.toFixed(0)} ms`);
    expect(tookMs).toBeLessThan(4 * a.timings.requestTimeoutMs + 1000);
    expect(a.status.held).toBe(false);
    expect(() => a.acquire()).toThrow(/after stop/);
    etcd.thaw();
  });

  it('etcd stopped: held turns false within lease-ttl and nobody acquires; etcd back: the same chassis holds again', async () => {
    const { a, b } = twoChassis();
    a.acquire();
    await waitFor('alpha holds', holds(a), { timeoutMs: 15_000 });
    b.acquire();
    const guard = neverBoth(a, b);
    await sleep(300);
    const t0 = now();
    await etcd.kill();
    await waitFor('alpha not holding', () => !a.status.held, { timeoutMs: 3 * TTL });
    console.log(`witness: etcd killed; alpha held false after ${(now() - t0).toFixed(0)} ms`);
    expect(now() - t0).toBeLessThanOrEqual(TTL + 250);
    expect(a.status.reachable).toBe(false);
    await sleep(TTL);
    expect(b.status).toMatchObject({ held: false, reachable: false });
    // etcd restarts from its data dir; leases are extended on start, so alpha's lease and key
    // survive and alpha's next renewal makes it the holder again.
    const t1 = now();
    await etcd.start();
    await waitFor('alpha holds again', holds(a), { timeoutMs: 10 * TTL });
    console.log(`witness: etcd restarted; alpha held again ${(now() - t1).toFixed(0)} ms after etcd was healthy`);
    await sleep(TTL);
    expect(a.status).toMatchObject({ held: true, reachable: true, holder: 'alpha' });
    expect(b.status).toMatchObject({ held: false, reachable: true, holder: 'alpha' });
    expect(guard.stop()).toBe(0);
  });
});
