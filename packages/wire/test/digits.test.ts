// Digit runs (digits.ts): the transform on its own (round trips of random bodies, every
// malformed form refused by name), and on frames: a writer told the peer reads them flags its
// compressed frames and they come back the same, smaller; a frame flagged without compression
// is refused.
import { describe, expect, it } from 'vitest';
import {
  BufferPool,
  FLAG_DIGIT_RUNS,
  FLAG_COMPRESSION_MASK,
  FrameCompression,
  MessageReader,
  MessageWriter,
  digitRunsBound,
  digitRunsLength,
  encodeFrame,
  getCodec,
  packDigitRuns,
  releaseMessage,
  unpackDigitRuns,
  type SrpMessage,
} from '../src/index.js';
import { FULL as MESSAGES, KEY, microItems, plainMessage } from './fixtures.js';

/** A small deterministic generator (xorshift32). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

function pack(src: Uint8Array): Buffer {
  const out = Buffer.alloc(digitRunsBound(src.length));
  return out.subarray(0, packDigitRuns(src, src.length, out));
}

function unpack(src: Uint8Array, max = 1 << 20): Buffer {
  const n = digitRunsLength(src, src.length, max);
  const out = Buffer.alloc(n);
  expect(unpackDigitRuns(src, src.length, out)).toBe(n);
  return out;
}

const ascii = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('digit runs', () => {
  it('packs runs of 4 or more digits two to a byte, escapes 0xFF, and leaves everything else', () => {
    expect([...pack(ascii('123'))]).toEqual([0x31, 0x32, 0x33]);
    expect([...pack(ascii('1234'))]).toEqual([0xff, 4, 0x12, 0x34]);
    expect([...pack(ascii('a12345b'))]).toEqual([0x61, 0xff, 5, 0x12, 0x34, 0x5f, 0x62]);
    expect([...pack(Buffer.from([0xff, 0x00]))]).toEqual([0xff, 0, 0x00]);
    expect(pack(ascii('')).length).toBe(0);
    // A run longer than 255 is two runs.
    const long = ascii('7'.repeat(300));
    const p = pack(long);
    expect([p[0], p[1], p[130], p[131]]).toEqual([0xff, 255, 0xff, 45]);
    expect(unpack(p)).toEqual(long);
    // A 15-digit IMSI takes 10 bytes instead of 15.
    expect(pack(ascii('310150123456789')).length).toBe(10);
  });

  it('gives back random bodies byte for byte: digits, 0xFF, runs of every length, cut anywhere', () => {
    const next = rng(20261207);
    for (let round = 0; round < 300; round++) {
      const n = next() % 600;
      const body = Buffer.alloc(n);
      for (let i = 0; i < n; ) {
        const kind = next() % 4;
        if (kind === 0) {
          // A run of digits of any length.
          const len = 1 + (next() % 300);
          for (let k = 0; k < len && i < n; k++) body[i++] = 0x30 + (next() % 10);
        } else if (kind === 1) body[i++] = 0xff;
        else body[i++] = next() & 0xff;
      }
      const packed = pack(body);
      expect(packed.length).toBeLessThanOrEqual(digitRunsBound(n));
      expect(unpack(packed)).toEqual(body);
    }
  });

  it('refuses a malformed body by name, and one that unpacks past the bound', () => {
    const bad = (bytes: number[]): string => {
      try {
        digitRunsLength(Uint8Array.from(bytes), bytes.length, 1 << 20);
        return 'accepted';
      } catch (err) {
        return `${(err as { code?: string }).code}: ${(err as Error).message}`;
      }
    };
    expect(bad([0x41, 0xff])).toMatch(/^SRP_ERR_DECOMPRESS: .*digit runs: escape at the end/);
    expect(bad([0xff, 3, 0x12, 0x3f])).toMatch(/^SRP_ERR_DECOMPRESS: .*digit runs: run of 3 digits/);
    expect(bad([0xff, 6, 0x12, 0x34])).toMatch(/cut at the end/);
    expect(bad([0xff, 4, 0x1a, 0x34])).toMatch(/byte 0x1a in a run/);
    expect(bad([0xff, 5, 0x12, 0x34, 0x56])).toMatch(/byte 0x56 in a run/); // an odd run's pad is 0xF
    expect(bad([0xff, 4, 0x12, 0x3f])).toMatch(/byte 0x3f in a run/); // an even run has no pad
    expect(bad([0xff, 4, 0x12, 0x34])).toBe('accepted');
    expect(() => digitRunsLength(Uint8Array.from([0xff, 255, ...Array<number>(127).fill(0x11), 0x1f]), 130, 100)).toThrow(/unpack to 255 bytes, more than 100/);
  });
});

describe('frames with digit runs', () => {
  const batch = (seq: number, n: number): SrpMessage => ({ kind: 'microCheckpointBatch', body: { batchSequence: seq, items: microItems(n, seq * 1000) } });
  const canon = (m: SrpMessage): string =>
    JSON.stringify(plainMessage(m), (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex') : v));

  it('flags the compressed micro batches of a writer told so (not the chunks); a reader gives back the same messages, from smaller frames', async () => {
    for (const name of ['zlib', 'lz4'] as const) {
      const plainWriter = new MessageWriter({ key: KEY, codec: getCodec(name) });
      const writer = new MessageWriter({ key: KEY, codec: getCodec(name) });
      writer.setCodec(getCodec(name), true);
      const pool = new BufferPool();
      const reader = new MessageReader({ key: KEY, pool });
      let packedBytes = 0;
      let plainBytes = 0;
      const messages: SrpMessage[] = [batch(1, 300), MESSAGES.macroCheckpointChunk, batch(2, 50), MESSAGES.hello];
      for (const msg of messages) {
        // encodeSync for batches (the Active's path), encode for the rest (off the thread).
        const frame = (msg.kind === 'microCheckpointBatch' ? writer.encodeSync(msg) : null) ?? (await writer.encode(msg));
        const plain = await plainWriter.encode(msg);
        const flags = frame[4];
        if (msg.kind === 'hello') expect(flags).toBe(FrameCompression.None);
        else if (msg.kind === 'macroCheckpointChunk') {
          // Chunks are compressed as they are: packing them cost the bulk sync more than it saved.
          expect(flags).toBe(name === 'zlib' ? FrameCompression.Zlib : FrameCompression.Lz4);
        } else {
          expect(flags & FLAG_DIGIT_RUNS).toBe(FLAG_DIGIT_RUNS);
          expect(flags & FLAG_COMPRESSION_MASK).toBe(name === 'zlib' ? FrameCompression.Zlib : FrameCompression.Lz4);
          packedBytes += frame.length;
          plainBytes += plain.length;
        }
        const [m] = await reader.push(frame);
        expect(canon(m)).toBe(canon(msg));
        releaseMessage(m);
      }
      // The fixtures' ids are digit runs ("s-00001000"): the frames are smaller.
      expect(packedBytes).toBeLessThan(plainBytes);
    }
  });

  it('refuses a frame flagged with digit runs but not compressed, and a compressed body whose runs are malformed', async () => {
    expect(() => encodeFrame({ type: 1, flags: FLAG_DIGIT_RUNS, seq: 1n, payload: Buffer.alloc(4) }, KEY)).toThrow(/digit runs without compression/);
    // A body with a malformed run, compressed and flagged as a peer would send it.
    const lz4 = getCodec('lz4');
    const body = Buffer.from([0x08, 0x01, 0xff, 2, 0x12]);
    const frame = encodeFrame({ type: 5, flags: FrameCompression.Lz4 | FLAG_DIGIT_RUNS, seq: 1n, payload: lz4.compressSync(body) }, KEY);
    const reader = new MessageReader({ key: KEY });
    const err = await reader.push(frame).then(
      () => null,
      (e: unknown) => e as { code?: string; message?: string },
    );
    expect(err?.code).toBe('SRP_ERR_DECOMPRESS');
    expect(err?.message).toMatch(/digit runs: run of 2 digits/);
  });
});
