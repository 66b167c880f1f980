// Property test of the Standby's macro apply from record bytes (receiver/record-transcoder.ts).
// Random session records (ids of 15-24 characters, ASCII or not; 0-8 attributes, empty and
// non-ASCII values among them; counters over the whole uint64 range), encoded as a
// MacroCheckpointChunk by the generated encoder, plus hand-built records in encodings the encoder
// never writes (fields out of order, a repeated singular field, a repeated map key, a map entry's
// fields reversed or missing, varints longer than needed, unknown fields, a key of digits, a
// record too large to pack), are decoded as the link decodes them and applied by two Standbys:
// one from the received chunk (read from its bytes where the transcoder can), one from the same
// records decoded into objects first (the path the transcoder replaces). Both must end with the
// same sessions, packed the same bytes, and equal to what the wire decodes. A fixed seed by
// default (CI); SRP_PROPERTY_SEED and SRP_PROPERTY_RUNS run more.
import { decodeMessageBody, EncodedSessionRecords, encodeMessageBody, messageTypeOf, type SessionRecordList } from '@srp-ha/wire';
import { describe, expect, it } from 'vitest';
import { CheckpointEngine, ManualClock, type MacroCheckpointChunk, type SessionRecord } from '../src/index.js';
import { PayloadWriter, type Session, storeOf, toView } from '../src/internal.js';
import { RecordTranscoder } from '../src/receiver/record-transcoder.js';
import { MemoryLink } from '../src/testing.js';
import { Prng, propertySeeds, replayHint } from './prng.js';

const RANDOM_RECORDS = 300;
const ID_CHARS = ['a', 'Z', '0', '9', '-', '.', 'é', 'ß', '日', '本', '😀'];
const KEYS = ['apn', 'ip', 'imsi', 'msisdn', 'rat', 'qos', '__proto__', 'é', '名前', 'a b', '', '😀'];
const VALUES = ['', 'internet', '10.0.0.1', 'é', '日本語', '😀😀', 'x'.repeat(100)];
const COUNTER_KEYS = ['up', 'down', 'seq', 'ß', 'pkts'];
const U64_MAX = (1n << 64n) - 1n;

function randomId(r: Prng, n: number): string {
  const length = r.range(15, 24);
  let id = `s${n}-`;
  while (id.length < length) id += r.pick(ID_CHARS);
  return id;
}

function randomRecord(r: Prng, n: number): SessionRecord {
  const attrs: Record<string, string> = {};
  for (let k = r.int(9); k > 0; k--) attrs[r.pick(KEYS)] = r.chance(0.3) ? `${r.u32()}` : r.pick(VALUES);
  const counters: Record<string, bigint> = {};
  for (let k = r.int(5); k > 0; k--) counters[r.pick(COUNTER_KEYS)] = r.pick([0n, 1n, 127n, 128n, 1n << 31n, 1n << 53n, 1n << 63n, U64_MAX, r.bigint(64), BigInt(r.u32())]);
  // A key of digits now and then: the transcoder declines such a record.
  if (r.chance(0.05)) attrs[`${r.int(100)}`] = 'digits';
  return { id: randomId(r, n), sessionClass: r.int(2), createdAtMs: r.int(2 ** 45), lifetimeMs: r.int(2 ** 30), expiresAtMs: r.int(2 ** 45), attrs, counters, version: r.int(2 ** 40) };
}

/* ---- hand-built protobuf ---- */

function varint(v: bigint | number, minBytes = 1): number[] {
  let x = BigInt(v);
  const out: number[] = [];
  while (x >= 0x80n || out.length < minBytes - 1) {
    out.push(Number(x & 0x7fn) | 0x80);
    x >>= 7n;
  }
  out.push(Number(x));
  return out;
}
const utf8 = (s: string): number[] => [...Buffer.from(s, 'utf8')];
const field = (tag: number, bytes: number[], lengthBytes = 1): number[] => [tag, ...varint(bytes.length, lengthBytes), ...bytes];
const str = (tag: number, s: string, lengthBytes = 1): number[] => field(tag, utf8(s), lengthBytes);
const num = (tag: number, v: bigint | number, minBytes = 1): number[] => [tag, ...varint(v, minBytes)];
const attr = (k: string, v: string): number[] => field(0x32, [...str(0x0a, k), ...str(0x12, v)]);
const counter = (k: string, v: bigint, minBytes = 1): number[] => field(0x3a, [...str(0x0a, k), ...num(0x10, v, minBytes)]);
const base = (id: string): number[] => [...str(0x0a, id), ...num(0x10, 1), ...num(0x18, 1000), ...num(0x20, 60_000), ...num(0x28, 61_000), ...num(0x40, 7)];

/** Hand-built records: the bytes, and whether the transcoder reads them (else it declines). */
function oddRecords(r: Prng): { how: string; bytes: number[]; read: boolean }[] {
  const id = (how: string): string => `odd-${how}-${r.u32()}-é`;
  return [
    { how: 'fields reversed', read: true, bytes: [...counter('up', 5n), ...attr('apn', 'x'), ...num(0x40, 3), ...num(0x28, 9), ...num(0x20, 8), ...num(0x18, 7), ...num(0x10, 0), ...str(0x0a, id('rev'))] },
    { how: 'repeated singular fields', read: true, bytes: [...str(0x0a, 'first-id-that-loses'), ...num(0x40, 1), ...base(id('rep')), ...num(0x40, 99), ...num(0x10, 0)] },
    { how: 'missing fields', read: true, bytes: [...str(0x0a, id('bare'))] },
    { how: 'counter varints longer than needed', read: true, bytes: [...base(id('long')), ...counter('zero', 0n, 2), ...counter('five', 5n, 3), ...counter('max', U64_MAX, 10), ...counter('big', 1n << 40n, 9)] },
    { how: 'a 10-byte counter past 64 bits', read: true, bytes: [...base(id('wide')), ...field(0x3a, [...str(0x0a, 'c'), 0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])] },
    { how: 'length prefixes longer than needed', read: true, bytes: [...base(id('len')), ...field(0x32, [...str(0x0a, 'k', 2), ...str(0x12, 'value', 3)], 2)] },
    { how: 'attrs and counters interleaved', read: true, bytes: [...attr('a', '1'), ...counter('c', 1n), ...base(id('mix')), ...attr('b', ''), ...counter('d', 0n)] },
    { how: 'a repeated attr key', read: false, bytes: [...base(id('dupa')), ...attr('apn', 'first'), ...attr('ip', 'x'), ...attr('apn', 'last')] },
    { how: 'a repeated counter key', read: false, bytes: [...base(id('dupc')), ...counter('up', 1n), ...counter('up', 2n)] },
    { how: 'entry fields reversed', read: false, bytes: [...base(id('erev')), ...field(0x32, [...str(0x12, 'v'), ...str(0x0a, 'k')])] },
    { how: 'entry value missing', read: false, bytes: [...base(id('nov')), ...field(0x32, str(0x0a, 'k')), ...field(0x3a, str(0x0a, 'c'))] },
    { how: 'entry key missing', read: false, bytes: [...base(id('nok')), ...field(0x32, str(0x12, 'v'))] },
    { how: 'entry with an unknown field', read: false, bytes: [...base(id('eunk')), ...field(0x32, [...str(0x0a, 'k'), ...str(0x12, 'v'), ...num(0x18, 1)])] },
    { how: 'an unknown varint field', read: false, bytes: [...base(id('unk')), ...num(0x48, 5), ...attr('a', 'b')] },
    { how: 'an unknown field past 15', read: false, bytes: [...base(id('unk20')), 0xa2, 0x01, 1, 0x41, ...attr('a', 'b')] },
    { how: 'a key of digits', read: false, bytes: [...base(id('digits')), ...attr('b', '1'), ...attr('10', '2')] },
    { how: 'a time in 9 bytes', read: false, bytes: [...base(id('t9')), ...num(0x18, 5, 9)] },
    { how: 'an attribute too large for the scratch', read: false, bytes: [...base(id('huge')), ...attr('big', 'v'.repeat(2000))] },
    // Each section fits, the record does not: read, then pack declines, and the caller keeps objects.
    { how: 'a record too large to pack', read: true, bytes: [...base(id('large')), ...attr('a', 'v'.repeat(1000)), ...counter('c1', U64_MAX), ...counter('c2', U64_MAX), ...counter('c3', U64_MAX)] },
  ];
}

function chunkBytes(snapshotId: number, records: number[][]): Uint8Array {
  return Uint8Array.from([...num(0x08, snapshotId), ...num(0x10, 1), ...records.flatMap((rec) => field(0x1a, rec))]);
}

/* ---- the two Standbys ---- */

function standby(): CheckpointEngine {
  const link = new MemoryLink();
  const e = new CheckpointEngine({ clock: new ManualClock(), transport: link.b, config: { sessionDurationMs: 0, sessionDurationImsMs: 0, auditEnabled: false } });
  e.becomeStandby();
  return e;
}

async function apply(e: CheckpointEngine, snapshotId: number, chunks: MacroCheckpointChunk[]): Promise<void> {
  e.handle({ kind: 'macroCheckpointBegin', body: { snapshotId, sessionCount: 0, reason: 'bulk-sync', startedAtMs: 0, resumeAfterBatch: 0 } });
  for (const c of chunks) e.handle({ kind: 'macroCheckpointChunk', body: { ...c, snapshotId, chunkSequence: chunks.indexOf(c) + 1 } });
  await e.drain();
}

/** s's packed record bytes (header and both sections), or null when s keeps objects. */
/**
 * A packed session's record as the sender writes it (names spelled out, whatever numbers the
 * engine's name dictionary gave them, which depend on the order it met them).
 */
function packedBytes(e: CheckpointEngine, s: Session): string | null {
  if (s.packed < 0) return null;
  const w = new PayloadWriter();
  storeOf(e).records.writeSection(s, w, false);
  storeOf(e).records.writeSection(s, w, true);
  return Buffer.from(w.take()).toString('hex');
}

function decodeChunk(bytes: Uint8Array): MacroCheckpointChunk {
  return (decodeMessageBody(messageTypeOf({ kind: 'macroCheckpointChunk', body: { snapshotId: 0, chunkSequence: 0, sessions: [] } }), bytes) as { body: MacroCheckpointChunk }).body;
}

async function run(seed: number): Promise<void> {
  const r = new Prng(seed);
  const at = replayHint(seed);
  const records = Array.from({ length: RANDOM_RECORDS }, (_, n) => randomRecord(r, n));
  const generated = decodeChunk(encodeMessageBody({ kind: 'macroCheckpointChunk', body: { snapshotId: 1, chunkSequence: 1, sessions: records } }));
  const odd = oddRecords(r);
  const handBuilt = decodeChunk(chunkBytes(1, odd.map((o) => o.bytes)));
  const chunks = [generated, handBuilt];

  // What the transcoder reads and declines, record by record (else the test below could pass on
  // the old path alone).
  const t = new RecordTranscoder();
  const reads = (list: SessionRecordList, i: number): boolean => {
    if (!(list instanceof EncodedSessionRecords)) throw new Error('a received chunk keeps its records encoded');
    return t.read(list.body, list.recordStart(i), list.recordEnd(i));
  };
  for (let i = 0; i < records.length; i++) {
    const digits = Object.keys(records[i].attrs).some((k) => /^[0-9]+$/.test(k));
    expect(reads(generated.sessions, i), `${at}: generated record ${i} ${JSON.stringify(records[i].attrs)}`).toBe(!digits);
    if (!digits) {
      expect([t.id, t.sessionClass, t.createdAtMs, t.lifetimeMs, t.expiresAtMs, t.version], `${at}: record ${i}`).toEqual([records[i].id, records[i].sessionClass, records[i].createdAtMs, records[i].lifetimeMs, records[i].expiresAtMs, records[i].version]);
    }
  }
  odd.forEach((o, i) => expect(reads(handBuilt.sessions, i), `${at}: ${o.how}`).toBe(o.read));

  // Applied from the received chunks, and from the same records decoded into objects first.
  // The received chunks' records are decoded (at(i)) only where the transcoder declines, or
  // where it read a record too large to pack.
  const fast = standby();
  const old = standby();
  const decodedAt: number[] = [];
  const counted = chunks.map((c, k) => ({
    ...c,
    sessions: new Proxy(c.sessions, {
      get(target, prop, receiver) {
        if (prop !== 'at') return Reflect.get(target, prop, receiver) as unknown;
        return (i: number) => {
          decodedAt.push(k * 1000 + i);
          return target.at(i);
        };
      },
    }),
  }));
  await apply(fast, 5, counted);
  const digitKeyed = records.flatMap((rec, i) => (Object.keys(rec.attrs).some((key) => /^[0-9]+$/.test(key)) ? [i] : []));
  const oddDecoded = odd.flatMap((o, i) => (!o.read || o.how.includes('too large to pack') ? [1000 + i] : []));
  expect(decodedAt, at).toEqual([...digitKeyed, ...oddDecoded]);
  await apply(old, 5, chunks.map((c) => ({ ...c, sessions: Array.from(c.sessions) })));

  // Expected: the wire's decoding, the last record of an id winning.
  const expected = new Map<string, SessionRecord>();
  for (const c of chunks) for (const rec of c.sessions) expected.set(rec.id, rec);
  const fastStore = storeOf(fast);
  const oldStore = storeOf(old);
  expect(fastStore.size, at).toBe(expected.size);
  expect(oldStore.size, at).toBe(expected.size);
  const unpacked: string[] = [];
  for (const [id, rec] of expected) {
    const a = fastStore.get(id);
    const b = oldStore.get(id);
    expect(a && b, `${at}: ${id} applied by both`).toBeTruthy();
    const va = toView(a as Session);
    expect(va, `${at}: ${id}`).toEqual(toView(b as Session));
    expect({ ...va, attrs: { ...va.attrs }, counters: { ...va.counters } }, `${at}: ${id} as the wire decodes it`).toMatchObject({
      id,
      class: rec.sessionClass === 1 ? 'ims' : 'non-ims',
      createdAt: rec.createdAtMs,
      lifetimeMs: rec.lifetimeMs,
      expiresAt: rec.expiresAtMs,
      version: rec.version,
      attrs: rec.attrs,
      counters: rec.counters,
    });
    expect(Object.keys(va.attrs), `${at}: ${id} attribute order`).toEqual(Object.keys(rec.attrs));
    expect(packedBytes(fast, a as Session), `${at}: ${id} packed bytes`).toBe(packedBytes(old, b as Session));
    if ((a as Session).packed < 0) unpacked.push(id.split('-')[1]);
    else {
      expect(fastStore.records.readAttrs(a as Session), `${at}: ${id} reads back`).toEqual(rec.attrs);
      expect(fastStore.records.readCounters(a as Session), `${at}: ${id} reads back`).toEqual(rec.counters);
    }
  }
  // The records too large to pack stay objects on both; the others are packed.
  expect(unpacked.sort(), at).toEqual(['huge', 'large']);
}

describe('macro apply from record bytes: the same sessions and packed bytes as decoding the records first', () => {
  for (const seed of propertySeeds(20_261_206, 3)) it(`seed ${seed}`, () => run(seed));
});
