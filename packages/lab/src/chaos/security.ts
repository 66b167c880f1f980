// Chaos scenarios of an attacker on the network, without the key (README, Security):
//   replay-handshake  a Capabilities recorded from the Active, played 50 times to the Standby
//                     (same boot); then one recorded before the Active restarted, played after
//                     it is Active again (previous boot). Nothing may change.
//   connect-flood     500 connections per second of junk on both SRP ports for 30 s, the real
//                     link dropped once in the middle: no state change, the link back within a
//                     reconnect, refusals counted by reason.
// The attacks come from @srp-ha/srp-daemon/testing; the flood runs in a process of its own so
// that it cannot starve this one's proxies and pollers.
import { FloodProcess, play, recordFirstFrame, type Endpoint } from '@srp-ha/srp-daemon/testing';
import type { SrpNode } from '../pair.js';
import { now } from '../poller.js';
import { sleep, type RunContext, type Scenario } from './harness.js';
import { mark } from './result.js';

interface LinkStats {
  refusedConnections: Record<string, number>;
  link: { connects: number; disconnects: number };
}

const srpOf = (n: SrpNode): Endpoint => ({ host: n.spec.host, port: n.spec.srpPort });
const statsOf = (n: SrpNode): Promise<LinkStats> => n.api.json<LinkStats>('GET', '/v1/srp/statistics');

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
async function expectSameLink(ctx: RunContext, n: SrpNode, before: LinkStats, what: string): Promise<void> {
  const after = await statsOf(n);
  if (after.link.connects !== before.link.connects || after.link.disconnects !== before.link.disconnects) {
    mark(ctx.result, 'FAIL', `${what}: the link of ${n.name} dropped or switched (connects ${before.link.connects} -> ${after.link.connects})`);
  }
}

/** Waits until `n` counts `atLeast` more refusals of `reason` than in `before`; the count seen. */
async function refusals(ctx: RunContext, n: SrpNode, before: LinkStats, reason: string, atLeast: number): Promise<number> {
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

async function waitReady(ctx: RunContext, standby: SrpNode, active: SrpNode): Promise<void> {
  const deadline = now() + ctx.bound;
  while (now() < deadline) {
    const [s, a] = await Promise.all([standby.info(1000).catch(() => null), active.info(1000).catch(() => null)]);
    if (s?.state === 'Standby' && s.standbyReady && a?.state === 'Active' && a.peer?.standbyReady === true) return;
    await sleep(100);
  }
  mark(ctx.result, 'WARN', `${standby.name} was not a ready Standby within ${ctx.bound} ms`);
}

const replayHandshake: Scenario = {
  name: 'replay-handshake',
  summary: 'replay a recorded Capabilities: 50 times to the Standby (same boot), then one from before the Active restarted',
  async run(ctx) {
    const { active, standby } = ctx;
    // Same boot.
    const [sb, ab] = await Promise.all([statsOf(standby), statsOf(active)]);
    const t0 = ctx.fault(`record ${active.name}'s Capabilities on its SRP port; play it 50 times to ${standby.name}, 20 ms apart`);
    const recorded = await recordFirstFrame(srpOf(active));
    for (let i = 0; i < 50; i++) {
      void play(srpOf(standby), recorded, { holdMs: 50 });
      await sleep(20);
    }
    const same = await refusals(ctx, standby, sb, 'replay', 50);
    await sleep(ctx.dead);
    ctx.expectStayed(active, 'Active', t0, 'FAIL');
    ctx.expectStayed(standby, 'Standby', t0, 'FAIL');
    await expectSameLink(ctx, standby, sb, 'same-boot replay');
    await expectSameLink(ctx, active, ab, 'same-boot replay');
    ctx.result.notes.push(`same boot: 50 replays, ${same} refused as replay, link unchanged`);

    // Previous boot: the recording is of the process about to die; it comes back Active.
    ctx.fault(`kill -9 ${active.name}, return it as Standby, switch back to it`);
    await active.kill('SIGKILL');
    await ctx.takeover(standby);
    await ctx.returnAsStandby(active);
    await waitReady(ctx, active, standby);
    const sw = await standby.api.switchover();
    if (!sw.accepted) throw new Error(`switchover back to ${active.name} refused: ${sw.reasons.join('; ')}`);
    await active.waitForState('Active', ctx.bound);
    await waitReady(ctx, standby, active);
    const [sb2, ab2] = await Promise.all([statsOf(standby), statsOf(active)]);
    const t1 = now();
    ctx.log(`play ${active.name}'s Capabilities of its previous boot to ${standby.name}, 5 times`);
    for (let i = 0; i < 5; i++) await play(srpOf(standby), recorded, { holdMs: 50 });
    const previous = await refusals(ctx, standby, sb2, 'replay', 5);
    await sleep(3 * ctx.dead);
    ctx.expectStayed(active, 'Active', t1, 'FAIL');
    ctx.expectStayed(standby, 'Standby', t1, 'FAIL');
    await expectSameLink(ctx, standby, sb2, 'previous-boot replay');
    await expectSameLink(ctx, active, ab2, 'previous-boot replay');
    ctx.result.notes.push(`previous boot: 5 replays, ${previous} refused as replay, no takeover, link unchanged`);
  },
};

const FLOOD_SECONDS = 30;
const FLOOD_RATE = 500;

const connectFlood: Scenario = {
  name: 'connect-flood',
  summary: `${FLOOD_RATE} conn/s of junk on both SRP ports for ${FLOOD_SECONDS} s, the real link dropped once in the middle`,
  timeoutMs: (opts) => FLOOD_SECONDS * 1000 + 20 * opts.deadIntervalMs + 60_000,
  async run(ctx) {
    const link = ctx.pair.link;
    if (!link) throw new Error('this scenario needs the proxy on the SRP link');
    const { active, standby } = ctx;
    const before = await Promise.all([statsOf(active), statsOf(standby)]);
    // On loopback the junk also comes from addresses outside peer-allow (127.0.0.2, .3).
    const loopback = active.spec.host.startsWith('127.');
    const flood = new FloodProcess({
      targets: [srpOf(active), srpOf(standby)],
      rate: FLOOD_RATE,
      ...(loopback ? { sources: ['127.0.0.1', '127.0.0.2', '127.0.0.3'] } : {}),
      seconds: FLOOD_SECONDS + 30,
    });
    const t0 = ctx.fault(`flood both SRP ports with ${FLOOD_RATE} junk connections per second for ${FLOOD_SECONDS} s`);
    await flood.start();
    let reconnectMs: number | null = null;
    try {
      await sleep((FLOOD_SECONDS / 2) * 1000);
      const connects = (await statsOf(standby)).link.connects;
      const tb = now();
      ctx.log('drop the real SRP link once (proxy cut and healed)');
      link.cut();
      link.heal();
      while (now() < tb + ctx.bound) {
        const [ia, is, ss] = await Promise.all([active.info(1000).catch(() => null), standby.info(1000).catch(() => null), statsOf(standby).catch(() => null)]);
        if (ia?.link === 'up' && is?.link === 'up' && ss !== null && ss.link.connects > connects) {
          reconnectMs = Math.round(now() - tb);
          break;
        }
        await sleep(20);
      }
      const left = t0 + FLOOD_SECONDS * 1000 - now();
      if (left > 0) await sleep(left);
    } finally {
      const fs = await flood.stop();
      ctx.result.notes.push(`flood: ${fs.opened} connections in ${Math.round((now() - t0) / 1000)} s (${fs.failed} failed to connect)`);
    }
    await sleep(ctx.dead);
    ctx.expectStayed(active, 'Active', t0, 'FAIL');
    ctx.expectStayed(standby, 'Standby', t0, 'FAIL');
    if (reconnectMs === null) mark(ctx.result, 'FAIL', `the real link did not come back within ${ctx.bound} ms of the drop`);
    else {
      ctx.result.notes.push(`real link back ${reconnectMs} ms after the drop`);
      if (reconnectMs > ctx.dead) mark(ctx.result, 'WARN', `the link took ${reconnectMs} ms to come back (> dead-interval ${ctx.dead} ms)`);
    }
    const after = await Promise.all([statsOf(active), statsOf(standby)]);
    for (const [i, n] of [active, standby].entries()) {
      const r = refusedSince(before[i], after[i]);
      ctx.result.notes.push(`${n.name} refused: ${Object.entries(r).map(([k, v]) => `${k} ${v}`).join(', ') || 'nothing'}`);
      if (Object.keys(r).length === 0) mark(ctx.result, 'FAIL', `${n.name} counted no refusal during the flood`);
      if (r['too-many-connections']) mark(ctx.result, 'FAIL', `${n.name} turned connections away as too-many-connections`);
    }
  },
};

/** The security scenarios, for the chaos suite's list (see packages/lab/README.md). */
export const SECURITY_SCENARIOS: readonly Scenario[] = [replayHandshake, connectFlood];
