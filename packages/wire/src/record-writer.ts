/**
 * Session records written straight into the bytes of a MacroCheckpointChunk's repeated
 * `sessions` field, for a sender that keeps its sessions in a form of its own (the Active's
 * table). A bulk sync built every record as an object of strings and bigints and then handed
 * it to the generated encoder: more than half of what a chunk cost the Active, decoding
 * included. Here a sender writes each record's fields as it holds them, map entries
 * included (`attrBytes`, `counterBytes` take keys and values as bytes, as a packed table keeps them), and
 * `take()` gives the chunk's records as a list that the link writes as it is (body.ts) and
 * that any other reader (an in-process transport) decodes record by record when read.
 *
 * From objects the bytes are those of the generated encoder (the tests compare them): fields in
 * field order, zero scalars and an empty id left out, map entries with both key and value.
 */
import { isUtf8 } from 'node:buffer';
import { WireError } from './errors.js';
import { EncodedSessionRecords } from './macro-chunk.js';
import type { MacroCheckpointChunk } from './messages.js';
import { varintSize, writeAscii, writeVarint } from './micro-batch.js';
import { uint64Number } from './pb.js';
import { T_ATTR, T_CLASS, T_COUNTER, T_CREATED, T_EXPIRES, T_ID, T_KEY, T_LIFETIME, T_STRING_VALUE, T_VARINT_VALUE, T_VERSION } from './record-tags.js';

/** Field tag of MacroCheckpointChunk.sessions (a record's own: record-tags.ts). */
const T_SESSION = 0x1a;

/** Bytes reserved for a record's length (up to 16 KiB without a move) and an entry's (127). */
const RECORD_LENGTH_BYTES = 2;
const ENTRY_LENGTH_BYTES = 1;
const MIN_BUFFER = 16 * 1024;
const U64_LIMIT = 1n << 64n;

/**
 * The records of a chunk built by SessionRecordsWriter: `fieldBytes` is the encoded repeated
 * field (tag, length and record, for each record), written into the message as it is; read as
 * a SessionRecordList, each record is decoded when read, as a received chunk's are.
 */
export class PreEncodedSessionRecords extends EncodedSessionRecords {
  constructor(
    readonly fieldBytes: Buffer,
    bounds: readonly number[],
  ) {
    super(fieldBytes, bounds);
  }
}

/** writeVarint with the one-byte case inline (lengths of keys, values and entries). */
function put(buf: Uint8Array, pos: number, v: number): number {
  if (v < 0x80) {
    buf[pos] = v;
    return pos + 1;
  }
  return writeVarint(buf, pos, v);
}

/**
 * Copies the bytes src[start, end) to buf[pos]: the position after them, or -1 when they are
 * not valid UTF-8 (checked only when a byte is not ASCII).
 */
function copyText(buf: Buffer, pos: number, src: Uint8Array, start: number, end: number): number {
  let p = pos;
  let high = 0;
  for (let i = start; i < end; i++) high |= buf[p++] = src[i];
  return high < 0x80 || isUtf8(buf.subarray(pos, p)) ? p : -1;
}

/** varintSize with the one-byte case inline. */
const sizeOf = (v: number): number => (v < 0x80 ? 1 : varintSize(v));

function bad(why: string): never {
  throw new WireError('SRP_ERR_BAD_MESSAGE', `cannot encode macroCheckpointChunk: ${why}`);
}

/** A uint64 field given as a number (as the generated encoder takes it), else SRP_ERR_BAD_MESSAGE. */
function u64(v: number, what: string): number {
  try {
    return uint64Number(v);
  } catch (err) {
    return bad(`${what}: ${(err as Error).message}`);
  }
}

/**
 * Appends session records to a growing buffer. A record is `begin`, its map entries (`attr`,
 * `counter`, `attrBytes`, `counterBytes`) in any mix, then `end`; `abort` drops a record begun. `take` hands the
 * records out (the buffer goes with them) and starts the next chunk in a new buffer, sized
 * for the last one.
 */
export class SessionRecordsWriter {
  private buf = Buffer.allocUnsafe(MIN_BUFFER);
  private pos = 0;
  private bounds: number[] = [];
  /** Where the open record's length goes (-1: no record open). */
  private recordAt = -1;

  /** Records written since the last take(). */
  get count(): number {
    return this.bounds.length >> 1;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** Writes the length of what follows a length reserved at `at` (`reserved` bytes), moving it if the length needs another size. */
  private close(at: number, reserved: number): number {
    const start = at + reserved;
    const len = this.pos - start;
    const need = varintSize(len);
    if (need !== reserved) {
      if (need > reserved) this.ensure(need - reserved);
      this.buf.copyWithin(at + need, start, this.pos);
      this.pos += need - reserved;
    }
    writeVarint(this.buf, at, len);
    return at + need;
  }

  /** A string field: tag, UTF-8 length and bytes (an ASCII string byte by byte). */
  private str(tag: number, s: string): void {
    const n = s.length;
    this.ensure(n + 6);
    const buf = this.buf;
    buf[this.pos] = tag;
    if (n < 0x80) {
      const end = writeAscii(buf, this.pos + 2, s);
      if (end >= 0) {
        buf[this.pos + 1] = n;
        this.pos = end;
        return;
      }
    }
    const len = Buffer.byteLength(s, 'utf8');
    this.ensure(len + 6);
    this.buf[this.pos] = tag;
    this.pos = writeVarint(this.buf, this.pos + 1, len);
    this.pos += this.buf.write(s, this.pos, len, 'utf8');
  }

  private uint(tag: number, v: number): void {
    if (v === 0) return;
    this.buf[this.pos++] = tag;
    this.pos = put(this.buf, this.pos, v);
  }

  /** Starts a record with its scalar fields (checked first: nothing is written for a bad one). */
  begin(id: string, sessionClass: number, createdAtMs: number, lifetimeMs: number, expiresAtMs: number): void {
    if (this.recordAt >= 0) bad('a record was begun before the last one ended');
    if (typeof id !== 'string') bad(`session id of type ${typeof id}`);
    if (!Number.isInteger(sessionClass) || sessionClass < 0 || sessionClass > 0xffffffff) bad(`session class ${sessionClass}`);
    u64(createdAtMs, 'createdAtMs');
    u64(lifetimeMs, 'lifetimeMs');
    u64(expiresAtMs, 'expiresAtMs');
    this.ensure(1 + RECORD_LENGTH_BYTES + 4 * 10);
    this.buf[this.pos++] = T_SESSION;
    this.recordAt = this.pos;
    this.pos += RECORD_LENGTH_BYTES;
    if (id !== '') this.str(T_ID, id);
    this.ensure(4 * 10);
    this.uint(T_CLASS, sessionClass);
    this.uint(T_CREATED, createdAtMs);
    this.uint(T_LIFETIME, lifetimeMs);
    this.uint(T_EXPIRES, expiresAtMs);
  }

  /** An attrs entry. */
  attr(key: string, value: string): void {
    if (typeof value !== 'string') bad(`attribute ${key} of type ${typeof value}`);
    this.ensure(1 + ENTRY_LENGTH_BYTES);
    this.buf[this.pos++] = T_ATTR;
    const at = this.pos;
    this.pos += ENTRY_LENGTH_BYTES;
    this.str(T_KEY, key);
    this.str(T_STRING_VALUE, value);
    this.close(at, ENTRY_LENGTH_BYTES);
  }

  /** A counters entry: a value in [0, 2^64), a bigint or a safe integer. */
  counter(key: string, value: bigint | number): void {
    let v = typeof value === 'number' ? BigInt(u64(value, `counter ${key}`)) : value;
    if (typeof v !== 'bigint') bad(`counter ${key} of type ${typeof v}`);
    if (v < 0n || v >= U64_LIMIT) bad(`counter ${key} out of range: ${v}`);
    this.ensure(1 + ENTRY_LENGTH_BYTES);
    this.buf[this.pos++] = T_COUNTER;
    const at = this.pos;
    this.pos += ENTRY_LENGTH_BYTES;
    this.str(T_KEY, key);
    this.ensure(11);
    const buf = this.buf;
    buf[this.pos++] = T_VARINT_VALUE;
    if (v < 0x100000000n) this.pos = writeVarint(buf, this.pos, Number(v));
    else {
      while (v >= 0x80n) {
        buf[this.pos++] = Number(v & 0x7fn) | 0x80;
        v >>= 7n;
      }
      buf[this.pos++] = Number(v);
    }
    this.close(at, ENTRY_LENGTH_BYTES);
  }

  /**
   * An entry's tag and length (room made for `len` bytes of it) and its key from the UTF-8
   * bytes src[keyStart, keyEnd); the position after the key, or -1 when the key is not UTF-8.
   */
  private keyBytes(tag: number, len: number, src: Uint8Array, keyStart: number, keyEnd: number): number {
    this.ensure(len + 6);
    const buf = this.buf;
    buf[this.pos] = tag;
    let p = put(buf, this.pos + 1, len);
    buf[p++] = T_KEY;
    p = put(buf, p, keyEnd - keyStart);
    return copyText(buf, p, src, keyStart, keyEnd);
  }

  /**
   * An attrs entry from UTF-8 bytes: the key src[keyStart, keyEnd), the value
   * valueSrc[valueStart, valueEnd) (valueSrc: src unless given). False, with nothing written,
   * when either is not valid UTF-8 (what a receiver would refuse): the caller writes the record
   * some other way.
   */
  attrBytes(src: Uint8Array, keyStart: number, keyEnd: number, valueStart: number, valueEnd: number, valueSrc: Uint8Array = src): boolean {
    const klen = keyEnd - keyStart;
    const vlen = valueEnd - valueStart;
    let p = this.keyBytes(T_ATTR, 2 + sizeOf(klen) + klen + sizeOf(vlen) + vlen, src, keyStart, keyEnd);
    if (p < 0) return false;
    const buf = this.buf;
    buf[p++] = T_STRING_VALUE;
    p = copyText(buf, put(buf, p, vlen), valueSrc, valueStart, valueEnd);
    if (p < 0) return false;
    this.pos = p;
    return true;
  }

  /**
   * A counters entry from bytes: the key's UTF-8 bytes src[keyStart, keyEnd) and the value as
   * a varint of at most 10 bytes below 2^64, valueSrc[valueStart, valueEnd) (valueSrc: src
   * unless given; not checked: the caller vouches for it). False, with nothing written, when
   * the key is not valid UTF-8.
   */
  counterBytes(src: Uint8Array, keyStart: number, keyEnd: number, valueStart: number, valueEnd: number, valueSrc: Uint8Array = src): boolean {
    const klen = keyEnd - keyStart;
    let p = this.keyBytes(T_COUNTER, 2 + sizeOf(klen) + klen + (valueEnd - valueStart), src, keyStart, keyEnd);
    if (p < 0) return false;
    const buf = this.buf;
    buf[p++] = T_VARINT_VALUE;
    for (let i = valueStart; i < valueEnd; i++) buf[p++] = valueSrc[i];
    this.pos = p;
    return true;
  }

  /** Ends the record begun, with its version. */
  end(version: number): void {
    if (this.recordAt < 0) bad('no record begun');
    u64(version, 'version');
    this.ensure(11);
    this.uint(T_VERSION, version);
    const start = this.close(this.recordAt, RECORD_LENGTH_BYTES);
    this.bounds.push(start, this.pos);
    this.recordAt = -1;
  }

  /** Drops the record begun (if any) and what was written of it. */
  abort(): void {
    if (this.recordAt < 0) return;
    this.pos = this.recordAt - 1;
    this.recordAt = -1;
  }

  /** The records written since the last take(); the next ones go into a new buffer. */
  take(): PreEncodedSessionRecords {
    this.abort();
    const out = new PreEncodedSessionRecords(this.buf.subarray(0, this.pos), this.bounds);
    this.buf = Buffer.allocUnsafe(Math.max(MIN_BUFFER, this.pos + (this.pos >> 3)));
    this.pos = 0;
    this.bounds = [];
    return out;
  }
}

/**
 * Encodes a chunk whose records are pre-encoded (encodeBodyAs' contract): the chunk's own two
 * fields, then the records' bytes as they are.
 */
export function encodePreEncodedChunk<T>(body: MacroCheckpointChunk, records: PreEncodedSessionRecords, emit: (size: number, write: (buf: Buffer, off: number) => void) => T): T {
  const snapshotId = body.snapshotId == null ? 0 : u64(body.snapshotId, 'snapshotId');
  const chunkSequence = body.chunkSequence == null ? 0 : u64(body.chunkSequence, 'chunkSequence');
  const bytes = records.fieldBytes;
  const size = (snapshotId !== 0 ? 1 + varintSize(snapshotId) : 0) + (chunkSequence !== 0 ? 1 + varintSize(chunkSequence) : 0) + bytes.length;
  return emit(size, (buf, off) => {
    let pos = off;
    if (snapshotId !== 0) {
      buf[pos++] = 0x08;
      pos = writeVarint(buf, pos, snapshotId);
    }
    if (chunkSequence !== 0) {
      buf[pos++] = 0x10;
      pos = writeVarint(buf, pos, chunkSequence);
    }
    bytes.copy(buf, pos);
  });
}
