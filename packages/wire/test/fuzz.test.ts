import { createSecretKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  FrameDecoder,
  MessageReader,
  MessageWriter,
  encodeFrame,
  getCodec,
  type SrpMessage,
  type WireErrorCode,
} from '../src/index.js';
import { ALL_KINDS, EMPTY, FULL, KEY, PEER_INPUT_CODES, microItems, mutateFrame, plainMessage, prng, randInt, resign, sessionRecord } from './fixtures.js';


const KEY_OBJECT = createSecretKey(KEY);
const MAX = 64 * 1024; // small bound: mutated lengths hit it often


/** Frames of every kind, uncompressed, zlib and lz4. */
async function corpus(): Promise<Buffer[]> {
  const msgs: SrpMessage[] = [
    ...ALL_KINDS.map((k) => FULL[k]),
    ...ALL_KINDS.map((k) => EMPTY[k]),
    { kind: 'microCheckpointBatch', body: { batchSequence: 1, items: microItems(100) } },
    { kind: 'macroCheckpointChunk', body: { snapshotId: 1, chunkSequence: 1, sessions: [1, 2, 3, 4, 5, 6].map(sessionRecord) } },
  ];
  const out: Buffer[] = [];
  for (const codec of [null, getCodec('zlib'), getCodec('lz4')]) {
    const w = new MessageWriter({ key: KEY, codec, compressMinBytes: 0 });
    for (const m of msgs) out.push(await w.encode(m));
  }
  return out;
}

/** Payload mutation re-signed with the right key: gets past the MAC into decompression and protobuf. */
function mutateSigned(rnd: () => number, src: Buffer): Buffer {
  const b = Buffer.from(src);
  const payloadLen = b.length - 50;
  if (payloadLen > 0) {
    for (let i = randInt(rnd, 1, 3); i > 0; i--) {
      const at = 18 + randInt(rnd, 0, payloadLen - 1);
      b[at] = rnd() < 0.5 ? randInt(rnd, 0, 255) : b[at] ^ (1 << randInt(rnd, 0, 7));
    }
  }
  if (rnd() < 0.1) b[4] = randInt(rnd, 0, 2); // claim another compression
  return resign(b);
}

function expectTyped(err: unknown, counts: Map<string, number>): void {
  const e = err as { name?: string; code?: WireErrorCode };
  if (e?.name !== 'WireError' || e.code === undefined || !PEER_INPUT_CODES.has(e.code)) throw err;
  counts.set(e.code, (counts.get(e.code) ?? 0) + 1);
}

function split(rnd: () => number, b: Buffer): Buffer[] {
  if (rnd() < 0.5 || b.length < 2) return [b];
  const at = randInt(rnd, 1, b.length - 1);
  return [b.subarray(0, at), b.subarray(at)];
}

describe('fuzz (bounded)', () => {
  it('120k mutated and random frames through FrameDecoder: only typed errors', async () => {
    const frames = await corpus();
    const rnd = prng(0xf00d);
    const counts = new Map<string, number>();
    let accepted = 0;
    const N = 120_000;
    for (let i = 0; i < N; i++) {
      const input = mutateFrame(rnd, frames[i % frames.length]);
      const d = new FrameDecoder({ key: KEY_OBJECT, maxFrameSize: MAX });
      try {
        for (const part of split(rnd, input)) accepted += d.push(part).length;
      } catch (err) {
        expectTyped(err, counts);
      }
      expect(d.bufferedBytes).toBeLessThanOrEqual(MAX + 50);
    }
    console.log(`frame fuzz: ${N} inputs, ${accepted} frames accepted, errors`, Object.fromEntries(counts));
    expect(counts.get('SRP_ERR_BAD_MAC')).toBeGreaterThan(0);
    expect(counts.get('SRP_ERR_BAD_MAGIC')).toBeGreaterThan(0);
  });

  it('20k re-signed payload mutations through MessageReader: only typed errors', async () => {
    const frames = await corpus();
    const rnd = prng(0xbeef);
    const counts = new Map<string, number>();
    let decoded = 0;
    const N = 20_000;
    for (let i = 0; i < N; i++) {
      const reader = new MessageReader({ key: KEY_OBJECT, maxFrameSize: MAX });
      try {
        decoded += (await reader.push(mutateSigned(rnd, frames[i % frames.length]))).length;
      } catch (err) {
        expectTyped(err, counts);
      }
    }
    console.log(`payload fuzz: ${N} inputs, ${decoded} messages decoded, errors`, Object.fromEntries(counts));
    expect(counts.get('SRP_ERR_BAD_MESSAGE')).toBeGreaterThan(0);
    expect(counts.get('SRP_ERR_DECOMPRESS')).toBeGreaterThan(0);
  });

  it('a valid stream still decodes after the fuzz (no global state damaged)', async () => {
    const w = new MessageWriter({ key: KEY, codec: getCodec('lz4'), compressMinBytes: 0 });
    const r = new MessageReader({ key: KEY });
    expect((await r.push(await w.encode(FULL.macroCheckpointChunk))).map(plainMessage)).toEqual([FULL.macroCheckpointChunk]);
    expect(encodeFrame({ type: 1, flags: 0, seq: 1n, payload: Buffer.alloc(0) }, KEY).length).toBe(50);
  });
});
