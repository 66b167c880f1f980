// The end of every scenario: protected again (one Active, a ready Standby, equal digests)
// within the scenario's bound from the end of the fault, then the acknowledged-write judgement
// on the final Active, with call loss and unsynced sessions apart.
import { parseMetrics } from '../api.js';
import { settledOf, type ChaosPair } from '../chassis.js';
import { now } from '../poller.js';
import type { RunContext } from './context.js';
import { judge, readFinal, roleMoments } from './judge.js';
import { fmtMs, mark } from './result.js';
import type { Scenario } from './scenario.js';
import { defaultProtectBound, type Protection } from './protected.js';
import { sessionSummary } from './sessions.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Extra time for replication to catch up with a paused writer before the digests are compared. */
const DIGEST_SETTLE_MS = 1000;

async function pauseWriters(ctx: RunContext): Promise<void> {
  await Promise.all([ctx.writer?.pause(), ctx.load?.pause()]);
}

function resumeWriters(ctx: RunContext): void {
  ctx.writer?.resume();
  ctx.load?.resume();
}

/**
 * Polls from `from` until the pair is protected or `boundMs` has passed. The digests are
 * compared with the writers paused (a table that is being written differs from its copy by
 * what is in flight), for at most a second each time.
 */
export async function watchProtection(ctx: RunContext, from: number, boundMs: number): Promise<Protection> {
  const { pair } = ctx;
  const deadline = from + boundMs;
  let last = 'not looked at';
  for (;;) {
    const infos = await Promise.all(pair.nodes.map((n) => n.info(1000).catch(() => null)));
    last = infos.map((i, k) => `${k === 0 ? 'a' : 'b'}=${i ? `${i.state}${i.state === 'Standby' ? (i.standbyReady ? ' ready' : ' not ready') : ''}` : 'down'}`).join(' ');
    const pick = settledOf(pair.nodes, infos, true);
    if (pick && !ctx.sessionApi) return { ms: Math.round(now() - from), active: pick[0], last };
    if (pick) {
      const [active, standby] = pick;
      await pauseWriters(ctx);
      const until = now() + DIGEST_SETTLE_MS;
      let same = false;
      let detail = '';
      while (!same && now() < until) {
        const [sa, sb] = await Promise.all([sessionSummary(active.api).catch(() => null), sessionSummary(standby.api).catch(() => null)]);
        same = sa !== null && sb !== null && sa.digest === sb.digest;
        detail = sa && sb ? `${active.name}: ${sa.count} sessions, ${sa.eligible} eligible; ${standby.name}: ${sb.count}, ${sb.eligible}` : 'summaries not readable';
        if (!same) await sleep(50);
      }
      const at = now();
      resumeWriters(ctx);
      if (same) return { ms: Math.round(at - from), active, last };
      last += `; digests differ (${detail})`;
    }
    if (now() >= deadline) return { ms: null, active: pick?.[0] ?? null, last };
    await sleep(100);
  }
}

/** Conflicts the daemons counted, from /v1/srp/info (`conflicts`) or /metrics; null: not offered. */
async function countedConflicts(pair: ChaosPair): Promise<number | null> {
  let total: number | null = null;
  for (const n of pair.nodes) {
    const info = await n.info(1000).catch(() => null);
    const c = info?.conflicts;
    if (typeof c === 'number') total = (total ?? 0) + c;
    else if (typeof c === 'object' && c !== null && typeof (c as { count?: unknown }).count === 'number') total = (total ?? 0) + (c as { count: number }).count;
    else {
      const text = await n.api.metricsText().catch(() => '');
      for (const [name, samples] of parseMetrics(text)) if (/conflict/.test(name) && name.endsWith('_total')) total = (total ?? 0) + samples.reduce((s, x) => s + x.value, 0);
    }
  }
  return total;
}

/** Starts the watch for protected again from `from`, with the bound for the table of now. */
export function startProtectionWatch(s: Scenario, ctx: RunContext, from: number): Promise<Protection> {
  const table = ctx.ledger.live.length;
  const bound = s.protectBoundMs?.(ctx, table) ?? defaultProtectBound(ctx.dead, table);
  ctx.result.protectBoundMs = bound;
  return watchProtection(ctx, from, bound);
}

export async function finish(s: Scenario, ctx: RunContext, o: { sessionDurationMs: number; settleMs: number }): Promise<void> {
  const r = ctx.result;
  if (ctx.protection === null) {
    ctx.windowEnd ??= ctx.window?.to ?? now();
    ctx.protection = startProtectionWatch(s, ctx, ctx.windowEnd);
  }
  const prot = await ctx.protection;
  const bound = r.protectBoundMs ?? 0;
  const late = prot.ms !== null && prot.ms > bound;
  if (prot.ms === null || late) {
    r.protectedMs = prot.ms;
    mark(r, 'FAIL', `not protected again within ${fmtMs(bound)} of the end of the fault (${prot.ms === null ? `last: ${prot.last}` : `took ${fmtMs(prot.ms)}`})`);
  } else r.protectedMs = prot.ms;
  await ctx.writer?.stop();
  await ctx.load?.stop();
  if (ctx.writer && ctx.writer.conflicts > 0) r.conflicts = { written: ctx.writer.conflicts, counted: await countedConflicts(ctx.pair) };

  // The end state: exactly one Active (bounded wait when protection did not settle it).
  if (prot.ms === null) await ctx.pair.waitForSettled(Math.min(o.settleMs, 10_000)).catch(() => undefined);
  const [fa, fb] = await ctx.pair.states();
  r.finalStates = { a: fa ?? 'down', b: fb ?? 'down' };
  const winner = fa === 'Active' && fb !== 'Active' ? ctx.pair.a : fb === 'Active' && fa !== 'Active' ? ctx.pair.b : null;
  if (winner === null) mark(r, 'FAIL', `the pair ended without exactly one Active (a=${r.finalStates.a}, b=${r.finalStates.b})`);
  if (!ctx.sessionApi || winner === null || ctx.ledger.acked === 0) return;

  const final = await readFinal(winner.api, ctx.ledger);
  const moments = [...ctx.events.map((e) => e.at), ...roleMoments(ctx.pair.poller.changes)];
  const j = judge(ctx.ledger, final, { sessionDurationMs: o.sessionDurationMs, marginMs: Math.max(500, 2 * ctx.hello), moments, window: ctx.window, unsynced: ctx.unsynced });
  r.acked = {
    checked: j.checked,
    sessions: j.sessions,
    unacked: ctx.ledger.unacked,
    lostCount: j.lostCount,
    lostByKind: j.lostByKind,
    lost: j.lost,
    callLossSessions: j.callLossSessions,
    callLossWrites: j.callLossWrites,
    callLossIds: j.callLossIds,
    unsyncedSessions: j.unsyncedSessions,
    unsyncedWrites: j.unsyncedWrites,
  };
  const w = ctx.writer?.stats;
  if (w) r.notes.push(`writer: ${w.ok}/${w.calls} calls acknowledged (${unreplicated(w.unreplicatedBy)}), ${w.refused} refused, ${w.errors} unanswered, ${w.switches} target switches`);
  if (ctx.load) r.notes.push(`update load: ${ctx.load.achievedRate}/s acknowledged, ${ctx.load.stats.refused} calls refused, ${ctx.load.stats.errors} unanswered`);
  if (j.unsyncedWrites > 0) r.notes.push(`${j.unsyncedSessions} sessions (${j.unsyncedWrites} writes) the Standby had not been sent when the Active died: unsynced, not judged as lost`);
  if (j.lostCount > 0) mark(r, 'FAIL', `${j.lostCount} acknowledged writes lost on ${winner.name} (of ${j.checked})`);
}

/** How many calls were answered without the Standby's ack, and why: "15 of them without the Standby's ack: no-standby 12, timeout 3". */
function unreplicated(by: Record<string, number>): string {
  const parts = Object.entries(by);
  const total = parts.reduce((sum, [, n]) => sum + n, 0);
  return `${total} of them without the Standby's ack${parts.length > 0 ? `: ${parts.map(([k, n]) => `${k} ${n}`).join(', ')}` : ''}`;
}
