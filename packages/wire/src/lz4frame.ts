/**
 * Just enough of the LZ4 frame format (https://github.com/lz4/lz4/blob/dev/doc/lz4_Frame_format.md)
 * to bound decompression before it starts, and to record the content size in frames we send.
 * The compression itself is lz4-napi's (lz4_flex); nothing here decompresses.
 */

const LZ4_MAGIC = 0x184d2204;
const FLG_CONTENT_SIZE = 0x08;
const FLG_CONTENT_CHECKSUM = 0x04;
const FLG_BLOCK_CHECKSUM = 0x10;
const FLG_DICT_ID = 0x01;
const BLOCK_MAX: Record<number, number> = { 4: 64 << 10, 5: 256 << 10, 6: 1 << 20, 7: 4 << 20 };

const P1 = 2654435761;
const P2 = 2246822519;
const P3 = 3266489917;
const P4 = 668265263;
const P5 = 374761393;

function rotl(x: number, r: number): number {
  return ((x << r) | (x >>> (32 - r))) >>> 0;
}

/** xxHash32 with seed 0 of a short input (< 16 bytes: all a frame descriptor can be). */
export function xxh32Short(data: Uint8Array): number {
  const len = data.length;
  if (len >= 16) throw new RangeError('xxh32Short handles inputs below 16 bytes');
  let h = (P5 + len) >>> 0;
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const w = (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24)) >>> 0;
    h = (h + Math.imul(w, P3)) >>> 0;
    h = Math.imul(rotl(h, 17), P4) >>> 0;
  }
  for (; i < len; i++) {
    h = (h + Math.imul(data[i], P5)) >>> 0;
    h = Math.imul(rotl(h, 11), P1) >>> 0;
  }
  h ^= h >>> 15;
  h = Math.imul(h, P2) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, P3) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Returns the frame with its content size recorded in the descriptor (FLG.ContentSize set,
 * 8-byte little-endian size inserted after BD, header checksum recomputed), so the receiver can
 * reject an oversize frame before decompressing. Frames that already carry it are returned as is.
 */
export function withContentSize(frame: Buffer, contentSize: number): Buffer {
  if (frame.length < 7 || frame.readUInt32LE(0) !== LZ4_MAGIC) throw new Error('not an LZ4 frame');
  const flg = frame[4];
  if (flg & FLG_CONTENT_SIZE) return frame;
  const descEnd = 6 + (flg & FLG_DICT_ID ? 4 : 0); // FLG, BD, [dict id]; HC follows
  const out = Buffer.allocUnsafe(frame.length + 8);
  frame.copy(out, 0, 0, 6);
  out[4] = flg | FLG_CONTENT_SIZE;
  out.writeBigUInt64LE(BigInt(contentSize), 6);
  frame.copy(out, 14, 6, descEnd); // dict id, if any
  const newDescEnd = descEnd + 8;
  out[newDescEnd] = (xxh32Short(out.subarray(4, newDescEnd)) >>> 8) & 0xff;
  frame.copy(out, newDescEnd + 1, descEnd + 1);
  return out;
}

export type Lz4Bound =
  | { ok: true; maxOutput: number; exact: boolean }
  | { ok: false; reason: string };

/**
 * Walks the frame's descriptor and block headers (no decompression) and returns an upper bound
 * of its decompressed size: the declared content size when present, else the sum over blocks
 * (a compressed block yields at most the block maximum size, a stored block its own size).
 * Exactly one frame is accepted: skippable frames and trailing bytes are refused.
 */
export function lz4OutputBound(data: Uint8Array): Lz4Bound {
  const n = data.length;
  const u32 = (p: number): number =>
    (data[p] | (data[p + 1] << 8) | (data[p + 2] << 16) | (data[p + 3] << 24)) >>> 0;
  if (n < 7) return { ok: false, reason: 'truncated LZ4 frame header' };
  if (u32(0) !== LZ4_MAGIC) return { ok: false, reason: 'not an LZ4 frame (bad magic)' };
  const flg = data[4];
  const bd = data[5];
  if (flg >>> 6 !== 1) return { ok: false, reason: `unsupported LZ4 frame version ${flg >>> 6}` };
  if (flg & 0x02 || bd & 0x8f) return { ok: false, reason: 'reserved LZ4 descriptor bits set' };
  const blockMax = BLOCK_MAX[(bd >>> 4) & 7];
  if (blockMax === undefined) return { ok: false, reason: `invalid LZ4 block max size ${(bd >>> 4) & 7}` };
  let pos = 6;
  let declared: number | null = null;
  if (flg & FLG_CONTENT_SIZE) {
    if (n < pos + 8) return { ok: false, reason: 'truncated LZ4 frame header' };
    const lo = u32(pos);
    const hi = u32(pos + 4);
    declared = hi >= 0x200000 ? Number.MAX_SAFE_INTEGER : hi * 4294967296 + lo;
    pos += 8;
  }
  if (flg & FLG_DICT_ID) pos += 4;
  pos += 1; // header checksum (verified by the decompressor)
  const blockChecksum = flg & FLG_BLOCK_CHECKSUM ? 4 : 0;
  let bound = 0;
  for (;;) {
    if (pos + 4 > n) return { ok: false, reason: 'truncated LZ4 frame (no end mark)' };
    const word = u32(pos);
    pos += 4;
    if (word === 0) break;
    const size = word & 0x7fffffff;
    if (size > blockMax) return { ok: false, reason: `LZ4 block of ${size} bytes above its max ${blockMax}` };
    bound += word & 0x80000000 ? size : blockMax;
    pos += size + blockChecksum;
  }
  if (flg & FLG_CONTENT_CHECKSUM) pos += 4;
  if (pos !== n) return { ok: false, reason: pos > n ? 'truncated LZ4 frame' : 'trailing bytes after the LZ4 frame' };
  if (declared !== null) return { ok: true, maxOutput: declared, exact: true };
  return { ok: true, maxOutput: bound, exact: false };
}
