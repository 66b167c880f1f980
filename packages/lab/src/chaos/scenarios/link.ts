// Faults of the SRP link: cuts (with resets, or silent), one direction only, dropped SYNs,
// random loss, delay, and a chassis restarted while it is cut off. At the kernel level when the
// suite runs as root (network namespaces, nftables, tc), else through the user-space proxy.
import type { ChaosNode } from '../../chassis.js';
import { now } from '../../poller.js';
import { sleep, type RunContext } from '../context.js';
import { mark } from '../result.js';
import type { Scenario } from '../scenario.js';
import { holdUntil, oneActiveAfterHeal, routingCheck } from './common.js';

/** A cut in the compose lab. */
const DISCONNECT = 'docker network disconnect of srpd-primary from the SRP network, connect to heal (silent: no resets)';

/** The link's redial backoff at most (srpd: min(1 s, hello-interval)). */
const reconnectMs = (ctx: RunContext): number => Math.min(1000, ctx.hello);

function linkCut(name: string, summary: string, judges: string, how: 'cut' | 'blackhole', factor: number, containers?: string): Scenario {
  const long = factor > 1;
  return {
    name,
    summary,
    judges,
    needs: [how],
    ...(containers !== undefined ? { containers } : {}),
    async run(ctx) {
      const { active, standby } = ctx;
      const hold = factor * ctx.dead;
      const t0 = ctx.fault(`${how} the SRP link for ${hold} ms (dead-interval ${ctx.dead} ms)`);
      if (how === 'cut') await ctx.f.cut();
      else await ctx.f.blackhole();
      if (long) {
        // The Standby takes over; both claim Active until the heal. The writer writes to both
        // sides meanwhile (and one session on both: a conflict by construction).
        ctx.dualExpected = true;
        if (ctx.writer) ctx.writer.mode = 'all';
        await ctx.takeover(standby);
        await holdUntil(t0, hold);
        routingCheck(ctx);
      } else await sleep(hold);
      ctx.note(await ctx.driver.link.describe());
      await ctx.f.heal();
      if (ctx.writer) ctx.writer.mode = 'active';
      ctx.endWindow();
      ctx.log(`healed after ${Math.round(now() - t0)} ms`);
      if (long) await ctx.oneActive();
      else {
        // Nothing should have moved: give the pair two dead intervals to prove it.
        await sleep(2 * ctx.dead);
        ctx.expectStayed(active, 'Active', t0, 'WARN');
        ctx.expectStayed(standby, 'Standby', t0, 'WARN');
      }
    },
  };
}

function oneWay(name: string, dir: 'a2s' | 's2a'): Scenario {
  const what = dir === 'a2s' ? 'Active -> Standby' : 'Standby -> Active';
  return {
    name,
    summary: `drop ${what} (TCP and UDP, silently) for 3 x dead-interval, writing to both sides, then heal`,
    judges:
      'exactly one Active within 2 x dead-interval + reconnect of the heal (FAIL with the figure); 0 acknowledged writes lost (a side that serves writes while its peer took over loses them); digests equal',
    needs: ['one-way'],
    async run(ctx) {
      const from = dir === 'a2s' ? ctx.active : ctx.standby;
      const t0 = ctx.fault(`drop ${from.name} -> ${ctx.pair.peerOf(from).name} (${what}) for ${3 * ctx.dead} ms`);
      await ctx.f.oneWay(from);
      // Clients on both sides: whichever chassis accepts a write must keep it.
      if (ctx.writer) ctx.writer.mode = 'all';
      await holdUntil(t0, 3 * ctx.dead);
      ctx.note(await ctx.driver.link.describe());
      await ctx.f.heal();
      if (ctx.writer) ctx.writer.mode = 'active';
      const healedAt = now();
      ctx.endWindow();
      await oneActiveAfterHeal(ctx, healedAt, 2 * ctx.dead + reconnectMs(ctx));
    },
  };
}

/** Restarts `node` with the link faulty, holds 3 x dead-interval from when it answers again, heals. */
async function restartIsolated(ctx: RunContext, node: ChaosNode, fault: () => Promise<void>): Promise<void> {
  await fault();
  await ctx.f.restart(node);
  ctx.log(`${node.name} answers again; link still faulty for ${3 * ctx.dead} ms`);
  await sleep(Math.max(3 * ctx.dead, 1000));
  ctx.note(await ctx.driver.link.describe());
  await ctx.f.heal();
  ctx.endWindow();
  await ctx.oneActive();
  // Long enough for a late claim to show.
  await sleep(Math.max(2 * ctx.dead, 1000));
}

const synDropRestart: Scenario = {
  name: 'syn-drop-restart',
  summary: 'drop TCP SYNs on the SRP link (open connections and UDP pass), kill -9 and restart the Standby into it, heal 3 x dead-interval after it answers',
  judges: 'the Active never moves and the restarted chassis never claims Active while its peer is alive, before or after the heal (FAIL)',
  needs: ['syn-drop'],
  async run(ctx) {
    const { active, standby } = ctx;
    const t0 = ctx.fault(`drop SYNs on the SRP link, restart ${standby.name}`);
    await restartIsolated(ctx, standby, () => ctx.f.synDrop());
    ctx.expectStayed(active, 'Active', t0, 'FAIL');
    if (ctx.seenSince(standby, t0).includes('Active')) mark(ctx.result, 'FAIL', `${standby.name} claimed Active after its restart although its peer was alive (new connections were dropped, datagrams passed)`);
  },
};

/**
 * A link that works but badly (loss, delay) for 10 x dead-interval, at least 3 s, then heals:
 * nothing may move (`severity` when something does).
 */
function degraded(name: string, summary: string, judges: string, need: 'loss' | 'delay', apply: (ctx: RunContext) => Promise<string>, severity: 'WARN' | 'FAIL'): Scenario {
  return {
    name,
    summary,
    judges,
    needs: [need],
    async run(ctx) {
      const { active, standby } = ctx;
      const hold = Math.max(3000, 10 * ctx.dead);
      const t0 = ctx.fault(`${await apply(ctx)} on the SRP link for ${hold} ms`);
      await holdUntil(t0, hold);
      ctx.note(await ctx.driver.link.describe());
      await ctx.f.heal();
      ctx.endWindow();
      await sleep(2 * ctx.dead);
      ctx.expectStayed(active, 'Active', t0, severity);
      ctx.expectStayed(standby, 'Standby', t0, severity);
    },
  };
}

const LOSS_PERCENT = 10;

const linkLoss = degraded(
  'link-loss',
  `drop ${LOSS_PERCENT} % of packets at random both ways for 10 x dead-interval (at least 3 s)`,
  'no transition (WARN: random), no two Actives (WARN), 0 acknowledged writes lost',
  'loss',
  async (ctx) => {
    await ctx.f.loss(LOSS_PERCENT);
    return `${LOSS_PERCENT} % loss`;
  },
  'WARN',
);

const linkDelay = degraded(
  'link-delay',
  'delay every packet by dead-interval / 3 both ways for 10 x dead-interval (at least 3 s)',
  'no transition (FAIL): a slow link within the dead interval is not a dead peer',
  'delay',
  async (ctx) => {
    const delay = Math.round(ctx.dead / 3);
    await ctx.f.delay(delay);
    return `${delay} ms delay`;
  },
  'FAIL',
);

const isolatedRestart: Scenario = {
  name: 'isolated-restart',
  summary: 'silence the SRP link, kill -9 and restart the Standby (it comes back empty, alone), heal 3 x dead-interval after it answers',
  judges: 'the restarted, empty chassis does not end Active over the one holding the sessions (FAIL); 0 acknowledged writes lost',
  needs: ['blackhole'],
  async run(ctx) {
    const { active, standby } = ctx;
    ctx.fault(`blackhole the SRP link, restart ${standby.name}`);
    // The restarted chassis hears nobody: claiming Active alone is part of the fault.
    ctx.dualExpected = true;
    await restartIsolated(ctx, standby, () => ctx.f.blackhole());
    const seen = ctx.pair.poller.current(active.name)?.state;
    if (seen !== 'Active') mark(ctx.result, 'FAIL', `${active.name}, which holds the sessions, is ${seen ?? '?'} after the heal: the restarted, empty ${standby.name} won`);
  },
};

export default [
  linkCut('link-cut-short', 'cut the SRP link (TCP reset, UDP refused) for dead-interval / 2', 'nothing moves (WARN), never two Actives', 'cut', 0.5, DISCONNECT),
  linkCut(
    'link-cut-long',
    'cut the SRP link (TCP reset, UDP refused) for 2 x dead-interval, writing to both sides',
    'the Standby takes over (split until the heal); one Active after; 0 acknowledged writes lost on either side; conflicts counted',
    'cut',
    2,
    DISCONNECT,
  ),
  linkCut('link-silent-long', 'silence the SRP link (no RST, nothing passes) for 2 x dead-interval, writing to both sides', 'as link-cut-long', 'blackhole', 2),
  oneWay('one-way-a2s', 'a2s'),
  oneWay('one-way-s2a', 's2a'),
  synDropRestart,
  linkLoss,
  linkDelay,
  isolatedRestart,
];
