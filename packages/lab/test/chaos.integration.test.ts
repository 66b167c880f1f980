// A short subset of the chaos suite against real srpd processes: kill -9 of the Active, SIGSTOP
// of the Active, a link cut longer than the dead interval, and a crash of the active CF card of
// the Active chassis (subscriber traffic running). Bounds are generous (the machine
// is shared); the precise figures come from `npm run chaos`.
import { describe, expect, it } from 'vitest';
import { runScenario, type ChaosOptions } from '../src/chaos/harness.js';
import { findScenarios } from '../src/chaos/scenarios.js';
import { missing, skipReason, SRPD } from './helpers.js';

const why = missing([], [SRPD]);
const log: string[] = [];
const opts: ChaosOptions = {
  helloIntervalMs: 200,
  deadIntervalMs: 1000,
  sessions: 200,
  switchovers: 3,
  srpd: SRPD,
  log: (l) => log.push(l),
};

describe.skipIf(skipReason(why, 'the chaos integration tests'))('chaos against real srpd', () => {
  it('has its prerequisites', () => {
    expect(why).toBeNull();
  });

  for (const name of ['kill-active', 'freeze-active', 'link-cut-long']) {
    it(name, { timeout: 120_000 }, async () => {
      const [scenario] = findScenarios([name]);
      if (!scenario) throw new Error(`no scenario ${name}`);
      const r = await runScenario(scenario, 1, opts);
      const context = `${name}: ${r.verdict} ${r.notes.join('; ')}\n${log.slice(-15).join('\n')}`;
      expect(r.verdict, context).not.toBe('FAIL');
      // The peer took over, seen from outside, within a bound far above the dead interval.
      expect(r.takeoverMs, context).not.toBeNull();
      expect(r.takeoverMs ?? Infinity, context).toBeLessThan(15_000);
      // The pair ends with exactly one Active.
      expect([r.finalStates.a, r.finalStates.b].filter((s) => s === 'Active'), context).toHaveLength(1);
      // srpd has the session API, so the loss is always measured, and it must be zero.
      expect(r.eligibleLost, context).toBe(0);
      // Two Actives are part of a long link cut (until it heals), and must stop after it.
      if (name === 'link-cut-long') expect(r.dualActiveMs).toBeLessThan(15_000);
      // The chaos pairs run the simulated chassis: the column comes from the routing domain.
      expect(r.dualActiveSource, context).toBe('routing-domain');
      expect(r.notes.join('; '), context).toMatch(/routing domain: packets forwarded a \d+( \([^)]*\))*, b \d+/);
    });
  }

  it('cf-crash', { timeout: 120_000 }, async () => {
    const [scenario] = findScenarios(['cf-crash']);
    if (!scenario) throw new Error('no scenario cf-crash');
    const r = await runScenario(scenario, 1, opts);
    const context = `cf-crash: ${r.verdict} ${r.notes.join('; ')}\n${log.slice(-15).join('\n')}`;
    expect(r.verdict, context).toBe('PASS');
    // A CF switchover inside the Active chassis: no takeover, no two Actives, nothing lost.
    expect(r.takeoverMs, context).toBeNull();
    expect(r.dualActiveMs, context).toBe(0);
    expect(r.finalStates, context).toEqual({ a: 'Active', b: 'Standby' });
    expect(r.eligibleLost, context).toBe(0);
    const notes = r.notes.join('; ');
    expect(notes, context).toMatch(/CF switchover slot 1 -> 2/);
    expect(notes, context).toMatch(/traffic: [1-9]\d* session ops applied .*, 0 failed; \d+ live generated sessions, 0 lost/);
  });
});
