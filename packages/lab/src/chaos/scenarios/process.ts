// Faults of the chassis processes: kill -9 and SIGSTOP of either side, a Standby that is
// stopped most of the time (a host starved of CPU), and a Standby restarted again and again.
import { now } from '../../poller.js';
import { sleep } from '../context.js';
import { mark } from '../result.js';
import type { Scenario } from '../scenario.js';
import { freezeActiveTwoDead, holdUntil, nameOf, waitReady } from './common.js';

export const killActive: Scenario = {
  name: 'kill-active',
  summary: 'kill -9 the Active, restart it',
  judges: 'the Standby takes over; the old Active returns as Standby',
  containers: 'docker kill -s SIGKILL, docker start',
  async run(ctx) {
    const { active, standby } = ctx;
    ctx.fault(`kill -9 ${active.name} (Active, ${active.where})`);
    await ctx.f.kill(active);
    await ctx.takeover(standby);
    await ctx.returnAsStandby(active);
    ctx.endWindow();
  },
};

export const killStandby: Scenario = {
  name: 'kill-standby',
  summary: 'kill -9 the Standby, restart it after 1.5 x dead-interval',
  judges: 'the Active never moves (FAIL); the Standby returns and becomes ready',
  containers: 'docker kill -s SIGKILL, docker start',
  async run(ctx) {
    const { active, standby } = ctx;
    const t0 = ctx.fault(`kill -9 ${standby.name} (Standby, ${standby.where})`);
    await ctx.f.kill(standby);
    await sleep(1.5 * ctx.dead);
    await ctx.returnAsStandby(standby);
    ctx.endWindow();
    await waitReady(ctx, standby);
    ctx.expectStayed(active, 'Active', t0, 'FAIL');
  },
};

export const freezeActive: Scenario = {
  name: 'freeze-active',
  summary: 'SIGSTOP the Active for 2 x dead-interval (writes go on to whoever answers), then SIGCONT',
  judges: 'the Standby takes over; one Active after the thaw; 0 acknowledged writes lost (those made to the new Active during the freeze included)',
  containers: 'docker pause, docker unpause',
  async run(ctx) {
    await freezeActiveTwoDead(ctx, `SIGSTOP ${ctx.active.name} (Active)`);
  },
};

export const freezeStandby: Scenario = {
  name: 'freeze-standby',
  summary: 'SIGSTOP the Standby for 5 x dead-interval, then SIGCONT',
  judges: 'no transition on either side (FAIL): the thawed Standby must not take over from a live Active',
  containers: 'docker pause, docker unpause',
  async run(ctx) {
    const { active, standby } = ctx;
    const t0 = ctx.fault(`SIGSTOP ${standby.name} (Standby) for ${5 * ctx.dead} ms`);
    await ctx.f.freeze(standby);
    await holdUntil(t0, 5 * ctx.dead);
    await ctx.f.thaw(standby);
    ctx.endWindow();
    // Long enough for a thawed node that believes its peer dead to act on it.
    await sleep(Math.max(3 * ctx.dead, 1000));
    ctx.expectStayed(active, 'Active', t0, 'FAIL');
    ctx.expectStayed(standby, 'Standby', t0, 'FAIL');
  },
};

/** slow-host: full and short figures. */
const SLOW = { full: { seconds: 30, rate: 20_000 }, short: { seconds: 5, rate: 2000 } };

export const slowHost: Scenario = {
  name: 'slow-host',
  summary: 'stop the Standby 200 ms of every 250 ms (SIGSTOP/SIGCONT) for 30 s under 20k updates/s (short: 5 s, 2k/s)',
  judges: 'no transition on either side (no false takeover, FAIL); digests equal after (protected)',
  load: (o) => (o.short ? SLOW.short.rate : SLOW.full.rate),
  timeoutMs: (o) => (o.short ? SLOW.short.seconds : SLOW.full.seconds) * 1000 + 20 * o.deadIntervalMs + 180_000,
  async run(ctx) {
    const { active, standby } = ctx;
    const seconds = ctx.opts.short ? SLOW.short.seconds : SLOW.full.seconds;
    const t0 = ctx.fault(`stop ${standby.name} (Standby) 200 ms of every 250 ms for ${seconds} s`);
    ctx.moment('slow host starts');
    // The cycles go to the driver directly: 4 a second would all count as moments otherwise.
    const end = t0 + seconds * 1000;
    let cycles = 0;
    while (now() < end) {
      const c0 = now();
      await ctx.driver.freeze(nameOf(standby));
      await holdUntil(c0, 200);
      await ctx.driver.thaw(nameOf(standby));
      await holdUntil(c0, 250);
      cycles++;
    }
    ctx.moment('slow host ends');
    ctx.endWindow();
    ctx.note(`${cycles} stop/continue cycles of ${standby.name}`);
    await sleep(Math.max(3 * ctx.dead, 1000));
    ctx.expectStayed(active, 'Active', t0, 'FAIL');
    ctx.expectStayed(standby, 'Standby', t0, 'FAIL');
  },
};

/** restart-storm: how many restarts, back to back. */
const STORM_RESTARTS = 5;

export const restartStorm: Scenario = {
  name: 'restart-storm',
  summary: `kill -9 and restart the Standby ${STORM_RESTARTS} times back to back, each as soon as its API answers again (its bulk sync cut short each time), then let it become ready`,
  judges: 'the Active never moves and the restarted chassis is never seen Active (FAIL); it ends a ready Standby (WARN)',
  containers: 'docker kill -s SIGKILL, docker start',
  async run(ctx) {
    const { active, standby } = ctx;
    const t0 = ctx.fault(`restart ${standby.name} (Standby, ${standby.where}) ${STORM_RESTARTS} times`);
    for (let i = 0; i < STORM_RESTARTS; i++) await ctx.f.restart(standby);
    ctx.endWindow();
    const ms = await waitReady(ctx, standby);
    ctx.note(`${STORM_RESTARTS} restarts in ${Math.round(now() - t0)} ms; ready ${ms === null ? 'not within the bound' : `${ms} ms after the last`}`);
    ctx.expectStayed(active, 'Active', t0, 'FAIL');
    if (ctx.seenSince(standby, t0).includes('Active')) mark(ctx.result, 'FAIL', `${standby.name} was seen Active while its peer was alive`);
  },
};

export default [killActive, killStandby, freezeActive, freezeStandby, slowHost, restartStorm];
