// Runs one chaos scenario against a fresh pair of real srpd processes and fills in its report
// row. Every wait is bounded; whatever a scenario does, the pair is stopped at the end.
import { hardwareSection } from '../hardware.js';
import { Pair, type PairOptions, type SrpNode } from '../pair.js';
import { now } from '../poller.js';
import { RoutingDriver, routingSummary } from '../routing.js';
import { emptyResult, mark, type ScenarioResult } from './result.js';
import { countMissing, hasSessionApi, loadSessions, sessionSummary, SESSIONS_NA, type SessionSummary } from './sessions.js';

export interface ChaosOptions {
  helloIntervalMs: number;
  deadIntervalMs: number;
  /** Sessions to load on the Active before the fault, when srpd has a session API. */
  sessions: number;
  /** Switchovers in the back-and-forth scenario. */
  switchovers: number;
  srpd?: string;
  keepDir?: boolean;
  /** Extra srpd config keys for both nodes (checkpoint tuning, ...). */
  extraConfig?: Record<string, unknown>;
  /**
   * Give each srpd a simulated chassis (`hardware:`, no traffic generator unless a scenario
   * adds one) and run a routing domain over both (default true).
   */
  hardware?: boolean;
  log: (line: string) => void;
}

export const DEFAULT_OPTIONS: Omit<ChaosOptions, 'log'> = {
  helloIntervalMs: 200,
  deadIntervalMs: 1000,
  sessions: 1000,
  switchovers: 50,
};

/** checkpoint.session-duration of the chaos pairs: sessions older than this are replicated. */
export const SESSION_DURATION_MS = 2000;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class RunContext {
  /** Time of the fault injection that the takeover is measured from. */
  faultAt: number | null = null;
  /** From when two Actives count against the scenario. */
  watchFrom: number;
  /** Set by scenarios where two Actives are part of the fault (split link, frozen node). */
  dualExpected = false;
  /** Sessions summary taken on the Active right before the fault. */
  before: SessionSummary | null = null;
  /** Ids loaded before the fault: eligible (replicated) and young (not yet). */
  eligibleIds: string[] = [];
  youngIds: string[] = [];
  /** Eligible sessions the Standby could not have had yet (set by the bulk-sync scenario). */
  unsyncedAllowance = 0;
  sessionApi = false;
  /** The routing domain over both chassis (null without hardware). */
  routing: RoutingDriver | null = null;

  constructor(
    readonly pair: Pair,
    readonly active: SrpNode,
    readonly standby: SrpNode,
    readonly opts: ChaosOptions,
    readonly result: ScenarioResult,
  ) {
    this.watchFrom = now();
  }

  get dead(): number {
    return this.opts.deadIntervalMs;
  }

  /** A bound for anything that should happen within a few dead intervals. */
  get bound(): number {
    return 5 * this.opts.deadIntervalMs + 15_000;
  }

  log(line: string): void {
    this.opts.log(`  [${this.result.scenario}] ${line}`);
  }

  fault(label: string): number {
    this.faultAt = now();
    this.log(label);
    return this.faultAt;
  }

  /** Waits for `node` to become Active and records the takeover time seen from outside. */
  async takeover(node: SrpNode, from = this.faultAt): Promise<number> {
    await node.waitForState('Active', this.bound);
    await this.pair.poller.waitFor((l) => l.get(node.name)?.state === 'Active', 5000);
    const t0 = from ?? now();
    const seen = this.pair.poller.firstSeen(node.name, 'Active', t0) ?? now();
    const ms = seen - t0;
    this.result.takeoverMs = Math.round(ms);
    this.log(`${node.name} Active after ${Math.round(ms)} ms`);
    const soft = this.opts.deadIntervalMs + 3 * this.opts.helloIntervalMs + 1500;
    if (ms > soft) mark(this.result, 'WARN', `takeover took ${Math.round(ms)} ms (> dead-interval + 3 hellos + 1.5 s = ${soft} ms)`);
    return ms;
  }

  /** States `node` was seen in since `t0` (from the poller). */
  seenSince(node: SrpNode, t0: number): string[] {
    return this.pair.poller.changes.filter((o) => o.node === node.name && o.t >= t0).map((o) => o.state);
  }

  /** FAIL if `node` was seen in anything but `state` since `t0`. */
  expectStayed(node: SrpNode, state: string, t0: number, severity: 'WARN' | 'FAIL'): void {
    const other = this.seenSince(node, t0).filter((s) => s !== state);
    if (other.length > 0) mark(this.result, severity, `${node.name} was expected to stay ${state} but was seen ${[...new Set(other)].join(', ')}`);
  }

  /** Restarts a killed node and expects it back as Standby (no preemption configured). */
  async returnAsStandby(node: SrpNode): Promise<void> {
    await node.start();
    const info = await node.waitForState(['Standby', 'Active'], this.bound);
    if (info.state === 'Active') {
      // It may have become Active legitimately if its peer is gone; the final check judges.
      this.log(`${node.name} came back Active`);
    } else this.log(`${node.name} back as Standby`);
  }
}

export interface Scenario {
  name: string;
  summary: string;
  pair?: Partial<PairOptions>;
  /** Extra srpd config keys for this scenario (merged over the suite's). */
  extra?: (name: string) => Record<string, unknown>;
  /** Wait for Active + ready Standby before run() (default true). */
  settle?: boolean;
  /** Needs a daemon feature; probe returns a reason to skip, or null. */
  requires?: (active: SrpNode) => Promise<string | null>;
  timeoutMs?: (opts: ChaosOptions) => number;
  run(ctx: RunContext): Promise<void>;
}

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

/**
 * Loads `opts.sessions` sessions and waits until they are eligible on the Active and held by
 * the Standby (bounded), then adds a tenth as many young sessions (not yet eligible, so never
 * replicated: losing them is call loss) and takes the "before" summary.
 */
async function loadForScenario(ctx: RunContext, active: SrpNode, standby: SrpNode): Promise<void> {
  const { opts } = ctx;
  const prefix = `chaos-${ctx.result.scenario}-${ctx.result.run}`;
  const n = await loadSessions(active.api, opts.sessions, prefix);
  ctx.eligibleIds = Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
  const deadline = now() + SESSION_DURATION_MS + 10 * opts.deadIntervalMs + 15_000;
  let a: SessionSummary | null = null;
  let b: SessionSummary | null = null;
  while (now() < deadline) {
    [a, b] = await Promise.all([sessionSummary(active.api).catch(() => null), sessionSummary(standby.api).catch(() => null)]);
    if (a && b && a.eligible >= n && b.eligible >= n) break;
    await sleep(200);
  }
  // The totals include sessions the scenario did not load (a traffic generator's): the
  // Standby must hold every one of this run's ids, checked by id (bounded retries).
  let missingOnStandby = n;
  for (let i = 0; i < 20 && now() < deadline + 10_000; i++) {
    missingOnStandby = await countMissing(standby.api, ctx.eligibleIds).catch(() => n);
    if (missingOnStandby === 0) break;
    await sleep(500);
  }
  ctx.log(`loaded ${n} sessions on ${active.name}: eligible ${a?.eligible ?? '?'} there, ${b?.eligible ?? '?'} on ${standby.name}; ${n - missingOnStandby} of this run's ${n} held by ${standby.name}`);
  if (missingOnStandby > 0)
    mark(ctx.result, 'WARN', `sessions not all eligible and replicated before the fault (${standby.name} misses ${missingOnStandby} of ${n})`);
  const young = Math.max(1, Math.floor(opts.sessions / 10));
  await loadSessions(active.api, young, prefix, n);
  ctx.youngIds = Array.from({ length: young }, (_, i) => `${prefix}-${n + i}`);
  ctx.before = await sessionSummary(active.api);
}

async function finalActive(pair: Pair): Promise<SrpNode | null> {
  const [sa, sb] = await pair.states();
  if (sa === 'Active' && sb !== 'Active') return pair.a;
  if (sb === 'Active' && sa !== 'Active') return pair.b;
  return null;
}

export async function runScenario(s: Scenario, run: number, opts: ChaosOptions): Promise<ScenarioResult> {
  const r = emptyResult(s.name, run);
  const started = now();
  const settleMs = 10 * opts.deadIntervalMs + 20_000;
  let pair: Pair | null = null;
  let routing = null as RoutingDriver | null; // (assigned in a closure: keep the declared type)
  opts.log(`${s.name} #${run}: ${s.summary}`);
  try {
    pair = await Pair.start({
      helloIntervalMs: opts.helloIntervalMs,
      deadIntervalMs: opts.deadIntervalMs,
      ...(opts.srpd !== undefined ? { srpd: opts.srpd } : {}),
      ...(opts.keepDir !== undefined ? { keepDir: opts.keepDir } : {}),
      // Short session duration so the loaded sessions become eligible within seconds.
      extra: (name) => ({
        checkpoint: { 'session-duration': `${SESSION_DURATION_MS}ms`, 'session-duration-ims': `${SESSION_DURATION_MS}ms` },
        // A chassis without a traffic generator: the only sessions are the ones loaded here.
        ...(opts.hardware === false ? {} : { hardware: hardwareSection(name) }),
        ...opts.extraConfig,
        ...s.extra?.(name),
      }),
      ...s.pair,
    });
    let active: SrpNode;
    let standby: SrpNode;
    const nodes = pair.nodes.map((n) => ({ name: n.name, api: () => n.api }));
    // The routing domain counts from the same moment as the poller's two-Actives window: the
    // start for a start-up election, else the settled pair.
    const startRouting = (): void => {
      if (opts.hardware === false) return;
      routing = new RoutingDriver(nodes);
      routing.start();
    };
    if (s.settle === false) startRouting();
    if (s.settle === false) [active, standby] = [pair.a, pair.b];
    else [active, standby] = await pair.waitForSettled(settleMs, true);
    if (s.settle !== false) startRouting();
    const ctx = new RunContext(pair, active, standby, opts, r);
    ctx.routing = routing;
    if (s.settle === false) ctx.watchFrom = started;

    if (s.requires) {
      const why = await s.requires(active);
      if (why !== null) {
        r.verdict = 'SKIP';
        r.notes.push(`skipped: ${why}`);
        return r;
      }
    }

    ctx.sessionApi = await hasSessionApi(active.api);
    if (s.settle === false) r.sessionsNote = 'n/a: no sessions are loaded before a start-up election';
    else if (!ctx.sessionApi) r.sessionsNote = SESSIONS_NA;
    else if (opts.sessions > 0) await loadForScenario(ctx, active, standby);

    const limit = s.timeoutMs?.(opts) ?? 4 * settleMs;
    await withTimeout(s.run(ctx), limit, `scenario ${s.name}`);

    // The end state: exactly one Active (bounded wait for the pair to settle).
    try {
      await pair.waitForSettled(settleMs);
    } catch {
      /* judged below */
    }
    const [fa, fb] = await pair.states();
    r.finalStates = { a: fa ?? 'down', b: fb ?? 'down' };
    const winner = await finalActive(pair);
    if (winner === null) mark(r, 'FAIL', `the pair ended without exactly one Active (a=${r.finalStates.a}, b=${r.finalStates.b})`);

    const polled = Math.round(pair.poller.allActiveMs(ctx.watchFrom));
    const routed = routing?.report();
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

    if (ctx.eligibleIds.length > 0 && winner !== null) {
      const missingEligible = await countMissing(winner.api, ctx.eligibleIds);
      r.youngLost = await countMissing(winner.api, ctx.youngIds);
      const unsynced = Math.min(missingEligible, ctx.unsyncedAllowance);
      if (ctx.unsyncedAllowance > 0) r.unsyncedLost = unsynced;
      r.eligibleLost = missingEligible - unsynced;
    }
    if (r.eligibleLost !== null && r.eligibleLost > 0) mark(r, 'FAIL', `${r.eligibleLost} eligible sessions lost`);
  } catch (err) {
    const lines = (err as Error).message.split('\n');
    mark(r, 'FAIL', lines[0] ?? String(err));
    // Pair.start failures carry the daemon's log tail after the first line.
    if (!pair && lines.length > 1) r.notes.push(`log tail: ${lines.slice(1).join(' | ').slice(0, 1500)}`);
    if (pair) {
      const [fa, fb] = await pair.states().catch(() => [null, null] as const);
      r.finalStates = { a: fa ?? 'down', b: fb ?? 'down' };
      for (const n of pair.nodes) r.notes.push(`${n.name} log tail: ${n.logTail(3).replace(/\n/g, ' | ').slice(0, 600)}`);
    }
  } finally {
    await routing?.stop();
    if (pair) {
      if (r.verdict === 'FAIL') r.notes.push(...pair.poller.timeline(started).slice(-20).map((l) => `seen ${l}`));
      await pair.stop().catch(() => undefined);
    }
    r.durationMs = Math.round(now() - started);
  }
  return r;
}
