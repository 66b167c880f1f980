// Runs one chaos scenario against the pair its backend gives it (a fresh pair of real srpd
// processes, or the compose lab's containers) and fills in its report row: load sessions
// (acknowledged writes), keep writing through the fault, let the scenario inject it, then
// judge: protected again within the bound, every acknowledged write on the final Active, two
// Actives. Every wait is bounded; whatever happens, the backend undoes the run.
import { hardwareSection } from '../hardware.js';
import type { ChaosNode } from '../chassis.js';
import { now } from '../poller.js';
import { RoutingDriver, routingSummary } from '../routing.js';
import type { RunPair } from './backend.js';
import { RunContext } from './context.js';
import { finish, startProtectionWatch } from './finish.js';
import { Ledger } from './ledger.js';
import { bulkCreate, RateLoad } from './load.js';
import { emptyResult, mark, type ScenarioResult } from './result.js';
import type { ChaosOptions, Scenario } from './scenario.js';
import { hasSessionApi, SESSIONS_NA, sessionSummary } from './sessions.js';
import { processBackend, SESSION_DURATION_MS, SkipScenario } from './setup.js';
import { TIMERS, type Timers } from './timers.js';
import { AckedWriter, type WriterOptions } from './writer.js';

export const DEFAULT_OPTIONS: Omit<ChaosOptions, 'log'> = {
  timers: 'default',
  ...TIMERS.default,
  sessions: 1000,
  switchovers: 50,
  short: false,
  link: 'auto',
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}

function writerOptions(s: Scenario, ctx: RunContext, prefix: string): WriterOptions {
  const custom = s.writer === false ? {} : (s.writer ?? {});
  return { intervalMs: 20, creates: 1, attrs: 2, counters: 2, timeoutMs: Math.max(500, 2 * ctx.dead), prefix, ...custom };
}

/**
 * Loads `sessions` through the ledger and waits (bounded) until the Standby holds every one of
 * them (by id: a table may hold other sessions, the compose lab's traffic for one) and its
 * digest equals the Active's, then adds a tenth as many young sessions (not yet eligible, so
 * never replicated: losing them is call loss).
 */
async function loadSessions(ctx: RunContext, prefix: string, n: number, sessionDurationMs: number): Promise<void> {
  const { active, standby, ledger } = ctx;
  const target = { name: active.name, chassisId: active.chassisId, api: active.api };
  const t0 = now();
  await bulkCreate(ledger, target, `${prefix}-l`, n);
  const loadMs = Math.round(now() - t0);
  const ids = ledger.live.map((s) => ledger.ids[s] ?? '');
  const last = ids[ids.length - 1] ?? '';
  const deadline = now() + sessionDurationMs + 10 * ctx.dead + 15_000 + n / 20;
  let same = false;
  let held = 0;
  let a = null;
  let b = null;
  while (now() < deadline) {
    [a, b] = await Promise.all([sessionSummary(active.api).catch(() => null), sessionSummary(standby.api).catch(() => null)]);
    // Equal digests, the last loaded session on the Standby (cheap), then all of them.
    if (a !== null && b !== null && a.digest === b.digest && (await ctx.held(standby, [last]).catch(() => new Set())).size === 1) {
      held = (await ctx.held(standby, ids).catch(() => new Set())).size;
      same = held === ids.length;
      if (same) break;
    }
    await sleep(200);
  }
  ctx.log(`loaded ${n} sessions on ${active.name} in ${loadMs} ms: ${same ? `all on ${standby.name}, equal digests` : `${held} of them on ${standby.name}`} (eligible ${a?.eligible ?? '?'} there, ${b?.eligible ?? '?'} on ${standby.name})`);
  // Seen on the Standby: from here on, none of these sessions is young.
  if (same) ledger.confirmReplicated(now());
  else mark(ctx.result, 'WARN', `the loaded sessions were not all replicated before the fault (${standby.name} held ${held} of ${n})`);
  const young = Math.max(1, Math.floor(n / 10));
  await bulkCreate(ledger, target, `${prefix}-y`, young);
}

export async function runScenario(s: Scenario, run: number, opts: ChaosOptions): Promise<ScenarioResult> {
  const backend = opts.backend ?? processBackend;
  const timers: Timers = backend.timers ?? s.timers?.(opts) ?? { helloIntervalMs: opts.helloIntervalMs, deadIntervalMs: opts.deadIntervalMs };
  const sessions = s.sessions?.(opts) ?? opts.sessions;
  const r = emptyResult(s.name, run, timers, sessions);
  const started = now();
  const settleMs = 10 * timers.deadIntervalMs + 20_000 + sessions / 20;
  let rp: RunPair | null = null;
  let ctx: RunContext | null = null;
  let routing = null as RoutingDriver | null; // (assigned in a closure: keep the declared type)
  opts.log(`${s.name} #${run}: ${s.summary} (hello ${timers.helloIntervalMs} ms, dead ${timers.deadIntervalMs} ms)`);
  try {
    const unsupported = backend.unsupported(s);
    if (unsupported !== null) throw new SkipScenario(unsupported);
    rp = await backend.start(s, opts, {
      ...timers,
      ...(opts.srpd !== undefined ? { srpd: opts.srpd } : {}),
      ...(opts.keepDir !== undefined ? { keepDir: opts.keepDir } : {}),
      // Short session duration so the loaded sessions become eligible within seconds.
      extra: (name) => ({
        checkpoint: { 'session-duration': `${SESSION_DURATION_MS}ms`, 'session-duration-ims': `${SESSION_DURATION_MS}ms` },
        // A chassis without a traffic generator: the only sessions are the ones written here.
        ...(opts.hardware === false ? {} : { hardware: hardwareSection(name) }),
        ...opts.extraConfig,
        ...s.extra?.(name),
      }),
      ...s.pair,
    });
    const { pair, link } = rp;
    r.link = link.kind;
    r.linkLabel = link.label;
    if (rp.fallback !== null) r.notes.push(`link faults by the ${link.label}: the kernel link is not available (${rp.fallback})`);
    for (const f of s.needs ?? []) {
      const why = link.unsupported(f);
      if (why !== null) throw new SkipScenario(why);
    }
    const nodes = pair.nodes.map((n) => ({ name: n.name, api: () => n.api }));
    const startRouting = (): void => {
      if (opts.hardware === false) return;
      routing = new RoutingDriver(nodes);
      routing.start();
    };
    // The routing domain counts from the same moment as the two-Actives window: the start for
    // a start-up election, else the settled pair.
    if (s.settle === false) startRouting();
    const [active, standby] = s.settle === false ? [pair.a, pair.b] : await pair.waitForSettled(settleMs, true);
    if (s.settle !== false) startRouting();
    const ledger = new Ledger();
    const runOpts = { ...timers, sessions, switchovers: opts.switchovers, short: opts.short, log: opts.log };
    ctx = new RunContext(pair, active, standby, rp.driver, ledger, runOpts, r, rp.fixture);
    ctx.routing = routing;
    const c = ctx;
    ctx.watchProtection = (from) => startProtectionWatch(s, c, from);
    if (s.settle === false) ctx.watchFrom = started;
    if (s.requires) {
      const why = await s.requires(active);
      if (why !== null) throw new SkipScenario(why);
    }

    ctx.sessionApi = await hasSessionApi(active.api);
    const prefix = `c-${s.name}-${run}`;
    if (!ctx.sessionApi) r.sessionsNote = SESSIONS_NA;
    else if (s.settle !== false && sessions > 0) await loadSessions(ctx, prefix, sessions, backend.sessionDurationMs);
    const targets = pair.nodes.map((n: ChaosNode) => ({ name: n.name, chassisId: n.chassisId, api: n.api }));
    const first = targets.find((t) => t.name === active.name) ?? targets[0];
    if (ctx.sessionApi && first) {
      const rate = s.load?.(opts);
      if (rate !== undefined && rate > 0) {
        ctx.load = new RateLoad(targets, ledger, { rate, timeoutMs: Math.max(1000, 4 * timers.deadIntervalMs) });
        ctx.load.start(first);
      }
      if (s.writer !== false) {
        ctx.writer = new AckedWriter(targets, ledger, writerOptions(s, ctx, prefix));
        ctx.writer.start(first);
      }
    }

    const limit = s.timeoutMs?.(opts) ?? 4 * settleMs + 60_000;
    try {
      await withTimeout(s.run(ctx), limit, `scenario ${s.name}`);
    } catch (err) {
      if (err instanceof SkipScenario || (err as { code?: string }).code === 'SRP_LAB_FAULT_UNSUPPORTED') throw err;
      // A step that did not complete fails the run; what was written is judged all the same.
      mark(r, 'FAIL', (err as Error).message.split('\n')[0] ?? String(err));
    }
    await finish(s, ctx, { sessionDurationMs: backend.sessionDurationMs, settleMs });

    const polled = Math.round(pair.poller.allActiveMs(ctx.watchFrom));
    const routed = (routing)?.report();
    if (routed?.hardware) {
      // What the routing domain saw (both advertising Active), the polled figure beside it.
      r.dualActiveMs = Math.round(routed.domain.dualActiveMs);
      r.dualActiveSource = 'routing-domain';
      r.notes.push(`${routingSummary(routed)} (state polling: two Actives ${polled} ms)`);
    } else {
      r.dualActiveMs = polled;
      r.dualActiveSource = 'polling';
    }
    if (r.dualActiveMs > 0 && !ctx.dualExpected) mark(r, 'WARN', `two Actives were visible for ${r.dualActiveMs} ms`);
  } catch (err) {
    if (err instanceof SkipScenario || (err as { code?: string }).code === 'SRP_LAB_FAULT_UNSUPPORTED') {
      r.verdict = 'SKIP';
      r.notes.push(`skipped: ${(err as Error).message}`);
    } else {
      const lines = (err as Error).message.split('\n');
      mark(r, 'FAIL', lines[0] ?? String(err));
      // Pair.start failures carry the daemon's log tail after the first line.
      if (!rp && lines.length > 1) r.notes.push(`log tail: ${lines.slice(1).join(' | ').slice(0, 1500)}`);
      if (rp) {
        const [fa, fb] = await rp.pair.states().catch(() => [null, null] as const);
        r.finalStates = { a: fa ?? 'down', b: fb ?? 'down' };
        for (const n of rp.pair.nodes) r.notes.push(`${n.name} log tail: ${(await n.logTail(3)).replace(/\n/g, ' | ').slice(0, 600)}`);
      }
    }
  } finally {
    await ctx?.writer?.stop();
    await ctx?.load?.stop();
    await (routing)?.stop();
    if (rp) {
      r.timeline = rp.pair.poller.timeline(started);
      if (r.verdict === 'FAIL') r.notes.push(...r.timeline.slice(-20).map((l) => `seen ${l}`));
      await rp.close();
    }
    r.durationMs = Math.round(now() - started);
  }
  return r;
}
