// The chaos scenarios. Each one starts from a settled pair (one Active, one ready Standby) unless
// it says otherwise, injects one fault from outside (signal, proxy, API call) and lets the
// harness judge the end state, the sessions and the time two Actives were visible.
import { mark } from './result.js';
import { sleep, type RunContext, type Scenario } from './harness.js';
import { now } from '../poller.js';
import type { SrpNode } from '../pair.js';
import { touchSessions } from './sessions.js';
import { hardwareSection, type LabTraffic } from '../hardware.js';

const killActive: Scenario = {
  name: 'kill-active',
  summary: 'kill -9 the Active; the Standby takes over; the old Active returns as Standby',
  async run(ctx) {
    const { active, standby } = ctx;
    ctx.fault(`kill -9 ${active.name} (Active, pid ${active.pid})`);
    await active.kill('SIGKILL');
    await ctx.takeover(standby);
    await ctx.returnAsStandby(active);
  },
};

const killStandby: Scenario = {
  name: 'kill-standby',
  summary: 'kill -9 the Standby and restart it; the Active must not move',
  async run(ctx) {
    const { active, standby } = ctx;
    const t0 = ctx.fault(`kill -9 ${standby.name} (Standby, pid ${standby.pid})`);
    await standby.kill('SIGKILL');
    await sleep(1.5 * ctx.dead);
    await ctx.returnAsStandby(standby);
    await waitReady(ctx, standby);
    ctx.expectStayed(active, 'Active', t0, 'FAIL');
  },
};

const freezeActive: Scenario = {
  name: 'freeze-active',
  summary: 'SIGSTOP the Active for 2x dead-interval, then SIGCONT; one of them must step down',
  async run(ctx) {
    const { active, standby } = ctx;
    const t0 = ctx.fault(`SIGSTOP ${active.name} (Active)`);
    active.freeze();
    await ctx.takeover(standby);
    const left = 2 * ctx.dead - (now() - t0);
    if (left > 0) await sleep(left);
    ctx.log(`SIGCONT ${active.name} after ${Math.round(now() - t0)} ms`);
    // The thawed node wakes up believing it is Active until it hears its peer: two Actives
    // for a moment are part of this fault; the harness reports how long.
    ctx.dualExpected = true;
    active.thaw();
    await oneActive(ctx);
  },
};

function linkCut(name: string, summary: string, how: 'cut' | 'blackhole', factor: number): Scenario {
  const long = factor > 1;
  return {
    name,
    summary,
    async run(ctx) {
      const link = ctx.pair.link;
      if (!link) throw new Error('this scenario needs the proxy on the SRP link');
      const { active, standby } = ctx;
      const hold = factor * ctx.dead;
      const t0 = ctx.fault(`${how} the SRP link for ${hold} ms (dead-interval ${ctx.dead} ms)`);
      if (how === 'cut') link.cut();
      else link.blackhole();
      if (long) {
        // The Standby must take over; both then claim Active until the link heals, and the
        // routing domain has to tell them apart by route modifier.
        ctx.dualExpected = true;
        await ctx.takeover(standby);
        const left = hold - (now() - t0);
        if (left > 0) await sleep(left);
        routingCheck(ctx);
      } else {
        await sleep(hold);
      }
      link.heal();
      ctx.log(`healed after ${Math.round(now() - t0)} ms`);
      if (long) await oneActive(ctx);
      else {
        // Nothing should have moved: give the pair two dead intervals to prove it.
        await sleep(2 * ctx.dead);
        ctx.expectStayed(active, 'Active', t0, 'WARN');
        ctx.expectStayed(standby, 'Standby', t0, 'WARN');
      }
    },
  };
}

/** While both were Active, did they advertise different route modifiers? */
function routingCheck(ctx: RunContext): void {
  const a = ctx.pair.poller.current(ctx.pair.a.name);
  const b = ctx.pair.poller.current(ctx.pair.b.name);
  if (a?.state !== 'Active' || b?.state !== 'Active') {
    ctx.result.notes.push(`during the split: a=${a?.state ?? '?'} b=${b?.state ?? '?'} (not both Active)`);
    return;
  }
  if (a.routeModifier === b.routeModifier)
    mark(ctx.result, 'WARN', `both Actives advertise route modifier ${a.routeModifier}: the routing domain cannot prefer one`);
  else {
    const pick = (a.routeModifier ?? 0) < (b.routeModifier ?? 0) ? 'a' : 'b';
    ctx.result.notes.push(`split: route modifiers a=${a.routeModifier} b=${b.routeModifier}; the routing domain prefers ${pick}`);
  }
}

const bothPrimary: Scenario = {
  name: 'both-primary',
  summary: 'both chassis start as primary with equal priority; the CF MAC must break the tie',
  settle: false,
  pair: { modes: ['primary', 'primary'], priorities: [1, 1] },
  async run(ctx) {
    const t0 = ctx.watchFrom;
    ctx.faultAt = t0;
    const [winner] = await ctx.pair.waitForSettled(ctx.bound);
    ctx.result.takeoverMs = Math.round((ctx.pair.poller.firstSeen(winner.name, 'Active', t0) ?? now()) - t0);
    ctx.result.notes.push(`${winner.name} won the election (time column: start to first Active)`);
    // b has the higher CF MAC (…:0B) and should win on equal priority.
    if (winner.name !== 'b') mark(ctx.result, 'WARN', `expected b (higher CF MAC) to win on equal priority, got ${winner.name}`);
  },
};

const killDuringBulkSync: Scenario = {
  name: 'kill-active-during-bulk-sync',
  summary: 'restart the Standby, kill -9 the Active before the Standby reports ready',
  async run(ctx) {
    const { active, standby } = ctx;
    await standby.kill('SIGKILL');
    await sleep(1.5 * ctx.dead);
    await standby.start();
    const info = await standby.waitForState(['Standby', 'Pending-Standby', 'Active'], ctx.bound);
    if (info.state === 'Active') throw new Error(`${standby.name} came back Active instead of joining as Standby`);
    const held = info.sessions;
    if (info.standbyReady) ctx.result.notes.push('the Standby was already ready when seen (bulk sync finished before the kill)');
    ctx.fault(`kill -9 ${active.name} while ${standby.name} is ${info.state} ready=${info.standbyReady} holding ${held} sessions`);
    await active.kill('SIGKILL');
    // What the Standby holds once the Active is gone is all that can survive: the rest of the
    // eligible sessions was never sent to it and is reported apart ("unsynced"), not as a loss.
    const after = await standby.info(2000).catch(() => null);
    const heldAtDeath = after?.sessions ?? held;
    ctx.unsyncedAllowance = Math.max(0, ctx.eligibleIds.length - heldAtDeath);
    if (ctx.eligibleIds.length > 0) ctx.result.notes.push(`the Standby held ${heldAtDeath} of ${ctx.eligibleIds.length} eligible sessions when the Active died`);
    await ctx.takeover(standby);
    await ctx.returnAsStandby(active);
  },
};

const killDuringSwitchover: Scenario = {
  name: 'kill-during-switchover',
  summary: 'start a manual switchover and kill -9 the Active while it hands over',
  async run(ctx) {
    const { active, standby } = ctx;
    const reply = active.api.switchover(false, 15_000).catch((err: Error) => ({ status: 0, accepted: false, reasons: [err.message] }));
    // Kill when the Active is seen handing over (Pending-Standby), or after a short while.
    const deadline = now() + 2000;
    let seen = 'Active';
    while (now() < deadline) {
      const i = await active.info(300).catch(() => null);
      if (i && i.state !== 'Active') {
        seen = i.state;
        break;
      }
      await sleep(5);
    }
    ctx.fault(`kill -9 ${active.name} while it is ${seen}`);
    await active.kill('SIGKILL');
    const r = await reply;
    ctx.result.notes.push(`switchover call: HTTP ${r.status}${r.reasons.length ? ` (${r.reasons.join('; ').slice(0, 120)})` : ''}`);
    await ctx.takeover(standby);
    await ctx.returnAsStandby(active);
  },
};

const switchoverStorm: Scenario = {
  name: 'switchover-storm',
  summary: 'manual switchovers back and forth under traffic',
  timeoutMs: (o) => o.switchovers * (4 * o.deadIntervalMs + 20_000) + 60_000,
  async run(ctx) {
    const samples: number[] = [];
    const n = ctx.opts.switchovers;
    let traffic = { ok: 0, errors: 0 };
    let stopTraffic = (): Promise<void> => Promise.resolve();
    if (ctx.sessionApi && ctx.before !== null) {
      const t = startTraffic(ctx);
      traffic = t.counts;
      stopTraffic = t.stop;
    } else ctx.result.notes.push('no traffic: srpd has no session API yet');
    try {
      for (let i = 0; i < n; i++) {
        const [act, sb] = await ctx.pair.waitForSettled(ctx.bound, true);
        const t0 = now();
        const reply = await act.api.switchover(false);
        if (!reply.accepted) throw new Error(`switchover ${i + 1}/${n} refused: HTTP ${reply.status} ${reply.reasons.join('; ')}`);
        await sb.waitForState('Active', ctx.bound);
        await ctx.pair.poller.waitFor((l) => l.get(sb.name)?.state === 'Active', 5000);
        samples.push(Math.round((ctx.pair.poller.firstSeen(sb.name, 'Active', t0) ?? now()) - t0));
      }
    } finally {
      await stopTraffic();
      ctx.result.takeoverSamplesMs = samples;
      ctx.result.notes.push(`${samples.length}/${n} switchovers done`);
      if (traffic.ok + traffic.errors > 0) ctx.result.notes.push(`traffic: ${traffic.ok} update batches ok, ${traffic.errors} refused or failed (expected while handing over)`);
    }
  },
};

/** Updates sessions on whichever node is Active, every 50 ms, until stopped. */
function startTraffic(ctx: RunContext): { counts: { ok: number; errors: number }; stop: () => Promise<void> } {
  const counts = { ok: 0, errors: 0 };
  let running = true;
  const prefix = `chaos-${ctx.result.scenario}-${ctx.result.run}`;
  const ids = Array.from({ length: Math.min(50, ctx.opts.sessions) }, (_, i) => `${prefix}-${i}`);
  const loop = (async () => {
    for (let round = 0; running && round < 1_000_000; round++) {
      const target = ctx.pair.poller.current('a')?.state === 'Active' ? ctx.pair.a : ctx.pair.b;
      try {
        await touchSessions(target.api, ids);
        counts.ok++;
      } catch {
        counts.errors++;
      }
      await sleep(50);
    }
  })();
  return {
    counts,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

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
async function hwApiMissing(node: SrpNode): Promise<string | null> {
  const r = await node.api.request('GET', '/v1/hw/status').catch((err: Error) => ({ status: 0, text: err.message }));
  if (r.status === 200) return null;
  return `needs hw API (GET /v1/hw/status answers ${r.status === 0 ? r.text : `HTTP ${r.status}`}: hardware not wired into this srpd)`;
}

const cfCrash: Scenario = {
  name: 'cf-crash',
  summary: 'crash the active CF card of the Active chassis; SSO inside the chassis, no interchassis switchover',
  // Two CF cards per chassis with fast simulated timers (hardwareSection); the CF switchover
  // (0.3 s) is well under the dead interval, and the guard timer covers it. Traffic runs here.
  extra: (name) => ({ hardware: hardwareSection(name, CF_CRASH_TRAFFIC) }),
  requires: hwApiMissing,
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

async function waitReady(ctx: RunContext, node: SrpNode): Promise<void> {
  const deadline = now() + ctx.bound;
  while (now() < deadline) {
    const i = await node.info(1000).catch(() => null);
    if (i?.state === 'Standby' && i.standbyReady) return;
    await sleep(100);
  }
  mark(ctx.result, 'WARN', `${node.name} did not report ready within ${ctx.bound} ms`);
}

async function oneActive(ctx: RunContext): Promise<void> {
  const ok = await ctx.pair.poller.waitFor((l) => [...l.values()].filter((o) => o.state === 'Active').length === 1, ctx.bound);
  if (!ok) ctx.log('still not exactly one Active; the final check will judge');
}

export const SCENARIOS: readonly Scenario[] = [
  killActive,
  killStandby,
  freezeActive,
  linkCut('link-cut-short', 'cut the SRP link for dead-interval / 2: nothing may move', 'cut', 0.5),
  linkCut('link-cut-long', 'cut the SRP link for 2 x dead-interval: split brain, then one Active', 'cut', 2),
  linkCut('link-silent-long', 'blackhole the SRP link (silent, no RST) for 2 x dead-interval', 'blackhole', 2),
  bothPrimary,
  killDuringBulkSync,
  killDuringSwitchover,
  switchoverStorm,
  cfCrash,
];

export function findScenarios(names: string[]): Scenario[] {
  if (names.length === 0) return [...SCENARIOS];
  return names.map((n) => {
    const s = SCENARIOS.find((x) => x.name === n);
    if (!s) throw new Error(`unknown scenario "${n}" (known: ${SCENARIOS.map((x) => x.name).join(', ')})`);
    return s;
  });
}
