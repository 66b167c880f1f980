/**
 * The LZ4 frame format (https://github.com/lz4/lz4/blob/dev/doc/lz4_Frame_format.md) as far as
 * srp-ha needs it beside lz4-napi (lz4_flex), which compresses and decompresses off the event
 * loop: bound decompression before it starts, record the content size in frames we send, and
 * decode a frame synchronously into a buffer the caller supplies (lz4DecodeFrameInto), which
 * lz4-napi cannot do: a Standby decompresses its micro-checkpoint batches into buffers it reuses.
 */

const LZ4_MAGIC = 0x184d2204;
const FLG_CONTENT_SIZE = 0x08;
const FLG_CONTENT_CHECKSUM = 0x04;
const FLG_BLOCK_CHECKSUM = 0x10;
const FLG_DICT_ID = 0x01;
const FLG_BLOCK_INDEPENDENCE = 0x20;
const BLOCK_MAX: Record<number, number> = { 4: 64 << 10, 5: 256 << 10, 6: 1 << 20, 7: 4 << 20 };

const P1 = 2654435761;
const P2 = 2246822519;
const P3 = 3266489917;
const P4 = 668265263;
const P5 = 374761393;

function rotl(x: number, r: number): number {
  return ((x << r) | (x >>> (32 - r))) >>> 0;
}

function round(acc: number, lane: number): number {
  return Math.imul(rotl((acc + Math.imul(lane, P2)) >>> 0, 13), P1) >>> 0;
}

function u32le(data: Uint8Array, p: number): number {
  return (data[p] | (data[p + 1] << 8) | (data[p + 2] << 16) | (data[p + 3] << 24)) >>> 0;
}

/** xxHash32 with seed 0 of data[start, end): LZ4's header, block and content checksum. */
export function xxh32(data: Uint8Array, start = 0, end = data.length): number {
  const len = end - start;
  let i = start;
  let h: number;
  if (len >= 16) {
    let v1 = (P1 + P2) >>> 0;
    let v2 = P2;
    let v3 = 0;
    let v4 = (0 - P1) >>> 0;
    for (const last = end - 16; i <= last; i += 16) {
      v1 = round(v1, u32le(data, i));
      v2 = round(v2, u32le(data, i + 4));
      v3 = round(v3, u32le(data, i + 8));
      v4 = round(v4, u32le(data, i + 12));
    }
    h = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) >>> 0;
  } else {
    h = P5;
  }
  h = (h + len) >>> 0;
  for (; i + 4 <= end; i += 4) {
    h = (h + Math.imul(u32le(data, i), P3)) >>> 0;
    h = Math.imul(rotl(h, 17), P4) >>> 0;
  }
  for (; i < end; i++) {
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
  out[newDescEnd] = (xxh32(out, 4, newDescEnd) >>> 8) & 0xff;
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
  const u32 = (p: number): number => u32le(data, p);
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

/** Thrown by lz4DecodeFrameInto on data that is not a valid frame. */
export class Lz4FormatError extends Error {}

function corrupt(what: string): never {
  throw new Lz4FormatError(what);
}

/** A length of 15 in a token continues in bytes of 255 until one below it. */
function extendLength(src: Uint8Array, pos: { ip: number }, end: number, n: number): number {
  let ip = pos.ip;
  let b: number;
  do {
    if (ip >= end) corrupt('LZ4 block ends inside a length');
    b = src[ip++];
    n += b;
  } while (b === 255);
  pos.ip = ip;
  return n;
}

/**
 * Decodes one compressed block, src[ip, end), to out[op, outEnd); matches may reach back to
 * windowStart. Returns the new op. Checks every length and offset against both buffers.
 */
function decodeBlock(src: Uint8Array, ip: number, end: number, out: Uint8Array, op: number, outEnd: number, windowStart: number): number {
  const pos = { ip };
  for (;;) {
    if (pos.ip >= end) corrupt('LZ4 block ends without its last literals');
    const token = src[pos.ip++];
    let lit = token >>> 4;
    if (lit === 15) lit = extendLength(src, pos, end, lit);
    let i = pos.ip;
    if (i + lit > end) corrupt('LZ4 literals run past the block');
    if (op + lit > outEnd) corrupt('LZ4 block decodes past its bound');
    if (lit > 16) {
      out.set(src.subarray(i, i + lit), op);
      op += lit;
      i += lit;
    } else {
      for (const stop = i + lit; i < stop; ) out[op++] = src[i++];
    }
    if (i === end) return op; // the last sequence holds literals only
    if (i + 2 > end) corrupt('LZ4 block ends inside a match offset');
    const offset = src[i] | (src[i + 1] << 8);
    pos.ip = i + 2;
    if (offset === 0 || offset > op - windowStart) corrupt(`LZ4 match offset ${offset} points before the data`);
    let len = token & 15;
    if (len === 15) len = extendLength(src, pos, end, len);
    len += 4;
    if (op + len > outEnd) corrupt('LZ4 block decodes past its bound');
    let m = op - offset;
    if (offset >= len && len > 32) {
      out.copyWithin(op, m, m + len);
      op += len;
    } else {
      // Overlapping copies repeat the last `offset` bytes, so they go byte by byte.
      for (const stop = op + len; op < stop; ) out[op++] = out[m++];
    }
  }
}

/**
 * Decodes one LZ4 frame synchronously into `out`, which must hold the frame's bound (from
 * lz4OutputBound, which must have accepted `data`). Verifies the header, block and content
 * checksums that the frame declares, and the declared content size. Returns the bytes
 * written. Throws Lz4FormatError on anything invalid; never writes outside `out`.
 */
export function lz4DecodeFrameInto(data: Uint8Array, out: Uint8Array): number {
  const flg = data[4];
  const blockMax = BLOCK_MAX[(data[5] >>> 4) & 7] ?? corrupt('invalid LZ4 block max size');
  let pos = 6;
  let declared = -1;
  if (flg & FLG_CONTENT_SIZE) {
    declared = u32le(data, pos + 4) * 4294967296 + u32le(data, pos);
    pos += 8;
  }
  if (flg & FLG_DICT_ID) corrupt('LZ4 frames with a dictionary are not supported');
  if (data[pos] !== ((xxh32(data, 4, pos) >>> 8) & 0xff)) corrupt('LZ4 frame header checksum mismatch');
  pos += 1;
  const independent = (flg & FLG_BLOCK_INDEPENDENCE) !== 0;
  const blockChecksum = (flg & FLG_BLOCK_CHECKSUM) !== 0;
  let op = 0;
  for (;;) {
    if (pos + 4 > data.length) corrupt('truncated LZ4 frame (no end mark)');
    const word = u32le(data, pos);
    pos += 4;
    if (word === 0) break;
    const size = word & 0x7fffffff;
    const end = pos + size;
    if (size > blockMax || end + (blockChecksum ? 4 : 0) > data.length) corrupt('LZ4 block runs past the frame');
    if (blockChecksum && u32le(data, end) !== xxh32(data, pos, end)) corrupt('LZ4 block checksum mismatch');
    const outEnd = Math.min(out.length, op + blockMax);
    if (word & 0x80000000) {
      if (op + size > outEnd) corrupt('LZ4 stored block past its bound');
      out.set(data.subarray(pos, end), op);
      op += size;
    } else {
      op = decodeBlock(data, pos, end, out, op, outEnd, independent ? op : 0);
    }
    pos = end + (blockChecksum ? 4 : 0);
  }
  if (flg & FLG_CONTENT_CHECKSUM) {
    if (pos + 4 > data.length) corrupt('truncated LZ4 frame (no content checksum)');
    if (u32le(data, pos) !== xxh32(out, 0, op)) corrupt('LZ4 content checksum mismatch');
    pos += 4;
  }
  if (pos !== data.length) corrupt('trailing bytes after the LZ4 frame');
  if (declared >= 0 && op !== declared) corrupt(`LZ4 content size ${declared} declared, ${op} found`);
  return op;
}
