// A short subset of the chaos suite against real srpd processes, with the link faults in the
// user-space proxy (the path of machines without root): kill -9 of the Active, a long link cut
// written to on both sides, and a crash of the active CF card of the Active chassis. Bounds
// are generous (the machine is shared); the precise figures come from `npm run chaos`.
import { describe, expect, it } from 'vitest';
import { chaosOptions, runOne } from './chaos-helpers.js';
import { missing, skipReason, SRPD } from './helpers.js';

const why = missing([], [SRPD]);
const TEST_OPTIONS = chaosOptions('proxy');
describe.skipIf(skipReason(why, 'the chaos integration tests'))('chaos against real srpd (user-space proxy)', () => {
  it('has its prerequisites', () => {
    expect(why).toBeNull();
  });

  it('kill-active', { timeout: 120_000 }, async () => {
    const { r, context } = await runOne('kill-active', TEST_OPTIONS);
    expect(r.verdict, context).toBe('PASS');
    expect(r.link, context).toBe('proxy');
    expect(r.linkLabel, context).toMatch(/user-space proxy \(no root/);
    // The peer took over, seen from outside, within a bound far above the dead interval.
    expect(r.takeoverMs ?? Infinity, context).toBeLessThan(15_000);
    expect([r.finalStates.a, r.finalStates.b].filter((s) => s === 'Active'), context).toHaveLength(1);
    // The writer wrote before and after the kill; every acknowledged write was checked and held.
    expect(r.acked?.checked ?? 0, context).toBeGreaterThan(200);
    expect(r.acked?.lostCount, context).toBe(0);
    // The young sessions loaded right before the kill were never replicated: call loss.
    expect(r.acked?.callLossSessions ?? 0, context).toBeGreaterThanOrEqual(20);
    // Protected again: one Active, a ready Standby, equal digests, within the bound.
    expect(r.protectedMs, context).not.toBeNull();
    expect(r.protectedMs ?? Infinity, context).toBeLessThanOrEqual(r.protectBoundMs ?? 0);
    // The chaos pairs run the simulated chassis: the column comes from the routing domain.
    expect(r.dualActiveSource, context).toBe('routing-domain');
  });

  it('link-cut-long through the proxy: a split written on both sides, judged', { timeout: 120_000 }, async () => {
    const { r, context } = await runOne('link-cut-long', TEST_OPTIONS);
    expect(r.link, context).toBe('proxy');
    // Both sides took writes, one session on both each round.
    expect(r.conflicts?.written ?? 0, context).toBeGreaterThan(0);
    expect(r.takeoverMs, context).not.toBeNull();
    expect(r.dualActiveMs, context).toBeGreaterThan(0);
    expect(r.acked?.checked ?? 0, context).toBeGreaterThan(0);
    // Whatever the daemons do with a split, the run says it in figures: either nothing was lost
    // and the pair was protected again, or the FAIL names the lost writes or the bound.
    if (r.verdict === 'FAIL') expect(r.notes.filter((n) => n.startsWith('FAIL:')).join('\n'), context).toMatch(/acknowledged writes lost|not protected again|exactly one Active/);
    else expect(r.acked?.lostCount, context).toBe(0);
    expect([r.finalStates.a, r.finalStates.b].filter((s) => s === 'Active'), context).toHaveLength(1);
  });

  it('cf-crash', { timeout: 120_000 }, async () => {
    const { r, context } = await runOne('cf-crash', TEST_OPTIONS);
    expect(r.verdict, context).toBe('PASS');
    // A CF switchover inside the Active chassis: no takeover, no two Actives, nothing lost.
    expect(r.takeoverMs, context).toBeNull();
    expect(r.dualActiveMs, context).toBe(0);
    expect(r.finalStates, context).toEqual({ a: 'Active', b: 'Standby' });
    expect(r.acked?.lostCount, context).toBe(0);
    const notes = r.notes.join('; ');
    expect(notes, context).toMatch(/CF switchover slot 1 -> 2/);
    expect(notes, context).toMatch(/traffic: [1-9]\d* session ops applied .*, 0 failed; \d+ live generated sessions, 0 lost/);
  });
});
