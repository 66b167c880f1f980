/**
 * A protobuf reader over a Buffer, for the hand-written decoders (micro-batch.ts,
 * macro-chunk.ts). It follows protobufjs' rules (pb.ts' SrpReader and the generated code)
 * so that those decoders give exactly what the generated path gives: varints of up to 10
 * bytes, strict UTF-8, field number 0 and bad wire types refused, groups skipped up to
 * protobufjs' recursion limit.
 */
import protobuf from 'protobufjs/minimal.js';
import { utf8 } from './pb.js';

/** protobufjs' Reader.recursionLimit: how deep skipped groups may nest. */
const RECURSION_LIMIT = protobuf.util.recursionLimit;
/** protobufjs' own strict UTF-8 reader (for ids that are not ASCII: the same result). */
const readUtf8Strict = (buf: Uint8Array, start: number, end: number): string => utf8.readStrict(buf, start, end);
const MASK_64 = (1n << 64n) - 1n;

function isAscii(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] >= 0x80) return false;
  return true;
}

export class Cursor {
  pos: number;

  constructor(
    readonly buf: Buffer,
    start: number,
    public end: number,
  ) {
    this.pos = start;
  }

  private outOfRange(n: number): never {
    throw new RangeError(`index out of range: ${this.pos} + ${n} > ${this.end}`);
  }

  private byte(): number {
    if (this.pos >= this.end) this.outOfRange(1);
    return this.buf[this.pos++];
  }

  /** A varint as protobufjs' uint32(): the low 32 bits of up to 10 bytes. */
  uint32(): number {
    let v = 0;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      if (i < 5) v = i < 4 ? v | ((b & 0x7f) << (7 * i)) : v | ((b & 0x0f) << 28);
      if (b < 0x80) return v >>> 0;
    }
    throw new Error('invalid varint encoding');
  }

  /**
   * A varint of at most 5 bytes whose 5th byte is below `fifthBelow`: protobufjs' tag() (16:
   * 32 bits) and size() (8: below 2^31).
   */
  private short(fifthBelow: number, what: string): number {
    let v = 0;
    for (let i = 0; i < 4; i++) {
      const b = this.byte();
      v |= (b & 0x7f) << (7 * i);
      if (b < 0x80) return v >>> 0;
    }
    const b = this.byte();
    if (b >= fifthBelow) throw new Error(`invalid ${what} encoding`);
    return (v | (b << 28)) >>> 0;
  }

  tag(): number {
    return this.short(16, 'tag');
  }

  size(): number {
    return this.short(8, 'length');
  }

  /**
   * A uint64 promised as a number (SrpReader.uint64 and body.ts' num()): the value, or NaN when
   * it is above 2^53. The generated path refuses such a value only when it is the field's last
   * (the last of a repeated singular field wins), so the caller checks with `safe()` once the
   * message is read.
   */
  uint64(): number {
    let v = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v > Number.MAX_SAFE_INTEGER ? Number.NaN : v;
      mul *= 128;
    }
    throw new Error('invalid varint encoding');
  }

  /** A uint64 kept to 64 bits (SrpReader.uint64 then body.ts' big()): a counter value. */
  uint64Big(): bigint {
    const start = this.pos;
    const v = this.uint64();
    if (v === v) return BigInt(v);
    let out = 0n;
    for (let i = this.pos - 1; i >= start; i--) out = (out << 7n) | BigInt(this.buf[i] & 0x7f);
    return out & MASK_64;
  }

  /** Steps over a varint of up to 10 bytes. */
  skipVarint(): void {
    for (let i = 0; i < 10; i++) if (this.byte() < 0x80) return;
    throw new Error('invalid varint encoding');
  }

  /**
   * The end of the length-delimited field that starts here, checked against `end`; the cursor
   * stays at the field's first byte (for a decoder of the nested message).
   */
  nestedEnd(): number {
    const n = this.size();
    if (this.pos + n > this.end) this.outOfRange(n);
    return this.pos + n;
  }

  /** The [start, end) of a length-delimited field's bytes, stepping over them. */
  delimited(): number {
    const end = this.nestedEnd();
    const start = this.pos;
    this.pos = end;
    return start;
  }

  string(): string {
    const start = this.delimited();
    if (!isAscii(this.buf, start, this.pos)) return readUtf8Strict(this.buf, start, this.pos);
    // Node's latin1 slice without Buffer#toString's argument handling (ASCII: the same string).
    const b = this.buf as Buffer & { latin1Slice?: (start: number, end: number) => string };
    return b.latin1Slice ? b.latin1Slice(start, this.pos) : this.buf.toString('latin1', start, this.pos);
  }

  /** Steps over a string, checking it as string() does, without making it. */
  skipString(): void {
    const start = this.delimited();
    if (!isAscii(this.buf, start, this.pos)) readUtf8Strict(this.buf, start, this.pos);
  }

  /** Steps over a field of this wire type (protobufjs' skipType). */
  skip(wireType: number, field: number, depth: number): void {
    if (depth > RECURSION_LIMIT) throw new Error('max depth exceeded');
    if (field === 0) throw new Error('illegal tag: field number 0');
    switch (wireType) {
      case 0:
        while (this.byte() >= 0x80);
        return;
      case 1:
        this.advance(8);
        return;
      case 2:
        this.delimited();
        return;
      case 3:
        for (;;) {
          const tag = this.tag();
          const nested = tag >>> 3;
          const wt = tag & 7;
          if (nested === 0) throw new Error('illegal tag: field number 0');
          if (wt === 4) {
            if (nested !== field) throw new Error('invalid end group tag');
            return;
          }
          this.skip(wt, nested, depth + 1);
        }
      case 5:
        this.advance(4);
        return;
      default:
        throw new Error(`invalid wire type ${wireType} at offset ${this.pos}`);
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.end) this.outOfRange(n);
    this.pos += n;
  }
}

/** A value of Cursor.uint64() as the field's final value: refused when above 2^53. */
export function safe(v: number): number {
  if (v !== v) throw new RangeError('uint64 value exceeds 2^53 where a number is expected');
  return v;
}
