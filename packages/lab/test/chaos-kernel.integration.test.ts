// Short versions of the kernel-level chaos scenarios against real srpd processes: each chassis
// in its own network namespace, the faults as nftables rules on the veth between them. What is
// checked is what the suite claims of itself: the fault was done by the kernel and really
// matched packets where it should (and only there), the writer's acknowledged writes were
// judged, and the end was judged. Whether srpd passes them is the suite's verdict, printed by
// `npm run chaos`; several are expected to fail until the liveness and split-brain work lands.
// Needs root, iproute2 and nftables (CI=true: missing ones fail).
import { describe, expect, it } from 'vitest';
import { kernelUnavailable } from '../src/faults/kernel-link.js';
import type { ScenarioResult } from '../src/chaos/result.js';
import { chaosOptions, runOne } from './chaos-helpers.js';
import { missing, skipReason, SRPD } from './helpers.js';

const why = kernelUnavailable() ?? missing([], [SRPD]);
const opts = chaosOptions('kernel');

/** Packets the rules matched on each side, from the link's note. */
function matched(r: ScenarioResult): { a: number; b: number } {
  const m = /kernel: [^;]+; a: (\d+) packets matched, b: (\d+) packets matched/.exec(r.notes.join('\n'));
  if (!m) throw new Error(`no kernel link note in: ${r.notes.join('; ')}`);
  return { a: Number(m[1]), b: Number(m[2]) };
}

/** Every run is judged to the end, whatever the verdict. */
function judged(r: ScenarioResult, context: string): void {
  expect(r.link, context).toBe('kernel');
  expect(r.linkLabel, context).toMatch(/^kernel \(a network namespace per chassis/);
  expect(r.verdict, context).not.toBe('SKIP');
  expect(r.acked?.checked ?? 0, context).toBeGreaterThan(200);
  expect(r.protectBoundMs, context).not.toBeNull();
  // A FAIL always names what failed.
  if (r.verdict === 'FAIL') expect(r.notes.some((n) => n.startsWith('FAIL: ')), context).toBe(true);
}

describe.skipIf(skipReason(why, 'the kernel-level chaos tests'))('chaos at the kernel level (netns, nftables)', () => {
  it('has its prerequisites', () => {
    expect(why).toBeNull();
  });

  it('link-silent-long: both sides drop everything silently; the Standby takes over', { timeout: 120_000 }, async () => {
    const { r, context } = await runOne('link-silent-long', opts);
    judged(r, context);
    const m = matched(r);
    expect(m.a, context).toBeGreaterThan(0);
    expect(m.b, context).toBeGreaterThan(0);
    // Nothing passed for 2 x dead-interval: the Standby stopped hearing the Active.
    expect(r.takeoverMs, context).not.toBeNull();
    expect(r.conflicts?.written ?? 0, context).toBeGreaterThan(0);
  });

  it('one-way-a2s: only the Standby side drops, only what the Active sends', { timeout: 120_000 }, async () => {
    const { r, context } = await runOne('one-way-a2s', opts);
    judged(r, context);
    // The pair settles with a as Active (primary): the Standby is b, the receiving side.
    const m = matched(r);
    expect(m.a, context).toBe(0);
    expect(m.b, context).toBeGreaterThan(0);
    expect(r.notes.join('\n'), context).toMatch(/exactly one Active \d+ ms after the heal|not exactly one Active within/);
  });

  it('syn-drop-restart: the restarted Standby cannot open a TCP connection', { timeout: 120_000 }, async () => {
    const { r, context } = await runOne('syn-drop-restart', opts);
    judged(r, context);
    const m = matched(r);
    // The restarted chassis and its peer both dial: their SYNs were dropped.
    expect(m.a + m.b, context).toBeGreaterThan(0);
  });
});
