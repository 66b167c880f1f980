// Planned switchovers: killed in the middle of the hand-over (the Active, or its peer), and a
// storm of them back and forth while the writer keeps writing.
import type { ChaosNode } from '../../chassis.js';
import { now } from '../../poller.js';
import { sleep, type RunContext } from '../context.js';
import type { Scenario } from '../scenario.js';

/** Request to the peer first answering Active, polled every 2 ms (bounded). */
async function handOverMs(ctx: RunContext, active: ChaosNode, peer: ChaosNode): Promise<number> {
  const t0 = now();
  ctx.moment(`switchover ${active.name} -> ${peer.name}`);
  const reply = active.api.switchover(false, 15_000);
  while (now() < t0 + ctx.bound) {
    const i = await peer.info(500).catch(() => null);
    if (i?.state === 'Active') break;
    await sleep(2);
  }
  const ms = now() - t0;
  const r = await reply;
  if (!r.accepted) throw new Error(`calibration switchover refused: HTTP ${r.status} ${r.reasons.join('; ')}`);
  return ms;
}

function killDuringSwitchover(name: string, victim: 'active' | 'peer'): Scenario {
  return {
    name,
    summary:
      victim === 'active'
        ? 'start a manual switchover and kill -9 the Active at a random point between the request and the hand-over'
        : 'start a manual switchover and kill -9 the peer taking over at a random point between the request and the hand-over',
    judges:
      victim === 'active'
        ? 'the peer ends Active; 0 acknowledged writes lost; the killed chassis returns as Standby'
        : 'the old Active ends Active (or takes back over); 0 acknowledged writes lost; the killed peer returns as Standby',
    async run(ctx) {
      // How long a hand-over takes here: one switchover without a kill (a -> b), measured.
      const [a0, b0] = await ctx.pair.waitForSettled(ctx.bound, true);
      const calib = await handOverMs(ctx, a0, b0);
      const [active, peer] = await ctx.pair.waitForSettled(ctx.bound, true);
      const delay = Math.random() * calib;
      const target = victim === 'active' ? active : peer;
      const survivor = ctx.pair.peerOf(target);
      ctx.moment(`switchover ${active.name} -> ${peer.name}`);
      const reply = active.api.switchover(false, 15_000).catch((err: Error) => ({ status: 0, accepted: false, reasons: [err.message] }));
      await sleep(delay);
      ctx.fault(`kill -9 ${target.name} (${victim === 'active' ? 'the Active' : 'the peer'}) ${Math.round(delay)} ms after the request (a hand-over took ${Math.round(calib)} ms here)`);
      await ctx.f.kill(target);
      // Where the kill landed: what the survivor says right after it.
      const after = await survivor.info(500).catch(() => null);
      const r = await reply;
      ctx.note(
        `killed ${target.name} ${Math.round(delay)} ms after the request, of a ${Math.round(calib)} ms hand-over; ${survivor.name} was ${after?.state ?? 'not answering'} right after; ` +
          `switchover call: ${r.status === 0 ? 'no answer' : `HTTP ${r.status}`}${r.reasons.length ? ` (${r.reasons.join('; ').slice(0, 120)})` : ''}`,
      );
      await ctx.takeover(survivor);
      await ctx.returnAsStandby(target);
      ctx.endWindow();
    },
  };
}

const switchoverStorm: Scenario = {
  name: 'switchover-storm',
  summary: 'manual switchovers back and forth (--switchovers N, default 50) while the writer writes',
  judges: 'each accepted; per-switchover takeover p50/max; 0 acknowledged writes lost',
  timeoutMs: (o) => o.switchovers * (4 * o.deadIntervalMs + 20_000) + 60_000,
  async run(ctx) {
    const samples: number[] = [];
    const n = ctx.opts.switchovers;
    try {
      for (let i = 0; i < n; i++) {
        const [act, sb] = await ctx.pair.waitForSettled(ctx.bound, true);
        const t0 = now();
        ctx.moment(`switchover ${i + 1}`);
        const reply = await act.api.switchover(false);
        if (!reply.accepted) throw new Error(`switchover ${i + 1}/${n} refused: HTTP ${reply.status} ${reply.reasons.join('; ')}`);
        await sb.waitForState('Active', ctx.bound);
        await ctx.pair.poller.waitFor((l) => l.get(sb.name)?.state === 'Active', 5000);
        samples.push(Math.round((ctx.pair.poller.firstSeen(sb.name, 'Active', t0) ?? now()) - t0));
      }
    } finally {
      ctx.endWindow();
      ctx.result.takeoverSamplesMs = samples;
      ctx.note(`${samples.length}/${n} switchovers done`);
    }
  },
};

export default [killDuringSwitchover('kill-during-switchover', 'active'), killDuringSwitchover('kill-peer-during-switchover', 'peer'), switchoverStorm];
