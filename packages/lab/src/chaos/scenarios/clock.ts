// Wall-clock steps (libfaketime; monotonic time untouched): the Active's clock, then the
// Standby's, stepped +1 h, back, -1 h and back, each held for 3 x dead-interval (at least 1 s).
import { sessionSummary } from '../sessions.js';
import { sleep } from '../context.js';
import { mark } from '../result.js';
import type { Scenario } from '../scenario.js';

const HOUR = 3_600_000;

export const clockStep: Scenario = {
  name: 'clock-step',
  summary: "step the Active's wall clock by +1 h, back (-1 h), by -1 h and back (+1 h), then the Standby's the same way (libfaketime, monotonic clock untouched)",
  judges: 'no transition on either side (FAIL); no session expires (the table does not shrink, FAIL; 0 acknowledged writes lost)',
  clock: true,
  async run(ctx) {
    const { active, standby } = ctx;
    const before = await sessionSummary(active.api);
    const hold = Math.max(1000, 3 * ctx.dead);
    const t0 = ctx.fault(`step wall clocks (${hold} ms per step)`);
    for (const node of [active, standby]) {
      for (const offset of [HOUR, 0, -HOUR, 0]) {
        ctx.log(`${node.name} wall clock: real time ${offset >= 0 ? '+' : '-'}${Math.abs(offset) / HOUR} h`);
        await ctx.f.stepClock(node, offset);
        await sleep(hold);
      }
    }
    ctx.endWindow();
    ctx.expectStayed(active, 'Active', t0, 'FAIL');
    ctx.expectStayed(standby, 'Standby', t0, 'FAIL');
    const after = await sessionSummary(active.api).catch(() => null);
    if (before && after && after.count < before.count) mark(ctx.result, 'FAIL', `the table shrank from ${before.count} to ${after.count} sessions across the clock steps`);
    else if (before && after) ctx.note(`table ${before.count} -> ${after.count} sessions across the clock steps`);
  },
};

export default [clockStep];
