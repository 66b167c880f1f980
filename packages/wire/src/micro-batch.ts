/**
 * A hand-written decoder for MicroCheckpointBatch, the message a Standby receives hundreds of
 * thousands of items of per second. It gives exactly what the generated decoder and the
 * mapping of body.ts give (the fuzz test compares the two on every input), without the
 * generated code's intermediate instance and Buffer slice per item: per item it makes the
 * plain item, its session id and a Uint8Array view of the payload in `buf` (which the caller
 * owns: body.ts passes a private copy of the frame's body, or the decompressed body itself).
 *
 * Rules followed, as protobufjs applies them: fields in any order, the last of a repeated
 * singular field wins, unknown fields (and known ones with another wire type) skipped, groups
 * included, varints of up to 10 bytes, strict UTF-8 for the session id, uint64 values above
 * 2^53 refused where a number is promised. Throws an Error (wrapped by the caller) on anything
 * malformed.
 */
import protobuf from 'protobufjs/minimal.js';
import type { MicroCheckpoint, MicroCheckpointBatch } from './messages.js';

/** protobufjs' Reader.recursionLimit: how deep skipped groups may nest. */
const RECURSION_LIMIT = protobuf.util.recursionLimit;
/** protobufjs' own strict UTF-8 reader (for ids that are not ASCII: the same result). */
const utf8 = protobuf.util.utf8 as unknown as { readStrict(buf: Uint8Array, start: number, end: number): string };
const readUtf8Strict = (buf: Uint8Array, start: number, end: number): string => utf8.readStrict(buf, start, end);

class Cursor {
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

  /** A uint64 promised as a number (SrpReader.uint64 and body.ts' num()). */
  uint64AsNumber(): number {
    let v = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      v += (b & 0x7f) * mul;
      if (b < 0x80) {
        if (v > Number.MAX_SAFE_INTEGER) throw new RangeError('uint64 value exceeds 2^53 where a number is expected');
        return v;
      }
      mul *= 128;
    }
    throw new Error('invalid varint encoding');
  }

  /** The [start, end) of a length-delimited field's bytes, stepping over them. */
  delimited(): number {
    const n = this.size();
    if (this.pos + n > this.end) this.outOfRange(n);
    const start = this.pos;
    this.pos += n;
    return start;
  }

  string(): string {
    const start = this.delimited();
    const end = this.pos;
    const buf = this.buf;
    let ascii = true;
    for (let i = start; i < end; i++) {
      if (buf[i] >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (!ascii) return readUtf8Strict(buf, start, end);
    // Node's latin1 slice without Buffer#toString's argument handling (ASCII: the same string).
    const b = buf as Buffer & { latin1Slice?: (start: number, end: number) => string };
    return b.latin1Slice ? b.latin1Slice(start, end) : buf.toString('latin1', start, end);
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

function decodeItem(c: Cursor, end: number): MicroCheckpoint {
  const outer = c.end;
  c.end = end;
  let commandId = 0;
  let sessionId = '';
  let version = 0;
  let payloadStart = 0;
  let payloadEnd = 0;
  while (c.pos < end) {
    const tag = c.tag();
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 1 && wt === 0) commandId = c.uint32();
    else if (field === 2 && wt === 2) sessionId = c.string();
    else if (field === 3 && wt === 0) version = c.uint64AsNumber();
    else if (field === 4 && wt === 2) {
      payloadStart = c.delimited();
      payloadEnd = c.pos;
    } else c.skip(wt, field, 1);
  }
  c.end = outer;
  const buf = c.buf;
  const payload = payloadEnd > payloadStart ? new Uint8Array(buf.buffer, buf.byteOffset + payloadStart, payloadEnd - payloadStart) : new Uint8Array(0);
  return { commandId, sessionId, version, payload };
}

/** Decodes a MicroCheckpointBatch body; the item payloads are views of `buf`. */
export function decodeMicroCheckpointBatch(buf: Buffer): MicroCheckpointBatch {
  const c = new Cursor(buf, 0, buf.length);
  let batchSequence = 0;
  const items: MicroCheckpoint[] = [];
  while (c.pos < c.end) {
    const tag = c.tag();
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 1 && wt === 0) batchSequence = c.uint64AsNumber();
    else if (field === 2 && wt === 2) {
      const n = c.size();
      const end = c.pos + n;
      if (end > c.end) throw new RangeError(`index out of range: ${c.pos} + ${n} > ${c.end}`);
      items.push(decodeItem(c, end));
    } else c.skip(wt, field, 0);
  }
  return { batchSequence, items };
}
