// The Active's macro chunks written straight from its table (src/sender/chunk-encoder.ts): random
// sessions of every form the table holds (objects; packed; packed before one or more takeovers,
// whose counters the takeover advances; packed from a peer's bytes that are not UTF-8 or name a
// key twice) are encoded, and both decoders (decodeMessageBody's and the generated one) give
// exactly toRecord of the same sessions, which stay as they were. A fixed seed by default (CI);
// SRP_PROPERTY_SEED and SRP_PROPERTY_RUNS run more.
import { MessageType, decodeMacroCheckpointChunkGenerated, decodeMessageBody, encodeMessageBody, isWireError, type SessionRecord } from '@srp-ha/wire';
import { describe, expect, it } from 'vitest';
import { ChunkEncoder, SessionStore, toRecord, type Session } from '../src/internal.js';
import { Prng, propertySeeds, replayHint } from './prng.js';

const SCRIPTS = ['a', 'Z', '7', '-', 'é', 'ü', '名', '前', '😀', 'ß'];
const U64_MAX = 2n ** 64n - 1n;
const ADVANCE = 1_000_000n;

function text(r: Prng, lo: number, hi: number): string {
  let s = '';
  for (let n = r.range(lo, hi); n > 0; n--) s += r.chance(0.7) ? 'abcdefghij0123456789'[r.int(20)] : r.pick(SCRIPTS);
  return s;
}

function attrsOf(r: Prng): Record<string, string> {
  const a: Record<string, string> = {};
  for (let n = r.int(9); n > 0; n--) a[r.chance(0.1) ? String(r.int(100)) : text(r, 1, 10)] = r.chance(0.15) ? '' : text(r, 0, r.chance(0.05) ? 200 : 20);
  return a;
}

/** Counters up to 2^64 - 1, or leaving room for `advances` takeovers' advance. */
function countersOf(r: Prng, advances: number): Record<string, bigint> {
  const c: Record<string, bigint> = {};
  const max = U64_MAX - ADVANCE * BigInt(advances);
  for (let n = r.int(5); n > 0; n--) {
    const v = r.pick(['small', 'big', 'max'] as const);
    c[text(r, 1, 8)] = v === 'small' ? BigInt(r.int(1000)) : v === 'max' ? max : r.bigint(64) % (max + 1n);
  }
  return c;
}

/** A packed section from raw bytes: count, then length-prefixed byte strings (a value of a counter as a varint). */
function section(entries: Array<[number[], number[]]>, counters: boolean): Uint8Array {
  const out: number[] = [entries.length];
  for (const [k, v] of entries) out.push(k.length, ...k, ...(counters ? v : [v.length, ...v]));
  return new Uint8Array(out);
}

const utf8 = (s: string): number[] => [...Buffer.from(s)];

function run(seed: number): void {
  const r = new Prng(seed);
  const store = new SessionStore();
  const records = store.records;
  records.advanceBy = ADVANCE;
  const sessions: Session[] = [];
  const takeovers = r.range(1, 3);
  let version = 1;
  const add = (packed: boolean, advances: number): void => {
    const id = text(r, 15, 24);
    if (store.get(id)) return;
    const attrs = attrsOf(r);
    const counters = countersOf(r, advances);
    const s = store.insert(id, r.pick(['ims', 'non-ims'] as const), r.int(2 ** 44), r.int(86_400_000), r.int(2 ** 44), packed ? null : attrs, packed ? null : counters, version++);
    if (packed) expect(records.packObjects(s, attrs, counters)).toBe(true);
    sessions.push(s);
  };
  // Packed before each takeover: its counters are advanced when read, by as many as it missed.
  for (let t = 0; t < takeovers; t++) {
    for (let n = r.range(5, 20); n > 0; n--) add(true, takeovers - t);
    records.takeover();
  }
  for (let n = r.range(20, 60); n > 0; n--) add(r.chance(0.5), 0);
  // Bytes as a peer may send them: not UTF-8 (read as U+FFFD), a key named twice (the last wins).
  const odd = [
    [section([[utf8('apn'), [0xc3, 0x28]], [utf8('k'), utf8('v')]], false), section([], true)],
    [section([[utf8('k'), utf8('a')], [utf8('é'), utf8('b')], [utf8('k'), utf8('c')]], false), section([[utf8('n'), [5]], [[0xff, 0xfe], [7]]], true)],
    [section([[[0xe0, 0x80, 0x80], utf8('x')]], false), section([[utf8('n'), [1]]], true)],
    [section([[utf8('k'), utf8('a')], [utf8('k'), utf8('😀')]], false), section([[utf8('n'), [1]], [utf8('n'), [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]]], true)],
  ];
  for (const [a, c] of odd) {
    const s = store.insert(`peer-bytes-${version}-é`, 'non-ims', 1, 2, 3, null, null, version++);
    expect(records.pack(s, a, 0, a.length, c, 0, c.length)).toBe(true);
    sessions.push(s);
  }
  // In the table's order, mixed.
  for (let i = sessions.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [sessions[i], sessions[j]] = [sessions[j], sessions[i]];
  }
  const before = sessions.map((s) => toRecord(s));
  const enc = new ChunkEncoder();
  const size = r.range(1, 25);
  const sent: SessionRecord[][] = [];
  const bodies: Uint8Array[] = [];
  for (let i = 0; i < sessions.length; i += size) {
    const part = sessions.slice(i, i + size);
    for (const s of part) enc.add(s);
    expect(enc.length).toBe(part.length);
    const list = enc.take();
    sent.push(Array.from(list));
    bodies.push(encodeMessageBody({ kind: 'macroCheckpointChunk', body: { snapshotId: seed, chunkSequence: bodies.length + 1, sessions: list } }));
  }
  const hint = replayHint(seed);
  const expected = before;
  const fast: SessionRecord[] = [];
  const generated: SessionRecord[] = [];
  bodies.forEach((b, k) => {
    const m = decodeMessageBody(MessageType.MacroCheckpointChunk, b);
    if (m.kind !== 'macroCheckpointChunk') throw new Error(m.kind);
    expect(m.body.chunkSequence, hint).toBe(k + 1);
    fast.push(...m.body.sessions);
    const g = decodeMacroCheckpointChunkGenerated(b);
    expect(g.snapshotId, hint).toBe(seed);
    generated.push(...g.sessions);
  });
  expect(fast, hint).toEqual(expected);
  expect(generated, hint).toEqual(expected);
  // The list read in process (no link) gives the same records.
  expect(sent.flat(), hint).toEqual(expected);
  // The sessions are as they were, packed ones still packed.
  expect(sessions.map((s) => toRecord(s)), hint).toEqual(before);
  expect(sessions.filter((s) => s.packed >= 0).length, hint).toBeGreaterThan(takeovers * 5);
  // The odd bytes did read as the decoding reads them.
  const byId = new Map(expected.map((x) => [x.id, x]));
  const oddRecords = [...byId.values()].filter((x) => x.id.startsWith('peer-bytes-')).sort((x, y) => x.version - y.version);
  const lenient = (b: number[]): string => Buffer.from(b).toString('utf8');
  expect(oddRecords.map((x) => [x.attrs, x.counters]), hint).toEqual([
    [{ apn: lenient([0xc3, 0x28]), k: 'v' }, {}],
    [{ k: 'c', é: 'b' }, { n: 5n, [lenient([0xff, 0xfe])]: 7n }],
    [{ [lenient([0xe0, 0x80, 0x80])]: 'x' }, { n: 1n }],
    [{ k: '😀' }, { n: U64_MAX }],
  ]);
}

describe('macro chunks written from the table', () => {
  for (const seed of propertySeeds(20261206, 4)) {
    it(`seed ${seed}`, () => run(seed));
  }

  it('refuses a session the wire cannot carry with SRP_ERR_BAD_MESSAGE and keeps the others', () => {
    const store = new SessionStore();
    const enc = new ChunkEncoder();
    const good = store.insert('imsi-0000000001', 'ims', 1, 2, 3, { a: 'b' }, { c: 1n }, 1);
    const bad = store.insert('imsi-0000000002', 'ims', 1, 2, 3.5, {}, {}, 2);
    const packed = store.insert('imsi-0000000003', 'non-ims', 1, 2, 3, null, null, 3);
    expect(store.records.packObjects(packed, { x: 'y' }, { n: U64_MAX })).toBe(true);
    enc.add(good);
    let code = '';
    try {
      enc.add(bad);
    } catch (err) {
      code = isWireError(err) ? err.code : String(err);
    }
    expect(code).toBe('SRP_ERR_BAD_MESSAGE');
    enc.add(packed);
    const list = enc.take();
    expect(list.length).toBe(2);
    expect(Array.from(list)).toEqual([toRecord(good), toRecord(packed)]);
  });
});
