import { deflateSync } from 'node:zlib';
import lz4 from 'lz4';
import pako from 'pako';
import { describe, expect, it } from 'vitest';
import { codecForFlag, compressionFlag, createZlibCodec, getCodec, MessageReader, MessageWriter, negotiate, type CompressionName } from '../src/index.js';
import { LINK_ZLIB_LEVEL } from '../src/compression.js';
import { lz4OutputBound, withContentSize, xxh32 } from '../src/lz4frame.js';
import { codeOf, microItems, prng } from './fixtures.js';

const MAX = 16 * 1024 * 1024;

/** Byte equality without vitest's per-element deep equality (slow on 100 kB buffers). */
function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

function samples(): Buffer[] {
  const rnd = prng(99);
  const random = Buffer.alloc(100_000);
  for (let i = 0; i < random.length; i++) random[i] = (rnd() * 256) | 0;
  const text = Buffer.from(JSON.stringify(microItems(500).map((m) => ({ ...m, payload: Buffer.from(m.payload).toString() }))));
  return [Buffer.alloc(0), Buffer.from('x'), text, random, Buffer.alloc(300_000, 7)];
}

describe('negotiate', () => {
  const lists: CompressionName[][] = [[], ['zlib'], ['lz4'], ['zlib', 'lz4'], ['lz4', 'zlib']];
  for (const local of lists) {
    for (const remote of lists) {
      const expected = local.includes('lz4') && remote.includes('lz4') ? 'lz4' : 'zlib';
      it(`local [${local.join(',')}] x remote [${remote.join(',')}] -> ${expected}`, () => {
        expect(negotiate(local, remote)).toBe(expected);
        expect(negotiate(remote, local)).toBe(expected); // symmetric: both ends agree
      });
    }
  }
});

describe('codecs', () => {
  it('maps names to frame flags and back', () => {
    expect(compressionFlag(null)).toBe(0);
    expect(compressionFlag('zlib')).toBe(1);
    expect(compressionFlag('lz4')).toBe(2);
    expect(codecForFlag(0)).toBeNull();
    expect(codecForFlag(1)?.name).toBe('zlib');
    expect(codecForFlag(2)?.name).toBe('lz4');
    expect(getCodec('lz4').name).toBe('lz4');
  });

  it.each(['zlib', 'lz4'] as const)('%s round trips', async (name) => {
    const c = getCodec(name);
    for (const s of samples()) expect(same(await c.decompress(await c.compress(s), MAX), s)).toBe(true);
  });

  it('zlib: what we compress pako inflates, what pako deflates we inflate', async () => {
    const c = getCodec('zlib');
    for (const s of samples()) {
      expect(same(Buffer.from(pako.inflate(await c.compress(s))), s)).toBe(true);
      expect(same(await c.decompress(pako.deflate(s), MAX), s)).toBe(true);
      expect(same(await c.decompress(pako.deflate(s, { level: 1 }), MAX), s)).toBe(true);
    }
  });

  it('zlib: the shared codec (the link\'s) compresses at level 1, sync and async alike', async () => {
    const c = getCodec('zlib');
    expect(LINK_ZLIB_LEVEL).toBe(1);
    for (const s of samples()) {
      const level1 = deflateSync(s, { level: 1 });
      expect(same(c.compressSync(s), level1)).toBe(true);
      expect(same(await c.compress(s), level1)).toBe(true);
    }
    // A codec of its own still defaults to zlib's level 6.
    const text = Buffer.from('checkpoint '.repeat(2000) + Array.from({ length: 2000 }, (_, i) => i * 7919).join(','));
    expect(same(createZlibCodec().compressSync(text), deflateSync(text))).toBe(true);
    expect(deflateSync(text, { level: 1 }).equals(deflateSync(text))).toBe(false);
  });

  it('lz4: what we compress the lz4 package decodes, what it encodes we decode', async () => {
    const c = getCodec('lz4');
    for (const s of samples()) {
      expect(same(lz4.decode(await c.compress(s)), s)).toBe(true);
      expect(same(await c.decompress(lz4.encode(s), MAX), s)).toBe(true);
      expect(same(await c.decompress(lz4.encode(s, { blockMaxSize: 64 << 10, streamChecksum: false }), MAX), s)).toBe(true);
    }
  });

  it('lz4: records the content size in our frames (header checksum still valid)', async () => {
    const data = Buffer.alloc(5000, 1);
    const framed = await getCodec('lz4').compress(data);
    expect(lz4OutputBound(framed)).toEqual({ ok: true, maxOutput: 5000, exact: true });
    expect(withContentSize(framed, 5000)).toBe(framed);
    // xxh32 reference values (xxHash spec, seed 0)
    expect(xxh32(new Uint8Array(0))).toBe(0x02cc5d05);
    expect(xxh32(Buffer.from('a'))).toBe(0x550d7456);
    expect(xxh32(Buffer.from('abc'))).toBe(0x32d153ff);
  });

  it('zlib: rejects a bomb above maxOutputBytes and corrupt input', async () => {
    const c = getCodec('zlib');
    const bomb = deflateSync(Buffer.alloc(10_000_000));
    expect(bomb.length).toBeLessThan(20_000);
    expect(await codeOf(() => c.decompress(bomb, 1_000_000))).toBe('SRP_ERR_FRAME_TOO_LARGE');
    expect((await c.decompress(bomb, 10_000_000)).length).toBe(10_000_000);
    expect(await codeOf(() => c.decompress(Buffer.from('not zlib at all'), MAX))).toBe('SRP_ERR_DECOMPRESS');
    expect(await codeOf(() => c.decompress(bomb.subarray(0, bomb.length - 6), MAX))).toBe('SRP_ERR_DECOMPRESS');
    expect(await codeOf(() => c.decompress(Buffer.alloc(0), MAX))).toBe('SRP_ERR_DECOMPRESS');
  });

  it('lz4: rejects bombs before decompressing, with or without a declared size', async () => {
    const c = getCodec('lz4');
    const ours = await c.compress(Buffer.alloc(2_000_000));
    expect(await codeOf(() => c.decompress(ours, 1_000_000))).toBe('SRP_ERR_FRAME_TOO_LARGE');
    const foreign = lz4.encode(Buffer.alloc(2_000_000), { blockMaxSize: 64 << 10 }); // no content size
    expect(lz4OutputBound(foreign)).toMatchObject({ ok: true, exact: false });
    expect(await codeOf(() => c.decompress(foreign, 1_000_000))).toBe('SRP_ERR_FRAME_TOO_LARGE');
    // a declared size that lies
    const liar = Buffer.from(ours);
    liar.writeUInt32LE(10, 6);
    liar[14] = (xxh32(liar, 4, 14) >>> 8) & 0xff;
    expect(await codeOf(() => c.decompress(liar, MAX))).toMatch(/SRP_ERR_DECOMPRESS|SRP_ERR_FRAME_TOO_LARGE/);
  });

  it('lz4: rejects corrupt, truncated, trailing and non-LZ4 input', async () => {
    const c = getCodec('lz4');
    const good = await c.compress(Buffer.from('hello hello hello hello hello hello'));
    const bad = async (b: Uint8Array): Promise<string> => codeOf(() => c.decompress(b, MAX));
    expect(await bad(Buffer.from('garbage!'))).toBe('SRP_ERR_DECOMPRESS');
    expect(await bad(good.subarray(0, good.length - 1))).toBe('SRP_ERR_DECOMPRESS');
    expect(await bad(Buffer.concat([good, good]))).toBe('SRP_ERR_DECOMPRESS');
    expect(await bad(Buffer.alloc(0))).toBe('SRP_ERR_DECOMPRESS');
    const hc = Buffer.from(good);
    hc[14] ^= 0xff; // header checksum
    expect(await bad(hc)).toBe('SRP_ERR_DECOMPRESS');
    // LZ4 frames carry no content checksum by default (the frame HMAC covers integrity), so a
    // flipped literal may decode to other bytes; what matters is that nothing but a WireError
    // or a bounded buffer comes out.
    for (let i = 15; i < good.length; i++) {
      const b = Buffer.from(good);
      b[i] ^= 0x55;
      const out = await c.decompress(b, MAX).catch((e: unknown) => e);
      if (!Buffer.isBuffer(out)) expect((out as Error).name).toBe('WireError');
    }
  });
});

describe('MessageWriter onEncoded', () => {
  it('reports payload bytes before and after compression for every frame', async () => {
    const seen: Array<[string, number, number]> = [];
    const key = Buffer.alloc(32, 7);
    const writer = new MessageWriter({ key, codec: getCodec('zlib'), onEncoded: (k, b, a) => seen.push([k, b, a]) });
    const batch = { kind: 'microCheckpointBatch', body: { batchSequence: 1, items: microItems(200) } } as const;
    const bytes = await writer.encode(batch);
    await writer.encode({ kind: 'checkpointAck', body: { upToSequence: 1, snapshotId: 0, failedItems: 0 } });
    expect(seen).toHaveLength(2);
    const [kind, before, after] = seen[0];
    expect(kind).toBe('microCheckpointBatch');
    expect(after).toBeLessThan(before);
    expect(bytes.length).toBeGreaterThan(after); // the frame header and MAC come on top
    expect(seen[1][0]).toBe('checkpointAck');
    expect(seen[1][1]).toBe(seen[1][2]); // below compressMinBytes: uncompressed
    const decoded = await new MessageReader({ key }).push(bytes);
    expect(decoded[0]?.kind).toBe('microCheckpointBatch');
  });
});
