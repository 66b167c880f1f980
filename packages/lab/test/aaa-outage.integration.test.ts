// The chaos scenario aaa-outage against real srpd processes and real FreeRADIUS servers (two per
// chassis, started by an agent beside each chassis: in its network namespace when root, on
// loopback otherwise): the Active's servers stop answering, the Standby takes over through the
// planned path, every acknowledged write is kept and the new Active stays. The figure printed is
// the takeover time of this run. Protected again is srpd's verdict (`npm run chaos` reports it):
// a FAIL there is allowed here, as long as the run names it.
import { describe, expect, it } from 'vitest';
import { freeRadiusMissing } from '@srp-ha/srp-daemon/aaa-servers';
import { kernelUnavailable } from '../src/faults/kernel-link.js';
import { chaosOptions, ownFails, runOne } from './chaos-helpers.js';
import { CI, missing, skipReason, SRPD } from './helpers.js';

const why = missing([], [SRPD]) ?? freeRadiusMissing();
if (why !== null && CI) throw new Error(`aaa-outage needs ${why}; required under CI=true`);
const opts = chaosOptions('auto');

describe.skipIf(skipReason(why, 'the aaa-outage chaos scenario'))('chaos: aaa-outage', () => {
  it('the Active loses its RADIUS servers: the Standby takes over, nothing acknowledged lost, one Active', { timeout: 180_000 }, async () => {
    const { r, context } = await runOne('aaa-outage', opts);
    process.stdout.write(
      `aaa-outage (${r.link} link): takeover ${r.takeoverMs ?? '-'} ms, acknowledged writes lost ${r.acked?.lostCount ?? '-'} of ${r.acked?.checked ?? '-'}, protected again ${r.protectedMs ?? '-'} ms, verdict ${r.verdict}\n`,
    );
    expect(r.verdict, context).not.toBe('SKIP');
    expect(ownFails(r), context).toEqual([]);
    // The servers ran beside each chassis: in its namespace with the kernel link (root).
    expect(r.link, context).toBe(kernelUnavailable() === null ? 'kernel' : 'proxy');
    expect(r.takeoverMs, context).not.toBeNull();
    expect(r.takeoverMs ?? Infinity, context).toBeLessThan(15_000);
    expect(r.acked?.checked ?? 0, context).toBeGreaterThan(200);
    expect(r.acked?.lostCount, context).toBe(0);
    // a was Active: its servers stopped, b took over and stayed.
    expect(r.finalStates, context).toEqual({ a: 'Standby', b: 'Active' });
    expect(r.notes.join('; '), context).toMatch(/AAA group down after 3 probes/);
  });
});
