/**
 * Receive buffers that are handed back and reused. A Standby decompresses a micro-checkpoint
 * batch into a buffer from a BufferPool (see MessageReaderOptions.pool); the items it decodes
 * are views of that buffer, so the buffer may be reused only once every item is applied. The
 * consumer says so with releaseMessage(msg). A message never released costs nothing but the
 * reuse: its buffer is collected like any other.
 *
 * Why: every decompressed batch used to be a new ArrayBuffer. V8 counts those as external
 * memory, frees them only at a scavenge, and starts a full mark-compact of the whole heap
 * (hundreds of megabytes on a Standby holding a million sessions) when external memory has
 * grown by 64 MiB since the last one: docs/perf/checkpoint.md has the traces.
 */

export interface BufferPoolOptions {
  /** Free buffers kept for reuse; more are dropped when given back. Default 16. */
  maxFree?: number;
  /** The smallest buffer allocated, in bytes; default 64 KiB. */
  minBytes?: number;
  /** Buffers above this many bytes are not pooled; default 4 MiB. */
  maxBytes?: number;
}

export interface BufferPoolStats {
  /** Buffers allocated because none free was large enough. */
  allocated: number;
  /** Buffers taken from the free list. */
  reused: number;
  /** Buffers given back and kept. */
  returned: number;
  /** Buffers free now. */
  free: number;
}

export class BufferPool {
  private readonly free: ArrayBuffer[] = [];
  /** Buffers handed out and not given back: give() accepts only these, and each once. */
  private readonly lent = new WeakSet<ArrayBuffer>();
  private readonly maxFree: number;
  private readonly minBytes: number;
  private readonly maxBytes: number;
  private allocated = 0;
  private reused = 0;
  private returned = 0;

  constructor(opts: BufferPoolOptions = {}) {
    this.maxFree = opts.maxFree ?? 16;
    this.minBytes = opts.minBytes ?? 64 << 10;
    this.maxBytes = opts.maxBytes ?? 4 << 20;
  }

  /** A buffer of exactly `length` bytes (contents undefined). */
  take(length: number): Buffer {
    const free = this.free;
    for (let i = free.length - 1; i >= 0; i--) {
      const ab = free[i];
      if (ab.byteLength < length) continue;
      free[i] = free[free.length - 1];
      free.pop();
      this.reused++;
      this.lent.add(ab);
      return Buffer.from(ab, 0, length);
    }
    this.allocated++;
    // Power-of-two sizes, so that a buffer suits the next batches of about the same size.
    const size = length > this.maxBytes ? length : Math.max(this.minBytes, 2 ** Math.ceil(Math.log2(Math.max(1, length))));
    const ab = Buffer.allocUnsafeSlow(size).buffer;
    this.lent.add(ab);
    return Buffer.from(ab, 0, length);
  }

  /** Gives back a buffer from take(). Anything else, or the same buffer twice, is ignored. */
  give(buf: Uint8Array): void {
    const ab = buf.buffer as ArrayBuffer;
    if (!this.lent.delete(ab)) return;
    if (ab.byteLength > this.maxBytes || this.free.length >= this.maxFree) return;
    this.free.push(ab);
    this.returned++;
  }

  get stats(): BufferPoolStats {
    return { allocated: this.allocated, reused: this.reused, returned: this.returned, free: this.free.length };
  }
}

/** Message bodies decoded from a pooled buffer, with the pool and buffer to return. */
const leases = new WeakMap<object, { pool: BufferPool; buf: Buffer }>();

/** @internal Records that `body` is decoded from `buf`, which goes back to `pool` on release. */
export function leaseBody(body: object, pool: BufferPool, buf: Buffer): void {
  leases.set(body, { pool, buf });
}

/**
 * Says that nothing decoded from this message is in use any longer: its receive buffer (if it
 * came from a BufferPool) may be reused. Idempotent; a no-op for any other message.
 */
export function releaseMessage(msg: { body: unknown }): void {
  const body = msg.body;
  if (body === null || typeof body !== 'object') return;
  const lease = leases.get(body);
  if (lease === undefined) return;
  leases.delete(body);
  lease.pool.give(lease.buf);
}
