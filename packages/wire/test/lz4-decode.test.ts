import { readFileSync } from 'node:fs';
import lz4 from 'lz4';
import { compressFrame, decompressFrame } from 'lz4-napi';
import { describe, expect, it } from 'vitest';
import { getCodec, lz4DecompressInto, WireError } from '../src/index.js';
import { lz4DecodeFrameInto, lz4OutputBound, Lz4FormatError, xxh32 } from '../src/lz4frame.js';
import { microItems, prng } from './fixtures.js';

const MAX = 16 * 1024 * 1024;
const fresh = (n: number): Buffer => Buffer.alloc(n);

function inputs(): Buffer[] {
  const rnd = prng(7);
  const random = Buffer.alloc(70_000);
  for (let i = 0; i < random.length; i++) random[i] = (rnd() * 256) | 0;
  const text = Buffer.from(JSON.stringify(microItems(800).map((m) => ({ ...m, payload: Buffer.from(m.payload).toString('hex') }))));
  // Short periods make overlapping matches (offset below the match length).
  const periodic = Buffer.alloc(200_000);
  for (let i = 0; i < periodic.length; i++) periodic[i] = (i % 3) + ((i >> 12) & 1);
  return [Buffer.alloc(0), Buffer.from('a'), Buffer.from('abcdabcdabcdabcdabcdabcdabcd'), text, random, periodic, Buffer.alloc(300_000, 9)];
}

/** The input of test/data/linked-blocks.lz4 (made with `lz4 -BD -B4 -BX --content-size`, lz4 1.9.4). */
function linkedInput(): Buffer {
  let s = '';
  for (let i = 0; i < 3000; i++) {
    const k = i % 400;
    s += `sess-${String(k).padStart(6, '0')} apn=internet.mnc${k % 7} bytes=${(k * 7919) % 100000}\n`;
  }
  return Buffer.from(s);
}

function decode(frame: Uint8Array): Buffer {
  return lz4DecompressInto(frame, MAX, fresh);
}

describe('xxh32', () => {
  it('gives the reference values, short and long (seed 0)', () => {
    expect(xxh32(new Uint8Array(0))).toBe(0x02cc5d05);
    expect(xxh32(Buffer.from('abc'))).toBe(0x32d153ff);
    expect(xxh32(Buffer.from('Nobody inspects the spammish repetition'))).toBe(0xe2293b2f);
    const b = Buffer.from('xxNobody inspects the spammish repetitionyy');
    expect(xxh32(b, 2, b.length - 2)).toBe(0xe2293b2f);
  });
});

describe('lz4DecodeFrameInto (synchronous LZ4 frame decoder)', () => {
  it('decodes what lz4-napi and our codec compress, byte for byte as lz4-napi decodes it', async () => {
    for (const s of inputs()) {
      const theirs = await compressFrame(s);
      expect(decode(theirs).equals(s)).toBe(true);
      expect(decode(theirs).equals(await decompressFrame(theirs))).toBe(true);
      expect(decode(await getCodec('lz4').compress(s)).equals(s)).toBe(true);
    }
  });

  it('decodes frames of another implementation, with a content checksum and small blocks', () => {
    // (Not its blockChecksum option: the lz4 CLI and lz4-napi reject its block checksums too.
    // Block checksums are checked on the lz4 CLI's frame below.)
    for (const s of inputs()) {
      for (const opts of [{}, { blockMaxSize: 64 << 10, streamChecksum: false }, { highCompression: true }]) {
        expect(decode(lz4.encode(s, opts)).equals(s)).toBe(true);
      }
    }
  });

  it('decodes linked blocks (matches reaching into the previous block) and checks every checksum', () => {
    const frame = readFileSync(new URL('./data/linked-blocks.lz4', import.meta.url));
    expect(frame[4] & 0x20).toBe(0); // blocks not independent
    expect(frame[4] & 0x14).toBe(0x14); // block and content checksums
    const input = linkedInput();
    expect(decode(frame).equals(input)).toBe(true);
    // Read as independent blocks, the second block's references to the first are out of range.
    const asIndependent = Buffer.from(frame);
    asIndependent[4] |= 0x20;
    asIndependent[14] = (xxh32(asIndependent, 4, 14) >>> 8) & 0xff;
    expect(() => lz4DecodeFrameInto(asIndependent, Buffer.alloc(input.length))).toThrow(/offset/);
    // A flipped byte anywhere in the blocks is caught by a checksum (or breaks the format).
    for (let i = 15; i < frame.length - 4; i += 97) {
      const b = Buffer.from(frame);
      b[i] ^= 0x01;
      expect(() => decode(b), `byte ${i}`).toThrow(WireError);
    }
    const lastCrc = Buffer.from(frame);
    lastCrc[lastCrc.length - 1] ^= 0x80;
    expect(() => decode(lastCrc)).toThrow(/content checksum/);
  });

  it('writes only within the bound and the buffer it is given', async () => {
    const s = inputs()[3];
    const frame = await getCodec('lz4').compress(s);
    const bound = lz4OutputBound(frame);
    expect(bound).toEqual({ ok: true, maxOutput: s.length, exact: true });
    const out = Buffer.alloc(s.length + 16, 0xee);
    expect(lz4DecodeFrameInto(frame, out)).toBe(s.length);
    expect(out.subarray(s.length).every((b) => b === 0xee)).toBe(true);
    expect(() => lz4DecodeFrameInto(frame, Buffer.alloc(s.length - 1))).toThrow(Lz4FormatError);
    let asked = -1;
    const got = lz4DecompressInto(frame, MAX, (n) => {
      asked = n;
      return Buffer.alloc(n + 100);
    });
    expect(asked).toBe(s.length);
    expect(got.length).toBe(s.length);
  });

  it('refuses bombs before taking a buffer, and corrupt input with SRP_ERR_DECOMPRESS', async () => {
    const bomb = await getCodec('lz4').compress(Buffer.alloc(2_000_000));
    let taken = 0;
    const take = (n: number): Buffer => {
      taken++;
      return Buffer.alloc(n);
    };
    expect(() => lz4DecompressInto(bomb, 1_000_000, take)).toThrow(expect.objectContaining({ code: 'SRP_ERR_FRAME_TOO_LARGE' }));
    expect(taken).toBe(0);
    for (const b of [Buffer.from('garbage!'), bomb.subarray(0, bomb.length - 1), Buffer.concat([bomb, bomb]), Buffer.alloc(0)]) {
      expect(() => lz4DecompressInto(b, MAX, take)).toThrow(expect.objectContaining({ code: 'SRP_ERR_DECOMPRESS' }));
    }
  });

  it('on random corruption of many frames: a WireError or bytes within the bound, nothing else', async () => {
    const rnd = prng(2024);
    const frames = await Promise.all(inputs().slice(1).map((s) => getCodec('lz4').compress(s)));
    let errors = 0;
    let decoded = 0;
    for (let n = 0; n < 3000; n++) {
      const f = Buffer.from(frames[n % frames.length]);
      const flips = 1 + Math.floor(rnd() * 4);
      for (let k = 0; k < flips; k++) f[15 + Math.floor(rnd() * (f.length - 15))] = Math.floor(rnd() * 256);
      const cut = rnd() < 0.2 ? f.subarray(0, Math.floor(rnd() * f.length)) : f;
      try {
        const out = decode(cut);
        const bound = lz4OutputBound(cut);
        expect(bound.ok && out.length <= bound.maxOutput).toBe(true);
        decoded++;
      } catch (err) {
        expect(err).toBeInstanceOf(WireError);
        expect((err as WireError).code).toMatch(/SRP_ERR_DECOMPRESS|SRP_ERR_FRAME_TOO_LARGE/);
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(100);
    expect(decoded + errors).toBe(3000);
  });
});
