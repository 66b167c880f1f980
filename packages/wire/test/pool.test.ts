import { describe, expect, it } from 'vitest';
import {
  BufferPool,
  FrameDecoder,
  getCodec,
  MessageReader,
  MessageWriter,
  releaseMessage,
  type MicroCheckpointBatch,
  type SrpMessage,
} from '../src/index.js';
import { xxh32 } from '../src/lz4frame.js';
import { FULL as MESSAGES, KEY, microItems, plainMessage } from './fixtures.js';

/** A message as text, payload bytes in hex (vitest's deep equality is slow on many typed arrays). */
const canon = (m: SrpMessage): string =>
  JSON.stringify(m, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex') : v));

describe('BufferPool', () => {
  it('hands out exact lengths, reuses what is given back, and ignores strangers and repeats', () => {
    const pool = new BufferPool({ maxFree: 2, minBytes: 1024 });
    const a = pool.take(100);
    expect(a.length).toBe(100);
    expect(a.buffer.byteLength).toBe(1024);
    pool.give(a);
    pool.give(a); // twice: kept once
    pool.give(Buffer.alloc(100)); // not from the pool
    expect(pool.stats).toEqual({ allocated: 1, reused: 0, returned: 1, free: 1 });
    const b = pool.take(1000);
    expect(b.buffer).toBe(a.buffer);
    const c = pool.take(3000); // larger than any free buffer: a new power of two
    expect(c.buffer.byteLength).toBe(4096);
    expect(pool.stats).toMatchObject({ allocated: 2, reused: 1, free: 0 });
    // b and c are both lent; the same buffer must never be lent twice at once.
    const d = pool.take(10);
    expect(d.buffer).not.toBe(b.buffer);
    expect(d.buffer).not.toBe(c.buffer);
  });

  it('keeps at most maxFree buffers and none above maxBytes', () => {
    const pool = new BufferPool({ maxFree: 2, minBytes: 16, maxBytes: 1024 });
    const bufs = [pool.take(10), pool.take(10), pool.take(10), pool.take(5000)];
    expect(bufs[3].buffer.byteLength).toBe(5000);
    for (const b of bufs) pool.give(b);
    expect(pool.stats).toMatchObject({ returned: 2, free: 2 });
  });
});

describe('MessageReader with a pool', () => {
  const batch = (seq: number, n: number): SrpMessage => ({ kind: 'microCheckpointBatch', body: { batchSequence: seq, items: microItems(n, seq * 1000) } });

  it('decodes LZ4 batches into pooled buffers, reused once released, with the same result', async () => {
    const writer = new MessageWriter({ key: KEY, codec: getCodec('lz4') });
    const pool = new BufferPool();
    const pooled = new MessageReader({ key: KEY, pool });
    const plain = new MessageReader({ key: KEY });
    const frames = [];
    for (let seq = 1; seq <= 6; seq++) frames.push(await writer.encode(batch(seq, 300)));
    const viewBuffers = new Set<ArrayBufferLike>();
    for (const f of frames) {
      const [m] = await pooled.push(f);
      const [expected] = await plain.push(f);
      expect(m).toEqual(expected);
      const items = (m.body as MicroCheckpointBatch).items;
      viewBuffers.add(items[0].payload.buffer);
      releaseMessage(m);
      releaseMessage(m); // idempotent
    }
    // One buffer served every batch: each was released before the next arrived.
    expect(viewBuffers.size).toBe(1);
    expect(pool.stats).toMatchObject({ allocated: 1, reused: 5, returned: 6 });
  });

  it('never reuses a buffer whose message is not released', async () => {
    const writer = new MessageWriter({ key: KEY, codec: getCodec('lz4') });
    const pool = new BufferPool();
    const reader = new MessageReader({ key: KEY, pool });
    const [m1] = await reader.push(await writer.encode(batch(1, 200)));
    const copy = structuredClone(m1.body) as MicroCheckpointBatch;
    const [m2] = await reader.push(await writer.encode(batch(2, 200)));
    expect((m2.body as MicroCheckpointBatch).items[0].payload.buffer).not.toBe((m1.body as MicroCheckpointBatch).items[0].payload.buffer);
    expect(m1.body).toEqual(copy); // untouched by the second batch
    expect(pool.stats).toMatchObject({ allocated: 2, reused: 0 });
  });

  it('leaves other messages and zlib frames as they were (release is a no-op for them)', async () => {
    const pool = new BufferPool();
    const framePool = new BufferPool();
    for (const codec of [getCodec('zlib'), getCodec('lz4')]) {
      const writer = new MessageWriter({ key: KEY, codec, compressMinBytes: 0 });
      const reader = new MessageReader({ key: KEY, pool, framePool });
      for (const kind of ['macroCheckpointChunk', 'hello', 'checkpointAck'] as const) {
        const [m] = await reader.push(await writer.encode(MESSAGES[kind]));
        expect(plainMessage(m)).toEqual(MESSAGES[kind]);
        releaseMessage(m);
      }
      if (codec.name === 'zlib') {
        const [m] = await reader.push(await writer.encode(batch(1, 100)));
        releaseMessage(m);
      }
    }
    expect(pool.stats).toEqual({ allocated: 0, reused: 0, returned: 0, free: 0 });
    expect(framePool.stats).toEqual({ allocated: 0, reused: 0, returned: 0, free: 0 });
  });

  it('fails the reader with SRP_ERR_DECOMPRESS on a corrupt pooled frame, and gives its frame buffer back', async () => {
    // An LZ4 frame whose one block promises 15 literals and holds 3.
    const lz4Frame = Buffer.from([0x04, 0x22, 0x4d, 0x18, 0x60, 0x40, 0, 5, 0, 0, 0, 0xf0, 0x00, 0x41, 0x41, 0x41, 0, 0, 0, 0]);
    lz4Frame[6] = (xxh32(lz4Frame, 4, 6) >>> 8) & 0xff;
    const broken = new MessageWriter({
      key: KEY,
      codec: { name: 'lz4', compress: () => Promise.resolve(lz4Frame), compressSync: () => lz4Frame, decompress: () => Promise.resolve(Buffer.alloc(0)) },
    });
    const framePool = new BufferPool();
    const reader = new MessageReader({ key: KEY, pool: new BufferPool(), framePool });
    const err = await reader.push(await broken.encode(batch(1, 50))).then(
      () => undefined,
      (e: unknown) => e as { code?: string; message?: string },
    );
    expect(err?.code).toBe('SRP_ERR_DECOMPRESS');
    expect(err?.message).toMatch(/literals run past the block/);
    expect(reader.failed).toBe(true);
    expect(framePool.stats).toMatchObject({ allocated: 1, returned: 1 });
  });

  it('assembles LZ4 batch frames in reused buffers, split anywhere across reads, with the same result', async () => {
    for (const bodies of [new BufferPool(), null]) {
      const writer = new MessageWriter({ key: KEY, codec: getCodec('lz4') });
      const framePool = new BufferPool();
      const reader = new MessageReader({ key: KEY, framePool, ...(bodies ? { pool: bodies } : {}) });
      const sent = Array.from({ length: 40 }, (_, i) => batch(i + 1, 50 + (i % 5) * 60));
      const stream = Buffer.concat(await Promise.all(sent.map((m) => writer.encode(m))));
      // Reads of varying sizes, so that frames start and end anywhere in them.
      const got: string[] = [];
      for (let pos = 0, i = 0; pos < stream.length; i++) {
        const end = Math.min(stream.length, pos + 1 + ((i * 7919) % 9000));
        for (const m of await reader.push(stream.subarray(pos, end))) {
          got.push(canon(m)); // before release: its items are views of a buffer to be reused
          releaseMessage(m);
        }
        pos = end;
      }
      expect(got).toEqual(sent.map(canon));
      // Every frame went back once decompressed: the buffers lent at once (the frames one read
      // completes, and the one it starts) served all 40.
      const { allocated, reused, returned } = framePool.stats;
      expect(allocated + reused).toBe(40);
      expect(returned).toBe(40);
      expect(allocated).toBeLessThanOrEqual(8);
    }
  });

  it('FrameDecoder refuses a frame buffer of the wrong size instead of writing past it', async () => {
    const bytes = await new MessageWriter({ key: KEY }).encode(MESSAGES.hello);
    const decoder = new FrameDecoder({ key: KEY, frameBuffer: () => Buffer.alloc(3) });
    expect(() => decoder.push(bytes)).toThrow(/frameBuffer returned 3 bytes for a frame of/);
    expect(decoder.failed).toBe(true);
  });

  it('MessageWriter reuses body buffers without mixing up messages encoded at once', async () => {
    for (const codec of [getCodec('lz4'), getCodec('zlib')]) {
      const writer = new MessageWriter({ key: KEY, codec });
      const reader = new MessageReader({ key: KEY, pool: new BufferPool() });
      const sent = Array.from({ length: 60 }, (_, i) => batch(i + 1, 20 + (i % 7) * 40));
      // All encoded in one turn: their compressions overlap; then again, reusing the bodies.
      for (let round = 0; round < 2; round++) {
        const frames = await Promise.all(sent.map((m) => writer.encode(m)));
        const got = await reader.push(Buffer.concat(frames));
        expect(got.map(canon)).toEqual(sent.map(canon));
        got.forEach(releaseMessage);
      }
    }
  });
});
