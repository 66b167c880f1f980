/**
 * protobufjs Reader/Writer subclasses that give uint64 the representation wire promises:
 * `number` for every uint64 field (exact below 2^53) and `bigint` where a value does not fit,
 * so that SessionRecord.counters keep all 64 bits. No Long objects are created on either path.
 *
 * The generated code calls `reader.uint64()` / `writer.uint64(v)`; passing these instances to
 * the generated encode/decode is all it takes.
 */
import protobuf from 'protobufjs/minimal.js';

const TWO_32 = 4294967296;

/**
 * A uint64 value given as a number, as wire's encoders take it: a non-negative safe integer,
 * else a RangeError (the message SRP_ERR_BAD_MESSAGE carries).
 */
export function uint64Number(value: unknown): number {
  if (typeof value !== 'number') throw new RangeError(`uint64 value of type ${typeof value}`);
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`uint64 value out of range: ${value}`);
  return value;
}

/** protobufjs' UTF-8 helpers, typed (the hand-written decoders and encoder use them). */
export const utf8 = protobuf.util.utf8 as unknown as {
  length(s: string): number;
  write(s: string, buf: Uint8Array, offset: number): number;
  readStrict(buf: Uint8Array, start: number, end: number): string;
};
const MASK_64 = (1n << 64n) - 1n;

export class SrpReader extends protobuf.BufferReader {
  /**
   * Reads a varint as an unsigned 64-bit value: a number when it is a safe integer, else a
   * bigint (truncated to 64 bits as protobuf requires).
   */
  override uint64(): protobuf.Long {
    const buf = this.buf;
    const len = this.len;
    const start = this.pos;
    let pos = start;
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= len) throw new RangeError(`index out of range: ${pos} + 1 > ${len}`);
      const b = buf[pos++];
      result += (b & 0x7f) * mul;
      if (b < 0x80) {
        this.pos = pos;
        if (result <= Number.MAX_SAFE_INTEGER) return result as unknown as protobuf.Long;
        return slowVarint(buf, start, pos) as unknown as protobuf.Long;
      }
      mul *= 128;
    }
    throw new Error('invalid varint encoding');
  }
}

function slowVarint(buf: Uint8Array, start: number, end: number): bigint {
  let v = 0n;
  for (let i = end - 1; i >= start; i--) v = (v << 7n) | BigInt(buf[i] & 0x7f);
  return v & MASK_64;
}

export class SrpWriter extends protobuf.BufferWriter {
  /** Accepts a non-negative safe integer or a bigint in [0, 2^64). */
  override uint64(value: number | bigint | protobuf.Long | string): protobuf.Writer {
    if (typeof value === 'number') {
      if (value >= 0 && value < TWO_32 && Number.isInteger(value)) return this.uint32(value);
      return super.uint64(uint64Number(value));
    }
    if (typeof value === 'bigint') {
      if (value < 0n || value > MASK_64) throw new RangeError(`uint64 value out of range: ${value}`);
      if (value < 4294967296n) return this.uint32(Number(value));
      return super.uint64({ low: Number(value & 0xffffffffn), high: Number(value >> 32n), unsigned: true });
    }
    throw new RangeError(`uint64 value of type ${typeof value}`);
  }
}
