// Attacks from the network on a real srpd pair, without the key (the core of the chaos
// scenarios replay-handshake and connect-flood, short enough for npm test):
//   - a Capabilities recorded from one chassis, played to the other 50 times (same boot), and
//     one recorded before the peer restarted, played after (previous boot);
//   - 500 connections per second of junk on both SRP ports, with the real link dropped once in
//     the middle.
// Neither may change a chassis state or take the real link down for longer than a reconnect.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FloodProcess, play, recordFirstFrame } from '../src/testing/attacks.js';
import { checkBuilt, converged, makePair, sleep, waitFor, type Pair, type SrpdProcess } from './helpers/cluster.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
beforeAll(() => checkBuilt());

async function started(opts: Parameters<typeof makePair>[0] = {}): Promise<Pair & { active: SrpdProcess; standby: SrpdProcess }> {
  const p = await makePair(opts);
  cleanups.push(p.cleanup);
  await Promise.all([p.a.start(), p.b.start()]);
  const [active, standby] = await converged(p.a, p.b);
  await waitFor('the Standby ready', async () => (await standby.info()).standbyReady);
  return { ...p, active, standby };
}

/** Polls both states every 50 ms until stopped; returns every state each node was seen in. */
function watchStates(nodes: SrpdProcess[]): { stop: () => Promise<Record<string, string[]>> } {
  const seen: Record<string, Set<string>> = Object.fromEntries(nodes.map((n) => [n.spec.chassisId, new Set<string>()]));
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const n of nodes) {
        const s = await n.state().catch(() => 'unreachable');
        seen[n.spec.chassisId].add(s);
      }
      await sleep(50);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return Object.fromEntries(Object.entries(seen).map(([k, v]) => [k, [...v]]));
    },
  };
}

const srp = (n: SrpdProcess): { host: string; port: number } => ({ host: '127.0.0.1', port: n.spec.srpPort });

describe('replayed handshakes against a real pair', () => {
  it('same boot: the Active\'s Capabilities played 50 times to the Standby changes nothing', async () => {
    const { active, standby } = await started();
    const [la, ls] = [(await active.statistics()).link, (await standby.statistics()).link];
    const watch = watchStates([active, standby]);
    const recorded = await recordFirstFrame(srp(active));
    for (let i = 0; i < 50; i++) {
      void play(srp(standby), recorded, { holdMs: 50 });
      await sleep(20);
    }
    const stats = await waitFor('50 replays refused', async () => {
      const s = await standby.statistics();
      return (s.refusedConnections['replay'] ?? 0) >= 50 ? s : null;
    });
    await sleep(1000);
    const seen = await watch.stop();
    expect(seen).toEqual({ [active.spec.chassisId]: ['Active'], [standby.spec.chassisId]: ['Standby'] });
    // The real link never dropped or switched (no checkpoint stream restart).
    expect(stats.link.connects).toBe(ls.connects);
    expect(stats.link.disconnects).toBe(ls.disconnects);
    const a = (await active.statistics()).link;
    expect([a.connects, a.disconnects]).toEqual([la.connects, la.disconnects]);
  });

  it('previous boot: a Capabilities recorded before the Active restarted is not taken for a new boot', async () => {
    const { a, b } = await started();
    // a is Active (primary). Record its Capabilities, then restart it and give it the role back.
    const fromBootOne = await recordFirstFrame(srp(a));
    await a.kill();
    await waitFor('b to take over', async () => (await b.state()) === 'Active');
    await a.start();
    await waitFor('a back as a ready Standby', async () => (await a.info()).standbyReady && (await b.info()).peer?.standbyReady === true);
    expect((await b.client.switchover()).status).toBe(200);
    const [active, standby] = await converged(a, b);
    expect(active).toBe(a);
    await waitFor('b ready', async () => (await b.info()).standbyReady);
    const watch = watchStates([a, b]);
    const before = (await b.statistics()).link;
    for (let i = 0; i < 5; i++) await play(srp(standby), fromBootOne, { holdMs: 50 });
    await waitFor('the replays refused', async () => ((await b.statistics()).refusedConnections['replay'] ?? 0) >= 5);
    await sleep(3000); // three dead intervals
    expect(await watch.stop()).toEqual({ alpha: ['Active'], bravo: ['Standby'] });
    const after = (await b.statistics()).link;
    expect([after.connects, after.disconnects]).toEqual([before.connects, before.disconnects]);
  });
});

describe('connection flood against a real pair', () => {
  it('500 conn/s of junk on both SRP ports for 6 s, the link dropped once: no state change, link back at once', async () => {
    // Hello 500 ms, dead 3 s: on a machine shared by many processes a starved event loop alone
    // can stall Hellos for a second; the figure that matters is printed and bounded below.
    const { active, standby, toA, toB } = await started({ relays: true, helloInterval: '500ms', deadInterval: '3s' });
    const relays = [toA!, toB!];
    // The reconnect time, from the drop to both daemons reporting the link up (their events).
    const events = await Promise.all([active.events(['link']), standby.events(['link'])]);
    cleanups.push(() => Promise.resolve(events.forEach((e) => e.close())));
    const reconnect = async (): Promise<number> => {
      const t0 = Date.now();
      for (const r of relays) r.cut(); // every connection through them reset ...
      for (const r of relays) r.heal(); // ... and the next ones let through
      const upAt = (list: (typeof events)[number]['list']): number | null => {
        const up = list.find((e) => e.type === 'link' && e.status === 'up' && Date.parse(e.at) >= t0);
        return up ? Date.parse(up.at) : null;
      };
      const at = await waitFor('the link back on both', () => {
        const [x, y] = events.map((e) => upAt(e.list));
        return x !== null && y !== null ? Math.max(x, y) : null;
      });
      return at - t0;
    };
    const quiet = await reconnect();
    await sleep(500);
    const watch = watchStates([active, standby]);
    // In a process of its own: it must not starve this one's relays and pollers.
    const flood = new FloodProcess({ targets: [srp(active), srp(standby)], rate: 500, sources: ['127.0.0.1', '127.0.0.2', '127.0.0.3'] });
    await flood.start();
    cleanups.push(async () => void (await flood.stop().catch(() => null)));
    await sleep(3000);
    const flooded = await reconnect();
    await sleep(3000);
    const fs = await flood.stop();
    await sleep(500);
    const seen = await watch.stop();
    console.log(
      `flood: ${fs.opened} connections opened in about 6.5 s (${JSON.stringify(fs.byKind)}), ${fs.failed} failed; ` +
        `link back in ${Math.round(quiet)} ms quiet, ${Math.round(flooded)} ms flooded`,
    );
    expect(seen).toEqual({ [active.spec.chassisId]: ['Active'], [standby.spec.chassisId]: ['Standby'] });
    // The flood process gets what CPU the machine leaves it; 500/s is what it asks for.
    expect(fs.opened).toBeGreaterThan(1000);
    // The link came back within the dead interval (so no takeover), flood or not.
    expect(flooded).toBeLessThan(3000);
    for (const n of [active, standby]) {
      const r = (await n.statistics()).refusedConnections;
      console.log(`${n.spec.chassisId} refused`, r);
      expect(r['not-allowed'] ?? 0).toBeGreaterThan(100);
      expect((r['garbage'] ?? 0) + (r['bad-mac'] ?? 0) + (r['frame-too-large'] ?? 0)).toBeGreaterThan(50);
      expect(r['too-many-connections']).toBeUndefined();
    }
  });
});
