import { CheckpointError } from './errors.js';

/**
 * Micro-checkpoint payloads: a compact binary layout of varints and length-prefixed UTF-8.
 * Keys and values are raw bytes side by side, so the batch compresses well (attribute names
 * repeat across the items of a batch). Layout by command id:
 *
 *   1 full      : class u8 | createdAt v | lifetime v | expiresAt v | attrs | counters
 *   2 attrs     : attrs            (the whole map)
 *   3 counters  : counters         (every counter value)
 *   4 delete    : (empty)
 *   5 lifetime  : lifetime v | expiresAt v
 *
 *   attrs    = count v, then (key str, value str)*
 *   counters = count v, then (key str, value bigvarint)*
 *   v = unsigned LEB128 varint (up to 2^53), str = byte length v + UTF-8.
 */
/** Bytes of one slab of the writer (payloads are views into it). */
const SLAB_BYTES = 64 * 1024;

/**
 * Payloads are written back to back into a slab and handed out as views of it (no allocation
 * and copy per payload: a batch of 512 items used 512 typed arrays with their own backing
 * stores). A slab is never written again once a view of it is out; a full one is left to the
 * views that hold it and a new one started.
 */
export class PayloadWriter {
  private buf = new Uint8Array(SLAB_BYTES);
  /** The same memory as `buf`, for Buffer's UTF-8 writer (non-ASCII strings). */
  private nodeBuf = Buffer.from(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  /** Start of the payload being written. */
  private start = 0;
  private pos = 0;

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    // A new slab; the payload written so far moves with it.
    const used = this.pos - this.start;
    const next = new Uint8Array(Math.max(SLAB_BYTES, 2 * (used + n)));
    next.set(this.buf.subarray(this.start, this.pos));
    this.buf = next;
    this.nodeBuf = Buffer.from(next.buffer, next.byteOffset, next.byteLength);
    this.start = 0;
    this.pos = used;
  }

  u8(v: number): this {
    this.ensure(1);
    this.buf[this.pos++] = v;
    return this;
  }

  varint(v: number): this {
    this.ensure(10);
    const buf = this.buf;
    if (v < 0x80000000) {
      // 31 bits: integer arithmetic.
      while (v >= 0x80) {
        buf[this.pos++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
    } else {
      while (v >= 0x80) {
        buf[this.pos++] = (v % 0x80) | 0x80;
        v = Math.floor(v / 0x80);
      }
    }
    buf[this.pos++] = v;
    return this;
  }

  bigVarint(v: bigint): this {
    if (v < 0n) throw new CheckpointError('SRP_ERR_CHECKPOINT_BAD_PAYLOAD', 'counters must be non-negative');
    if (v < 0x80000000n) return this.varint(Number(v));
    this.ensure(10);
    while (v >= 0x80n) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
    return this;
  }

  str(s: string): this {
    const n = s.length;
    if (n < 0x80) {
      // Short ASCII (ids, attribute names and values): byte by byte, no call into C++.
      this.ensure(n + 1);
      const buf = this.buf;
      let p = this.pos + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[p++] = c;
      }
      if (i === n) {
        buf[this.pos] = n;
        this.pos = p;
        return this;
      }
    }
    const len = Buffer.byteLength(s);
    this.varint(len);
    this.ensure(len);
    this.pos += this.nodeBuf.write(s, this.pos, 'utf8');
    return this;
  }

  attrs(a: Record<string, string>): this {
    const keys = Object.keys(a);
    this.varint(keys.length);
    for (const k of keys) this.str(k).str(a[k]);
    return this;
  }

  counters(c: Record<string, bigint>): this {
    const keys = Object.keys(c);
    this.varint(keys.length);
    for (const k of keys) this.str(k).bigVarint(c[k]);
    return this;
  }

  /** The payload written since the last take(), as a view that stays valid; starts the next. */
  take(): Uint8Array {
    const out = this.buf.subarray(this.start, this.pos);
    this.start = this.pos;
    return out;
  }
}

export class PayloadReader {
  private pos = 0;
  private readonly buf: Buffer;

  constructor(bytes: Uint8Array) {
    this.buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private bad(what: string): never {
    throw new CheckpointError('SRP_ERR_CHECKPOINT_BAD_PAYLOAD', `truncated or malformed payload (${what})`);
  }

  u8(): number {
    if (this.pos >= this.buf.length) this.bad('u8');
    return this.buf[this.pos++];
  }

  varint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.u8();
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 0x80;
    }
    return this.bad('varint');
  }

  bigVarint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.u8();
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return result;
      shift += 7n;
    }
    return this.bad('bigvarint');
  }

  str(): string {
    const n = this.varint();
    if (this.pos + n > this.buf.length) this.bad('string');
    const s = this.buf.toString('utf8', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  attrs(): Record<string, string> {
    const n = this.varint();
    const out: Record<string, string> = {};
    for (let i = 0; i < n; i++) {
      const k = this.str();
      out[k] = this.str();
    }
    return out;
  }

  counters(): Record<string, bigint> {
    const n = this.varint();
    const out: Record<string, bigint> = {};
    for (let i = 0; i < n; i++) {
      const k = this.str();
      out[k] = this.bigVarint();
    }
    return out;
  }

  end(): void {
    if (this.pos !== this.buf.length) this.bad('trailing bytes');
  }
}
