import { describe, expect, it } from 'vitest';
import {
  MESSAGE_TYPE_OF_KIND,
  MessageReader,
  MessageType,
  MessageWriter,
  decodeMessageBody,
  encodeMessageBody,
  getCodec,
  type SrpMessage,
} from '../src/index.js';
import { ALL_KINDS, EMPTY, FULL, KEY, codeOf, plainMessage, sessionRecord } from './fixtures.js';

describe('message bodies', () => {
  it('has one message type per kind, numbered as in the contract', () => {
    expect(ALL_KINDS).toHaveLength(20);
    expect(new Set(Object.values(MESSAGE_TYPE_OF_KIND)).size).toBe(20);
    expect(MessageType.Hello).toBe(1);
    expect(MessageType.Goodbye).toBe(16);
    expect(MessageType.SplitHandoff).toBe(24);
    expect(MessageType.SplitHandoffAck).toBe(25);
    expect(MessageType.HandshakeConfirm).toBe(32);
  });

  it.each(ALL_KINDS)('round trips %s with every field set', (kind) => {
    const msg = FULL[kind];
    const bytes = encodeMessageBody(msg);
    expect(plainMessage(decodeMessageBody(MESSAGE_TYPE_OF_KIND[kind], bytes))).toEqual(msg);
  });

  it.each(ALL_KINDS)('decodes an empty %s with every proto3 default present', (kind) => {
    const bytes = encodeMessageBody(EMPTY[kind]);
    expect(bytes.length).toBe(0); // defaults are not written
    const decoded = decodeMessageBody(MESSAGE_TYPE_OF_KIND[kind], bytes);
    expect(plainMessage(decoded)).toEqual(EMPTY[kind]);
    // every field is an own property (survives spread / JSON)
    expect(Object.keys(decoded.body).sort()).toEqual(Object.keys(EMPTY[kind].body).sort());
  });

  it('keeps 64-bit counters exact as bigint and other uint64 as number', () => {
    const rec = sessionRecord(7);
    rec.counters = { max: 2n ** 64n - 1n, big: 2n ** 63n + 5n, small: 3n, zero: 0n };
    const msg: SrpMessage = { kind: 'macroCheckpointChunk', body: { snapshotId: 1, chunkSequence: 1, sessions: [rec] } };
    const out = decodeMessageBody(MessageType.MacroCheckpointChunk, encodeMessageBody(msg));
    if (out.kind !== 'macroCheckpointChunk') throw new Error(out.kind);
    const s = out.body.sessions.at(0)!;
    expect(s.counters).toEqual({ max: 2n ** 64n - 1n, big: 2n ** 63n + 5n, small: 3n, zero: 0n });
    expect(typeof s.createdAtMs).toBe('number');
    expect(typeof s.version).toBe('number');
  });

  it('rejects a uint64 above 2^53 where a number is promised', async () => {
    // Hello field 10 (sequence), wire type varint, value 2^53 + 1
    const v = 2n ** 53n + 1n;
    const bytes: number[] = [(10 << 3) | 0];
    let x = v;
    while (x >= 0x80n) {
      bytes.push(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    bytes.push(Number(x));
    expect(await codeOf(() => decodeMessageBody(MessageType.Hello, new Uint8Array(bytes)))).toBe('SRP_ERR_BAD_MESSAGE');
  });

  it('refuses to encode out-of-range uint64 values', async () => {
    const bad = (sequence: number): SrpMessage => ({ kind: 'hello', body: { ...FULL.hello.body, sequence } });
    expect(await codeOf(() => encodeMessageBody(bad(-1)))).toBe('SRP_ERR_BAD_MESSAGE');
    expect(await codeOf(() => encodeMessageBody(bad(2 ** 60)))).toBe('SRP_ERR_BAD_MESSAGE');
    expect(await codeOf(() => encodeMessageBody(bad(1.5)))).toBe('SRP_ERR_BAD_MESSAGE');
    const rec = sessionRecord(1);
    rec.counters = { c: 2n ** 64n };
    const chunk: SrpMessage = { kind: 'macroCheckpointChunk', body: { snapshotId: 1, chunkSequence: 1, sessions: [rec] } };
    expect(await codeOf(() => encodeMessageBody(chunk))).toBe('SRP_ERR_BAD_MESSAGE');
    // the shared writer is still usable afterwards
    expect(decodeMessageBody(MessageType.Goodbye, encodeMessageBody(FULL.goodbye))).toEqual(FULL.goodbye);
  });

  it('copies bytes fields out of the input buffer', () => {
    const bytes = Buffer.from(encodeMessageBody(FULL.hello));
    const out = decodeMessageBody(MessageType.Hello, bytes);
    if (out.kind !== 'hello') throw new Error(out.kind);
    bytes.fill(0);
    expect(out.body.cfMac).toEqual(FULL.hello.body.cfMac);
    expect(Buffer.isBuffer(out.body.cfMac)).toBe(false);
  });

  it('rejects an unknown type and invalid protobuf with typed errors', async () => {
    expect(await codeOf(() => decodeMessageBody(0 as MessageType, new Uint8Array(0)))).toBe('SRP_ERR_BAD_TYPE');
    expect(await codeOf(() => decodeMessageBody(17 as MessageType, new Uint8Array(0)))).toBe('SRP_ERR_BAD_TYPE');
    // a length-delimited field running past the end
    expect(await codeOf(() => decodeMessageBody(MessageType.Hello, new Uint8Array([0x0a, 0x05, 0x41])))).toBe(
      'SRP_ERR_BAD_MESSAGE',
    );
    // invalid UTF-8 in a string field
    expect(await codeOf(() => decodeMessageBody(MessageType.Goodbye, new Uint8Array([0x0a, 0x02, 0xff, 0xfe])))).toBe(
      'SRP_ERR_BAD_MESSAGE',
    );
    // wire type 7 does not exist
    expect(await codeOf(() => decodeMessageBody(MessageType.Goodbye, new Uint8Array([0x0f])))).toBe('SRP_ERR_BAD_MESSAGE');
  });

  it('skips unknown fields (forward compatibility)', () => {
    const known = encodeMessageBody(FULL.goodbye);
    // field 99 (a two-byte tag), varint 1, then the known fields
    const tag = (99 << 3) | 0;
    const withUnknown = new Uint8Array([0x80 | (tag & 0x7f), tag >> 7, 0x01, ...known]);
    expect(decodeMessageBody(MessageType.Goodbye, withUnknown)).toEqual(FULL.goodbye);
  });
});

describe('MessageWriter / MessageReader', () => {
  for (const codecName of [null, 'zlib', 'lz4'] as const) {
    it(`round trips every message through frames (codec ${codecName ?? 'none'}, compressMinBytes 0)`, async () => {
      const codec = codecName === null ? null : getCodec(codecName);
      const writer = new MessageWriter({ key: KEY, codec, compressMinBytes: 0 });
      const reader = new MessageReader({ key: KEY });
      const msgs = ALL_KINDS.flatMap((k) => [FULL[k], EMPTY[k]]);
      const frames = await Promise.all(msgs.map((m) => writer.encode(m)));
      expect(frames.map((f) => f.readBigUInt64BE(6))).toEqual(msgs.map((_, i) => BigInt(i + 1)));
      for (const [i, f] of frames.entries()) {
        const kind = msgs[i].kind;
        const algo = f[4] & 3;
        if (codecName === null || kind === 'hello' || kind === 'capabilities' || kind === 'goodbye') expect(algo).toBe(0);
      }
      const got = await reader.push(Buffer.concat(frames));
      expect(got.map(plainMessage)).toEqual(msgs);
    });
  }

  it('compresses only payloads of at least compressMinBytes, and only when it helps', async () => {
    const writer = new MessageWriter({ key: KEY, codec: getCodec('zlib') });
    const small = await writer.encode(FULL.checkpointAck);
    expect(small[4]).toBe(0);
    const big = await writer.encode({ kind: 'macroCheckpointChunk', body: { snapshotId: 1, chunkSequence: 1, sessions: [1, 2, 3, 4, 5].map(sessionRecord) } });
    expect(big[4]).toBe(1);
    const random = await writer.encode({ kind: 'configValidationResponse', body: { match: true, differingKeys: [], configDigest: Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 2654435761) >>> 24)) } });
    // incompressible: sent uncompressed rather than larger
    expect(random[4] === 0 || random.length < 4000).toBe(true);
    writer.setCodec(getCodec('lz4'));
    const big2 = await writer.encode({ kind: 'macroCheckpointChunk', body: { snapshotId: 1, chunkSequence: 2, sessions: [1, 2, 3, 4, 5].map(sessionRecord) } });
    expect(big2[4]).toBe(2);
    writer.setCodec(null);
    expect((await writer.encode(FULL.macroCheckpointChunk))[4]).toBe(0);
    expect(writer.lastSequence).toBe(5n);
  });

  it('keeps order and sequence under concurrent encodes with mixed compression', async () => {
    const writer = new MessageWriter({ key: KEY, codec: getCodec('zlib'), compressMinBytes: 64 });
    const reader = new MessageReader({ key: KEY });
    const msgs: SrpMessage[] = [];
    for (let i = 0; i < 50; i++) {
      msgs.push(i % 3 === 0 ? FULL.macroCheckpointChunk : i % 3 === 1 ? FULL.checkpointAck : FULL.microCheckpointBatch);
    }
    const frames = await Promise.all(msgs.map((m) => writer.encode(m)));
    // concurrent pushes, one frame each, resolve in order
    const results = await Promise.all(frames.map((f) => reader.push(f)));
    expect(results.flat().map(plainMessage)).toEqual(msgs);
  });

  it('compresses messages encoded back to back in parallel, framing them in call order', async () => {
    const zlib = getCodec('zlib');
    let inFlight = 0;
    let maxInFlight = 0;
    let calls = 0;
    // Later calls finish first; the third one fails.
    const codec = {
      name: 'zlib' as const,
      decompress: (data: Uint8Array, max: number) => zlib.decompress(data, max),
      async compress(data: Uint8Array): Promise<Buffer> {
        const n = calls++;
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 5 * (4 - n)));
        inFlight--;
        if (n === 2) throw new Error('boom');
        return zlib.compress(data);
      },
      compressSync: (data: Buffer) => zlib.compressSync(data),
    };
    const writer = new MessageWriter({ key: KEY, codec, compressMinBytes: 0 });
    const reader = new MessageReader({ key: KEY });
    const msgs: SrpMessage[] = [FULL.macroCheckpointChunk, FULL.microCheckpointBatch, FULL.macroCheckpointChunk, FULL.microCheckpointBatch];
    const settled = await Promise.allSettled(msgs.map((m) => writer.encode(m)));
    expect(maxInFlight).toBe(4);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const frames = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    // The failed one consumed no sequence number.
    expect(frames.map((f) => f.readBigUInt64BE(6))).toEqual([1n, 2n, 3n]);
    expect((await reader.push(Buffer.concat(frames))).map(plainMessage)).toEqual([msgs[0], msgs[1], msgs[3]]);
  });

  for (const codecName of [null, 'zlib', 'lz4'] as const) {
    it(`encodeSync frames what encode() frames, in the caller's turn (codec ${codecName ?? 'none'})`, async () => {
      const codec = codecName === null ? null : getCodec(codecName);
      const sync = new MessageWriter({ key: KEY, codec, compressMinBytes: 0 });
      const viaAsync = new MessageWriter({ key: KEY, codec, compressMinBytes: 0 });
      const reader = new MessageReader({ key: KEY });
      const msgs = ALL_KINDS.flatMap((k) => [FULL[k], EMPTY[k]]);
      const frames: Buffer[] = [];
      for (const m of msgs) {
        const f = sync.encodeSync(m);
        // A macro chunk compresses off the thread: only encode() takes it, then sync resumes.
        if (codec !== null && m.kind === 'macroCheckpointChunk') {
          expect(f).toBeNull();
          frames.push(await sync.encode(m));
        } else {
          expect(f).not.toBeNull();
          frames.push(f!);
        }
        // Byte for byte the frame encode() makes (same key, codec and sequence number).
        expect((await viaAsync.encode(m)).equals(frames[frames.length - 1])).toBe(true);
      }
      expect(frames.map((f) => f.readBigUInt64BE(6))).toEqual(msgs.map((_, i) => BigInt(i + 1)));
      expect((await reader.push(Buffer.concat(frames))).map(plainMessage)).toEqual(msgs);
    });
  }

  it('encodeSync gives way while a frame of encode() is being built, so sequence order holds', async () => {
    const writer = new MessageWriter({ key: KEY, codec: getCodec('lz4'), compressMinBytes: 0 });
    const first = writer.encode(FULL.macroCheckpointChunk);
    expect(writer.encodeSync(FULL.checkpointAck)).toBeNull();
    expect(writer.encodeSync(FULL.microCheckpointBatch)).toBeNull();
    expect((await first).readBigUInt64BE(6)).toBe(1n);
    const next = writer.encodeSync(FULL.microCheckpointBatch);
    expect(next?.readBigUInt64BE(6)).toBe(2n);
    expect(next?.[4]).toBe(2); // LZ4, compressed on this thread
  });

  it('encodeSync throws what encode() rejects with, and consumes no sequence number', async () => {
    const writer = new MessageWriter({ key: KEY, maxFrameSize: 100 });
    expect(await codeOf(() => writer.encodeSync(FULL.microCheckpointBatch))).toBe('SRP_ERR_FRAME_TOO_LARGE');
    expect(writer.encodeSync(FULL.checkpointAck)?.readBigUInt64BE(6)).toBe(1n);
    const failing = (): Buffer => {
      throw new Error('boom');
    };
    const broken = new MessageWriter({ key: KEY, codec: { ...getCodec('lz4'), compressSync: failing }, compressMinBytes: 0 });
    expect(await codeOf(() => broken.encodeSync(FULL.microCheckpointBatch))).toBe('SRP_ERR_BAD_MESSAGE');
    expect(broken.encodeSync(FULL.hello)?.readBigUInt64BE(6)).toBe(1n); // never compressed
  });

  it('refuses a message larger than maxFrameSize locally, without consuming a sequence number', async () => {
    const writer = new MessageWriter({ key: KEY, maxFrameSize: 100 });
    expect(await codeOf(() => writer.encode(FULL.macroCheckpointChunk))).toBe('SRP_ERR_FRAME_TOO_LARGE');
    const f = await writer.encode(FULL.checkpointAck);
    expect(f.readBigUInt64BE(6)).toBe(1n);
  });

  it('bounds decompression by the reader maxFrameSize', async () => {
    const writer = new MessageWriter({ key: KEY, codec: getCodec('zlib'), compressMinBytes: 0 });
    const bomb: SrpMessage = { kind: 'configValidationResponse', body: { match: true, differingKeys: [], configDigest: new Uint8Array(200_000) } };
    const frame = await writer.encode(bomb);
    expect(frame.length).toBeLessThan(2000);
    const reader = new MessageReader({ key: KEY, maxFrameSize: 100_000 });
    expect(await codeOf(() => reader.push(frame))).toBe('SRP_ERR_FRAME_TOO_LARGE');
    expect(await codeOf(() => reader.push(frame))).toBe('SRP_ERR_DECODER_FAILED');

    const w2 = new MessageWriter({ key: KEY, codec: getCodec('lz4'), compressMinBytes: 0 });
    const r2 = new MessageReader({ key: KEY, maxFrameSize: 100_000 });
    expect(await codeOf(() => w2.encode(bomb).then((f) => r2.push(f)))).toBe('SRP_ERR_FRAME_TOO_LARGE');
  });

  it('rejects a frame signed with another key', async () => {
    const writer = new MessageWriter({ key: Buffer.from('another key') });
    const reader = new MessageReader({ key: KEY });
    expect(await codeOf(async () => reader.push(await writer.encode(FULL.hello)))).toBe('SRP_ERR_BAD_MAC');
  });
});
