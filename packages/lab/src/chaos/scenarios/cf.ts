// A crash of the active CF card inside the Active chassis: SSO within the chassis, while
// subscriber traffic runs; the pair itself must not move.
import { hardwareSection, type LabTraffic } from '../../hardware.js';
import type { ChaosNode } from '../../chassis.js';
import { now } from '../../poller.js';
import { sleep } from '../context.js';
import { mark } from '../result.js';
import type { Scenario } from '../scenario.js';

interface HwStatus {
  activeCf: { slot: number; mac: string } | null;
  guard?: { active: boolean; remainingMs: number };
  sessionSink?: { attached: boolean; applied: number; failed: number; withheld: number };
}
interface HwSnapshot {
  cfs: { slot: number; role: string; rfStateName: string }[];
  sessions: { running: boolean; ops: number; live: number; lost: number } | null;
}

/**
 * Subscriber traffic in cf-crash: SSO must keep the generated sessions through the CF
 * switchover and the generator must go on feeding the session store. Long lifetimes: nothing
 * expires during the run. The suite judges the loaded sessions by id, so these do not disturb it.
 */
const CF_CRASH_TRAFFIC: LabTraffic = { rate: 50, maxSessions: 300, minLifetimeS: 600, maxLifetimeS: 900, count: 20_000 };

/** Null when this srpd serves the hw API (GET /v1/hw/status), else why not. */
async function hwApiMissing(node: ChaosNode): Promise<string | null> {
  const r = await node.api.request('GET', '/v1/hw/status').catch((err: Error) => ({ status: 0, text: err.message }));
  if (r.status === 200) return null;
  return `needs hw API (GET /v1/hw/status answers ${r.status === 0 ? r.text : `HTTP ${r.status}`}: hardware not wired into this srpd)`;
}

export const cfCrash: Scenario = {
  name: 'cf-crash',
  summary: 'crash the active CF card of the Active chassis (POST /v1/hw/cards/:slot/crash) once its standby CF is STANDBY HOT, with subscriber traffic running (50 ops/s)',
  judges: 'the standby CF takes over inside the chassis; no interchassis switchover for 3 x dead-interval (FAIL); no generated session lost; generated ops still applied after the CF switchover',
  // Two CF cards per chassis with fast simulated timers (hardwareSection); the CF switchover
  // (0.3 s) is well under the dead interval, and the guard timer covers it. Traffic runs here.
  extra: (name) => ({ hardware: hardwareSection(name, CF_CRASH_TRAFFIC) }),
  requires: hwApiMissing,
  containers: "as is, on the lab's simulated chassis (its own traffic, 10 ops/s)",
  async run(ctx) {
    const { active, standby } = ctx;
    // Wait for a hot standby CF in the Active chassis (bounded).
    const deadline = now() + ctx.bound;
    let status: HwStatus | null = null;
    let hot = false;
    while (now() < deadline) {
      status = await active.api.json<HwStatus>('GET', '/v1/hw/status').catch(() => null);
      const snap = await active.api.json<HwSnapshot>('GET', '/v1/hw/snapshot').catch(() => null);
      hot = snap?.cfs.some((c) => c.role === 'standby' && c.rfStateName === 'STANDBY HOT') ?? false;
      if (status?.activeCf && hot) break;
      await sleep(100);
    }
    const slot = status?.activeCf?.slot;
    if (slot === undefined) throw new Error(`${active.name} has no active CF card`);
    if (!hot) mark(ctx.result, 'WARN', 'the standby CF was not STANDBY HOT before the crash');
    const snap0 = await active.api.json<HwSnapshot>('GET', '/v1/hw/snapshot');
    const sink0 = status?.sessionSink;
    const t0 = ctx.fault(`crash CF slot ${slot} of ${active.name} (Active chassis)`);
    ctx.moment(`crash CF slot ${slot}`);
    const r = await active.api.request('POST', `/v1/hw/cards/${slot}/crash`, {});
    if (r.status !== 200) throw new Error(`crash refused: HTTP ${r.status} ${r.text.slice(0, 200)}`);
    let newSlot: number | null = null;
    while (now() < t0 + ctx.bound) {
      const st = await active.api.json<HwStatus>('GET', '/v1/hw/status').catch(() => null);
      if (st?.activeCf && st.activeCf.slot !== slot) {
        newSlot = st.activeCf.slot;
        break;
      }
      await sleep(50);
    }
    if (newSlot === null) mark(ctx.result, 'FAIL', `no CF took over in ${active.name} within ${ctx.bound} ms`);
    else ctx.result.notes.push(`CF switchover slot ${slot} -> ${newSlot} in ${Math.round(now() - t0)} ms (intra-chassis)`);
    // No interchassis switchover: both keep their roles for a few dead intervals.
    const opsAtSwitchover = (await active.api.json<HwStatus>('GET', '/v1/hw/status').catch(() => null))?.sessionSink?.applied ?? null;
    await sleep(3 * ctx.dead);
    ctx.expectStayed(active, 'Active', t0, 'FAIL');
    ctx.expectStayed(standby, 'Standby', t0, 'FAIL');
    // Subscriber traffic: SSO keeps the generated sessions; the generator goes on feeding the store.
    const snap1 = await active.api.json<HwSnapshot>('GET', '/v1/hw/snapshot').catch(() => null);
    const sink1 = (await active.api.json<HwStatus>('GET', '/v1/hw/status').catch(() => null))?.sessionSink;
    if (!snap0.sessions || !snap1?.sessions || !sink0 || !sink1) {
      mark(ctx.result, 'WARN', 'no traffic figures from the Active chassis (GET /v1/hw/snapshot sessions, /v1/hw/status sessionSink)');
      return;
    }
    const lost = snap1.sessions.lost - snap0.sessions.lost;
    const after = opsAtSwitchover === null ? null : sink1.applied - opsAtSwitchover;
    ctx.result.notes.push(
      `traffic: ${sink1.applied - sink0.applied} session ops applied to the store from the crash on` +
        `${after === null ? '' : ` (${after} after the new CF took charge)`}, ${sink1.failed - sink0.failed} failed; ` +
        `${snap1.sessions.live} live generated sessions, ${lost} lost`,
    );
    if (lost > 0) mark(ctx.result, 'FAIL', `${lost} generated sessions lost in an SSO CF switchover`);
    if (sink1.failed > sink0.failed) mark(ctx.result, 'WARN', `${sink1.failed - sink0.failed} generated session ops failed to apply`);
    if (after !== null && after <= 0) mark(ctx.result, 'WARN', 'the traffic generator did not resume after the CF switchover');
  },
};

export default [cfCrash];
