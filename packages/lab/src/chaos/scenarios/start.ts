// Start-up: an election between two primaries, and a Standby whose bulk sync is cut short by
// the death of the Active, or by a freeze of the Active.
import { now } from '../../poller.js';
import { sleep } from '../context.js';
import { mark } from '../result.js';
import type { RunContext } from '../context.js';
import type { Scenario } from '../scenario.js';
import { freezeActiveTwoDead } from './common.js';

const bothPrimary: Scenario = {
  name: 'both-primary',
  summary: 'both chassis start as primary with equal priority',
  judges: 'one Active, decided by the higher CF MAC (b) (WARN otherwise); the writer writes from the election on',
  settle: false,
  pair: { modes: ['primary', 'primary'], priorities: [1, 1] },
  async run(ctx) {
    const t0 = ctx.watchFrom;
    ctx.faultAt = t0;
    const [winner] = await ctx.pair.waitForSettled(ctx.bound);
    ctx.result.takeoverMs = Math.round((ctx.pair.poller.firstSeen(winner.name, 'Active', t0) ?? now()) - t0);
    ctx.note(`${winner.name} won the election (time column: start to first Active)`);
    // b has the higher CF MAC (...:0B) and should win on equal priority.
    if (winner.name !== 'b') mark(ctx.result, 'WARN', `expected b (higher CF MAC) to win on equal priority, got ${winner.name}`);
    // Some writes on the elected Active before the end check.
    await sleep(Math.max(500, 2 * ctx.dead));
    ctx.endWindow();
  },
};

/** Sessions of the bulk-sync scenario: enough for its bulk sync to take a while. */
const BULK = { full: 50_000, short: 20_000 };

/**
 * kill -9 the Standby, restart it, and return once its bulk sync is under way: it holds some
 * sessions (polled every 10 ms) and is not ready yet (noted when it already was).
 */
async function restartIntoBulkSync(ctx: RunContext): Promise<{ state: string; standbyReady: boolean; sessions: number }> {
  const { standby } = ctx;
  await ctx.f.kill(standby);
  await sleep(1.5 * ctx.dead);
  await ctx.f.start(standby);
  const until = now() + ctx.bound;
  let info = await standby.info(500).catch(() => null);
  while (now() < until && !(info && info.state !== 'Active' && (info.sessions > 0 || info.standbyReady))) {
    await sleep(10);
    info = await standby.info(500).catch(() => null);
  }
  if (!info) throw new Error(`${standby.name} did not answer after its restart`);
  if (info.state === 'Active') throw new Error(`${standby.name} came back Active instead of joining as Standby`);
  if (info.standbyReady) ctx.note('the Standby was ready when first seen holding sessions (bulk sync finished before the fault)');
  return info;
}

const killDuringBulkSync: Scenario = {
  name: 'kill-active-during-bulk-sync',
  summary:
    'with at least 50k sessions (short: 20k), kill -9 the Standby, restart it, and kill -9 the Active as soon as the returning Standby holds some of the table (polled every 10 ms), before it is ready',
  judges:
    'the Standby takes over; sessions it held (by id) when the Active died keep every acknowledged write (FAIL); the sessions it had not been sent yet are reported as unsynced, not lost',
  sessions: (o) => Math.max(o.sessions, o.short ? BULK.short : BULK.full),
  async run(ctx) {
    const { active, standby, ledger } = ctx;
    const info = await restartIntoBulkSync(ctx);
    ctx.fault(`kill -9 ${active.name} while ${standby.name} is ${info.state} ready=${info.standbyReady} holding ${info.sessions} sessions`);
    await ctx.f.kill(active);
    // What the Standby holds right after the death, by id: what it never got cannot survive
    // and is reported apart; what it held must come through the takeover intact.
    const ids = ledger.live.map((s) => ledger.ids[s] ?? '');
    const [held, own] = await Promise.all([ctx.held(standby, ids), standby.info(1000).catch(() => null)]);
    for (const id of ids) if (!held.has(id)) ctx.unsynced.add(id);
    // Its own count includes sessions that were young when loaded and aged into eligible ones
    // before the bulk sync: a count is no measure of which loaded sessions it holds, ids are.
    const youngHeld = [...held].filter((id) => id.includes('-y-')).length;
    ctx.note(`the Standby held ${held.size} of ${ids.length} sessions when the Active died (by id; ${youngHeld} of them loaded young; its own count: ${own?.sessions ?? '?'})`);
    await ctx.takeover(standby);
    // The same ids once it is Active: anything gone went between the death and the takeover.
    const still = await ctx.held(standby, [...held]);
    const gone = [...held].filter((id) => !still.has(id));
    ctx.note(`after its takeover it held ${still.size} of those ${held.size}${gone.length > 0 ? `; gone: ${gone.slice(0, 10).join(', ')}${gone.length > 10 ? ` and ${gone.length - 10} more` : ''}` : ''}`);
    await ctx.returnAsStandby(active);
    ctx.endWindow();
  },
};

const freezeDuringBulkSync: Scenario = {
  name: 'freeze-active-during-bulk-sync',
  summary:
    'with at least 50k sessions (short: 20k), kill -9 the Standby, restart it, and SIGSTOP the Active for 2 x dead-interval as soon as the returning Standby holds some of the table, before it is ready; then SIGCONT',
  judges:
    'the half-synced Standby takes over during the freeze; after the thaw the Active that holds the whole table keeps it and the partial one steps down, handing over what it acknowledged: 0 acknowledged writes lost (FAIL), one Active and a ready Standby at the end',
  sessions: (o) => Math.max(o.sessions, o.short ? BULK.short : BULK.full),
  async run(ctx) {
    const info = await restartIntoBulkSync(ctx);
    await freezeActiveTwoDead(ctx, `SIGSTOP ${ctx.active.name} while ${ctx.standby.name} is ${info.state} ready=${info.standbyReady} holding ${info.sessions} sessions`);
  },
};

export default [bothPrimary, killDuringBulkSync, freezeDuringBulkSync];
