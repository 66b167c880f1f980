// A big table under a steady update load at the fastest timers, with the Standby restarted
// again and again: each restart is a bulk sync of the whole table while updates flow.
import { now } from '../../poller.js';
import { sleep } from '../context.js';
import { bulkSyncEstimateMs } from '../protected.js';
import type { Scenario } from '../scenario.js';
import { TIMERS } from '../timers.js';
import { waitReady } from './common.js';

const FLAP = { full: { sessions: 200_000, rate: 20_000, restarts: 5 }, short: { sessions: 20_000, rate: 2000, restarts: 2 } };

export const loadFlap: Scenario = {
  name: 'load-flap',
  summary: 'restart (kill -9) the Standby 5 times, each once it is ready again, under 20k updates/s on 200k sessions at hello 50 ms / dead 150 ms (short: 2 restarts, 2k/s, 20k sessions)',
  judges: '0 false takeovers (the Active never moves, FAIL); 0 acknowledged writes lost; digests equal (protected)',
  timers: () => TIMERS.fast,
  sessions: (o) => (o.short ? FLAP.short.sessions : FLAP.full.sessions),
  load: (o) => (o.short ? FLAP.short.rate : FLAP.full.rate),
  timeoutMs: (o) => 30 * 60_000 * (o.short ? 0.2 : 1),
  protectBoundMs: (ctx, table) => 3 * ctx.dead + bulkSyncEstimateMs(table),
  async run(ctx) {
    const { active, standby } = ctx;
    const f = ctx.opts.short ? FLAP.short : FLAP.full;
    const t0 = ctx.fault(`restart ${standby.name} ${f.restarts} times under ${f.rate} updates/s`);
    const readyMs: Array<number | null> = [];
    for (let i = 0; i < f.restarts; i++) {
      await ctx.f.restart(standby);
      const ms = await waitReady(ctx, standby, 3 * bulkSyncEstimateMs(ctx.ledger.live.length) + 10_000);
      readyMs.push(ms);
      // Let the load run on a protected pair for a moment between two restarts.
      if (i + 1 < f.restarts) await sleep(Math.max(500, 3 * ctx.dead));
    }
    ctx.endWindow();
    ctx.note(`ready after each restart: ${readyMs.map((m) => (m === null ? 'not ready' : `${m} ms`)).join(', ')}; ${Math.round((now() - t0) / 1000)} s of flapping`);
    ctx.expectStayed(active, 'Active', t0, 'FAIL');
  },
};

export default [loadFlap];
