/**
 * Framing and link authentication. Pure: bytes in, bytes out, no sockets, no timers.
 *
 * Frame layout (all integers big-endian):
 *
 *   offset  size  field
 *        0     2  magic 'SR' (0x53 0x52)
 *        2     1  version (PROTOCOL_VERSION)
 *        3     1  message type (MessageType)
 *        4     1  flags: bits 0-1 compression (0 none, 1 zlib, 2 lz4; 3 invalid), bits 2-7 zero
 *        5     1  reserved, zero
 *        6     8  sequence number, per direction, starts at 1 and strictly increases
 *       14     4  payload length N (<= maxFrameSize)
 *       18     N  payload (protobuf message, compressed if the flags say so)
 *     18+N    32  tag: HMAC-SHA256(key, bytes 0 .. 18+N-1), i.e. over header and payload
 *
 * The tag trails the payload so that a sender can stream it; the receiver validates the header
 * (magic, version, type, flags, reserved, length) before it buffers a single payload byte, then
 * checks the tag, and only then the sequence number (so a forged frame cannot advance it).
 */
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { DEFAULT_MAX_FRAME_SIZE, PROTOCOL_VERSION } from './constants.js';
import { WireError } from './errors.js';
import { isMessageType, type MessageType } from './messages.js';

export const FRAME_MAGIC = 0x5352; // 'SR'
export const FRAME_HEADER_SIZE = 18;
export const FRAME_TAG_SIZE = 32;
/** Bytes a frame adds to its payload. */
export const FRAME_OVERHEAD = FRAME_HEADER_SIZE + FRAME_TAG_SIZE;
/** The largest payload length the header can express. */
export const MAX_PAYLOAD_LENGTH = 0xffffffff;

/** Values of the compression bits (flags & FLAG_COMPRESSION_MASK). */
export const FrameCompression = { None: 0, Zlib: 1, Lz4: 2 } as const;
export type FrameCompression = (typeof FrameCompression)[keyof typeof FrameCompression];
export const FLAG_COMPRESSION_MASK = 0x03;
/** The compressed payload is a body with its digit runs packed (digits.ts); only with compression. */
export const FLAG_DIGIT_RUNS = 0x04;

const MAX_SEQ = (1n << 64n) - 1n;

export interface Frame {
  type: MessageType;
  flags: number;
  seq: bigint;
  payload: Buffer;
}

/** Turns a key into a KeyObject once; rejects an empty key. */
export function toHmacKey(key: Uint8Array | KeyObject): KeyObject {
  if (!(key instanceof Uint8Array)) return key;
  if (key.length === 0) throw new WireError('SRP_ERR_BAD_KEY', 'the authentication key is empty');
  return createSecretKey(key);
}

function checkFlags(flags: number): void {
  if (!Number.isInteger(flags) || flags < 0 || flags > 0xff || (flags & ~(FLAG_COMPRESSION_MASK | FLAG_DIGIT_RUNS)) !== 0) {
    throw new WireError('SRP_ERR_BAD_FLAGS', `unknown flag bits 0x${(flags >>> 0).toString(16)}`);
  }
  if ((flags & FLAG_COMPRESSION_MASK) === 3) throw new WireError('SRP_ERR_BAD_FLAGS', 'unknown compression 3');
  if ((flags & FLAG_DIGIT_RUNS) !== 0 && (flags & FLAG_COMPRESSION_MASK) === FrameCompression.None) throw new WireError('SRP_ERR_BAD_FLAGS', 'digit runs without compression');
}

function writeHeader(buf: Buffer, type: number, flags: number, seq: bigint, length: number): void {
  buf.writeUInt16BE(FRAME_MAGIC, 0);
  buf[2] = PROTOCOL_VERSION;
  buf[3] = type;
  buf[4] = flags;
  buf[5] = 0;
  buf.writeBigUInt64BE(seq, 6);
  buf.writeUInt32BE(length, 14);
}

function tagOf(key: KeyObject, buf: Buffer, end: number): Buffer {
  return createHmac('sha256', key).update(buf.subarray(0, end)).digest();
}

function validateOutgoing(type: number, flags: number, seq: bigint, length: number): void {
  if (!isMessageType(type)) throw new WireError('SRP_ERR_BAD_TYPE', `unknown message type ${type}`);
  checkFlags(flags);
  if (typeof seq !== 'bigint' || seq < 1n || seq > MAX_SEQ) {
    throw new WireError('SRP_ERR_REPLAY', `sequence number ${String(seq)} outside 1..2^64-1`);
  }
  if (length > MAX_PAYLOAD_LENGTH) throw new WireError('SRP_ERR_FRAME_TOO_LARGE', `payload of ${length} bytes`);
}

/**
 * Encodes one frame: header, payload, HMAC tag. Pure (no state); the caller owns the sequence.
 * Throws WireError (SRP_ERR_BAD_TYPE / _BAD_FLAGS / _REPLAY for seq < 1 / _FRAME_TOO_LARGE).
 */
export function encodeFrame(frame: Frame, key: Uint8Array | KeyObject, opts?: { maxFrameSize?: number }): Buffer {
  const { type, flags, seq, payload } = frame;
  validateOutgoing(type, flags, seq, payload.length);
  const max = opts?.maxFrameSize ?? MAX_PAYLOAD_LENGTH;
  if (payload.length > max) {
    throw new WireError('SRP_ERR_FRAME_TOO_LARGE', `payload of ${payload.length} bytes exceeds ${max}`);
  }
  const k = toHmacKey(key);
  const end = FRAME_HEADER_SIZE + payload.length;
  const buf = Buffer.allocUnsafe(end + FRAME_TAG_SIZE);
  writeHeader(buf, type, flags, seq, payload.length);
  buf.set(payload, FRAME_HEADER_SIZE);
  tagOf(k, buf, end).copy(buf, end);
  return buf;
}

/**
 * @internal Builds a frame whose payload is written by `fill` straight into the frame buffer
 * (saves a copy on the send path). Same checks as encodeFrame.
 */
export function encodeFrameWith(
  type: MessageType,
  flags: number,
  seq: bigint,
  length: number,
  key: KeyObject,
  fill: (buf: Buffer, offset: number) => void,
): Buffer {
  validateOutgoing(type, flags, seq, length);
  const end = FRAME_HEADER_SIZE + length;
  const buf = Buffer.allocUnsafe(end + FRAME_TAG_SIZE);
  writeHeader(buf, type, flags, seq, length);
  fill(buf, FRAME_HEADER_SIZE);
  tagOf(key, buf, end).copy(buf, end);
  return buf;
}

export interface FrameDecoderOptions {
  key: Uint8Array | KeyObject;
  /** Largest accepted payload length in bytes; default DEFAULT_MAX_FRAME_SIZE (16 MiB). */
  maxFrameSize?: number;
  /**
   * Called once a frame's header is valid, with its type, flags and whole size (header, payload
   * and tag): it may return a buffer of exactly `size` bytes to assemble the frame in (one to
   * be reused, from a BufferPool), or undefined for a new one.
   */
  frameBuffer?: (type: number, flags: number, size: number) => Buffer | undefined;
  /**
   * The sequence number of the last frame already accepted before this decoder (the frames of
   * a handshake read by other means); the first frame must carry a greater one. Default 0n.
   */
  startAfter?: bigint;
}

/**
 * Incremental frame decoder for one direction of one connection. `push(chunk)` accepts bytes
 * exactly as they came off the socket (any segmentation) and returns the frames completed.
 *
 * Throws WireError only. After the first error it stays failed: every later push throws
 * SRP_ERR_DECODER_FAILED (cause: the first error), and its buffers are released.
 * Memory held is at most one header plus one frame of at most maxFrameSize + 50 bytes.
 */
export class FrameDecoder {
  readonly maxFrameSize: number;
  private readonly key: KeyObject;
  private readonly header = Buffer.alloc(FRAME_HEADER_SIZE);
  private headerFill = 0;
  /** The frame being assembled (header + payload + tag), once its header is valid. */
  private frame: Buffer | null = null;
  private frameFill = 0;
  private lastSeq = 0n;
  private failure: WireError | null = null;
  private readonly frameBuffer: FrameDecoderOptions['frameBuffer'];

  constructor(opts: FrameDecoderOptions) {
    this.key = toHmacKey(opts.key);
    this.frameBuffer = opts.frameBuffer;
    this.lastSeq = opts.startAfter ?? 0n;
    const max = opts.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE;
    if (!Number.isSafeInteger(max) || max < 0 || max > MAX_PAYLOAD_LENGTH) {
      throw new RangeError(`maxFrameSize must be an integer in 0..${MAX_PAYLOAD_LENGTH}`);
    }
    this.maxFrameSize = max;
  }

  /** The sequence number of the last accepted frame (0n before the first). */
  get lastSequence(): bigint {
    return this.lastSeq;
  }

  /** True once an error was thrown; the connection must be closed. */
  get failed(): boolean {
    return this.failure !== null;
  }

  /** Bytes buffered towards the next frame. */
  get bufferedBytes(): number {
    return this.frame !== null ? this.frameFill : this.headerFill;
  }

  push(chunk: Uint8Array): Frame[] {
    if (this.failure !== null) {
      throw new WireError('SRP_ERR_DECODER_FAILED', 'the decoder failed earlier; close the connection', {
        cause: this.failure,
      });
    }
    try {
      return this.consume(chunk);
    } catch (err) {
      const e =
        err instanceof WireError
          ? err
          : new WireError('SRP_ERR_BAD_MESSAGE', `unexpected decoder failure: ${String(err)}`, { cause: err });
      this.failure = e;
      this.frame = null;
      throw e;
    }
  }

  private consume(chunk: Uint8Array): Frame[] {
    const out: Frame[] = [];
    let pos = 0;
    const n = chunk.length;
    while (pos < n) {
      if (this.frame === null) {
        // Assemble the fixed header first: nothing beyond it is buffered until it is valid.
        if (this.headerFill === 0 && n - pos >= FRAME_HEADER_SIZE) {
          // fast path: a whole header in this chunk
          this.header.set(chunk.subarray(pos, pos + FRAME_HEADER_SIZE), 0);
          pos += FRAME_HEADER_SIZE;
          this.headerFill = FRAME_HEADER_SIZE;
        } else {
          const take = Math.min(FRAME_HEADER_SIZE - this.headerFill, n - pos);
          // validate the magic as soon as its bytes arrive, so garbage fails fast
          this.header.set(chunk.subarray(pos, pos + take), this.headerFill);
          this.headerFill += take;
          pos += take;
          if (this.headerFill < FRAME_HEADER_SIZE) {
            this.checkEarlyMagic();
            continue;
          }
        }
        const length = this.checkHeader();
        const size = FRAME_HEADER_SIZE + length + FRAME_TAG_SIZE;
        const given = this.frameBuffer?.(this.header[3], this.header[4], size);
        if (given !== undefined && given.length !== size) {
          throw new RangeError(`frameBuffer returned ${given.length} bytes for a frame of ${size}`);
        }
        this.frame = given ?? Buffer.allocUnsafe(size);
        this.header.copy(this.frame, 0);
        this.frameFill = FRAME_HEADER_SIZE;
        this.headerFill = 0;
      }
      const frame = this.frame;
      const take = Math.min(frame.length - this.frameFill, n - pos);
      frame.set(chunk.subarray(pos, pos + take), this.frameFill);
      this.frameFill += take;
      pos += take;
      if (this.frameFill === frame.length) {
        this.frame = null;
        this.frameFill = 0;
        out.push(this.finishFrame(frame));
      }
    }
    return out;
  }

  private checkEarlyMagic(): void {
    const h = this.header;
    if (this.headerFill >= 1 && h[0] !== 0x53) throw badMagic(h);
    if (this.headerFill >= 2 && h[1] !== 0x52) throw badMagic(h);
  }

  /** Validates the fixed header; returns the payload length. */
  private checkHeader(): number {
    return checkFrameHeader(this.header, this.maxFrameSize);
  }

  private finishFrame(frame: Buffer): Frame {
    const end = frame.length - FRAME_TAG_SIZE;
    checkTag([this.key], frame);
    const seq = frame.readBigUInt64BE(6);
    if (seq <= this.lastSeq) {
      throw new WireError('SRP_ERR_REPLAY', `sequence number ${seq} does not increase (last ${this.lastSeq})`);
    }
    this.lastSeq = seq;
    return { type: frame[3], flags: frame[4], seq, payload: frame.subarray(FRAME_HEADER_SIZE, end) };
  }
}

/** Validates a frame's fixed header (the first FRAME_HEADER_SIZE bytes of `h`); returns the payload length. */
export function checkFrameHeader(h: Buffer, maxFrameSize: number): number {
  if (h.readUInt16BE(0) !== FRAME_MAGIC) throw badMagic(h);
  if (h[2] !== PROTOCOL_VERSION) {
    throw new WireError('SRP_ERR_BAD_VERSION', `protocol version ${h[2]}, expected ${PROTOCOL_VERSION}`);
  }
  if (!isMessageType(h[3])) throw new WireError('SRP_ERR_BAD_TYPE', `unknown message type ${h[3]}`);
  checkFlags(h[4]);
  if (h[5] !== 0) throw new WireError('SRP_ERR_BAD_FLAGS', `reserved header byte is ${h[5]}, expected 0`);
  const length = h.readUInt32BE(14);
  if (length > maxFrameSize) {
    throw new WireError('SRP_ERR_FRAME_TOO_LARGE', `payload of ${length} bytes exceeds ${maxFrameSize}`);
  }
  return length;
}

/** Checks a whole frame's tag against each key in turn; returns the index of the key that matched. */
function checkTag(keys: readonly KeyObject[], frame: Buffer): number {
  const end = frame.length - FRAME_TAG_SIZE;
  const tag = frame.subarray(end);
  for (let i = 0; i < keys.length; i++) {
    if (timingSafeEqual(tagOf(keys[i], frame, end), tag)) return i;
  }
  throw new WireError('SRP_ERR_BAD_MAC', 'authentication tag mismatch (wrong key or altered frame)');
}

/**
 * Decodes a buffer that holds exactly one frame (a datagram): header, payload and tag checked
 * against each of `keys` (during a key rotation, more than one is accepted). The sequence number
 * is returned, not judged: the caller keeps the per-sender state. Throws WireError only.
 */
export function decodeOneFrame(buf: Buffer, keys: readonly KeyObject[], maxFrameSize = DEFAULT_MAX_FRAME_SIZE): Frame & { keyIndex: number } {
  if (buf.length < FRAME_OVERHEAD) {
    if (buf.length >= 2 && buf.readUInt16BE(0) !== FRAME_MAGIC) throw badMagic(buf);
    throw new WireError('SRP_ERR_BAD_FRAME', `a frame of ${buf.length} bytes is shorter than its ${FRAME_OVERHEAD}-byte overhead`);
  }
  const length = checkFrameHeader(buf, maxFrameSize);
  if (FRAME_OVERHEAD + length !== buf.length) {
    throw new WireError('SRP_ERR_BAD_FRAME', `header says ${length} payload bytes, the datagram holds ${buf.length - FRAME_OVERHEAD}`);
  }
  const keyIndex = checkTag(keys, buf);
  const seq = buf.readBigUInt64BE(6);
  if (seq < 1n) throw new WireError('SRP_ERR_REPLAY', 'sequence number 0');
  return { type: buf[3], flags: buf[4], seq, payload: buf.subarray(FRAME_HEADER_SIZE, FRAME_HEADER_SIZE + length), keyIndex };
}

function badMagic(h: Buffer): WireError {
  return new WireError('SRP_ERR_BAD_MAGIC', `bad frame magic 0x${h.subarray(0, 2).toString('hex')}`);
}
