import { recordTags, varintSize, writeVarint } from '@srp-ha/wire';
import { MAX_RECORD } from '../table/arena.js';
import type { PackedRecords } from '../table/packed.js';
import type { Session } from '../table/session.js';

/**
 * Reads a macro chunk's SessionRecord from its protobuf bytes and writes its attributes and
 * counters straight into the packed record's sections (payload.ts: attrs = count v, then
 * (key str, value str)*; counters = count v, then (key str, value bigvarint)*), with no string
 * or bigint per attribute or counter. The id is made a string (the table is looked up by it);
 * the class, the times and the version are read as numbers.
 *
 * Decoding each record into objects (wire's `sessions.at(i)`) and encoding them again into the
 * packed record (`records.set`) made two strings per attribute, a string and a bigint per
 * counter, and two objects per record, all garbage at once: most of a Standby's cost per
 * session of a bulk sync.
 *
 * It gives exactly what that decode and encode give, or declines (`read` returns false) and
 * the caller takes that path instead. It takes what an encoder writes: fields in any order, a
 * repeated singular field (the last wins), a counter in a longer varint than needed (written
 * again in the fewest bytes, kept to 64 bits as the decoder keeps it). It declines what it
 * could only get right by decoding: a map key seen twice in a record (the last value wins, at
 * the place of the first), a map entry that is not exactly key then value, a key of digits
 * only (a JS object lists such keys first, in numeric order, so the decoded map's order, and
 * then the packed bytes, would differ), an unknown field, a field number past 15, a class or
 * time that is not a plain varint, and a section larger than a packed record can be.
 *
 * The record's bytes were checked in full when the chunk arrived (wire's macro-chunk.ts:
 * lengths within bounds, strict UTF-8, times below 2^53), so strings are copied as they are:
 * valid UTF-8 decodes and encodes back to the same bytes.
 */

/** Bytes reserved before a section's entries for its count (a varint: under 2^35). */
const COUNT_ROOM = 5;
/** Most entries of one map read this way (the duplicate check compares each key with the others). */
const MAX_ENTRIES = 64;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

const { T_ATTR, T_CLASS, T_COUNTER, T_CREATED, T_EXPIRES, T_ID, T_KEY, T_LIFETIME, T_STRING_VALUE, T_VARINT_VALUE, T_VERSION } = recordTags;

/** Node's one-byte and UTF-8 slices without Buffer#toString's argument handling. */
type Slicer = Buffer & { latin1Slice?: (start: number, end: number) => string; utf8Slice?: (start: number, end: number) => string };

function idString(buf: Slicer, start: number, end: number): string {
  let ascii = true;
  for (let i = start; i < end; i++) {
    if (buf[i] >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return buf.latin1Slice ? buf.latin1Slice(start, end) : buf.toString('latin1', start, end);
  return buf.utf8Slice ? buf.utf8Slice(start, end) : buf.toString('utf8', start, end);
}

/** One map's section being written: entries after COUNT_ROOM, the count put before them at the end. */
class Section {
  readonly bytes = new Uint8Array(COUNT_ROOM + MAX_RECORD);
  count = 0;
  pos = COUNT_ROOM;
  start = COUNT_ROOM;
  /** Start and length of each key's bytes in `bytes` (for the duplicate check). */
  private readonly keyAt = new Int32Array(MAX_ENTRIES);
  private readonly keyLen = new Int32Array(MAX_ENTRIES);

  reset(): void {
    this.count = 0;
    this.pos = COUNT_ROOM;
  }

  /**
   * Appends key src[kStart, kEnd) (length-prefixed); false when the section is full, the map
   * has that key already, or the key is all digits.
   */
  key(src: Uint8Array, kStart: number, kEnd: number, room: number): boolean {
    const n = kEnd - kStart;
    if (this.count === MAX_ENTRIES || this.pos + 2 + n + room > this.bytes.length) return false;
    if (n > 0 && n <= 10 && allDigits(src, kStart, kEnd)) return false;
    const out = this.bytes;
    for (let e = 0; e < this.count; e++) {
      if (this.keyLen[e] !== n) continue;
      const at = this.keyAt[e];
      let i = 0;
      while (i < n && out[at + i] === src[kStart + i]) i++;
      if (i === n) return false;
    }
    this.pos = writeVarint(out, this.pos, n);
    this.keyAt[this.count] = this.pos;
    this.keyLen[this.count] = n;
    this.count++;
    this.copy(src, kStart, kEnd);
    return true;
  }

  copy(src: Uint8Array, start: number, end: number): void {
    const out = this.bytes;
    let p = this.pos;
    for (let i = start; i < end; i++) out[p++] = src[i];
    this.pos = p;
  }

  /** Puts the count before the entries: the section is bytes[start, pos). */
  finish(): void {
    this.start = COUNT_ROOM - varintSize(this.count);
    writeVarint(this.bytes, this.start, this.count);
  }
}

function allDigits(src: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (src[i] < 0x30 || src[i] > 0x39) return false;
  return true;
}

export class RecordTranscoder {
  id = '';
  sessionClass = 0;
  createdAtMs = 0;
  lifetimeMs = 0;
  expiresAtMs = 0;
  version = 0;
  private readonly attrs = new Section();
  private readonly counters = new Section();
  /** Position in the record being read. */
  private pos = 0;
  /** End of the key just read by keyField(). */
  private keyEnd = 0;

  /**
   * Reads the record in buf[start, end) (checked on arrival); false when it declines (the
   * caller decodes the record instead). On true, the fields above hold the record's values
   * and packInto() writes its attributes and counters.
   */
  read(buf: Buffer, start: number, end: number): boolean {
    const attrs = this.attrs;
    const counters = this.counters;
    attrs.reset();
    counters.reset();
    let idStart = 0;
    let idEnd = 0;
    let cls = 0;
    let created = 0;
    let lifetime = 0;
    let expires = 0;
    let version = 0;
    this.pos = start;
    while (this.pos < end) {
      const tag = buf[this.pos++];
      if (tag === T_ID) {
        const n = this.length(buf, end);
        if (n < 0) return false;
        idStart = this.pos;
        idEnd = this.pos += n;
      } else if (tag === T_ATTR || tag === T_COUNTER) {
        const n = this.length(buf, end);
        if (n < 0) return false;
        const entryEnd = this.pos + n;
        if (!(tag === T_ATTR ? this.attr(buf, entryEnd) : this.counter(buf, entryEnd))) return false;
      } else {
        const v = this.varint(buf, end);
        if (v < 0) return false;
        if (tag === T_CLASS) cls = v;
        else if (tag === T_CREATED) created = v;
        else if (tag === T_LIFETIME) lifetime = v;
        else if (tag === T_EXPIRES) expires = v;
        else if (tag === T_VERSION) version = v;
        else return false; // unknown field, or a known one of another wire type
      }
    }
    if (this.pos !== end || cls > 0xffffffff) return false;
    attrs.finish();
    counters.finish();
    this.id = idString(buf, idStart, idEnd);
    this.sessionClass = cls;
    this.createdAtMs = created;
    this.lifetimeMs = lifetime;
    this.expiresAtMs = expires;
    this.version = version;
    return true;
  }

  /** Packs the attributes and counters read into s's record: false when they do not fit (s unchanged). */
  packInto(records: PackedRecords, s: Session): boolean {
    const a = this.attrs;
    const c = this.counters;
    return records.pack(s, a.bytes, a.start, a.pos, c.bytes, c.start, c.pos);
  }

  /** An attrs entry ending at `end`: key (1) then string value (2), nothing else. */
  private attr(buf: Buffer, end: number): boolean {
    const kStart = this.keyField(buf, end);
    if (kStart < 0 || buf[this.pos++] !== T_STRING_VALUE) return false;
    const n = this.length(buf, end);
    if (n < 0) return false;
    const vStart = this.pos;
    const vEnd = (this.pos += n);
    if (vEnd !== end) return false;
    const a = this.attrs;
    if (!a.key(buf, kStart, this.keyEnd, 5 + vEnd - vStart)) return false;
    a.pos = writeVarint(a.bytes, a.pos, vEnd - vStart);
    a.copy(buf, vStart, vEnd);
    return true;
  }

  /** A counters entry ending at `end`: key (1) then varint value (2), nothing else. */
  private counter(buf: Buffer, end: number): boolean {
    const kStart = this.keyField(buf, end);
    if (kStart < 0 || buf[this.pos++] !== T_VARINT_VALUE) return false;
    // The value's 7-bit groups, up to 10 (the last kept to bit 63, as the decoder keeps 64 bits).
    const vStart = this.pos;
    let p = vStart;
    while (p < end && p - vStart < 10 && buf[p] >= 0x80) p++;
    if (p >= end || p - vStart === 10) return false;
    this.pos = ++p;
    if (p !== end) return false;
    let last = 0; // the highest group that is not zero: the fewest bytes
    for (let i = 0; i < p - vStart; i++) if ((i === 9 ? buf[vStart + i] & 1 : buf[vStart + i] & 0x7f) !== 0) last = i;
    const c = this.counters;
    if (!c.key(buf, kStart, this.keyEnd, last + 1)) return false;
    const out = c.bytes;
    let q = c.pos;
    for (let i = 0; i < last; i++) out[q++] = buf[vStart + i] | 0x80;
    out[q++] = last === 9 ? buf[vStart + 9] & 1 : buf[vStart + last] & 0x7f;
    c.pos = q;
    return true;
  }

  /** Reads an entry's key field (1, first): the key's start, or -1. */
  private keyField(buf: Buffer, end: number): number {
    if (this.pos >= end || buf[this.pos++] !== T_KEY) return -1;
    const n = this.length(buf, end);
    if (n < 0) return -1;
    const kStart = this.pos;
    this.keyEnd = this.pos += n;
    return this.pos < end ? kStart : -1;
  }

  /** A length whose bytes end before `end` and that ends by `end`, or -1. */
  private length(buf: Buffer, end: number): number {
    const n = this.varint(buf, end);
    return n <= end - this.pos ? n : -1;
  }

  /**
   * A varint of at most 8 bytes below 2^53 (the fields a number holds), or -1. Returned, not
   * kept in a field: a field that once held a number past 2^31 hands out every value boxed, and
   * a boxed time or version stored into a Session would change the field's representation for
   * every session (a box of 16 bytes each).
   */
  private varint(buf: Buffer, end: number): number {
    let v = 0;
    let mul = 1;
    let p = this.pos;
    for (let i = 0; i < 8 && p < end; i++) {
      const b = buf[p++];
      v += (b & 0x7f) * mul;
      if (b < 0x80) {
        this.pos = p;
        return v <= MAX_SAFE ? v : -1;
      }
      mul *= 0x80;
    }
    return -1;
  }
}
