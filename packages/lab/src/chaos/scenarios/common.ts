// Helpers shared by the scenarios.
import type { NodeName } from '../../faults/driver.js';
import type { ChaosNode } from '../../chassis.js';
import { now } from '../../poller.js';
import { sleep, type RunContext } from '../context.js';
import { mark } from '../result.js';

/** Waits (bounded) until `node` is a ready Standby; WARN when it is not. Returns the ms it took. */
export async function waitReady(ctx: RunContext, node: ChaosNode, boundMs = ctx.bound): Promise<number | null> {
  const t0 = now();
  while (now() < t0 + boundMs) {
    const i = await node.info(1000).catch(() => null);
    if (i?.state === 'Standby' && i.standbyReady) return Math.round(now() - t0);
    await sleep(50);
  }
  mark(ctx.result, 'WARN', `${node.name} did not report ready within ${boundMs} ms`);
  return null;
}

/** While both are Active, do they advertise different route modifiers? */
export function routingCheck(ctx: RunContext): void {
  const a = ctx.pair.poller.current(ctx.pair.a.name);
  const b = ctx.pair.poller.current(ctx.pair.b.name);
  if (a?.state !== 'Active' || b?.state !== 'Active') {
    ctx.note(`during the split: a=${a?.state ?? '?'} b=${b?.state ?? '?'} (not both Active)`);
    return;
  }
  if (a.routeModifier === b.routeModifier) mark(ctx.result, 'WARN', `both Actives advertise route modifier ${a.routeModifier}: the routing domain cannot prefer one`);
  else {
    const pick = (a.routeModifier ?? 0) < (b.routeModifier ?? 0) ? 'a' : 'b';
    ctx.note(`split: route modifiers a=${a.routeModifier} b=${b.routeModifier}; the routing domain prefers ${pick}`);
  }
}

/** Sleeps until `ms` after `t0`. */
export async function holdUntil(t0: number, ms: number): Promise<void> {
  const left = ms - (now() - t0);
  if (left > 0) await sleep(left);
}

/**
 * After a heal: ms until exactly one chassis is seen Active (null: not within `boundMs`), and a
 * FAIL naming the figure when it takes longer.
 */
export async function oneActiveAfterHeal(ctx: RunContext, healedAt: number, boundMs: number): Promise<number | null> {
  const ok = await ctx.pair.poller.waitFor((l) => [...l.values()].filter((o) => o.state === 'Active').length === 1, Math.max(0, healedAt + boundMs - now()));
  const at = ok ? now() : null;
  if (at === null) {
    const states = ctx.pair.nodes.map((n) => `${n.name}=${ctx.pair.poller.current(n.name)?.state ?? '?'}`).join(' ');
    mark(ctx.result, 'FAIL', `not exactly one Active within ${boundMs} ms of the heal (2 x dead-interval + reconnect; seen ${states})`);
    return null;
  }
  const ms = Math.round(at - healedAt);
  ctx.note(`exactly one Active ${ms} ms after the heal`);
  return ms;
}

export const nameOf = (n: ChaosNode): NodeName => (n.name === 'a' ? 'a' : 'b');

/**
 * SIGSTOP the Active for 2 x dead-interval (the Standby takes over; writes go on to whoever
 * answers), then SIGCONT; the thawed chassis believes it is Active until it hears its peer, so
 * two Actives for a moment are part of the fault. Ends the fault window; one Active after.
 */
export async function freezeActiveTwoDead(ctx: RunContext, what: string): Promise<void> {
  const { active, standby } = ctx;
  const t0 = ctx.fault(what);
  await ctx.f.freeze(active);
  await ctx.takeover(standby);
  await holdUntil(t0, 2 * ctx.dead);
  ctx.log(`SIGCONT ${active.name} after ${Math.round(now() - t0)} ms`);
  ctx.dualExpected = true;
  await ctx.f.thaw(active);
  ctx.endWindow();
  await ctx.oneActive();
}
