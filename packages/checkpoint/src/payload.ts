import { writeAscii, writeVarint } from '@srp-ha/wire';
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
 *   6 attrs and lifetime : lifetime v | expiresAt v | attrs
 *   7 aspects   : mask u8 | [lifetime v | expiresAt v] | [attrs | delta] | [counters]
 *                 (mask: A_ATTRS 1, A_COUNTERS 2, A_LIFETIME 4, A_DELTA 8; a section is there
 *                 when its bit is; A_ATTRS and A_DELTA exclude each other; at least one bit)
 *
 *   attrs    = count v, then (key str, value str)*
 *   delta    = count v, then (key str, value str)*, then removed count v, then (key str)*:
 *              the current value of each attribute set since the session was last sent, and
 *              the names of those removed (still current state: re-applying is harmless)
 *   counters = count v, then (key str, value bigvarint)*
 *   v = unsigned LEB128 varint (up to 2^53 - 1), str = byte length v + UTF-8,
 *   bigvarint = unsigned LEB128 varint below 2^64 (a counter is a uint64, as on the wire),
 *   class = 0 (non-ims) or 1 (ims).
 */
/** Mask bits of an aspects payload (command 7). */
export const A_ATTRS = 1;
export const A_COUNTERS = 2;
export const A_LIFETIME = 4;
export const A_DELTA = 8;
const A_ALL = A_ATTRS | A_COUNTERS | A_LIFETIME | A_DELTA;

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
    // A fraction would be truncated without a word (a time from a fractional clock, say).
    if (!Number.isSafeInteger(v) || v < 0) this.refuse(`a varint must be a non-negative safe integer, got ${v}`);
    this.ensure(10);
    this.pos = writeVarint(this.buf, this.pos, v);
    return this;
  }

  bigVarint(v: bigint): this {
    if (v < 0n) this.refuse('counters must be non-negative');
    // At most 10 bytes (ensure below), and what the reader and the wire's uint64 take.
    if (v >= U64_LIMIT) this.refuse(`counters must be below 2^64, got ${v}`);
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
      const end = writeAscii(this.buf, this.pos + 1, s);
      if (end >= 0) {
        this.buf[this.pos] = n;
        this.pos = end;
        return this;
      }
    }
    const len = Buffer.byteLength(s);
    this.varint(len);
    this.ensure(len);
    this.pos += this.nodeBuf.write(s, this.pos, 'utf8');
    return this;
  }

  // Keys are walked with for-in (twice: count, then write): Object.keys() allocated an array
  // per payload, a sixth of what an Active allocated per update.

  attrs(a: Record<string, string>): this {
    this.varint(ownKeyCount(a));
    for (const k in a) {
      const v = a[k];
      if (typeof v !== 'string') this.refuse(`attribute ${k} must be a string, got ${typeof v}`);
      this.str(k).str(v);
    }
    return this;
  }

  /**
   * A delta section: of the attributes `names` (duplicates allowed), the current value of each
   * one `a` has and the names of those it no longer has.
   */
  attrsDelta(a: Record<string, string>, names: readonly string[]): this {
    let set = 0;
    let gone = 0;
    for (let i = 0; i < names.length; i++) {
      if (names.indexOf(names[i]) !== i) continue;
      if (Object.hasOwn(a, names[i])) set++;
      else gone++;
    }
    this.varint(set);
    for (let i = 0; i < names.length && set > 0; i++) {
      const k = names[i];
      if (names.indexOf(k) !== i || !Object.hasOwn(a, k)) continue;
      const v = a[k];
      if (typeof v !== 'string') this.refuse(`attribute ${k} must be a string, got ${typeof v}`);
      this.str(k).str(v);
    }
    this.varint(gone);
    for (let i = 0; i < names.length && gone > 0; i++) {
      const k = names[i];
      if (names.indexOf(k) === i && !Object.hasOwn(a, k)) this.str(k);
    }
    return this;
  }

  counters(c: Record<string, bigint>): this {
    this.varint(ownKeyCount(c));
    for (const k in c) {
      const v = c[k];
      if (typeof v !== 'bigint') this.refuse(`counter ${k} must be a bigint, got ${typeof v}`);
      this.str(k).bigVarint(v);
    }
    return this;
  }

  /** Copies bytes [start, end) of `src` (an encoded section). */
  bytes(src: Uint8Array, start: number, end: number): this {
    this.ensure(end - start);
    const buf = this.buf;
    let p = this.pos;
    for (let i = start; i < end; i++) buf[p++] = src[i];
    this.pos = p;
    return this;
  }

  /** Drops what was written since the last take() and throws. */
  private refuse(why: string): never {
    this.pos = this.start;
    throw new CheckpointError('SRP_ERR_CHECKPOINT_BAD_PAYLOAD', why);
  }

  /** The payload written since the last take(), as a view that stays valid; starts the next. */
  take(): Uint8Array {
    const out = this.buf.subarray(this.start, this.pos);
    this.start = this.pos;
    return out;
  }
}

/** Node's UTF-8 slice without Buffer#toString's argument handling (a third of its cost). */
type Utf8Slicer = Buffer & { utf8Slice?: (start: number, end: number) => string };

/**
 * Reads payloads. One reader can be reused for many payloads (`reset`), and for the packed
 * records of a session store (`resetRange`, table/packed.ts).
 */
export class PayloadReader {
  /** A Buffer over the whole ArrayBuffer of the payload (reused while payloads share one). */
  private buf: Utf8Slicer = EMPTY_BUFFER;
  private ab: ArrayBufferLike = EMPTY_BUFFER.buffer;
  private start = 0;
  private pos = 0;
  /** End of the payload in `buf`. */
  private limit = 0;

  constructor(bytes?: Uint8Array) {
    if (bytes) this.reset(bytes);
  }

  /**
   * Starts reading another payload. The items of a received batch are views of one buffer,
   * so the Buffer over it is made once per batch, not once per item.
   */
  reset(bytes: Uint8Array): this {
    if (bytes.buffer !== this.ab) {
      this.ab = bytes.buffer;
      this.buf = Buffer.from(bytes.buffer);
    }
    this.start = this.pos = bytes.byteOffset;
    this.limit = bytes.byteOffset + bytes.byteLength;
    return this;
  }

  /** Starts reading bytes [start, end) of a Buffer (an arena slab: no view made). */
  resetRange(buf: Buffer, start: number, end: number): this {
    this.buf = buf;
    this.ab = NO_BUFFER; // positions are relative to `buf` here: reset() must make its own
    this.start = this.pos = start;
    this.limit = end;
    return this;
  }

  /** Read position, relative to the start of the payload. */
  get offset(): number {
    return this.pos - this.start;
  }

  /** Moves the read position to `offset` (relative to the start of the payload). */
  seek(offset: number): this {
    this.pos = this.start + offset;
    return this;
  }

  /** Length of the payload. */
  get length(): number {
    return this.limit - this.start;
  }

  /** Steps over an attrs section (after check()). */
  skipAttrs(): this {
    for (let n = this.varint(); n > 0; n--) {
      this.skipStr();
      this.skipStr();
    }
    return this;
  }

  private bad(what: string): never {
    throw new CheckpointError('SRP_ERR_CHECKPOINT_BAD_PAYLOAD', `truncated or malformed payload (${what})`);
  }

  u8(): number {
    if (this.pos >= this.limit) this.bad('u8');
    return this.buf[this.pos++];
  }

  /** A varint up to 2^53 - 1 (a larger one would not be exact as a number). */
  varint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.u8();
      result += (b & 0x7f) * mul;
      if (b < 0x80) return i < 7 || result <= Number.MAX_SAFE_INTEGER ? result : this.bad('varint above 2^53');
      mul *= 0x80;
    }
    return this.bad('varint');
  }

  /** A counter: a varint below 2^64 (10 bytes at most, the last one 0 or 1). */
  bigVarint(): bigint {
    // Up to 7 bytes (below 2^49) as a number, then one BigInt: the common counter.
    const buf = this.buf;
    let p = this.pos;
    let n = 0;
    let mul = 1;
    for (let i = 0; i < 7 && p < this.limit; i++) {
      const b = buf[p++];
      n += (b & 0x7f) * mul;
      if (b < 0x80) {
        this.pos = p;
        return BigInt(n);
      }
      mul *= 0x80;
    }
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.u8();
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return i < 9 || b <= 1 ? result : this.bad('counter above 2^64');
      shift += 7n;
    }
    return this.bad('bigvarint');
  }

  /** A session class byte: 0 or 1. */
  classByte(): number {
    const c = this.u8();
    return c <= 1 ? c : this.bad(`session class ${c}`);
  }

  /** Steps over a string's length and bytes; returns where its bytes start. */
  private strStart(): number {
    const n = this.varint();
    const start = this.pos;
    if (start + n > this.limit) this.bad('string');
    this.pos = start + n;
    return start;
  }

  /** Bytes [start, end) of the payload's buffer as UTF-8. */
  private utf8(start: number, end: number): string {
    const buf = this.buf;
    return buf.utf8Slice ? buf.utf8Slice(start, end) : buf.toString('utf8', start, end);
  }

  str(): string {
    const start = this.strStart();
    return this.utf8(start, this.pos);
  }

  /**
   * An attribute or counter name: as str(), but a short name read before comes from a small
   * cache instead of a new string (names repeat: a table has a handful, read on every update of
   * a packed session).
   */
  key(): string {
    const start = this.strStart();
    const n = this.pos - start;
    if (n > KEY_CACHE_MAX_LENGTH) return this.utf8(start, this.pos);
    const buf = this.buf;
    let h = n;
    for (let i = start; i < start + n; i++) h = (Math.imul(h, 31) + buf[i]) | 0;
    const slot = (h ^ (h >>> 11)) & (KEY_CACHE_SLOTS - 1);
    const cached = keyCache[slot];
    if (cached !== undefined && cached.length === n) {
      let same = true;
      for (let i = 0; i < n; i++) {
        if (cached.charCodeAt(i) !== buf[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return cached;
    }
    const k = this.utf8(start, this.pos);
    // Only ASCII names are cached: the comparison above is byte for UTF-16 unit.
    if (k.length === n) keyCache[slot] = k;
    return k;
  }

  attrs(): Record<string, string> {
    const n = this.varint();
    const out: Record<string, string> = {};
    for (let i = 0; i < n; i++) {
      const k = this.key();
      setOwn(out, k, this.str());
    }
    return out;
  }

  counters(): Record<string, bigint> {
    const n = this.varint();
    const out: Record<string, bigint> = {};
    for (let i = 0; i < n; i++) {
      const k = this.key();
      setOwn(out, k, this.bigVarint());
    }
    return out;
  }

  /** Applies a delta section (after check()) to `attrs`: sets, then removals. */
  applyDelta(attrs: Record<string, string>): void {
    for (let n = this.varint(); n > 0; n--) {
      const k = this.key();
      setOwn(attrs, k, this.str());
    }
    for (let n = this.varint(); n > 0; n--) delete attrs[this.str()];
  }

  end(): void {
    if (this.pos !== this.limit) this.bad('trailing bytes');
  }

  // ---- validation without decoding -----------------------------------------------------

  private skipStr(): void {
    const n = this.varint();
    if (this.pos + n > this.limit) this.bad('string');
    this.pos += n;
  }

  private skipBigVarint(): void {
    this.bigVarint();
  }

  /**
   * Walks a whole payload of layout `layout` without decoding it: throws as the decoding would
   * on a truncated or malformed payload (or trailing bytes), then rewinds to the start.
   */
  check(layout: 'full' | 'attrs' | 'counters' | 'lifetime' | 'attrs-lifetime' | 'aspects'): this {
    if (layout === 'aspects') return this.checkAspects();
    if (layout === 'full') {
      this.classByte();
      this.varint();
    }
    if (layout === 'full' || layout === 'lifetime' || layout === 'attrs-lifetime') {
      this.varint();
      this.varint();
    }
    if (layout === 'full' || layout === 'attrs' || layout === 'attrs-lifetime') this.skipAttrs();
    if (layout === 'full' || layout === 'counters') this.skipCounters();
    this.end();
    this.pos = this.start;
    return this;
  }

  private skipCounters(): void {
    for (let n = this.varint(); n > 0; n--) {
      this.skipStr();
      this.skipBigVarint();
    }
  }

  private checkAspects(): this {
    const mask = this.u8();
    if (mask === 0 || (mask & ~A_ALL) !== 0 || (mask & A_ATTRS && mask & A_DELTA)) this.bad(`aspects mask ${mask}`);
    if (mask & A_LIFETIME) {
      this.varint();
      this.varint();
    }
    if (mask & A_ATTRS) this.skipAttrs();
    if (mask & A_DELTA) {
      this.skipAttrs();
      for (let n = this.varint(); n > 0; n--) this.skipStr();
    }
    if (mask & A_COUNTERS) this.skipCounters();
    this.end();
    this.pos = this.start;
    return this;
  }
}

/**
 * Sets obj[key] as an own property: a plain assignment to `__proto__` would set the prototype
 * (or, with a string, do nothing), so such an attribute or counter would vanish.
 */
/** obj[key] = value, as an own property even for `__proto__`. */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

const U64_LIMIT = 1n << 64n;

/** Names up to this many bytes go through the reader's name cache (key()). */
const KEY_CACHE_MAX_LENGTH = 24;
const KEY_CACHE_SLOTS = 256;
/** Recently read ASCII names by a hash of their bytes: one per slot, a collision replaces it. */
const keyCache: Array<string | undefined> = new Array<string | undefined>(KEY_CACHE_SLOTS).fill(undefined);

/** Number of keys a for-in over a plain record visits. */
function ownKeyCount(o: object): number {
  let n = 0;
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- counting: the key is not needed
  for (const _ in o) n++;
  return n;
}

const EMPTY_BUFFER: Utf8Slicer = Buffer.alloc(0);
const NO_BUFFER = new ArrayBuffer(0);
