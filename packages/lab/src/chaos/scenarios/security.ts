// An attacker on the SRP link, without the key (root README, "Security"), from an agent beside
// each chassis: in its namespace with the kernel link, so it connects from the chassis' own
// address (the one its peer allows) and from a second one on the veth (which it does not); on
// loopback otherwise, from 127.0.0.1 (allowed) and 127.0.0.2, .3 (not).
//   replay-handshake  the Active's Capabilities recorded, played 50 times to the Standby (same
//                     boot); then, after the Active restarted and got the role back, played 5
//                     times more (previous boot). Nothing may change.
//   connect-flood     junk connections on both SRP ports, the real link's TCP connections reset
//                     once before and once in the middle: no state change, the link back within
//                     its reconnect, refusals counted by reason.
import type { ChaosNode } from '../../chassis.js';
import { strangerAddress } from '../../lab/netns.js';
import { now } from '../../poller.js';
import { agentsBeside, type Agent } from '../agent.js';
import { sleep, type RunContext } from '../context.js';
import { mark } from '../result.js';
import type { Fixture, FixtureEnv, Scenario } from '../scenario.js';
import { waitReady } from './common.js';

interface LinkStats {
  refusedConnections: Record<string, number>;
  link: { connects: number; disconnects: number };
}

/** The agents beside each chassis and the source addresses each may connect from. */
class Attackers implements Fixture {
  private constructor(
    private readonly agents: Record<'a' | 'b', Agent>,
    /** Beside a / b: its own address first (allowed by the peer), then strangers. */
    readonly sources: Record<'a' | 'b', string[]>,
  ) {}

  static async start(env: FixtureEnv): Promise<Attackers> {
    const p = env.netns;
    const sources = p
      ? { a: [p.srpAddr[0], strangerAddress(p, 0)], b: [p.srpAddr[1], strangerAddress(p, 1)] }
      : { a: ['127.0.0.1', '127.0.0.2', '127.0.0.3'], b: ['127.0.0.1', '127.0.0.2', '127.0.0.3'] };
    return new Attackers(await agentsBeside(p, 'attacker'), sources);
  }

  /** The agent beside `n`. */
  beside(n: ChaosNode): Agent {
    return this.agents[n.name === 'a' ? 'a' : 'b'];
  }

  async close(): Promise<void> {
    await Promise.all([this.agents.a.close(), this.agents.b.close()]);
  }
}

const statsOf = (n: ChaosNode): Promise<LinkStats> => n.api.json<LinkStats>('GET', '/v1/srp/statistics');

/** Refusals by reason between two statistics, only those that grew. */
function refusedSince(before: LinkStats, after: LinkStats): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [reason, n] of Object.entries(after.refusedConnections)) {
    const d = n - (before.refusedConnections[reason] ?? 0);
    if (d > 0) out[reason] = d;
  }
  return out;
}

/** FAIL unless the link of `n` neither dropped nor switched connection since `before`. */
async function expectSameLink(ctx: RunContext, n: ChaosNode, before: LinkStats, what: string): Promise<void> {
  const after = await statsOf(n);
  if (after.link.connects !== before.link.connects || after.link.disconnects !== before.link.disconnects) {
    mark(ctx.result, 'FAIL', `${what}: the link of ${n.name} dropped or switched (connects ${before.link.connects} -> ${after.link.connects})`);
  }
}

/** Waits until `n` counts `atLeast` more refusals of `reason` than in `before`; the count seen. */
async function refusals(ctx: RunContext, n: ChaosNode, before: LinkStats, reason: string, atLeast: number): Promise<number> {
  const deadline = now() + ctx.bound;
  let seen = 0;
  while (now() < deadline) {
    seen = refusedSince(before, await statsOf(n))[reason] ?? 0;
    if (seen >= atLeast) break;
    await sleep(100);
  }
  if (seen < atLeast) mark(ctx.result, 'FAIL', `${n.name} counted ${seen} ${reason} refusals, expected at least ${atLeast}`);
  return seen;
}

/** Ready as both see it (the Active's view of its peer too), or a WARN. */
async function readyPair(ctx: RunContext): Promise<void> {
  await ctx.pair.waitForSettled(ctx.bound, true).catch(() => mark(ctx.result, 'WARN', `the pair was not one Active and a ready Standby within ${ctx.bound} ms`));
}

function attackers(ctx: RunContext<Attackers>): Attackers {
  if (!ctx.fixture) throw new Error(`${ctx.result.scenario}: no attacker agents`);
  return ctx.fixture;
}

const replayHandshake: Scenario<Attackers> = {
  name: 'replay-handshake',
  summary:
    "record the Active's Capabilities on its SRP port and play it 50 times to the Standby, 20 ms apart (same boot); kill -9 the Active, give it the role back, and play the recording 5 times more (previous boot)",
  judges: 'no state change on either chassis and the real link neither drops nor switches while the replays play (FAIL); every replay refused and counted as replay (FAIL)',
  setup: (env) => Attackers.start(env),
  async run(ctx) {
    const at = attackers(ctx);
    const { active, standby } = ctx;
    // Same boot: recorded from beside the Standby, played from beside the Active (its address
    // is the one the Standby allows).
    const [sb, ab] = await Promise.all([statsOf(standby), statsOf(active)]);
    const t0 = ctx.fault(`record ${active.name}'s Capabilities on its SRP port; play it 50 times to ${standby.name}, 20 ms apart`);
    ctx.moment('same-boot replays');
    const { hex } = await at.beside(standby).request<{ hex: string }>('record', { target: active.srp });
    await at.beside(active).request('play', { target: standby.srp, hex, count: 50, everyMs: 20, holdMs: 50 }, 60_000);
    const same = await refusals(ctx, standby, sb, 'replay', 50);
    await sleep(ctx.dead);
    ctx.expectStayed(active, 'Active', t0, 'FAIL');
    ctx.expectStayed(standby, 'Standby', t0, 'FAIL');
    await expectSameLink(ctx, standby, sb, 'same-boot replay');
    await expectSameLink(ctx, active, ab, 'same-boot replay');
    ctx.note(`same boot: 50 replays, ${same} refused as replay, link unchanged`);

    // Previous boot: the recording is of the process about to die; it comes back and gets the role back.
    ctx.fault(`kill -9 ${active.name}, return it as Standby, switch back to it`);
    await ctx.f.kill(active);
    await ctx.takeover(standby);
    await ctx.returnAsStandby(active);
    await waitReady(ctx, active);
    await readyPair(ctx);
    ctx.moment(`switchover ${standby.name} -> ${active.name}`);
    const sw = await standby.api.switchover();
    if (!sw.accepted) throw new Error(`switchover back to ${active.name} refused: ${sw.reasons.join('; ')}`);
    await active.waitForState('Active', ctx.bound);
    await readyPair(ctx);
    const [sb2, ab2] = await Promise.all([statsOf(standby), statsOf(active)]);
    const t1 = now();
    ctx.moment('previous-boot replays');
    ctx.log(`play ${active.name}'s Capabilities of its previous boot to ${standby.name}, 5 times`);
    await at.beside(active).request('play', { target: standby.srp, hex, count: 5, everyMs: 100, holdMs: 50 }, 60_000);
    const previous = await refusals(ctx, standby, sb2, 'replay', 5);
    await sleep(3 * ctx.dead);
    ctx.endWindow();
    ctx.expectStayed(active, 'Active', t1, 'FAIL');
    ctx.expectStayed(standby, 'Standby', t1, 'FAIL');
    await expectSameLink(ctx, standby, sb2, 'previous-boot replay');
    await expectSameLink(ctx, active, ab2, 'previous-boot replay');
    ctx.note(`previous boot: 5 replays, ${previous} refused as replay, no takeover, link unchanged`);
  },
};

const FLOOD = { full: { seconds: 30, rate: 500 }, short: { seconds: 6, rate: 500 } };

/** Resets the link's TCP connections once; ms until both chassis report it up on a new connection (null: not within the bound). */
async function resetAndReconnect(ctx: RunContext): Promise<number | null> {
  const { active, standby } = ctx;
  const connects = (await statsOf(standby)).link.connects;
  const t0 = now();
  await ctx.f.reset();
  while (now() < t0 + ctx.bound) {
    const [ia, is, ss] = await Promise.all([active.info(1000).catch(() => null), standby.info(1000).catch(() => null), statsOf(standby).catch(() => null)]);
    if (ia?.link === 'up' && is?.link === 'up' && ss !== null && ss.link.connects > connects) return Math.round(now() - t0);
    await sleep(20);
  }
  return null;
}

const connectFlood: Scenario<Attackers> = {
  name: 'connect-flood',
  summary:
    '500 connections/s of unauthenticated junk (wrong-key, garbage, 4 GiB length, byte-by-byte, silent) on both SRP ports for 30 s (short: 6 s), from the peer\'s address and from others; the real link\'s TCP connections reset once before the flood and once in its middle',
  judges:
    'no state change on either chassis (FAIL); the real link back within dead-interval of the reset (WARN; within the bound, FAIL); refusals counted by reason on both (none: FAIL), never too-many-connections (FAIL)',
  needs: ['reset'],
  setup: (env) => Attackers.start(env),
  timeoutMs: (o) => (o.short ? FLOOD.short : FLOOD.full).seconds * 1000 + 20 * o.deadIntervalMs + 120_000,
  async run(ctx) {
    const at = attackers(ctx);
    const { active, standby } = ctx;
    const f = ctx.opts.short ? FLOOD.short : FLOOD.full;
    const quiet = await resetAndReconnect(ctx);
    ctx.note(`quiet: real link back ${quiet ?? '-'} ms after a reset`);
    await readyPair(ctx);
    const before = await Promise.all([statsOf(active), statsOf(standby)]);
    // Each agent floods its peer's SRP port, from the address its peer allows and from strangers.
    const floods = [active, standby].map((n) => ({ from: n, to: ctx.pair.peerOf(n) }));
    const t0 = ctx.fault(`flood both SRP ports with ${f.rate} junk connections per second for ${f.seconds} s`);
    for (const { from, to } of floods) await at.beside(from).request('flood', { targets: [to.srp], rate: f.rate / 2, sources: at.sources[from.name === 'a' ? 'a' : 'b'] });
    let flooded: number | null = null;
    try {
      await sleep((f.seconds / 2) * 1000);
      ctx.log('reset the real SRP link once');
      flooded = await resetAndReconnect(ctx);
      const left = t0 + f.seconds * 1000 - now();
      if (left > 0) await sleep(left);
    } finally {
      const stats = await Promise.all(floods.map(({ from }) => at.beside(from).request<{ stats: { opened: number; failed: number } }>('flood-stop').catch(() => null)));
      const opened = stats.reduce((s, x) => s + (x?.stats.opened ?? 0), 0);
      const failed = stats.reduce((s, x) => s + (x?.stats.failed ?? 0), 0);
      ctx.moment('flood stopped');
      ctx.note(`flood: ${opened} connections in ${Math.round((now() - t0) / 1000)} s (${failed} failed to connect)`);
    }
    ctx.endWindow();
    await sleep(ctx.dead);
    ctx.expectStayed(active, 'Active', t0, 'FAIL');
    ctx.expectStayed(standby, 'Standby', t0, 'FAIL');
    if (flooded === null) mark(ctx.result, 'FAIL', `the real link did not come back within ${ctx.bound} ms of the reset under the flood`);
    else {
      ctx.note(`flooded: real link back ${flooded} ms after the reset`);
      if (flooded > ctx.dead) mark(ctx.result, 'WARN', `the link took ${flooded} ms to come back under the flood (> dead-interval ${ctx.dead} ms)`);
    }
    const after = await Promise.all([statsOf(active), statsOf(standby)]);
    [active, standby].forEach((n, i) => {
      const b = before[i];
      const a = after[i];
      if (!a || !b) return;
      const r = refusedSince(b, a);
      ctx.note(`${n.name} refused: ${Object.entries(r).map(([k, v]) => `${k} ${v}`).join(', ') || 'nothing'}`);
      if (Object.keys(r).length === 0) mark(ctx.result, 'FAIL', `${n.name} counted no refusal during the flood`);
      if (r['too-many-connections']) mark(ctx.result, 'FAIL', `${n.name} turned connections away as too-many-connections`);
    });
  },
};

export default [replayHandshake, connectFlood];
