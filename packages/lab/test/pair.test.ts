// Pair, poller and proxy wiring, driving real srpd processes (the built daemon).
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { Pair } from '../src/pair.js';
import { now } from '../src/poller.js';
import { missing, skipReason, SRPD } from './helpers.js';

const why = missing([], [SRPD]);
let pair: Pair | null = null;

afterEach(async () => {
  await pair?.stop();
  pair = null;
});

describe.skipIf(skipReason(why, 'the Pair tests'))('Pair (real srpd)', () => {
  it('has its prerequisites', () => {
    expect(why).toBeNull();
  });

  it('writes valid configs, starts both, elects one Active and sees it from outside', async () => {
    pair = await Pair.start({ srpd: SRPD, helloIntervalMs: 100, deadIntervalMs: 400 });
    const cfg = parse(readFileSync(pair.a.configPath, 'utf8')) as Record<string, unknown>;
    expect(cfg).toMatchObject({ 'chassis-id': 'lab-a', mode: 'primary', 'hello-interval': '100ms', 'dead-interval': '400ms' });
    // a dials b through the proxy in front of b
    expect(cfg.peer).toBe(pair.link?.proxies[1]?.address);
    const [active, standby] = await pair.waitForSettled(10_000);
    expect(active.name).toBe('a');
    expect(standby.name).toBe('b');
    expect(await pair.poller.waitFor((l) => l.get('a')?.state === 'Active' && l.get('b')?.state === 'Standby', 5000)).toBe(true);
    expect(existsSync(pair.a.logPath)).toBe(true);
  });

  it('kill -9 of the Active: the poller sees the takeover, restart brings the node back', async () => {
    pair = await Pair.start({ srpd: SRPD, helloIntervalMs: 100, deadIntervalMs: 400 });
    const [active, standby] = await pair.waitForSettled(10_000);
    const t0 = now();
    await active.kill('SIGKILL');
    expect(active.running).toBe(false);
    await standby.waitForState('Active', 10_000);
    await pair.poller.waitFor((l) => l.get(standby.name)?.state === 'Active', 5000);
    const seen = pair.poller.firstSeen(standby.name, 'Active', t0);
    expect(seen).not.toBeNull();
    expect((seen ?? 0) - t0).toBeGreaterThan(0);
    expect(pair.poller.firstSeen(active.name, 'down', t0)).not.toBeNull();
    await active.start();
    await active.waitForState('Standby', 10_000);
  });

  it('freeze/thaw and a link cut give two Actives that the poller measures', async () => {
    pair = await Pair.start({ srpd: SRPD, helloIntervalMs: 100, deadIntervalMs: 400 });
    await pair.waitForSettled(10_000);
    const t0 = now();
    await pair.link?.cut();
    await pair.poller.waitFor((l) => l.get('a')?.state === 'Active' && l.get('b')?.state === 'Active', 5000);
    await new Promise((r) => setTimeout(r, 300));
    await pair.link?.heal();
    await pair.waitForSettled(10_000);
    await pair.poller.waitFor((l) => l.get('b')?.state === 'Standby', 5000);
    const dual = pair.poller.allActiveMs(t0);
    expect(dual).toBeGreaterThan(200);
    expect(dual).toBeLessThan(10_000);

    const [active] = await pair.waitForSettled(10_000);
    active.freeze();
    expect(active.frozen).toBe(true);
    await pair.peerOf(active).waitForState('Active', 10_000);
    active.thaw();
    await pair.waitForSettled(10_000);
  });
});
