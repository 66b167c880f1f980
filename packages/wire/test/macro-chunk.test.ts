// The MacroCheckpointChunk decoder (src/macro-chunk.ts), which checks a chunk when it arrives
// and decodes each record when it is read, against the generated decoder: on every input both
// fail, or both give the same chunk, record for record.
import { describe, expect, it } from 'vitest';
import { decodeMacroCheckpointChunkGenerated } from '../src/body.js';
import { MessageType, decodeMessageBody, encodeMessageBody, isWireError, type MacroCheckpointChunk, type SessionRecord } from '../src/index.js';
import { decodeMacroCheckpointChunk } from '../src/macro-chunk.js';
import { delimited, expectSameDecoding, field, fuzzSameDecoding, sessionRecord, utf8, varint } from './fixtures.js';

/** Every record read: the form a receiver sees. */
function readAll(c: MacroCheckpointChunk): MacroCheckpointChunk {
  const sessions: SessionRecord[] = [];
  for (let i = 0; i < c.sessions.length; i++) sessions.push(c.sessions.at(i) as SessionRecord);
  return { ...c, sessions };
}

function expectSame(bytes: Uint8Array): boolean {
  return expectSameDecoding(bytes, () => readAll(decodeMacroCheckpointChunk(Buffer.from(bytes))), () => decodeMacroCheckpointChunkGenerated(bytes));
}

const record = (...parts: number[][]): number[] => delimited(3, parts.flat());
const attr = (k: number[], v: number[]): number[] => delimited(6, [...k, ...v]);
const counter = (k: number[], v: number[]): number[] => delimited(7, [...k, ...v]);

describe('MacroCheckpointChunk decoder', () => {
  it('equals the generated decoder on valid chunks, ids and attributes of every script included', () => {
    const odd: SessionRecord = {
      ...sessionRecord(3),
      id: 'ＩＭＳＩ-😀',
      attrs: { 'é': 'ü', '': '', __proto__x: 'y', '1': 'integer-like key' },
      counters: { max: 2n ** 64n - 1n, zero: 0n, edge: 2n ** 53n },
      version: 2 ** 53 - 1,
    };
    const chunk = { snapshotId: 2 ** 53 - 1, chunkSequence: 7, sessions: [...[1, 2, 3, 4].map(sessionRecord), odd] };
    const bytes = encodeMessageBody({ kind: 'macroCheckpointChunk', body: chunk });
    expect(expectSame(bytes)).toBe(true);
    const out = decodeMessageBody(MessageType.MacroCheckpointChunk, bytes);
    if (out.kind !== 'macroCheckpointChunk') throw new Error(out.kind);
    expect(readAll(out.body)).toEqual(chunk);
    expect(expectSame(new Uint8Array(0))).toBe(true);
  });

  it('follows protobuf rules: unknown fields and groups skipped, last value wins, bad encodings refused', () => {
    const cases: number[][] = [
      // unknown fields of every wire type at the chunk, record and map-entry level, and known
      // fields with another wire type
      [...field(1, 0), 7, ...field(9, 0), 0xff, 0x01, ...field(10, 1), ...Array<number>(8).fill(1), ...field(11, 5), 1, 2, 3, 4, ...delimited(12, [1, 2])],
      [...record([...field(2, 2), 1, 5], [...field(3, 2), 0], [...field(9, 5), 0, 0, 0, 0], delimited(1, utf8('a')), [...field(1, 0), 1])],
      [...record(attr([...field(1, 0), 1, ...field(3, 5), 0, 0, 0, 0], delimited(2, utf8('v'))), counter(delimited(1, utf8('k')), delimited(2, [1])))],
      // map entries: a missing key or value, the last key or value of an entry, a key given twice
      [...record(attr([], []), counter([], []), attr(delimited(1, utf8('a')), []), counter([], [...field(2, 0), 5]))],
      [...record(attr([...delimited(1, utf8('a')), ...delimited(1, utf8('b'))], [...delimited(2, utf8('1')), ...delimited(2, utf8('2'))]))],
      [...record(attr(delimited(1, utf8('k')), delimited(2, utf8('first'))), attr(delimited(1, utf8('k')), delimited(2, utf8('second'))))],
      [...record(counter(delimited(1, utf8('c')), [...field(2, 0), 1]), counter(delimited(1, utf8('c')), [...field(2, 0), 2]))],
      // a key __proto__ is an own property, in attributes and in counters
      [...record(attr(delimited(1, utf8('__proto__')), delimited(2, utf8('x'))), counter(delimited(1, utf8('__proto__')), [...field(2, 0), 9]))],
      // counters: 2^53, 2^64 - 1, and a varint above 64 bits (truncated to 64)
      [...record(counter(delimited(1, utf8('a')), [...field(2, 0), ...varint(2n ** 53n)]), counter(delimited(1, utf8('b')), [...field(2, 0), ...varint(2n ** 64n - 1n)]))],
      [...record(counter(delimited(1, utf8('c')), [...field(2, 0), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]))],
      [...record(counter(delimited(1, utf8('c')), [...field(2, 0), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]))],
      // numbers above 2^53: refused as a field's last value, ignored when a later one wins
      [...record([...field(3, 0), ...varint(2n ** 53n + 1n)])],
      [...record([...field(8, 0), ...varint(2n ** 60n)], [...field(8, 0), 5])],
      [...field(1, 0), ...varint(2n ** 53n + 2n), ...field(1, 0), 1],
      [...field(2, 0), ...varint(2n ** 64n)],
      // groups, nested, with the right and the wrong end tag, in a record
      [...record([...field(5, 3), ...field(6, 3), ...field(6, 4), ...field(5, 4)], [...field(2, 0), 1])],
      [...record([...field(12, 3), ...field(13, 4)])],
      [...record(field(12, 3))],
      [...record(field(12, 4))],
      // invalid UTF-8 in an id, a key and a value; a record longer than the chunk; an entry longer
      // than its record; field number 0; wire types 6 and 7
      [...record(delimited(1, [0xc3, 0x28]))],
      [...record(attr(delimited(1, [0xed, 0xa0, 0x80]), []))],
      [...record(counter(delimited(1, utf8('ok')), []), attr([], delimited(2, [0xff])))],
      [...field(3, 2), 10, 8, 1],
      [...field(3, 2), 3, ...field(6, 2), 9, 0],
      [...record([0x00, 0x01])],
      [...record(field(4, 6))],
      [...field(3, 7)],
      // deep groups in a record (the recursion limit)
      [...record(Array.from({ length: 100 }, () => field(5, 3)).flat(), Array.from({ length: 100 }, () => field(5, 4)).flat())],
      [...record(Array.from({ length: 98 }, () => field(5, 3)).flat(), Array.from({ length: 98 }, () => field(5, 4)).flat())],
    ];
    const accepted = cases.map((c) => expectSame(new Uint8Array(c)));
    expect(accepted.filter(Boolean).length).toBeGreaterThan(10);
    expect(accepted.filter((a) => !a).length).toBeGreaterThan(10);
  });

  it('20k mutated chunks: the same outcome as the generated decoder every time', () => {
    const small = (i: number): SessionRecord => ({ ...sessionRecord(i), attrs: { a: 'é', b: String(i) }, counters: { c: BigInt(i) * 2n ** 40n } });
    const base = [
      encodeMessageBody({ kind: 'macroCheckpointChunk', body: { snapshotId: 7, chunkSequence: 2, sessions: [small(1), small(2)] } }),
      encodeMessageBody({ kind: 'macroCheckpointChunk', body: { snapshotId: 300, chunkSequence: 1, sessions: [{ ...small(3), id: 'é-ü' }] } }),
    ];
    fuzzSameDecoding(0xc40c, base, expectSame);
  });

  it('fails the whole message on a bad record when it arrives, not when the record is read', () => {
    const good = encodeMessageBody({ kind: 'macroCheckpointChunk', body: { snapshotId: 1, chunkSequence: 1, sessions: [sessionRecord(1)] } });
    const bad = new Uint8Array([...good, ...record(delimited(1, [0xc3, 0x28]))]);
    let code = '';
    try {
      decodeMessageBody(MessageType.MacroCheckpointChunk, bad);
    } catch (err) {
      code = isWireError(err) ? err.code : 'untyped';
    }
    expect(code).toBe('SRP_ERR_BAD_MESSAGE');
  });

  it('reads records by index, from the end, or in order; never aliases a body it was not given', () => {
    const sent = [1, 2, 3].map(sessionRecord);
    const bytes = encodeMessageBody({ kind: 'macroCheckpointChunk', body: { snapshotId: 4, chunkSequence: 9, sessions: sent } });
    const out = decodeMessageBody(MessageType.MacroCheckpointChunk, bytes);
    if (out.kind !== 'macroCheckpointChunk') throw new Error(out.kind);
    bytes.fill(0); // a copy was taken
    const rs = out.body.sessions;
    expect(rs.length).toBe(3);
    expect(rs.at(0)).toEqual(sent[0]);
    expect(rs.at(-1)).toEqual(sent[2]);
    expect(rs.at(3)).toBeUndefined();
    expect(rs.at(-4)).toBeUndefined();
    expect([...rs]).toEqual(sent);
    // Each read is a fresh record: changing one does not change the next read.
    (rs.at(1) as SessionRecord).attrs.apn = 'changed';
    expect(rs.at(1)).toEqual(sent[1]);
    // A decoded chunk encodes again as the same bytes.
    const again = encodeMessageBody(out);
    expect(Buffer.from(again)).toEqual(Buffer.from(encodeMessageBody({ kind: 'macroCheckpointChunk', body: { snapshotId: 4, chunkSequence: 9, sessions: sent } })));
  });

  it('keeps an owned body (a decompressed one) instead of copying it', () => {
    const encoded = encodeMessageBody({ kind: 'macroCheckpointChunk', body: { snapshotId: 1, chunkSequence: 1, sessions: [sessionRecord(5)] } });
    const owned = Buffer.allocUnsafeSlow(encoded.length);
    owned.set(encoded);
    const inPlace = decodeMessageBody(MessageType.MacroCheckpointChunk, owned, true);
    const copied = decodeMessageBody(MessageType.MacroCheckpointChunk, owned);
    owned.fill(0);
    if (inPlace.kind !== 'macroCheckpointChunk' || copied.kind !== 'macroCheckpointChunk') throw new Error('kind');
    expect(copied.body.sessions.at(0)).toEqual(sessionRecord(5));
    // The in-place chunk reads its records from the owned body: zeroed, it is no record now.
    expect(() => inPlace.body.sessions.at(0)).toThrow(/field number 0/);
  });
});
