import { describe, expect, it } from 'vitest';
import { ManualClock, TrafficGenerator, resolveHardwareConfig, type SessionOp, type TrafficConfig } from '../src/index.js';
import { booted } from './helpers.js';

function run(cfg: Partial<TrafficConfig>, ms: number): { ops: SessionOp[]; gen: TrafficGenerator; clock: ManualClock } {
  const clock = new ManualClock(0);
  const ops: SessionOp[] = [];
  const traffic = resolveHardwareConfig({ traffic: cfg }).traffic!;
  const gen = new TrafficGenerator(traffic, clock, 'a-', (op) => ops.push(op), { accepting: () => true, pickLineCard: (r) => 3 + Math.floor(r * 2) });
  gen.start();
  clock.advance(ms);
  return { ops, gen, clock };
}

describe('subscriber traffic generator', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = run({ rate: 200, seed: 42 }, 5_000).ops;
    const b = run({ rate: 200, seed: 42 }, 5_000).ops;
    const c = run({ rate: 200, seed: 43 }, 5_000).ops;
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.length).toBe(1_000); // 200 ops/s for 5 s
  });

  it('produces realistic attributes', () => {
    const ops = run({ rate: 500, seed: 1, imsRatio: 0.5 }, 2_000).ops.filter((o) => o.op === 'upsert');
    const classes = new Set(ops.map((o) => o.class));
    expect(classes).toEqual(new Set(['ims', 'non-ims']));
    for (const o of ops) {
      expect(o.attrs.imsi).toMatch(/^00101\d{10}$/);
      expect(o.attrs.ueIp).toMatch(/^10\.\d+\.\d+\.\d+$/);
      expect([1, 5, 6, 8, 9]).toContain(o.attrs.qci);
      expect(o.class === 'ims' ? o.attrs.apn === 'ims' : o.attrs.apn !== 'ims').toBe(true);
      expect(o.lifetimeMs).toBeGreaterThanOrEqual(10_000);
      expect(o.counters.bytesUp).toBeGreaterThanOrEqual(0);
      expect([3, 4]).toContain(o.attrs.lineCard);
    }
    // Updates grow the byte counters of an existing session.
    const byId = new Map<string, number[]>();
    for (const o of ops) byId.set(o.id, [...(byId.get(o.id) ?? []), o.counters.bytesDown]);
    const updated = [...byId.values()].find((v) => v.length > 2)!;
    expect(updated).toEqual([...updated].sort((x, y) => x - y));
    expect(updated.at(-1)).toBeGreaterThan(0);
  });

  it('never exceeds max-sessions', () => {
    const { gen } = run({ rate: 1_000, maxSessions: 25, seed: 9 }, 10_000);
    expect(gen.stats().live).toBeLessThanOrEqual(25);
    expect(gen.stats().generated).toBeGreaterThan(25);
  });

  it('stops by itself after count operations', () => {
    const { ops, gen, clock } = run({ rate: 1_000, count: 137, seed: 2 }, 10_000);
    expect(ops.length).toBe(137);
    expect(gen.stats()).toMatchObject({ running: false, stopReason: 'count', ops: 137 });
    expect(clock.pending()).toBe(0);
    expect(gen.start()).toBe(false);
  });

  it('stops by itself after the duration', () => {
    const { ops, gen, clock } = run({ rate: 100, durationMs: 2_000, seed: 2 }, 10_000);
    expect(ops.length).toBe(200);
    expect(gen.stats().stopReason).toBe('duration');
    expect(clock.pending()).toBe(0);
  });

  it('detaches sessions whose lifetime ran out', () => {
    const { gen } = run({ rate: 100, seed: 5, minLifetimeMs: 1_000, maxLifetimeMs: 2_000 }, 20_000);
    expect(gen.stats().expired).toBeGreaterThan(0);
  });

  it('refuses unbounded rates', () => {
    expect(() => resolveHardwareConfig({ traffic: { rate: 1e9 } })).toThrow(/traffic.rate/);
    expect(() => resolveHardwareConfig({ traffic: { maxSessions: 0 } })).toThrow(/max-sessions/);
  });

  it('runs in the chassis: sessions land on up line cards, and pause without an ACTIVE CF', async () => {
    const ops: SessionOp[] = [];
    const h = await booted({ traffic: { rate: 100, seed: 11 } }, { sink: (op) => ops.push(op) });
    const snap = h.chassis.snapshot();
    expect(snap.sessions!.generated).toBeGreaterThan(0);
    expect(snap.lineCards.reduce((a, lc) => a + lc.sessions, 0)).toBe(snap.sessions!.live);
    expect(ops.length).toBe(snap.sessions!.ops);
    // SSO keeps sessions through a switchover; the generator pauses while the new active settles.
    h.chassis.crashCard(1);
    const before = h.chassis.snapshot().sessions!;
    await h.clock.advanceAsync(1_000);
    expect(h.chassis.snapshot().sessions!.ops).toBe(before.ops);
    expect(h.chassis.snapshot().sessions!.lost).toBe(0);
    await h.clock.advanceAsync(3_000);
    expect(h.chassis.snapshot().sessions!.ops).toBeGreaterThan(before.ops);
  });
});
