/**
 * The message layer over frames: MessageWriter turns SrpMessages into signed (and, above a
 * size, compressed) frames with sequence numbers 1, 2, 3...; MessageReader turns received bytes
 * back into SrpMessages. Both keep order however callers interleave their async calls.
 */
import type { KeyObject } from 'node:crypto';
import { encodeBodyAs, decodeMessageBody, messageTypeOf } from './body.js';
import { codecForFlag, compressionFlag, lz4DecompressInto, type Codec } from './compression.js';
import { DEFAULT_MAX_FRAME_SIZE } from './constants.js';
import { WireError } from './errors.js';
import { digitRunsBound, digitRunsLength, packDigitRuns, unpackDigitRuns } from './digits.js';
import { FLAG_COMPRESSION_MASK, FLAG_DIGIT_RUNS, FrameDecoder, FrameCompression, encodeFrameWith, toHmacKey, type Frame } from './frame.js';
import { MessageType, type SrpMessage, type SrpMessageKind } from './messages.js';
import { BufferPool, leaseBody } from './pool.js';

/** Payloads below this many bytes go uncompressed by default. */
export const DEFAULT_COMPRESS_MIN_BYTES = 256;

/** Kinds that are never compressed (sent before negotiation, or must stay readable). */
const NEVER_COMPRESSED: ReadonlySet<SrpMessageKind> = new Set(['hello', 'capabilities', 'goodbye']);

/**
 * Kinds encodeSync() leaves to encode(): macro checkpoint chunks, sent back to back in a bulk
 * sync, compress on the thread pool (in parallel, off the event loop).
 */
const COMPRESSED_OFF_THREAD: ReadonlySet<SrpMessageKind> = new Set(['macroCheckpointChunk']);

/**
 * Kinds whose bodies get their digit runs packed (setCodec's `digitRuns`): the micro batches,
 * where an update's bytes are mostly its id. Not the macro chunks: packing and unpacking them
 * cost the bulk sync of 1M sessions 1-2 s under load (the sender's main thread and the
 * receiver's, 11-15 % of the chunk path's rate) for 11 % fewer bytes.
 */
const DIGIT_RUN_KINDS: ReadonlySet<SrpMessageKind> = new Set(['microCheckpointBatch']);

export interface MessageWriterOptions {
  key: Uint8Array | KeyObject;
  /** Codec for payloads of at least compressMinBytes; null or absent: never compress. */
  codec?: Codec | null;
  compressMinBytes?: number;
  /** A message whose payload would exceed this is refused locally (SRP_ERR_FRAME_TOO_LARGE). */
  maxFrameSize?: number;
  /**
   * Told of every frame produced: the message kind, its payload bytes before compression and
   * the bytes actually framed (equal when it went uncompressed). For compression statistics.
   */
  onEncoded?: (kind: SrpMessageKind, beforeBytes: number, afterBytes: number) => void;
  /** The sequence number of the last frame sent before this writer (a handshake's); default 0n. */
  startAfter?: bigint;
}

/** A message serialised (and its compression started) ahead of its turn to be framed. */
interface Prepared {
  kind: SrpMessageKind;
  type: Frame['type'];
  /** Uncompressed fast path: encoded into the frame buffer when framed. */
  msg: SrpMessage | null;
  body: Buffer | null;
  codec: Codec | null;
  packed: Promise<Buffer> | null;
  /** The body with its digit runs packed, compressed in its place (given back once framed); null: the body itself. */
  staged: Buffer | null;
}

export class MessageWriter {
  private readonly key: KeyObject;
  private codec: Codec | null;
  /** Pack digit runs before compressing (the peer offered FEATURE_DIGIT_RUNS). */
  private digitRuns = false;
  private readonly compressMinBytes: number;
  private readonly maxFrameSize: number;
  private seq = 0n;
  private tail: Promise<unknown> = Promise.resolve();
  /** encode() calls whose frame is not built yet: encodeSync() waits (returns null) until 0. */
  private building = 0;
  private readonly built = (): void => {
    this.building--;
  };
  private readonly onEncoded: MessageWriterOptions['onEncoded'];
  /**
   * Serialised bodies awaiting compression: reused rather than a new ArrayBuffer per message,
   * since V8 counts those towards a full collection of a heap that may hold a million sessions.
   */
  private readonly bodies = new BufferPool({ maxFree: 32, maxBytes: 1 << 20 });

  constructor(opts: MessageWriterOptions) {
    this.onEncoded = opts.onEncoded;
    this.key = toHmacKey(opts.key);
    this.codec = opts.codec ?? null;
    this.compressMinBytes = opts.compressMinBytes ?? DEFAULT_COMPRESS_MIN_BYTES;
    this.maxFrameSize = opts.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE;
    this.seq = opts.startAfter ?? 0n;
  }

  /**
   * Applies to messages encoded after this call. `digitRuns`: bodies are compressed with their
   * digit runs packed (digits.ts; only for a peer that offered FEATURE_DIGIT_RUNS).
   */
  setCodec(codec: Codec | null, digitRuns = false): void {
    this.codec = codec;
    this.digitRuns = digitRuns;
  }

  /**
   * What the codec compresses instead of `body`: its digit runs packed into a buffer of
   * `bodies`, or null when the body goes to the codec as it is.
   */
  private stage(body: Buffer, kind: SrpMessageKind): Buffer | null {
    if (!this.digitRuns || !DIGIT_RUN_KINDS.has(kind)) return null;
    const out = this.bodies.take(digitRunsBound(body.length));
    return out.subarray(0, packDigitRuns(body, body.length, out));
  }

  /** The sequence number of the last frame produced (0n before the first). */
  get lastSequence(): bigint {
    return this.seq;
  }

  /**
   * Full frame bytes for one message. Calls complete in call order and get sequence numbers in
   * call order; a message that fails to encode consumes no sequence number.
   * Rejects with WireError only (SRP_ERR_BAD_MESSAGE, SRP_ERR_FRAME_TOO_LARGE, ...).
   *
   * The body is serialised and its compression started at once, in the caller's turn (the codec
   * is the one set when encode() is called); only the framing (sequence number, HMAC) waits for
   * the frames before it. Compression runs off the event loop (zlib/LZ4 thread pool), so
   * messages encoded back to back compress in parallel: chaining each compression behind the
   * previous one allowed one frame per event-loop turn, which capped the checkpoint stream of a
   * busy Active (see docs/perf/checkpoint.md).
   */
  encode(msg: SrpMessage): Promise<Buffer> {
    let prepared: Prepared;
    try {
      prepared = this.prepare(msg);
    } catch (err) {
      // Nothing framed: no sequence number consumed. Still settles after the frames before it.
      const p = this.tail.then(() => Promise.reject(err as Error));
      this.tail = p.then(noop, noop);
      return p;
    }
    const p = this.tail.then(() => this.finish(prepared));
    this.building++;
    this.tail = p.then(this.built, this.built);
    return p;
  }

  /**
   * The frame for `msg` built now, in the caller's turn, with the next sequence number; null
   * when it must go through encode() instead: a frame of encode() is still being built (it
   * goes first), or the message is a macro checkpoint chunk (compressed off the thread).
   * Throws what encode() rejects with.
   *
   * A busy Active sends micro-checkpoint batches from the middle of long turns (an API call of
   * thousands of ops). Through encode() a batch's frame was built, and written, only after the
   * turn had ended and the thread pool's compression had come back to the loop; here the
   * Standby has it while the Active is still in that turn. Compressing a batch of 512 items
   * (about 40 KB) costs well under a millisecond with either codec.
   *
   * The caller writes the frame before anything else: after frames of encode() (resolved but
   * not yet written by the caller) it must not call this, which only it can know.
   */
  encodeSync(msg: SrpMessage): Buffer | null {
    if (this.building > 0) return null;
    const type = messageTypeOf(msg);
    const codec = this.codec;
    if (codec === null || NEVER_COMPRESSED.has(msg.kind)) return this.finishUncompressed({ kind: msg.kind, type, msg, body: null, codec: null, packed: null, staged: null });
    if (COMPRESSED_OFF_THREAD.has(msg.kind)) return null;
    const body = this.serialise(msg);
    let staged: Buffer | null = null;
    try {
      let packed: Buffer | null = null;
      if (body.length >= this.compressMinBytes) {
        staged = this.stage(body, msg.kind);
        try {
          packed = codec.compressSync(staged ?? body);
        } catch (err) {
          throw compressionFailed(codec, err);
        }
      }
      return this.frameBody(msg.kind, type, body, codec, packed, staged !== null);
    } finally {
      if (staged !== null) this.bodies.give(staged);
      this.bodies.give(body);
    }
  }

  /** msg's body, serialised into a reused buffer (given back to `bodies` once framed). */
  private serialise(msg: SrpMessage): Buffer {
    return encodeBodyAs(msg, (size, write) => {
      const b = this.bodies.take(size);
      write(b, 0);
      return b;
    });
  }

  private prepare(msg: SrpMessage): Prepared {
    const type = messageTypeOf(msg);
    const codec = this.codec;
    const compress = codec !== null && !NEVER_COMPRESSED.has(msg.kind);
    if (!compress) {
      // Fast path: serialised straight into the frame buffer when its turn comes.
      return { kind: msg.kind, type, msg, body: null, codec: null, packed: null, staged: null };
    }
    // Into a reused buffer, given back once the frame is built (finish()).
    const body = this.serialise(msg);
    if (body.length < this.compressMinBytes) return { kind: msg.kind, type, msg: null, body, codec: null, packed: null, staged: null };
    const staged = this.stage(body, msg.kind);
    const packed = codec.compress(staged ?? body);
    // Awaited in finish(); a rejection before then is not unhandled.
    packed.catch(noop);
    return { kind: msg.kind, type, msg: null, body, codec, packed, staged };
  }

  private async finish(p: Prepared): Promise<Buffer> {
    if (p.body === null) return this.finishUncompressed(p);
    try {
      return await this.finishBody(p, p.body);
    } finally {
      if (p.staged !== null) this.bodies.give(p.staged);
      this.bodies.give(p.body);
    }
  }

  /** The fast path: the message serialised straight into its frame. */
  private finishUncompressed(p: Prepared): Buffer {
    return encodeBodyAs(p.msg!, (n, write) => {
      const frame = this.frame(p.type, FrameCompression.None, n, write);
      this.onEncoded?.(p.kind, n, n);
      return frame;
    });
  }

  /** A serialised body once its compression (if any) is done. */
  private async finishBody(p: Prepared, body: Buffer): Promise<Buffer> {
    let packed: Buffer | null = null;
    if (p.packed !== null && p.codec !== null) {
      try {
        packed = await p.packed;
      } catch (err) {
        throw compressionFailed(p.codec, err);
      }
    }
    return this.frameBody(p.kind, p.type, body, p.codec, packed, p.staged !== null);
  }

  /**
   * The frame of a body: compressed (`packed`, of the body with its digit runs packed when
   * `digitRuns`) if that made it smaller, else as it is.
   */
  private frameBody(kind: SrpMessageKind, type: Frame['type'], body: Buffer, codec: Codec | null, packed: Buffer | null, digitRuns: boolean): Buffer {
    // Incompressible payloads go as they are: never make a frame bigger.
    if (packed !== null && codec !== null && packed.length < body.length) {
      const frame = this.frame(type, compressionFlag(codec.name) | (digitRuns ? FLAG_DIGIT_RUNS : 0), packed.length, (buf, off) => packed.copy(buf, off));
      this.onEncoded?.(kind, body.length, packed.length);
      return frame;
    }
    const frame = this.frame(type, FrameCompression.None, body.length, (buf, off) => body.copy(buf, off));
    this.onEncoded?.(kind, body.length, body.length);
    return frame;
  }

  private frame(type: Frame['type'], flags: number, length: number, fill: (buf: Buffer, off: number) => void): Buffer {
    if (length > this.maxFrameSize) {
      throw new WireError('SRP_ERR_FRAME_TOO_LARGE', `payload of ${length} bytes exceeds ${this.maxFrameSize}`);
    }
    const buf = encodeFrameWith(type, flags, this.seq + 1n, length, this.key, fill);
    this.seq += 1n;
    return buf;
  }
}

function compressionFailed(codec: Codec, err: unknown): WireError {
  return new WireError('SRP_ERR_BAD_MESSAGE', `${codec.name} compression failed: ${String(err)}`, { cause: err });
}

export interface MessageReaderOptions {
  key: Uint8Array | KeyObject;
  /** Bound of both the frame payload and its decompressed size; default 16 MiB. */
  maxFrameSize?: number;
  /**
   * Decoding budget in milliseconds: once a push() has decoded frames for this long, it yields
   * to the event loop (setImmediate) before the next frame, so that one socket read holding many
   * large frames (a bulk sync) does not block timers and the consumer's own work. Default 0:
   * never yield.
   */
  sliceMs?: number;
  /**
   * When set, LZ4-compressed micro-checkpoint batches are decompressed on the calling thread
   * into buffers from this pool (no new ArrayBuffer per batch). The consumer calls
   * releaseMessage(msg) once it is done with such a message's items; until then the buffer is
   * not reused. Other frames, and zlib, decompress as without a pool.
   */
  pool?: BufferPool;
  /**
   * When set, LZ4-compressed micro-checkpoint batch frames are assembled from the socket's
   * chunks in buffers from this pool, and each goes back as soon as its payload is
   * decompressed (the frame is not used after that). Keep it apart from `pool`: its buffers
   * come back at once, the decompressed bodies only when released.
   */
  framePool?: BufferPool;
  /** The sequence number of the last frame received before this reader (a handshake's); default 0n. */
  startAfter?: bigint;
}

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class MessageReader {
  private readonly decoder: FrameDecoder;
  private readonly maxFrameSize: number;
  private tail: Promise<unknown> = Promise.resolve();
  private failure: WireError | null = null;
  private readonly sliceMs: number;
  private readonly pool: BufferPool | null;
  private readonly framePool: BufferPool | null;

  constructor(opts: MessageReaderOptions) {
    const framePool = opts.framePool ?? null;
    this.framePool = framePool;
    this.decoder = new FrameDecoder(
      framePool === null
        ? opts
        : { ...opts, frameBuffer: (type, flags, size) => (isPooledFrame(type, flags) ? framePool.take(size) : undefined) },
    );
    this.maxFrameSize = this.decoder.maxFrameSize;
    this.sliceMs = opts.sliceMs ?? 0;
    this.pool = opts.pool ?? null;
  }

  get failed(): boolean {
    return this.failure !== null || this.decoder.failed;
  }

  /** The sequence number of the last authenticated frame. */
  get lastSequence(): bigint {
    return this.decoder.lastSequence;
  }

  /**
   * Feeds bytes from the socket; resolves with the messages they complete, in order. The chunk
   * is consumed synchronously (it may be reused as soon as this returns). Concurrent calls are
   * serialised. Rejects with WireError only; after a rejection the reader stays failed.
   */
  push(chunk: Uint8Array): Promise<SrpMessage[]> {
    let frames: Frame[] = [];
    let syncError: unknown = null;
    try {
      frames = this.decoder.push(chunk);
    } catch (err) {
      syncError = err;
    }
    const p = this.tail.then(async () => {
      if (this.failure !== null) {
        throw new WireError('SRP_ERR_DECODER_FAILED', 'the reader failed earlier; close the connection', {
          cause: this.failure,
        });
      }
      if (syncError !== null) throw this.fail(syncError);
      const out: SrpMessage[] = [];
      let sliceStart = this.sliceMs > 0 ? performance.now() : 0;
      for (let i = 0; i < frames.length; i++) {
        if (i > 0 && this.sliceMs > 0 && performance.now() - sliceStart >= this.sliceMs) {
          await yieldToLoop();
          sliceStart = performance.now();
        }
        try {
          out.push(await this.decodeFrame(frames[i]));
        } catch (err) {
          throw this.fail(err);
        }
      }
      return out;
    });
    this.tail = p.then(noop, noop);
    return p;
  }

  private fail(err: unknown): WireError {
    const e =
      err instanceof WireError
        ? err
        : new WireError('SRP_ERR_BAD_MESSAGE', `unexpected reader failure: ${String(err)}`, { cause: err });
    this.failure ??= e;
    return e;
  }

  private async decodeFrame(f: Frame): Promise<SrpMessage> {
    const codec = codecForFlag(f.flags);
    if (codec === null) return decodeMessageBody(f.type, f.payload);
    // The pool the body is decompressed into, or null for a fresh buffer from the codec.
    const bodyPool = this.pool !== null && isPooledFrame(f.type, f.flags) ? this.pool : null;
    let body: Buffer;
    try {
      body =
        bodyPool !== null
          ? lz4DecompressInto(f.payload, this.maxFrameSize, (n) => bodyPool.take(n))
          : await codec.decompress(f.payload, this.maxFrameSize);
    } finally {
      // Nothing reads the frame after decompression (a buffer not from the pool is ignored).
      this.framePool?.give(f.payload);
    }
    if ((f.flags & FLAG_DIGIT_RUNS) !== 0) {
      const packed = body;
      const n = digitRunsLength(packed, packed.length, this.maxFrameSize);
      body = bodyPool !== null ? bodyPool.take(n) : Buffer.allocUnsafe(n);
      unpackDigitRuns(packed, packed.length, body);
      bodyPool?.give(packed);
    }
    // A decompressed body is a buffer of ours: a batch's items may be views of it.
    const msg = decodeMessageBody(f.type, body, true);
    if (bodyPool !== null) leaseBody(msg.body, bodyPool, body);
    return msg;
  }
}

/** The frames the pools serve: LZ4 micro-checkpoint batches, a Standby's steady traffic. */
function isPooledFrame(type: number, flags: number): boolean {
  return type === (MessageType.MicroCheckpointBatch as number) && (flags & FLAG_COMPRESSION_MASK) === FrameCompression.Lz4;
}

function noop(): void {}
