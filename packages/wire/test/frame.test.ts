import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_FRAME_SIZE,
  FRAME_HEADER_SIZE,
  FRAME_OVERHEAD,
  FrameDecoder,
  MessageType,
  PROTOCOL_VERSION,
  encodeFrame,
  type Frame,
} from '../src/index.js';
import { KEY, codeOf, prng, randInt } from './fixtures.js';

function frame(seq: bigint, payload: Buffer | string = 'payload', type = MessageType.MicroCheckpointBatch, flags = 0): Frame {
  return { type, flags, seq, payload: typeof payload === 'string' ? Buffer.from(payload) : payload };
}

/** Re-signs a frame after tampering with its header or payload (a peer that has the key). */
function resign(buf: Buffer, key = KEY): Buffer {
  const end = buf.length - 32;
  createHmac('sha256', key).update(buf.subarray(0, end)).digest().copy(buf, end);
  return buf;
}

describe('encodeFrame', () => {
  it('lays out the documented header, payload and trailing HMAC tag', () => {
    const buf = encodeFrame(frame(0x0102030405060708n, 'abc', MessageType.Nack, 2), KEY);
    expect(buf.length).toBe(FRAME_OVERHEAD + 3);
    expect(buf.subarray(0, 2).toString()).toBe('SR');
    expect(buf[2]).toBe(PROTOCOL_VERSION);
    expect(buf[3]).toBe(MessageType.Nack);
    expect(buf[4]).toBe(2);
    expect(buf[5]).toBe(0);
    expect(buf.readBigUInt64BE(6)).toBe(0x0102030405060708n);
    expect(buf.readUInt32BE(14)).toBe(3);
    expect(buf.subarray(18, 21).toString()).toBe('abc');
    const tag = createHmac('sha256', KEY).update(buf.subarray(0, 21)).digest();
    expect(buf.subarray(21)).toEqual(tag);
  });

  it('is pure: same input, same bytes', () => {
    expect(encodeFrame(frame(5n), KEY)).toEqual(encodeFrame(frame(5n), KEY));
  });

  it('refuses what the decoder would refuse', async () => {
    expect(await codeOf(() => encodeFrame(frame(1n, 'x', 99 as MessageType), KEY))).toBe('SRP_ERR_BAD_TYPE');
    expect(await codeOf(() => encodeFrame(frame(1n, 'x', MessageType.Hello, 4), KEY))).toBe('SRP_ERR_BAD_FLAGS');
    expect(await codeOf(() => encodeFrame(frame(1n, 'x', MessageType.Hello, 3), KEY))).toBe('SRP_ERR_BAD_FLAGS');
    expect(await codeOf(() => encodeFrame(frame(0n), KEY))).toBe('SRP_ERR_REPLAY');
    expect(await codeOf(() => encodeFrame(frame(1n, 'xx'), KEY, { maxFrameSize: 1 }))).toBe('SRP_ERR_FRAME_TOO_LARGE');
    expect(await codeOf(() => encodeFrame(frame(1n), new Uint8Array(0)))).toBe('SRP_ERR_BAD_KEY');
  });
});

describe('FrameDecoder', () => {
  it('decodes frames one by one and many per chunk', () => {
    const frames = [frame(1n, 'a'), frame(2n, ''), frame(7n, 'ccc', MessageType.Hello, 1)];
    const bytes = Buffer.concat(frames.map((f) => encodeFrame(f, KEY)));
    const d = new FrameDecoder({ key: KEY });
    expect(d.push(bytes)).toEqual(frames);
    expect(d.lastSequence).toBe(7n);
    expect(d.bufferedBytes).toBe(0);
  });

  it('copes with any segmentation (property test: random chunkings, 1-byte chunks)', () => {
    const rnd = prng(1234);
    for (let round = 0; round < 200; round++) {
      const n = randInt(rnd, 1, 12);
      const frames: Frame[] = [];
      for (let i = 0; i < n; i++) {
        const len = rnd() < 0.2 ? 0 : randInt(rnd, 1, rnd() < 0.1 ? 5000 : 200);
        const payload = Buffer.alloc(len);
        for (let j = 0; j < len; j++) payload[j] = (rnd() * 256) | 0;
        frames.push(frame(BigInt(i * 3 + 1), payload, randInt(rnd, 1, 16), randInt(rnd, 0, 2)));
      }
      const stream = Buffer.concat(frames.map((f) => encodeFrame(f, KEY)));
      const d = new FrameDecoder({ key: KEY });
      const got: Frame[] = [];
      let pos = 0;
      const oneByte = round % 10 === 0;
      while (pos < stream.length) {
        const size = oneByte ? 1 : randInt(rnd, 1, rnd() < 0.5 ? 40 : 3000);
        // a copy, so that the decoder cannot rely on the caller keeping the chunk
        const chunk = Buffer.from(stream.subarray(pos, pos + size));
        got.push(...d.push(chunk));
        chunk.fill(0xee);
        pos += size;
      }
      expect(got).toEqual(frames);
    }
  });

  it('accepts an empty chunk', () => {
    expect(new FrameDecoder({ key: KEY }).push(new Uint8Array(0))).toEqual([]);
  });

  it('uses the 16 MiB default and a configurable max frame size', () => {
    expect(new FrameDecoder({ key: KEY }).maxFrameSize).toBe(DEFAULT_MAX_FRAME_SIZE);
    expect(DEFAULT_MAX_FRAME_SIZE).toBe(16 * 1024 * 1024);
    const d = new FrameDecoder({ key: KEY, maxFrameSize: 10 });
    expect(d.push(encodeFrame(frame(1n, '0123456789'), KEY))).toHaveLength(1);
  });

  describe('maps every bad input to its error code', () => {
    const good = (): Buffer => encodeFrame(frame(1n, 'hello world'), KEY);
    const cases: [string, () => Buffer | Buffer[], string, { maxFrameSize?: number }?][] = [
      ['garbage', () => Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), 'SRP_ERR_BAD_MAGIC'],
      ['one garbage byte', () => Buffer.from([0x00]), 'SRP_ERR_BAD_MAGIC'],
      ['bad second magic byte', () => Buffer.from('SX'), 'SRP_ERR_BAD_MAGIC'],
      ['unknown version', () => { const b = good(); b[2] = PROTOCOL_VERSION + 1; return resign(b); }, 'SRP_ERR_BAD_VERSION'],
      ['version 0', () => { const b = good(); b[2] = 0; return b; }, 'SRP_ERR_BAD_VERSION'],
      ['unknown type 0', () => { const b = good(); b[3] = 0; return b; }, 'SRP_ERR_BAD_TYPE'],
      ['unknown type 200', () => { const b = good(); b[3] = 200; return b; }, 'SRP_ERR_BAD_TYPE'],
      ['unknown flag bit', () => { const b = good(); b[4] = 0x80; return b; }, 'SRP_ERR_BAD_FLAGS'],
      ['compression 3', () => { const b = good(); b[4] = 3; return b; }, 'SRP_ERR_BAD_FLAGS'],
      ['reserved byte set', () => { const b = good(); b[5] = 1; return b; }, 'SRP_ERR_BAD_FLAGS'],
      ['oversize length', () => { const b = good(); b.writeUInt32BE(0xffffffff, 14); return b; }, 'SRP_ERR_FRAME_TOO_LARGE'],
      ['length above a small max', () => good(), 'SRP_ERR_FRAME_TOO_LARGE', { maxFrameSize: 5 }],
      ['flipped payload bit', () => { const b = good(); b[20] ^= 1; return b; }, 'SRP_ERR_BAD_MAC'],
      ['flipped tag bit', () => { const b = good(); b[b.length - 1] ^= 0x40; return b; }, 'SRP_ERR_BAD_MAC'],
      ['altered sequence', () => { const b = good(); b[13] = 9; return b; }, 'SRP_ERR_BAD_MAC'],
      ['wrong key', () => encodeFrame(frame(1n), Buffer.from('not the key')), 'SRP_ERR_BAD_MAC'],
      ['replayed frame', () => [good(), good()], 'SRP_ERR_REPLAY'],
      ['sequence going back', () => [encodeFrame(frame(5n), KEY), encodeFrame(frame(4n), KEY)], 'SRP_ERR_REPLAY'],
      ['sequence 0', () => resign(good().fill(0, 6, 14)), 'SRP_ERR_REPLAY'],
    ];
    it.each(cases)('%s', async (_name, make, code, opts) => {
      const d = new FrameDecoder({ key: KEY, ...opts });
      const input = make();
      expect(await codeOf(() => (Array.isArray(input) ? input.forEach((b) => d.push(b)) : d.push(input)))).toBe(code);
      expect(d.failed).toBe(true);
      // stays failed, even for a good frame
      expect(await codeOf(() => d.push(encodeFrame(frame(100n), KEY)))).toBe('SRP_ERR_DECODER_FAILED');
    });
  });

  it('rejects an oversize length from the header alone, before buffering the payload', async () => {
    const d = new FrameDecoder({ key: KEY, maxFrameSize: 1024 });
    const header = encodeFrame(frame(1n, Buffer.alloc(2048)), KEY).subarray(0, FRAME_HEADER_SIZE);
    expect(await codeOf(() => d.push(header))).toBe('SRP_ERR_FRAME_TOO_LARGE');
  });

  it('rejects garbage as soon as the magic is wrong, whatever follows', async () => {
    const d = new FrameDecoder({ key: KEY });
    expect(d.push(Buffer.from('S'))).toEqual([]);
    expect(await codeOf(() => d.push(Buffer.from('Q')))).toBe('SRP_ERR_BAD_MAGIC');
  });

  it('does not let a forged frame advance the sequence', async () => {
    const d = new FrameDecoder({ key: KEY });
    const forged = encodeFrame(frame(1000n), Buffer.from('attacker'));
    expect(await codeOf(() => d.push(forged))).toBe('SRP_ERR_BAD_MAC');
    expect(d.lastSequence).toBe(0n);
  });

  it('refuses an empty key', async () => {
    expect(await codeOf(() => new FrameDecoder({ key: new Uint8Array(0) }))).toBe('SRP_ERR_BAD_KEY');
  });
});
