/**
 * Payload compression behind one interface: the standard zlib format (RFC 1950, node:zlib,
 * async so it runs off the event loop) and the standard LZ4 frame format (lz4-napi). Both
 * decompressors are bounded: they never produce (or allocate for) more than maxOutputBytes.
 */
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { compressFrame, compressFrameSync, decompressFrame } from 'lz4-napi';
import { WireError } from './errors.js';
import { FrameCompression } from './frame.js';
import { Lz4FormatError, lz4DecodeFrameInto, lz4OutputBound, withContentSize } from './lz4frame.js';

export type CompressionName = 'zlib' | 'lz4';

export interface Codec {
  readonly name: CompressionName;
  compress(data: Uint8Array): Promise<Buffer>;
  /** The same, on the calling thread: for bodies small enough that a thread-pool round trip costs more than the work. */
  compressSync(data: Buffer): Buffer;
  /** Rejects with WireError SRP_ERR_DECOMPRESS (corrupt) or SRP_ERR_FRAME_TOO_LARGE (bomb). */
  decompress(data: Uint8Array, maxOutputBytes: number): Promise<Buffer>;
}

export const COMPRESSION_NAMES: readonly CompressionName[] = ['zlib', 'lz4'];

/**
 * The algorithm for a link: LZ4 only when both sides list it, otherwise zlib (the default every
 * chassis speaks, whatever it lists). Order of the lists does not matter.
 */
export function negotiate(local: readonly CompressionName[], remote: readonly CompressionName[]): CompressionName {
  return local.includes('lz4') && remote.includes('lz4') ? 'lz4' : 'zlib';
}

const deflate = promisify(zlib.deflate);
const inflate = promisify(zlib.inflate) as (buf: Uint8Array, opts: zlib.ZlibOptions) => Promise<Buffer>;

function tooLarge(limit: number, detail: string, cause?: unknown): WireError {
  return new WireError('SRP_ERR_FRAME_TOO_LARGE', `decompressed payload exceeds ${limit} bytes (${detail})`, { cause });
}

export interface ZlibCodecOptions {
  /** zlib level 0..9 (default 6, zlib's own default). */
  level?: number;
}

export function createZlibCodec(opts: ZlibCodecOptions = {}): Codec {
  const level = opts.level ?? zlib.constants.Z_DEFAULT_COMPRESSION;
  return {
    name: 'zlib',
    compress: (data) => deflate(data, { level }),
    compressSync: (data) => zlib.deflateSync(data, { level }),
    async decompress(data, maxOutputBytes) {
      try {
        // maxOutputLength stops inflation (and allocation) as soon as the bound is crossed.
        return await inflate(data, { maxOutputLength: Math.max(1, maxOutputBytes) }).then((out) => {
          if (out.length > maxOutputBytes) throw tooLarge(maxOutputBytes, `${out.length} bytes`);
          return out;
        });
      } catch (err) {
        if (err instanceof WireError) throw err;
        if ((err as NodeJS.ErrnoException)?.code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(maxOutputBytes, 'zlib', err);
        throw new WireError('SRP_ERR_DECOMPRESS', `zlib: ${(err as Error)?.message ?? String(err)}`, { cause: err });
      }
    },
  };
}

/** The frame's output bound, once it is known to fit maxOutputBytes. */
function lz4Bound(data: Uint8Array, maxOutputBytes: number): { maxOutput: number; exact: boolean } {
  const bound = lz4OutputBound(data);
  if (!bound.ok) throw new WireError('SRP_ERR_DECOMPRESS', `lz4: ${bound.reason}`);
  if (bound.maxOutput > maxOutputBytes) {
    throw tooLarge(maxOutputBytes, bound.exact ? `declares ${bound.maxOutput} bytes` : `blocks allow ${bound.maxOutput} bytes`);
  }
  return bound;
}

export function createLz4Codec(): Codec {
  return {
    name: 'lz4',
    async compress(data) {
      // lz4-napi does not record the content size; add it so the receiver can bound the output.
      return withContentSize(await compressFrame(data), data.length);
    },
    compressSync(data) {
      return withContentSize(compressFrameSync(data), data.length);
    },
    async decompress(data, maxOutputBytes) {
      const bound = lz4Bound(data, maxOutputBytes);
      let out: Buffer;
      try {
        out = await decompressFrame(data);
      } catch (err) {
        throw new WireError('SRP_ERR_DECOMPRESS', `lz4: ${(err as Error)?.message ?? String(err)}`, { cause: err });
      }
      if (out.length > bound.maxOutput) throw tooLarge(maxOutputBytes, `${out.length} bytes`);
      if (bound.exact && out.length !== bound.maxOutput) {
        throw new WireError('SRP_ERR_DECOMPRESS', `lz4: content size ${bound.maxOutput} declared, ${out.length} found`);
      }
      return out;
    },
  };
}

/**
 * Decompresses an LZ4 frame synchronously, on the calling thread, into a buffer from
 * `take(bound)`; returns the view of the bytes written. The same bounds and errors as the LZ4
 * codec's decompress(). For frames small enough that a thread-pool round trip costs more than
 * the decoding, when the output buffer is to be reused (see BufferPool).
 */
export function lz4DecompressInto(data: Uint8Array, maxOutputBytes: number, take: (length: number) => Buffer): Buffer {
  const bound = lz4Bound(data, maxOutputBytes);
  const out = take(bound.maxOutput);
  try {
    return out.subarray(0, lz4DecodeFrameInto(data, out));
  } catch (err) {
    if (err instanceof Lz4FormatError) throw new WireError('SRP_ERR_DECOMPRESS', `lz4: ${err.message}`, { cause: err });
    throw err;
  }
}

/**
 * zlib level of the shared codec (the SRP link's): 1. On checkpoint data it compresses about
 * four times faster than zlib's default level 6 for a few percent more bytes (see README).
 */
export const LINK_ZLIB_LEVEL = 1;

const CODECS: Record<CompressionName, Codec> = { zlib: createZlibCodec({ level: LINK_ZLIB_LEVEL }), lz4: createLz4Codec() };

/** The shared codec of that name (stateless, safe to share). */
export function getCodec(name: CompressionName): Codec {
  const c = CODECS[name];
  if (c === undefined) throw new WireError('SRP_ERR_BAD_FLAGS', `unknown compression ${String(name)}`);
  return c;
}

/** Frame flag bits for a codec (or none). */
export function compressionFlag(name: CompressionName | null): FrameCompression {
  return name === 'zlib' ? FrameCompression.Zlib : name === 'lz4' ? FrameCompression.Lz4 : FrameCompression.None;
}

/** The codec named by frame flag bits, or null for uncompressed. */
export function codecForFlag(flags: number): Codec | null {
  switch (flags & 0x03) {
    case FrameCompression.None:
      return null;
    case FrameCompression.Zlib:
      return CODECS.zlib;
    case FrameCompression.Lz4:
      return CODECS.lz4;
    default:
      throw new WireError('SRP_ERR_BAD_FLAGS', `unknown compression ${flags & 0x03}`);
  }
}
