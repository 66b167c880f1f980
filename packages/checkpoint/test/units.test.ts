import { describe, expect, it } from 'vitest';
import { CallLossLog, nextAuditTime, PayloadReader, PayloadWriter, resolveCheckpointConfig, SessionStore } from '../src/index.js';

describe('config', () => {
  it('has the documented defaults and ranges', () => {
    const c = resolveCheckpointConfig();
    expect(c).toMatchObject({ sessionDurationMs: 60_000, periodicIntervalMin: 45, nackMaxResponse: 3, databaseRecovery: 'normal', auditPeriodicityMin: 60 });
    expect(() => resolveCheckpointConfig({ periodicIntervalMin: 50 })).toThrow(/multiple of 15/);
    expect(() => resolveCheckpointConfig({ periodicIntervalMin: 15 })).toThrow(/30..1440/);
    expect(() => resolveCheckpointConfig({ auditPeriodicityMin: 59 })).toThrow(/60..1440/);
    expect(() => resolveCheckpointConfig({ auditDailyStartTime: '25:00' })).toThrow(/HH:MM/);
    expect(resolveCheckpointConfig({ sessionDurationMs: 0, auditDailyStartTime: '06 00' }).sessionDurationMs).toBe(0);
  });
});

describe('nextAuditTime', () => {
  const day = Date.UTC(2026, 0, 10);
  it('starts at the daily start time and repeats every periodicity, restarting each day', () => {
    expect(nextAuditTime(day + 5 * 3600_000, '06:00', 90)).toBe(day + 6 * 3600_000);
    expect(nextAuditTime(day + 6 * 3600_000, '06:00', 90)).toBe(day + 7.5 * 3600_000);
    expect(nextAuditTime(day + 23.9 * 3600_000, '06:00', 90)).toBe(day + 24 * 3600_000);
    // Before today's start: the tail of yesterday's schedule, capped at today's start.
    expect(nextAuditTime(day + 5.9 * 3600_000, '06:00', 1440)).toBe(day + 6 * 3600_000);
  });
});

describe('payload', () => {
  it('round-trips attrs and 64-bit counters', () => {
    const w = new PayloadWriter();
    const big = 2n ** 64n - 1n;
    const bytes = w.varint(2 ** 53 - 1).attrs({ imsi: '001010123456789', 'é': 'ü' }).counters({ bytes: big, pkts: 0n }).take();
    const r = new PayloadReader(bytes);
    expect(r.varint()).toBe(2 ** 53 - 1);
    expect(r.attrs()).toEqual({ imsi: '001010123456789', 'é': 'ü' });
    expect(r.counters()).toEqual({ bytes: big, pkts: 0n });
    r.end();
    const cut = new PayloadReader(bytes.subarray(0, 12));
    cut.varint();
    expect(() => cut.attrs()).toThrow(/malformed/);
  });
});

describe('store digests', () => {
  it('are order-independent and incremental', () => {
    const a = new SessionStore();
    const b = new SessionStore();
    for (let i = 0; i < 100; i++) a.markEligible(a.create(`s${i}`, 'non-ims', 0, 1, 1, {}, {}, i + 1));
    for (let i = 99; i >= 0; i--) b.markEligible(b.create(`s${i}`, 'non-ims', 0, 1, 1, {}, {}, i + 1));
    expect(a.digest()).toBe(b.digest());
    b.setVersion(b.get('s3')!, 1000);
    expect(a.digest()).not.toBe(b.digest());
    b.setVersion(b.get('s3')!, 4);
    expect(a.digest()).toBe(b.digest());
    b.remove('s9');
    expect(b.eligibleCount).toBe(99);
    expect(a.digest()).not.toBe(b.digest());
    // Young (not eligible) sessions are not part of the replicated digest.
    const young = a.create('young', 'ims', 0, 1, 1, {}, {}, 5000);
    a.remove('s9');
    expect(a.digest()).toBe(b.digest());
    expect(young.eligible).toBe(false);
  });
});

describe('CallLossLog', () => {
  it('keeps a bounded history and totals', () => {
    const log = new CallLossLog(2);
    for (let i = 0; i < 3; i++) log.record({ at: i, cause: 'peer-dead', expected: 10, recovered: 8, lostEligible: 0, lostYoung: 2 });
    expect(log.history().map((r) => r.at)).toEqual([1, 2]);
    expect(log.summary()).toMatchObject({ switchovers: 3, lost: 6, lostYoung: 6 });
  });
});
