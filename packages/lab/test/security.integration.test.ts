// The chaos scenarios of an attacker on the SRP link, short, against real srpd processes: the
// attacker agents run beside each chassis (in its network namespace when root, so they connect
// from the chassis' own address and from one its peer does not allow; on loopback otherwise).
// What is checked is the scenarios' own judging: replays refused and counted, no state change,
// the real link untouched by replays and back after a reset under the flood, refusals counted
// by reason. The run's overall verdict also carries what every run judges (protected again,
// acknowledged writes), which `npm run chaos` reports.
import { describe, expect, it } from 'vitest';
import { kernelUnavailable } from '../src/faults/kernel-link.js';
import { chaosOptions, ownFails, runOne } from './chaos-helpers.js';
import { missing, skipReason, SRPD } from './helpers.js';

const why = missing([], [SRPD]);
const opts = chaosOptions('auto');
const link = kernelUnavailable() === null ? 'kernel' : 'proxy';

describe.skipIf(skipReason(why, 'the security chaos scenarios'))('chaos: an attacker on the SRP link', () => {
  it('replay-handshake: same-boot and previous-boot replays are refused as replay and change nothing', { timeout: 180_000 }, async () => {
    const { r, context } = await runOne('replay-handshake', opts);
    expect(r.link, context).toBe(link);
    expect(r.verdict, context).not.toBe('SKIP');
    expect(ownFails(r), context).toEqual([]);
    const notes = r.notes.join('\n');
    expect(notes, context).toMatch(/same boot: 50 replays, \d+ refused as replay, link unchanged/);
    expect(notes, context).toMatch(/previous boot: 5 replays, \d+ refused as replay, no takeover, link unchanged/);
    // The kill in the middle: the Standby took over, and the old Active got the role back.
    expect(r.takeoverMs, context).not.toBeNull();
    expect(r.finalStates, context).toEqual({ a: 'Active', b: 'Standby' });
    expect(r.acked?.checked ?? 0, context).toBeGreaterThan(200);
  });

  it('connect-flood (6 s): no state change, the real link back after a reset, refusals by reason', { timeout: 180_000 }, async () => {
    const { r, context } = await runOne('connect-flood', opts);
    expect(r.link, context).toBe(link);
    expect(ownFails(r), context).toEqual([]);
    const notes = r.notes.join('\n');
    const opened = Number(/flood: (\d+) connections/.exec(notes)?.[1] ?? 0);
    process.stdout.write(`connect-flood (${r.link} link): ${notes.split('\n').filter((n) => /flood|refused|real link/.test(n)).join('; ')}\n`);
    expect(opened, context).toBeGreaterThan(1000);
    expect(notes, context).toMatch(/flooded: real link back \d+ ms after the reset/);
    // Junk from a source outside peer-allow is refused before a byte is read; the rest by what is wrong with it.
    for (const n of ['a', 'b']) expect(notes, context).toMatch(new RegExp(`${n} refused: .*not-allowed \\d+`));
    expect(r.finalStates, context).toEqual({ a: 'Active', b: 'Standby' });
    expect(r.acked?.lostCount, context).toBe(0);
  });
});
