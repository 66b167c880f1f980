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

describe('payload read in place', () => {
  const w = new PayloadWriter();
  const read = (bytes: Uint8Array): PayloadReader => new PayloadReader(bytes);

  it('keeps the object and the unchanged strings, replaces what changed, appends new keys', () => {
    const apn = ['inter', 'net'].join(''); // a string object of its own, not a literal
    const cur: Record<string, string> = { apn, rat: 'eutran', seq: '1' };
    const out = read(w.attrs({ apn: 'internet', rat: 'eutran', seq: '2', qci: '9' }).take()).attrsInto(cur);
    expect(out).toBe(cur);
    expect(out).toEqual({ apn: 'internet', rat: 'eutran', seq: '2', qci: '9' });
    expect(out.apn).toBe(apn);
    expect(Object.keys(out)).toEqual(['apn', 'rat', 'seq', 'qci']);
  });

  it('makes a new object when a key is gone or the order differs', () => {
    const cur = { a: '1', b: '2', c: '3' };
    const dropped = read(w.attrs({ a: '1', c: '3' }).take()).attrsInto(cur);
    expect(dropped).not.toBe(cur);
    expect(dropped).toEqual({ a: '1', c: '3' });
    expect(Object.keys(read(w.attrs({ b: '2', a: '1', c: '3' }).take()).attrsInto({ ...cur }))).toEqual(['b', 'a', 'c']);
    expect(read(w.attrs({}).take()).attrsInto({ ...cur })).toEqual({});
    // Non-ASCII keys and values are compared by decoding, never by bytes against char codes.
    expect(read(w.attrs({ 'é': 'ü', a: 'x' }).take()).attrsInto({ 'é': 'u', a: 'x' })).toEqual({ 'é': 'ü', a: 'x' });
  });

  it('keeps unchanged counters and reads changed ones up to 2^64 - 1', () => {
    const max = 2n ** 64n - 1n;
    const cur: Record<string, bigint> = { up: 5n, down: 2n ** 50n, big: max };
    const out = read(w.counters({ up: 5n, down: 2n ** 50n + 1n, big: max, pkts: 3n }).take()).countersInto(cur);
    expect(out).toBe(cur);
    expect(out).toEqual({ up: 5n, down: 2n ** 50n + 1n, big: max, pkts: 3n });
    expect(read(w.counters({ up: 6n }).take()).countersInto({ up: 5n, down: 1n })).toEqual({ up: 6n });
  });

  it('check() walks a whole payload and rewinds, or throws on a malformed one', () => {
    const full = w.u8(1).varint(1).varint(2).varint(2 ** 45).attrs({ a: 'b' }).counters({ n: 2n ** 63n }).take();
    const r = read(full).check('full');
    expect(r.u8()).toBe(1);
    for (let cut = 0; cut < full.length; cut++) expect(() => read(full.subarray(0, cut)).check('full')).toThrow(/malformed/);
    const trailing = new Uint8Array([...w.attrs({ a: 'b' }).take(), 0]);
    expect(() => read(trailing).check('attrs')).toThrow(/trailing/);
    expect(() => read(w.varint(1).take()).check('lifetime')).toThrow(/malformed/);
  });

  it('reads payloads that are views into a larger buffer, one after another', () => {
    const a = w.attrs({ k: 'first' }).take();
    const b = w.attrs({ k: 'second' }).take();
    const r = new PayloadReader();
    expect(r.reset(a).attrs()).toEqual({ k: 'first' });
    r.end();
    expect(r.reset(b).attrs()).toEqual({ k: 'second' });
    r.end();
    const copy = new Uint8Array(b.length + 8);
    copy.set(b, 4);
    expect(r.reset(copy.subarray(4, 4 + b.length)).attrs()).toEqual({ k: 'second' });
  });

  it('writes and reads every varint length', () => {
    for (let bits = 0; bits <= 53; bits++) {
      for (const v of [2 ** bits - 1, 2 ** bits, Math.min(2 ** 53 - 1, 2 ** bits + 12345)]) {
        if (v > Number.MAX_SAFE_INTEGER) continue;
        const r = read(w.varint(v).take());
        expect(r.varint()).toBe(v);
        r.end();
      }
    }
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
