// The chaos scenario aaa-outage against real srpd processes and real FreeRADIUS servers: the
// Active's servers stop answering, the Standby takes over through the planned path, and no
// eligible session is lost. The figure printed is the takeover time of this run.
import { describe, expect, it } from 'vitest';
import { freeRadiusMissing } from '@srp-ha/srp-daemon/aaa-servers';
import { aaaOutage } from '../src/chaos/aaa-outage.js';
import { runScenario, type ChaosOptions } from '../src/chaos/harness.js';
import { CI, missing, skipReason, SRPD } from './helpers.js';

const why = missing([], [SRPD]) ?? freeRadiusMissing();
if (why !== null && CI) throw new Error(`aaa-outage needs ${why}; required under CI=true`);
const log: string[] = [];
const opts: ChaosOptions = {
  helloIntervalMs: 200,
  deadIntervalMs: 1000,
  sessions: 200,
  switchovers: 0,
  srpd: SRPD,
  log: (l) => log.push(l),
};

describe.skipIf(skipReason(why, 'the aaa-outage chaos scenario'))('chaos: aaa-outage', () => {
  it('the Active loses its RADIUS servers: the Standby takes over, nothing lost, one Active', { timeout: 180_000 }, async () => {
    const r = await runScenario(aaaOutage, 1, opts);
    const context = `aaa-outage: ${r.verdict} ${r.notes.join('; ')}\n${log.slice(-20).join('\n')}`;
    process.stdout.write(`aaa-outage: takeover ${r.takeoverMs ?? '-'} ms, eligible lost ${r.eligibleLost ?? '-'}, young lost ${r.youngLost ?? '-'}, verdict ${r.verdict}\n`);
    expect(r.verdict, context).not.toBe('FAIL');
    expect(r.verdict, context).not.toBe('SKIP');
    expect(r.takeoverMs, context).not.toBeNull();
    expect(r.takeoverMs ?? Infinity, context).toBeLessThan(15_000);
    expect(r.eligibleLost, context).toBe(0);
    expect([r.finalStates.a, r.finalStates.b].filter((s) => s === 'Active'), context).toHaveLength(1);
    expect(r.notes.join('; '), context).toMatch(/AAA group down after 3 probes/);
  });
});
