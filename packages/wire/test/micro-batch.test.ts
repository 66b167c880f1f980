// The hand-written MicroCheckpointBatch decoder (src/micro-batch.ts) against the generated one:
// on every input both fail, or both give the same batch.
import { describe, expect, it } from 'vitest';
import { decodeMicroCheckpointBatchGenerated } from '../src/body.js';
import { MessageType, decodeMessageBody, encodeMessageBody, isWireError } from '../src/index.js';
import { decodeMicroCheckpointBatch } from '../src/micro-batch.js';
import { delimited, expectSameDecoding, field, fuzzSameDecoding, microItems, utf8, varint } from './fixtures.js';

function expectSame(bytes: Uint8Array): boolean {
  return expectSameDecoding(bytes, () => decodeMicroCheckpointBatch(Buffer.from(bytes)), () => decodeMicroCheckpointBatchGenerated(bytes));
}

const item = (...parts: number[][]): number[] => delimited(2, parts.flat());

describe('MicroCheckpointBatch fast decoder', () => {
  it('equals the generated decoder on valid batches, ids of every script included', () => {
    const ids = ['s-1', '', 'é', '\uFEFFbom', 'abcdefgh\uFEFFx', 'ＩＭＳＩ-001', '😀'.repeat(20), 'x'.repeat(300)];
    const batch = {
      batchSequence: 2 ** 53 - 1,
      items: [...microItems(50), ...ids.map((sessionId, k) => ({ commandId: 255, sessionId, version: k, payload: new Uint8Array(k) }))],
    };
    const bytes = encodeMessageBody({ kind: 'microCheckpointBatch', body: batch });
    expect(expectSame(bytes)).toBe(true);
    expect(decodeMessageBody(MessageType.MicroCheckpointBatch, bytes)).toEqual({ kind: 'microCheckpointBatch', body: batch });
    expect(expectSame(new Uint8Array(0))).toBe(true);
  });

  it('follows protobuf rules: unknown fields and groups skipped, last value wins, bad encodings refused', () => {
    const cases: number[][] = [
      // unknown fields of every wire type, at both levels, and a known field with another wire type
      [...field(1, 0), 7, ...field(9, 0), 0xff, 0xff, 0x01, ...field(10, 1), ...Array<number>(8).fill(1), ...field(11, 5), 1, 2, 3, 4, ...delimited(12, [1, 2])],
      [...field(1, 2), 1, 5, ...item([...field(1, 0), 3], [...field(7, 5), 0, 0, 0, 0], delimited(2, utf8('a')), [...field(1, 1), ...Array<number>(8).fill(0)])],
      // groups, nested, with the right and the wrong end tag
      [...field(5, 3), ...field(6, 3), ...field(6, 4), ...field(5, 4), ...field(1, 0), 1],
      [...field(5, 3), ...field(6, 4)],
      [...field(5, 3)],
      [...field(5, 4)],
      // repeated singular fields: the last wins; empty values are defaults
      [...field(1, 0), 1, ...field(1, 0), 2, ...item([...field(1, 0), 0], delimited(2, []), delimited(4, []))],
      // varints: a 10-byte command id, an 11-byte one, a 6-byte tag, a too-long length
      [...item([...field(1, 0), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])],
      [...item([...field(1, 0), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])],
      [0x88, 0x80, 0x80, 0x80, 0x80, 0x00],
      [0x88, 0x80, 0x80, 0x80, 0x10, 0x01],
      [...field(2, 2), 0x80, 0x80, 0x80, 0x80, 0x08],
      [...field(2, 2), 0x80, 0x80],
      // versions and sequences above 2^53
      [...field(1, 0), ...varint(2 ** 53)],
      [...item([...field(3, 0), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])],
      // ... refused only as the field's last value: a later one wins
      [...item([...field(3, 0), ...varint(2 ** 60)], [...field(3, 0), 5])],
      [...field(1, 0), ...varint(2 ** 60), ...field(1, 0), 1],
      // invalid UTF-8 in an id; an item longer than the batch; field number 0; wire types 6, 7
      [...item(delimited(2, [0xc3, 0x28]))],
      [...item(delimited(2, [0xed, 0xa0, 0x80]))],
      [...field(2, 2), 10, 8, 1],
      [0x00, 0x01],
      [...field(3, 6)],
      [...field(3, 7)],
      // deep groups (the recursion limit)
      [...Array.from({ length: 101 }, () => field(5, 3)).flat(), ...Array.from({ length: 101 }, () => field(5, 4)).flat()],
      [...Array.from({ length: 99 }, () => field(5, 3)).flat(), ...Array.from({ length: 99 }, () => field(5, 4)).flat()],
    ];
    const accepted = cases.map((c) => expectSame(new Uint8Array(c)));
    expect(accepted.filter(Boolean).length).toBeGreaterThan(3);
    expect(accepted.filter((a) => !a).length).toBeGreaterThan(3);
  });

  it('20k mutated batches: the same outcome as the generated decoder every time', () => {
    const base = [
      encodeMessageBody({ kind: 'microCheckpointBatch', body: { batchSequence: 7, items: microItems(6) } }),
      encodeMessageBody({ kind: 'microCheckpointBatch', body: { batchSequence: 300, items: [{ commandId: 2, sessionId: 'é-ü', version: 2 ** 40, payload: new Uint8Array([1, 2, 3]) }] } }),
    ];
    fuzzSameDecoding(0x5eed, base, expectSame);
  });

  it('decodeMessageBody wraps a bad batch in SRP_ERR_BAD_MESSAGE and never aliases the input', () => {
    let code = '';
    try {
      decodeMessageBody(MessageType.MicroCheckpointBatch, new Uint8Array([...field(2, 2), 10, 8, 1]));
    } catch (err) {
      code = isWireError(err) ? err.code : 'untyped';
    }
    expect(code).toBe('SRP_ERR_BAD_MESSAGE');
    const bytes = encodeMessageBody({ kind: 'microCheckpointBatch', body: { batchSequence: 1, items: microItems(2) } });
    const msg = decodeMessageBody(MessageType.MicroCheckpointBatch, bytes);
    const before = msg.kind === 'microCheckpointBatch' ? Buffer.from(msg.body.items[0].payload) : Buffer.alloc(0);
    bytes.fill(0);
    expect(msg.kind === 'microCheckpointBatch' && Buffer.from(msg.body.items[0].payload)).toEqual(before);
  });

  it('decodes an owned body (a decompressed one) in place: the item payloads are views of it', () => {
    const encoded = encodeMessageBody({ kind: 'microCheckpointBatch', body: { batchSequence: 1, items: microItems(3) } });
    const owned = Buffer.allocUnsafeSlow(encoded.length); // its own ArrayBuffer, as a decompressor's output
    owned.set(encoded);
    const copied = decodeMessageBody(MessageType.MicroCheckpointBatch, owned);
    const inPlace = decodeMessageBody(MessageType.MicroCheckpointBatch, owned, true);
    expect(inPlace).toEqual(copied);
    const items = inPlace.kind === 'microCheckpointBatch' ? inPlace.body.items : [];
    expect(items.length).toBe(3);
    for (const it of items) if (it.payload.length > 0) expect(it.payload.buffer).toBe(owned.buffer);
    const other = copied.kind === 'microCheckpointBatch' ? copied.body.items : [];
    for (const it of other) if (it.payload.length > 0) expect(it.payload.buffer).not.toBe(owned.buffer);
    // A plain Uint8Array is never taken as owned (the decoder needs a Buffer): copied.
    const plain = new Uint8Array(owned);
    const fromPlain = decodeMessageBody(MessageType.MicroCheckpointBatch, plain, true);
    for (const it of fromPlain.kind === 'microCheckpointBatch' ? fromPlain.body.items : []) if (it.payload.length > 0) expect(it.payload.buffer).not.toBe(plain.buffer);
  });
});
