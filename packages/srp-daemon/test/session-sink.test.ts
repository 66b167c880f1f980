// Subscriber traffic -> session store: the op mapping on a real CheckpointEngine, and the plane
// counting applied / failed / withheld ops (srp_hw_session_ops_total) on a manual clock.
import { CheckpointEngine } from '@srp-ha/checkpoint';
import { MemoryLink } from '@srp-ha/checkpoint/testing';
import { ManualClock, type SessionOp } from '@srp-ha/hw-sim';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createHardwarePlane, trafficSessionSink } from '../src/hardware/index.js';

const logger = pino({ level: 'silent' });
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function engine(): CheckpointEngine {
  const e = new CheckpointEngine({ transport: new MemoryLink().a, config: { sessionDurationMs: 0, sessionDurationImsMs: 0 } });
  cleanups.push(() => e.close());
  return e;
}

const upsert = (id: string, counters: Partial<Record<'bytesUp' | 'bytesDown' | 'packetsUp' | 'packetsDown', number>> = {}): SessionOp => ({
  op: 'upsert',
  id,
  class: 'ims',
  attrs: { imsi: '001010123456789', apn: 'ims', ueIp: '10.0.0.1', qci: 5, ratType: 'EUTRAN', lineCard: 3, createdAt: 1_000 },
  counters: { bytesUp: 0, bytesDown: 0, packetsUp: 0, packetsDown: 0, ...counters },
  lifetimeMs: 60_000,
});

describe('trafficSessionSink', () => {
  it('creates, updates counters without restarting the lifetime, and deletes', async () => {
    const e = engine();
    await e.becomeActive();
    const sink = trafficSessionSink(e);
    sink(upsert('c-00000001'));
    const v = e.get('c-00000001')!;
    expect(v.class).toBe('ims');
    expect(v.attrs).toEqual({ imsi: '001010123456789', apn: 'ims', ueIp: '10.0.0.1', qci: '5', ratType: 'EUTRAN', lineCard: '3', createdAt: '1000' });
    expect(v.lifetimeMs).toBe(60_000);
    const expiresAt = v.expiresAt;
    const version = v.version;
    sink(upsert('c-00000001', { bytesUp: 1500, packetsUp: 3 }));
    const w = e.get('c-00000001')!;
    expect(w.counters).toMatchObject({ bytesUp: 1500n, packetsUp: 3n, bytesDown: 0n });
    expect(w.expiresAt).toBe(expiresAt);
    expect(w.version).toBeGreaterThan(version);
    // A smaller value than the table holds (the table is ahead after a takeover) is not applied.
    sink(upsert('c-00000001', { bytesUp: 100, packetsUp: 3 }));
    expect(e.get('c-00000001')!.counters.bytesUp).toBe(1500n);
    sink({ op: 'delete', id: 'c-00000001' });
    expect(e.get('c-00000001')).toBeUndefined();
    sink({ op: 'delete', id: 'c-00000001' }); // already gone: not an error
    expect(e.summary().count).toBe(0);
  });

  it('throws while the engine is not Active', () => {
    const e = engine();
    e.becomeStandby();
    expect(() => trafficSessionSink(e)(upsert('c-1'))).toThrow(/not active/);
  });
});

describe('hardware plane -> session store', () => {
  it('applies generated ops while SRP Active, counts failures, withholds outside Active', async () => {
    const clock = new ManualClock(1_000_000);
    const registry = new Registry();
    const plane = createHardwarePlane({
      config: { traffic: { rate: 100, tick: 0.1, seed: 3, 'min-lifetime': 0.5, 'max-lifetime': 1 } },
      chassisId: 'chassis-a',
      logger,
      registry,
      clock,
    });
    cleanups.push(() => plane.dispose());
    const started = plane.start();
    await clock.advanceAsync(10_000);
    await started;
    const e = engine();
    await e.becomeActive();
    plane.setSessionSink(trafficSessionSink(e));
    plane.listener.stateChanged?.({ from: 'Init', to: 'Active', reason: 'no-peer-at-start' });
    await clock.advanceAsync(3_000);
    const c1 = plane.sinkCounters();
    expect(c1.applied).toBeGreaterThan(200);
    expect(c1.failed).toBe(0);
    // The table holds exactly the generator's live sessions (attach, update, detach, expiry).
    expect(e.summary().count).toBe(plane.chassis.traffic!.stats().live);
    // The engine stops taking writes (a Standby engine) while the plane still thinks Active.
    e.becomeStandby();
    await clock.advanceAsync(500);
    const c2 = plane.sinkCounters();
    expect(c2.failed).toBeGreaterThan(10);
    expect(c2.applied).toBe(c1.applied);
    plane.listener.stateChanged?.({ from: 'Active', to: 'Standby', reason: 'manual' });
    const text = await registry.metrics();
    expect(text).toMatch(new RegExp(`srp_hw_session_ops_total\\{outcome="applied"\\} ${c2.applied}\\b`));
    expect(text).toMatch(new RegExp(`srp_hw_session_ops_total\\{outcome="failed"\\} ${c2.failed}\\b`));
  });
});
