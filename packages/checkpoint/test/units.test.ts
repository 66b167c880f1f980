import { describe, expect, it } from 'vitest';
import { resolveCheckpointConfig } from '../src/index.js';
import { SessionRecordsWriter } from '@srp-ha/wire';
import { attrsOf, ByteArena, SLAB_BYTES, CallLossLog, countersOf, F_REMOVED, MAX_NAMES, nextAuditTime, PayloadReader, PayloadWriter, type Session, SessionObjects, SessionStore } from '../src/internal.js';

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

  it('keeps counters to 64 bits and numbers to 2^53 - 1, both ways', () => {
    expect(() => new PayloadWriter().bigVarint(2n ** 64n)).toThrow(/below 2\^64/);
    // 2^64 as a 10-byte varint (last byte 2), and 2^53 as an 8-byte one.
    const counter = Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02]);
    expect(() => new PayloadReader(counter).bigVarint()).toThrow(/above 2\^64/);
    expect(new PayloadReader(Uint8Array.from([...counter.subarray(0, 9), 0x01])).bigVarint()).toBe(2n ** 63n);
    const number = Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10]);
    expect(() => new PayloadReader(number).varint()).toThrow(/above 2\^53/);
  });

  it('reads counters exactly on both sides of the 7-byte fast path, and refuses a cut one', () => {
    const values = [0n, 127n, 128n, 2n ** 49n - 1n, 2n ** 49n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n];
    for (const v of values) {
      const bytes = new PayloadWriter().bigVarint(v).take();
      const r = new PayloadReader(bytes);
      expect(r.bigVarint(), `${v}`).toBe(v);
      r.end();
      // Cut before its last byte: malformed, wherever the cut falls.
      if (bytes.length > 1) expect(() => new PayloadReader(bytes.subarray(0, bytes.length - 1)).bigVarint(), `${v} cut`).toThrow(/malformed/);
    }
  });

  it('reads names through its cache exactly: hash collisions, non-ASCII and invalid UTF-8 names, long names', () => {
    // More names than the cache has slots, read twice each (second time from the cache or
    // after a collision replaced it), and names that differ in one byte or only in length.
    const names = Array.from({ length: 600 }, (_, i) => `n${i.toString(36)}`);
    names.push('é', 'ü', 'a'.repeat(24), 'a'.repeat(25), 'a'.repeat(23), 'A', 'a', '__proto__');
    const attrs: Record<string, string> = {};
    for (const n of names) Object.defineProperty(attrs, n, { value: `v-${n}`, enumerable: true, writable: true, configurable: true });
    const bytes = new PayloadWriter().attrs(attrs).attrs(attrs).take();
    const r = new PayloadReader(bytes);
    for (let pass = 0; pass < 2; pass++) {
      const got = r.attrs();
      expect(Object.keys(got)).toEqual(Object.keys(attrs));
      for (const n of names) expect(got[n], n).toBe(`v-${n}`);
    }
    r.end();
    // A name of bytes that are not UTF-8 reads as U+FFFD and never as an ASCII name cached before.
    const raw = Uint8Array.from([2, 1, 0xff, 1, 0x78, 1, 0x3f, 1, 0x79]); // {"\ufffd": "x", "?": "y"}
    const got = new PayloadReader(raw).attrs();
    expect(got).toEqual({ '\ufffd': 'x', '?': 'y' });
    expect(new PayloadReader(raw).attrs()).toEqual(got);
  });
});

describe('packed sessions (arena records)', () => {
  const w = new PayloadWriter();
  const section = (bytes: Uint8Array): [Uint8Array, number, number] => [bytes, 0, bytes.length];

  function packedSession(store: SessionStore, id: string, attrs: Record<string, string>, counters: Record<string, bigint>) {
    const s = store.insert(id, 'non-ims', 1, 1000, 1001, null, null, 1);
    const a = w.attrs(attrs).take();
    const c = w.counters(counters).take();
    expect(store.records.pack(s, a, 0, a.length, c, 0, c.length)).toBe(true);
    return s;
  }

  it('reads a packed session without unpacking it, and unpacks it on the first write access', () => {
    const store = new SessionStore();
    const s = packedSession(store, 'a', { apn: 'internet', 'é': 'ü' }, { up: 2n ** 64n - 1n, down: 0n });
    expect(s.packed).toBeGreaterThanOrEqual(0);
    expect(attrsOf(s)).toEqual({ apn: 'internet', 'é': 'ü' });
    expect(countersOf(s)).toEqual({ up: 2n ** 64n - 1n, down: 0n });
    expect(s.packed).toBeGreaterThanOrEqual(0); // still packed
    expect(store.records.arena.stats().bytesInUse).toBeGreaterThan(0);
    s.attrs.apn = 'ims'; // the getter unpacks: the session now owns objects
    expect(s.packed).toBe(-1);
    expect(s.attrs).toEqual({ apn: 'ims', 'é': 'ü' });
    expect(s.counters.up).toBe(2n ** 64n - 1n);
    expect(store.records.arena.stats()).toMatchObject({ bytesInUse: 0 });
  });

  it('replaces attrs or counters alone, keeping the other section, from a record or from objects', () => {
    const store = new SessionStore();
    const s = packedSession(store, 'a', { x: '1' }, { n: 5n });
    expect(store.records.packAttrs(s, ...section(w.attrs({ x: '2', y: 'new' }).take()))).toBe(true);
    expect([attrsOf(s), countersOf(s)]).toEqual([{ x: '2', y: 'new' }, { n: 5n }]);
    expect(store.records.packCounters(s, ...section(w.counters({ n: 6n, m: 1n }).take()))).toBe(true);
    expect([attrsOf(s), countersOf(s)]).toEqual([{ x: '2', y: 'new' }, { n: 6n, m: 1n }]);
    // A session holding objects gets packed with its other section encoded.
    const o = store.insert('o', 'ims', 1, 1000, 1001, { k: 'v' }, { c: 9n }, 1);
    expect(store.records.packAttrs(o, ...section(w.attrs({ k: 'w' }).take()))).toBe(true);
    expect([o.packed >= 0, attrsOf(o), countersOf(o)]).toEqual([true, { k: 'w' }, { c: 9n }]);
  });

  it('keeps a session too large for the arena as objects', () => {
    const store = new SessionStore();
    const s = store.insert('big', 'non-ims', 1, 1000, 1001, { small: 'x' }, {}, 1);
    const huge = { blob: 'x'.repeat(2000) };
    expect(store.records.packObjects(s, huge, {})).toBe(false);
    expect(s.packed).toBe(-1);
    expect(s.attrs).toEqual({ small: 'x' }); // unchanged
    store.records.set(s, huge, { n: 1n });
    expect([s.packed, s.attrs.blob.length, s.counters]).toEqual([-1, 2000, { n: 1n }]);
  });

  it('refuses values of the wrong type without changing the session', () => {
    const store = new SessionStore();
    const s = packedSession(store, 'a', { x: '1' }, { n: 1n });
    expect(() => store.records.packObjects(s, { x: 2 as unknown as string }, {})).toThrow(/attribute x must be a string/);
    expect(() => store.records.packObjects(s, {}, { n: -1n })).toThrow(/non-negative/);
    expect(() => store.records.packObjects(s, {}, { n: 1 as unknown as bigint })).toThrow(/counter n must be a bigint/);
    expect([attrsOf(s), countersOf(s)]).toEqual([{ x: '1' }, { n: 1n }]);
    // The writer dropped the refused bytes: the next payload is whole.
    expect(new PayloadReader(w.attrs({ ok: 'yes' }).take()).attrs()).toEqual({ ok: 'yes' });
  });

  it('advances packed counters once per takeover generation they missed, when read', () => {
    const store = new SessionStore();
    store.records.advanceBy = 1000n;
    const s = packedSession(store, 'a', {}, { seq: 7n });
    store.records.takeover();
    expect(countersOf(s)).toEqual({ seq: 1007n });
    const t = packedSession(store, 'b', {}, { seq: 7n }); // packed after it: not advanced
    expect(countersOf(t)).toEqual({ seq: 7n });
    // New attrs keep the counters' generation; a second takeover adds another step.
    store.records.packAttrs(s, ...section(w.attrs({ k: 'v' }).take()));
    store.records.takeover();
    expect(s.counters).toEqual({ seq: 2007n });
    expect(countersOf(t)).toEqual({ seq: 1007n });
  });

  it('settles a takeover lazily: each session once, when looked up or iterated', () => {
    const store = new SessionStore();
    store.records.advanceBy = 1000n;
    const u = store.create('u', 'non-ims', 1, 5000, 5001, { k: 'v' }, { seq: 5n }, 1); // as objects, not eligible
    const p = packedSession(store, 'p', {}, { seq: 7n });
    store.markEligible(p);
    const gone = store.create('gone', 'non-ims', 1, 5000, 5001, {}, {}, 2);
    store.beginTakeover(100_000);
    expect(store.unsettledCount).toBe(3);
    // Untouched, a session still holds the Standby's values: nothing reads it that way.
    expect([u.expiresAt, u.eligible, u.counters]).toEqual([5001, false, { seq: 5n }]); // objects: read as they are
    expect(store.get('u')).toBe(u);
    expect([u.expiresAt, u.eligible, u.counters, store.unsettledCount]).toEqual([105_000, true, { seq: 1005n }, 2]);
    expect(store.get('u')!.counters).toEqual({ seq: 1005n }); // once
    store.remove('gone');
    expect([gone.expiresAt, store.unsettledCount]).toEqual([5001, 1]);
    const seen = [...store.values()].map((s) => [s.id, s.expiresAt, countersOf(s).seq]);
    expect(seen.sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      ['p', 101_000, 1007n],
      ['u', 105_000, 1005n],
    ]);
    expect([store.unsettledCount, store.eligibleCount]).toEqual([0, 2]);
    // A second takeover with the first one still owed settles the first one first: every
    // counter advances once per takeover, and lifetimes restart from the second.
    const n = store.create('n', 'non-ims', 1, 5000, 5001, {}, { seq: 0n }, 3);
    store.beginTakeover(200_000);
    store.beginTakeover(300_000);
    expect(store.unsettledCount).toBe(3);
    expect([store.get('n')!.counters, n.expiresAt, countersOf(store.get('p')!).seq]).toEqual([{ seq: 2000n }, 305_000, 3007n]);
  });

  it('a walk runs the read hook before it shows a session: it shows what the hook leaves, each id once', () => {
    const store = new SessionStore();
    const N = 2000;
    for (let i = 0; i < N; i++) store.create(`s${i}`, 'non-ims', 1, 5000, 5001, { n: '0' }, {}, i + 1);
    // As the merge of a hand-over taken back does: a session is replaced (removed, then created
    // again: the new one goes behind the walk's place in its shard) or removed.
    const read: string[] = [];
    store.setBeforeRead((id) => {
      if (read.includes(id)) return;
      read.push(id);
      store.remove(id);
      if (id !== 's7') store.create(id, 'non-ims', 1, 5000, 5001, { n: 'merged' }, {}, N + read.length);
    });
    const walk = store.values();
    const first = walk.next().value as Session;
    expect(attrsOf(first)).toEqual({ n: 'merged' });
    const seen = [first, ...walk].map((s) => [s.id, attrsOf(s).n, (s.flags & F_REMOVED) !== 0]);
    expect(new Set(seen.map((x) => x[0])).size).toBe(N - 1);
    expect(seen.some((x) => x[0] === 's7')).toBe(false);
    expect(seen.every((x) => x[1] === 'merged' && x[2] === false)).toBe(true);
    expect(read).toHaveLength(N);
    // Without a hook the walk is the table as it is.
    store.setBeforeRead(null);
    expect([...store.values()].every((s) => attrsOf(s).n === 'merged')).toBe(true);
    expect(store.size).toBe(N - 1);
  });

  it('keeps the class and the pending aspects in flags, through packing, a takeover and a class change', () => {
    const store = new SessionStore();
    const other = new SessionStore();
    store.records.advanceBy = 10n;
    const s = store.insert('i', 'ims', 1, 1000, 1001, { k: 'v' }, { n: 1n }, 1);
    const t = other.insert('t', 'non-ims', 1, 1000, 1001, { k: 'w' }, { n: 2n }, 1);
    // Each table's sessions find its own records (on their prototype, not a field).
    expect([s.records, t.records, Object.keys(s).includes('records')]).toEqual([store.records, other.records, false]);
    s.pendingMask = 1 | 16;
    store.markEligible(s);
    expect(store.records.packObjects(s, { k: 'v' }, { n: 1n })).toBe(true);
    expect([s.cls, s.pendingMask, s.eligible, s.packed >= 0, s.a === s.packed, t.cls]).toEqual(['ims', 17, true, true, true, 'non-ims']);
    store.beginTakeover(5000);
    expect(store.get('i')).toBe(s);
    expect([s.cls, s.pendingMask, s.eligible, s.expiresAt, countersOf(s).n]).toEqual(['ims', 17, true, 6000, 11n]);
    s.pendingMask = 0;
    s.cls = 'non-ims';
    expect([s.cls, s.pendingMask, s.eligible, attrsOf(s)]).toEqual(['non-ims', 0, true, { k: 'v' }]);
    s.cls = 'ims';
    expect(s.counters).toEqual({ n: 11n }); // unpacked: objects again
    expect([s.cls, s.packed, s.a, s.eligible]).toEqual(['ims', -1, new SessionObjects({ k: 'v' }, { n: 11n }), true]);
    store.remove('i');
    expect([s.cls, s.attrs, s.counters]).toEqual(['ims', { k: 'v' }, { n: 11n }]);
  });

  it('frees records on remove and clear, and reuses freed chunks of the same size class', () => {
    const store = new SessionStore();
    const a = packedSession(store, 'a', { k: 'v' }, {});
    const addr = a.packed;
    store.remove('a');
    expect(a.attrs).toEqual({ k: 'v' }); // a removed session still reads
    // A 13-byte record in a chunk of 24: 8 bytes of room to grow, rounded to the class.
    expect(store.records.arena.stats()).toMatchObject({ bytesInUse: 0, bytesFree: 24 });
    const b = packedSession(store, 'b', { k: 'w' }, {});
    expect(b.packed).toBe(addr);
    packedSession(store, 'c', { k: 'x' }, {});
    store.clear();
    expect(store.records.arena.stats()).toMatchObject({ bytesInUse: 0, bytesFree: 48 });
  });

  it('rewrites a record in place while it fits its chunk, and moves it when it outgrows it', () => {
    const store = new SessionStore();
    const s = packedSession(store, 'a', { k: 'v' }, { n: 1n });
    const addr = s.packed;
    store.records.packAttrs(s, ...section(w.attrs({ k: 'v', s: '1' }).take())); // +4 bytes
    expect(s.packed).toBe(addr);
    expect([attrsOf(s), countersOf(s)]).toEqual([{ k: 'v', s: '1' }, { n: 1n }]);
    store.records.packCounters(s, ...section(w.counters({ n: 300n }).take()));
    expect([s.packed, attrsOf(s), countersOf(s)]).toEqual([addr, { k: 'v', s: '1' }, { n: 300n }]);
    store.records.packAttrs(s, ...section(w.attrs({ k: 'v', s: '1', apn: 'internet.example' }).take()));
    expect(s.packed).not.toBe(addr);
    expect([attrsOf(s), countersOf(s)]).toEqual([{ k: 'v', s: '1', apn: 'internet.example' }, { n: 300n }]);
    expect(store.records.arena.stats().bytesFree).toBe(24); // the old chunk
  });
});

describe('packed records: names by number', () => {
  const w = new PayloadWriter();
  const spelled = (store: SessionStore, s: Session): [string, string] => {
    store.records.writeSection(s, w, false);
    const a = Buffer.from(w.take()).toString('hex');
    store.records.writeSection(s, w, true);
    return [a, Buffer.from(w.take()).toString('hex')];
  };
  const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

  it('numbers each name once per table, and gives back the sections byte for byte', () => {
    const store = new SessionStore();
    const names = store.records.names;
    const attrs = { apn: 'internet', ip: '10.1.2.3', 'é名': 'ü', '': 'empty name', msisdn: '' };
    const counters = { up: 2n ** 64n - 1n, down: 0n, 'bytes-up': 300n };
    const a = w.attrs(attrs).take();
    const c = w.counters(counters).take();
    const sessions = Array.from({ length: 50 }, (_, i) => {
      const s = store.insert(`s${i}`, 'non-ims', 1, 1000, 1001, null, null, 1);
      expect(store.records.pack(s, a, 0, a.length, c, 0, c.length)).toBe(true);
      return s;
    });
    expect(names.size).toBe(8);
    for (const s of sessions) {
      expect([attrsOf(s), countersOf(s)]).toEqual([attrs, counters]);
      expect(spelled(store, s)).toEqual([hex(a), hex(c)]);
    }
    // The record is smaller than the payload's two sections by the names it no longer spells.
    const used = store.records.arena.stats().bytesInUse / sessions.length;
    const raw = new SessionStore(undefined, { codeNames: false });
    const r = raw.insert('r', 'non-ims', 1, 1000, 1001, null, null, 1);
    raw.records.pack(r, a, 0, a.length, c, 0, c.length);
    expect(raw.records.names.size).toBe(0);
    expect(spelled(raw, r)).toEqual([hex(a), hex(c)]);
    expect(raw.records.arena.stats().bytesInUse - used).toBeGreaterThanOrEqual(24);
  });

  it('keeps a name it cannot number spelled out in its section: too long, or the dictionary full', () => {
    const store = new SessionStore();
    const long = 'L'.repeat(300);
    const s = store.insert('x', 'non-ims', 1, 1000, 1001, null, null, 1);
    const a = w.attrs({ apn: 'ims', [long]: 'v' }).take();
    const c = w.counters({ up: 1n }).take();
    expect(store.records.pack(s, a, 0, a.length, c, 0, c.length)).toBe(true);
    expect([attrsOf(s), countersOf(s)]).toEqual([{ apn: 'ims', [long]: 'v' }, { up: 1n }]);
    expect(spelled(store, s)).toEqual([hex(a), hex(c)]);
    // Fill the dictionary: the records that need a new name keep their sections as they came.
    for (let i = store.records.names.size; i < MAX_NAMES; i++) {
      const f = w.counters({ [`n${i}`]: 1n }).take();
      const t = store.insert(`f${i}`, 'non-ims', 1, 1000, 1001, null, null, 1);
      expect(store.records.pack(t, a, 0, 0, f, 0, f.length)).toBe(true);
    }
    expect(store.records.names.size).toBe(MAX_NAMES);
    const fresh = w.attrs({ brand: 'new' }).take();
    expect(store.records.packAttrs(s, fresh, 0, fresh.length)).toBe(true);
    expect([attrsOf(s), countersOf(s)]).toEqual([{ brand: 'new' }, { up: 1n }]);
    expect(spelled(store, s)).toEqual([hex(fresh), hex(c)]);
    // Names it has still code; a record mixes a coded section and a spelled one.
    const known = w.counters({ up: 7n, n9: 2n }).take();
    expect(store.records.packCounters(s, known, 0, known.length)).toBe(true);
    expect([attrsOf(s), countersOf(s)]).toEqual([{ brand: 'new' }, { up: 7n, n9: 2n }]);
    expect(spelled(store, s)).toEqual([hex(fresh), hex(known)]);
  });

  it('writes coded records as the same bulk-sync entries as spelled ones, and advances their counters at a takeover', () => {
    const run = (codeNames: boolean): string => {
      const store = new SessionStore(undefined, { codeNames });
      const s = store.insert('id-1', 'ims', 1, 1000, 1001, null, null, 3);
      const a = w.attrs({ apn: 'ims', rat: 'nr', 'é': 'ü' }).take();
      const c = w.counters({ up: 5n, down: 2n ** 63n }).take();
      store.records.pack(s, a, 0, a.length, c, 0, c.length);
      const rw = new SessionRecordsWriter();
      rw.begin(s.id, 1, 1, 1000, 1001);
      expect(store.records.writeEntries(s, rw)).toBe(true);
      rw.end(3);
      store.records.advanceBy = 100n;
      store.records.takeover();
      expect(countersOf(s)).toEqual({ up: 105n, down: 2n ** 63n + 100n });
      store.records.writeSection(s, w, true);
      return rw.take().fieldBytes.toString('hex') + '/' + Buffer.from(w.take()).toString('hex');
    };
    expect(run(true)).toBe(run(false));
  });
});

describe('byte arena', () => {
  it('hands out chunks by 8-byte class, across slabs, and refuses sizes it does not hold', () => {
    const arena = new ByteArena();
    const seen = new Set<number>();
    for (let i = 0; i < 70_000; i++) {
      const addr = arena.alloc(25 + (i % 3)); // class 32
      expect(seen.has(addr)).toBe(false);
      seen.add(addr);
      expect(arena.offset(addr) + 32).toBeLessThanOrEqual(arena.slab(addr).length);
    }
    expect(arena.stats()).toMatchObject({ slabs: 3, bytesInUse: 70_000 * 32, bytesFree: 0 });
    for (const addr of seen) arena.release(addr, 26);
    expect(arena.stats()).toMatchObject({ bytesInUse: 0, bytesFree: 70_000 * 32 });
    expect(seen.has(arena.alloc(30))).toBe(true); // reused
    expect(() => arena.alloc(0)).toThrow(RangeError);
    expect(() => arena.alloc(1025)).toThrow(RangeError);
  });

  it('when full, refuses a chunk (tryAlloc: -1), and a store keeps such sessions as objects', () => {
    const arena = new ByteArena(1);
    for (let i = 0; i < SLAB_BYTES / 1024; i++) arena.alloc(1024);
    expect(() => arena.alloc(16)).toThrow(/arena full/);
    expect(arena.tryAlloc(16)).toBe(-1);
    expect(arena.stats()).toMatchObject({ slabs: 1, bytesInUse: SLAB_BYTES });
    const store = new SessionStore(new ByteArena(1));
    const s = store.insert('a', 'non-ims', 1, 1000, 1001, null, null, 1);
    for (let i = 0; i < SLAB_BYTES / 1024; i++) store.records.arena.alloc(1024);
    store.records.set(s, { k: 'v' }, { n: 1n });
    expect([s.packed, s.attrs, s.counters]).toEqual([-1, { k: 'v' }, { n: 1n }]);
    expect(() => new ByteArena(0)).toThrow(/maxSlabs/);
  });
});

describe('session columns', () => {
  it('keeps epoch times, lifetimes and versions past 2^31 exactly, in rows reused after removal', () => {
    const store = new SessionStore();
    const t0 = 1_800_000_000_123;
    const big = 2 ** 40 + 7;
    const s = store.insert('a', 'ims', t0, 2 ** 31, t0 + 2 ** 31, null, null, big);
    s.changedAt = t0 + 5;
    expect([s.createdAt, s.lifetimeMs, s.expiresAt, s.changedAt, s.version]).toEqual([t0, 2 ** 31, t0 + 2 ** 31, t0 + 5, big]);
    expect(store.currentVersion).toBe(big);
    // 40k sessions span three pages of rows; each keeps its own numbers.
    const many = Array.from({ length: 40_000 }, (_, i) => store.insert(`s${i}`, 'non-ims', t0 + i, 1000 + i, t0 + 2 * i, null, null, big + 1 + i));
    expect(store.columns.rows).toBe(40_001);
    many.forEach((m, i) => expect([m.createdAt, m.lifetimeMs, m.expiresAt, m.version]).toEqual([t0 + i, 1000 + i, t0 + 2 * i, big + 1 + i]));
    // A removed session keeps its numbers (a caller may still hold it); its row goes to the next one.
    const gone = store.remove('s7');
    expect(gone).toBe(many[7]);
    const fresh = store.insert('n', 'ims', 1, 2, 3, null, null, 4);
    expect([fresh.createdAt, fresh.lifetimeMs, fresh.expiresAt, fresh.version]).toEqual([1, 2, 3, 4]);
    expect([gone?.createdAt, gone?.lifetimeMs, gone?.expiresAt, gone?.version]).toEqual([t0 + 7, 1007, t0 + 14, big + 8]);
    if (gone) gone.expiresAt = 99; // writing a removed session touches nothing in the table
    expect(fresh.expiresAt).toBe(3);
    expect(store.columns.rows).toBe(40_001);
    store.clear();
    expect([store.columns.rows, s.createdAt, s.version]).toEqual([0, t0, big]);
  });

  it('keeps flags, sender epochs, marks and stamps per session; a removed one keeps its own, a reused row starts at zero', () => {
    const store = new SessionStore();
    const all = Array.from({ length: 20_000 }, (_, i) => store.insert(`s${i}`, i % 2 === 0 ? 'ims' : 'non-ims', 1, 1000, 1001, null, null, i + 1));
    all.forEach((m, i) => {
      m.sentEpoch = i % 7;
      m.mark = i;
      m.stamp = 2 ** 31 - 1 - i;
      m.pendingMask = i & 0xff;
    });
    all.forEach((m, i) => {
      expect([m.sentEpoch, m.mark, m.stamp, m.pendingMask, m.cls]).toEqual([i % 7, i, 2 ** 31 - 1 - i, i & 0xff, i % 2 === 0 ? 'ims' : 'non-ims']);
    });
    const gone = store.remove('s3');
    expect(gone && [(gone.flags & F_REMOVED) !== 0, gone.mark, gone.stamp, gone.sentEpoch, gone.cls]).toEqual([true, 3, 2 ** 31 - 4, 3, 'non-ims']);
    const fresh = store.insert('n', 'non-ims', 1, 2, 3, null, null, 4);
    expect([fresh.flags, fresh.sentEpoch, fresh.mark, fresh.stamp]).toEqual([0, 0, 0, 0]);
    if (gone) gone.mark = 77; // writing a removed session touches nothing in the table
    expect([fresh.mark, gone?.mark]).toEqual([0, 77]);
    expect(store.columns.rows).toBe(20_000);
    store.clear();
    const again = store.insert('m', 'ims', 1, 2, 3, null, null, 4);
    expect([again.sentEpoch, again.mark, again.stamp]).toEqual([0, 0, 0]);
  });

});

describe('payload checks and views', () => {
  const w = new PayloadWriter();
  const read = (bytes: Uint8Array): PayloadReader => new PayloadReader(bytes);

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
