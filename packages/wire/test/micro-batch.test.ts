// The hand-written MicroCheckpointBatch decoder and encoder (src/micro-batch.ts) against the
// generated ones: on every input both fail, or both give the same batch (the same bytes).
import { describe, expect, it } from 'vitest';
import { decodeMicroCheckpointBatchGenerated, encodeMicroCheckpointBatchGenerated } from '../src/body.js';
import { MessageType, decodeMessageBody, encodeMessageBody, isWireError, type MicroCheckpointBatch } from '../src/index.js';
import { decodeMicroCheckpointBatch, encodeMicroCheckpointBatch } from '../src/micro-batch.js';
import { delimited, expectSameDecoding, field, fuzzSameDecoding, microItems, prng, utf8, varint } from './fixtures.js';

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

describe('MicroCheckpointBatch encoder', () => {
  const encode = (body: MicroCheckpointBatch): Uint8Array => encodeMicroCheckpointBatch(body, (size, write) => {
    // Written at an offset into a dirty buffer, as into a frame: every byte must be set.
    const buf = Buffer.alloc(size + 7, 0xee);
    write(buf, 3);
    expect(buf.subarray(0, 3)).toEqual(Buffer.alloc(3, 0xee));
    expect(buf.subarray(size + 3)).toEqual(Buffer.alloc(4, 0xee));
    return new Uint8Array(buf.subarray(3, size + 3));
  });

  it('gives the generated encoder\'s bytes: defaults left out, ids of every script, varints of every length', () => {
    const ids = ['s-1', '', 'é', '\uFEFFbom', 'ＩＭＳＩ-001', '😀'.repeat(20), 'x'.repeat(300), 'lone \uD800 surrogate', '\uDC00'];
    const numbers = [0, 1, 127, 128, 16_383, 16_384, 2 ** 21, 2 ** 28 - 1, 2 ** 28, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 35 - 1, 2 ** 35, 2 ** 42, 2 ** 49, 2 ** 53 - 1];
    const bodies: MicroCheckpointBatch[] = [
      { batchSequence: 0, items: [] },
      { batchSequence: 2 ** 53 - 1, items: microItems(50) },
      { batchSequence: 7, items: ids.map((sessionId, k) => ({ commandId: k * 40, sessionId, version: numbers[k], payload: new Uint8Array(k * 30).fill(k) })) },
      { batchSequence: 1, items: numbers.map((v, k) => ({ commandId: [0, 1, 255, 256, 2 ** 32 - 1, 2 ** 32, -1][k % 7], sessionId: `v${k}`, version: v, payload: new Uint8Array(v % 200) })) },
      // an item of 16 KiB (a 3-byte length), and one with nothing but defaults (an empty item)
      { batchSequence: 2, items: [{ commandId: 1, sessionId: 'big', version: 9, payload: new Uint8Array(16_384).fill(7) }, { commandId: 0, sessionId: '', version: 0, payload: new Uint8Array(0) }] },
    ];
    const rnd = prng(4);
    for (let b = 0; b < 200; b++) {
      const n = Math.floor(rnd() * 40);
      bodies.push({
        batchSequence: numbers[Math.floor(rnd() * numbers.length)],
        items: Array.from({ length: n }, () => ({
          commandId: Math.floor(rnd() * 300),
          sessionId: rnd() < 0.1 ? ids[Math.floor(rnd() * ids.length)] : `imsi-${Math.floor(rnd() * 1e12)}`,
          version: numbers[Math.floor(rnd() * numbers.length)],
          payload: Uint8Array.from({ length: Math.floor(rnd() * 300) }, () => Math.floor(rnd() * 256)),
        })),
      });
    }
    for (const body of bodies) {
      const bytes = encode(body);
      expect(Buffer.from(bytes).equals(Buffer.from(encodeMicroCheckpointBatchGenerated(body)))).toBe(true);
      expect(Buffer.from(encodeMessageBody({ kind: 'microCheckpointBatch', body })).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('refuses a sequence or version that is not a non-negative safe integer, before writing anything', () => {
    const bad: Array<[MicroCheckpointBatch, string]> = [
      [{ batchSequence: -1, items: [] }, 'uint64 value out of range: -1'],
      [{ batchSequence: 1.5, items: [] }, 'uint64 value out of range: 1.5'],
      [{ batchSequence: 1, items: [{ commandId: 1, sessionId: 'a', version: 2 ** 53, payload: new Uint8Array(1) }] }, `uint64 value out of range: ${2 ** 53}`],
      [{ batchSequence: 1, items: [{ commandId: 1, sessionId: 'a', version: NaN, payload: new Uint8Array(1) }] }, 'uint64 value out of range: NaN'],
    ];
    for (const [body, reason] of bad) {
      let emitted = false;
      expect(() => encodeMicroCheckpointBatch(body, () => (emitted = true))).toThrow(reason);
      expect(emitted).toBe(false);
      let code = '';
      try {
        encodeMessageBody({ kind: 'microCheckpointBatch', body });
      } catch (err) {
        code = isWireError(err) ? `${err.code} / ${err.message}` : 'untyped';
      }
      expect(code).toBe(`SRP_ERR_BAD_MESSAGE / SRP_ERR_BAD_MESSAGE: cannot encode microCheckpointBatch: ${reason}`);
    }
  });
});
