import { type SessionRecordsWriter, writeVarint } from '@srp-ha/wire';
import { ByteArena, GRAIN, GRAIN_SHIFT, MAX_RECORD } from './arena.js';
import { PayloadReader, PayloadWriter, setOwn } from '../payload.js';
import { NameDictionary } from './names.js';
import { type Session, SessionObjects } from './session.js';

/**
 * Packed record header: u16 record length, u16 attrs section length, u16 advance generation
 * (little-endian), u8 capacity of the chunk in GRAIN-byte grains. The attrs section follows,
 * then the counters section. The top bit of each length (CODED; records are at most
 * MAX_RECORD bytes) says that section names its entries by their number in the table's
 * NameDictionary (a varint) instead of by the name's length and bytes:
 *
 *   attrs    = count v, then (name str | name number v, value str)*
 *   counters = count v, then (name str | name number v, value bigvarint)*
 *
 * (payload.ts: a section without CODED is the payload's own, byte for byte).
 */
const H_LENGTH = 0;
const H_ATTRS_LENGTH = 2;
const H_GEN = 4;
const H_CAPACITY = 6;
const HEADER = 7;
const CODED = 0x8000;
const LENGTH = 0x7fff;

/** Copies src[start, end) to out[p...]; returns the position after it. */
function copy(src: Uint8Array, start: number, end: number, out: Uint8Array, p: number): number {
  for (let i = start; i < end; i++) out[p++] = src[i];
  return p;
}

/** The position after the varint that starts at buf[p] (a checked section's counter value). */
function varintEnd(buf: Uint8Array, p: number): number {
  while (buf[p++] >= 0x80);
  return p;
}

/** A varint of a checked section (payload.ts) at `at.pos`, which it moves past it. */
function sectionVarint(buf: Uint8Array, at: { pos: number }): number {
  let p = at.pos;
  let b = buf[p++];
  if (b < 0x80) {
    at.pos = p;
    return b;
  }
  let v = b & 0x7f;
  let mul = 0x80;
  do {
    b = buf[p++];
    v += (b & 0x7f) * mul;
    mul *= 0x80;
  } while (b >= 0x80);
  at.pos = p;
  return v;
}

function u16(buf: Uint8Array, i: number): number {
  return buf[i] | (buf[i + 1] << 8);
}

function setU16(buf: Uint8Array, i: number, v: number): void {
  buf[i] = v & 0xff;
  buf[i + 1] = (v >>> 8) & 0xff;
}
/**
 * Room a chunk leaves for its record to grow in place (bytes), before the rounding up to the
 * size class (so 8 to 15 bytes in all). Without it, every record that grew across a grain
 * boundary (an attribute added) moved to a chunk of the next class, and the arena grew by a
 * slab per 60k such moves: off-heap growth that V8 counts against the old generation's limit,
 * so it brought the next major GC closer. 16 bytes (in 16-byte classes) cost 12 B per session
 * more than this, and the bench's updates (counters that move, a cell or RAT that changes) move
 * few records with 8: after 500k updates of 1M sessions, the moved records' old chunks on the
 * free lists came to under 1 B per session.
 */
const HEADROOM = 8;

/**
 * A session's attributes and counters kept encoded in a ByteArena instead of as objects.
 *
 * A Standby applying a stream of updates to a million old sessions was held up by its own
 * scavenges: each changed attribute value was a new string hung from an old session, which the
 * next scavenge had to find, copy and promote, at 250 ns or more each on a busy heap of 500 MB
 * (20-40 ms pauses at 50k updates/s, the tail of the replication lag). Packed, an update copies
 * the payload's bytes into the arena and allocates nothing that outlives the batch; the session
 * also takes fewer bytes (one record instead of two objects, their strings and their bigints).
 * The Active packs the sessions it creates too, for the same reasons (its scavenges were 10-30
 * ms with objects under 50k updates/s).
 *
 * A record is the payload's `attrs` and `counters` sections side by side (payload.ts), after a
 * header. `readAttrs`/`readCounters` (and attrsOf, countersOf, toView, the sender) read a packed
 * session and leave it packed; an Active changes one by decoding, patching and packing it
 * again. Only the `attrs`/`counters` accessors of a Session decode the record into objects of
 * the session's own and free it (`unpack`).
 *
 * Counter advance at takeover (engine.becomeActive) is lazy for packed sessions: `takeover()`
 * starts a generation, and reading counters adds `advanceBy` for each one the record missed.
 */
export interface PackedRecordsOptions {
  /** Name entries by their number in `names` (default true; false keeps every section as it came). */
  codeNames?: boolean;
}

export class PackedRecords {
  private readonly codeNames: boolean;

  constructor(
    readonly arena: ByteArena = new ByteArena(),
    options: PackedRecordsOptions = {},
  ) {
    this.codeNames = options.codeNames ?? true;
  }

  /** The table's attribute and counter names, numbered (records name entries by number). */
  readonly names = new NameDictionary();
  /** Takeovers so far (mod 2^16): a record written in an older generation is advanced when read. */
  gen = 0;
  /** What a takeover adds to every counter (the engine's counter-sync-every). */
  advanceBy = 0n;
  private readonly reader = new PayloadReader();
  private readonly writer = new PayloadWriter();
  /** A record being assembled: room for sections of up to 2 x MAX_RECORD as they come, coded. */
  private readonly scratch = new Uint8Array(6 * MAX_RECORD);
  /** Read position of writeEntries in a record. */
  private readonly at = { pos: 0 };

  /** Advances every counter still packed by `advanceBy`, when next read (a takeover). */
  takeover(): void {
    this.gen = (this.gen + 1) & 0xffff;
  }

  /**
   * Replaces s's attrs and counters with the sections aBytes[aStart, aEnd) and
   * cBytes[cStart, cEnd) (the payload's layout), which must be well-formed (the caller checked
   * them). `cGen`: the advance generation of the counters bytes. Returns false (s unchanged)
   * when the record would be too large for the arena, or the arena is full: the caller keeps
   * such a session as objects.
   */
  pack(s: Session, aBytes: Uint8Array, aStart: number, aEnd: number, cBytes: Uint8Array, cStart: number, cEnd: number, cGen = this.gen): boolean {
    return this.store(s, aBytes, aStart, aEnd, false, cBytes, cStart, cEnd, false, cGen);
  }

  /** pack() with new attributes and the counters s has now. */
  packAttrs(s: Session, bytes: Uint8Array, start: number, end: number): boolean {
    if (s.packed >= 0) {
      const buf = this.arena.slab(s.packed);
      const off = this.arena.offset(s.packed);
      const cLen = u16(buf, off + H_LENGTH);
      return this.store(s, bytes, start, end, false, buf, this.attrsEnd(buf, off), off + (cLen & LENGTH), (cLen & CODED) !== 0, u16(buf, off + H_GEN));
    }
    const c = this.writer.counters((s.a as SessionObjects).counters).take();
    return this.pack(s, bytes, start, end, c, 0, c.length);
  }

  /** pack() with new counters and the attributes s has now. */
  packCounters(s: Session, bytes: Uint8Array, start: number, end: number): boolean {
    if (s.packed >= 0) {
      const buf = this.arena.slab(s.packed);
      const off = this.arena.offset(s.packed);
      return this.store(s, buf, off + HEADER, this.attrsEnd(buf, off), (u16(buf, off + H_ATTRS_LENGTH) & CODED) !== 0, bytes, start, end, false, this.gen);
    }
    const a = this.writer.attrs((s.a as SessionObjects).attrs).take();
    return this.pack(s, a, 0, a.length, bytes, start, end);
  }

  /** End of the attrs section of the record at `off`. */
  private attrsEnd(buf: Uint8Array, off: number): number {
    return off + HEADER + (u16(buf, off + H_ATTRS_LENGTH) & LENGTH);
  }

  /** End of the record at `off`. */
  private recordEnd(buf: Uint8Array, off: number): number {
    return off + (u16(buf, off + H_LENGTH) & LENGTH);
  }

  /**
   * Assembles s's record from two sections, each in the payload's layout or coded already
   * (`aCoded`, `cCoded`: from s's own record), and stores it. A section in the payload's
   * layout is coded on the way when every name it has is numbered (or can be).
   */
  private store(s: Session, aSrc: Uint8Array, aStart: number, aEnd: number, aCoded: boolean, cSrc: Uint8Array, cStart: number, cEnd: number, cCoded: boolean, cGen: number): boolean {
    if (aEnd - aStart + (cEnd - cStart) > 2 * MAX_RECORD) return false;
    // Assembled in a scratch record first: the sections may come from s's own record.
    const rec = this.scratch;
    let p = this.section(aSrc, aStart, aEnd, aCoded, rec, HEADER, false);
    const aFlag = p < 0 ? 0 : CODED;
    if (p < 0) p = copy(aSrc, aStart, aEnd, rec, HEADER);
    const attrsEnd = p;
    p = this.section(cSrc, cStart, cEnd, cCoded, rec, attrsEnd, true);
    const cFlag = p < 0 ? 0 : CODED;
    if (p < 0) p = copy(cSrc, cStart, cEnd, rec, attrsEnd);
    const n = p;
    if (n > MAX_RECORD) return false;
    setU16(rec, H_LENGTH, n | cFlag);
    setU16(rec, H_ATTRS_LENGTH, (attrsEnd - HEADER) | aFlag);
    setU16(rec, H_GEN, cGen);
    const arena = this.arena;
    let addr = s.packed;
    const capacity = addr < 0 ? 0 : arena.slab(addr)[arena.offset(addr) + H_CAPACITY];
    if (capacity << GRAIN_SHIFT < n) {
      // No chunk yet, or the record outgrew it: a new one, with room to grow.
      const cap = Math.min(MAX_RECORD, n + HEADROOM);
      addr = arena.tryAlloc(cap);
      if (addr < 0) return false; // the arena is full: the caller keeps objects
      if (s.packed >= 0) this.release(s);
      rec[H_CAPACITY] = (cap + GRAIN - 1) >> GRAIN_SHIFT;
    } else {
      rec[H_CAPACITY] = capacity;
    }
    const buf = arena.slab(addr);
    const off = arena.offset(addr);
    buf.set(rec.subarray(0, n), off);
    s.a = addr;
    return true;
  }

  /**
   * A section into out[p...] coded: copied as it is when it is coded already, else each name
   * replaced by its number. The position after it, or -1 (nothing usable written) when a name
   * cannot be numbered (too long, or the dictionary is full).
   */
  private section(src: Uint8Array, start: number, end: number, coded: boolean, out: Uint8Array, p: number, counters: boolean): number {
    if (coded) return copy(src, start, end, out, p);
    if (!this.codeNames) return -1;
    const at = this.at;
    at.pos = start;
    const n = sectionVarint(src, at);
    p = writeVarint(out, p, n);
    for (let i = 0; i < n; i++) {
      const klen = sectionVarint(src, at);
      const k = at.pos;
      const num = this.names.numberOf(src, k, k + klen);
      if (num < 0) return -1;
      p = writeVarint(out, p, num);
      // The value, copied as it is: a string's length and bytes, or a counter's varint.
      let v = k + klen;
      if (counters) v = varintEnd(src, v);
      else {
        at.pos = v;
        const vlen = sectionVarint(src, at);
        v = at.pos + vlen;
      }
      p = copy(src, k + klen, v, out, p);
      at.pos = v;
    }
    return p;
  }

  /**
   * pack() from objects: false (s unchanged) when they are too large for the arena. Throws a
   * CheckpointError, with s unchanged, on a value that is not a string (attrs) or a
   * non-negative bigint (counters).
   */
  packObjects(s: Session, attrs: Record<string, string>, counters: Record<string, bigint>): boolean {
    const a = this.writer.attrs(attrs).take();
    const c = this.writer.counters(counters).take();
    return this.pack(s, a, 0, a.length, c, 0, c.length);
  }

  /** packAttrs() from an object (as packObjects). */
  packAttrsObject(s: Session, attrs: Record<string, string>): boolean {
    const a = this.writer.attrs(attrs).take();
    return this.packAttrs(s, a, 0, a.length);
  }

  /** packCounters() from an object (as packObjects). */
  packCountersObject(s: Session, counters: Record<string, bigint>): boolean {
    const c = this.writer.counters(counters).take();
    return this.packCounters(s, c, 0, c.length);
  }

  /**
   * Appends a packed session's attrs section (`counters` false) or counters section to `w`,
   * as the sender's payloads carry them (names spelled out). Counters a takeover has to
   * advance are decoded and encoded again.
   */
  writeSection(s: Session, w: PayloadWriter, counters: boolean): void {
    const buf = this.arena.slab(s.packed);
    const off = this.arena.offset(s.packed);
    const attrsEnd = this.attrsEnd(buf, off);
    if (!counters) {
      if ((u16(buf, off + H_ATTRS_LENGTH) & CODED) === 0) w.bytes(buf, off + HEADER, attrsEnd);
      else this.spell(buf, off + HEADER, w, false);
    } else if (u16(buf, off + H_GEN) !== this.gen) w.counters(this.readCounters(s));
    else if ((u16(buf, off + H_LENGTH) & CODED) === 0) w.bytes(buf, attrsEnd, this.recordEnd(buf, off));
    else this.spell(buf, attrsEnd, w, true);
  }

  /** A coded section at buf[start...] into `w` in the payload's layout (each name spelled out). */
  private spell(buf: Uint8Array, start: number, w: PayloadWriter, counters: boolean): void {
    const names = this.names;
    const dict = names.source();
    const at = this.at;
    at.pos = start;
    const n = sectionVarint(buf, at);
    w.varint(n);
    for (let i = 0; i < n; i++) {
      const num = sectionVarint(buf, at);
      const ks = names.start(num);
      const ke = names.end(num);
      w.varint(ke - ks).bytes(dict, ks, ke);
      // The value as it is: a counter's varint, or a string's length and bytes.
      const v = at.pos;
      let e: number;
      if (counters) e = varintEnd(buf, v);
      else {
        const vlen = sectionVarint(buf, at);
        e = at.pos + vlen;
      }
      w.bytes(buf, v, e);
      at.pos = e;
    }
  }

  /**
   * Writes s's attributes and counters as SessionRecord map entries into `w`, from the
   * record's bytes (a bulk sync's chunks: no strings, no bigints made). Counters a takeover
   * has to advance are decoded, advanced and written from the numbers. False when a key or a
   * value is not valid UTF-8 (bytes from the peer): entries may have been written, and the
   * caller writes the record again from readAttrs and readCounters.
   */
  writeEntries(s: Session, w: SessionRecordsWriter): boolean {
    const buf = this.arena.slab(s.packed);
    const off = this.arena.offset(s.packed);
    const attrsEnd = this.attrsEnd(buf, off);
    const names = this.names;
    const dict = names.source();
    const at = this.at;
    at.pos = off + HEADER;
    const aCoded = (u16(buf, off + H_ATTRS_LENGTH) & CODED) !== 0;
    for (let n = sectionVarint(buf, at); n > 0; n--) {
      let ok: boolean;
      if (aCoded) {
        const num = sectionVarint(buf, at);
        const vlen = sectionVarint(buf, at);
        const v = at.pos;
        ok = w.attrBytes(dict, names.start(num), names.end(num), v, v + vlen, buf);
        at.pos = v + vlen;
      } else {
        const klen = sectionVarint(buf, at);
        const k = at.pos;
        at.pos = k + klen;
        const vlen = sectionVarint(buf, at);
        const v = at.pos;
        ok = w.attrBytes(buf, k, k + klen, v, v + vlen);
        at.pos = v + vlen;
      }
      if (!ok) return false;
    }
    if (u16(buf, off + H_GEN) !== this.gen) {
      const counters = this.readCounters(s);
      for (const key in counters) w.counter(key, counters[key]);
      return true;
    }
    const cCoded = (u16(buf, off + H_LENGTH) & CODED) !== 0;
    at.pos = attrsEnd;
    for (let n = sectionVarint(buf, at); n > 0; n--) {
      let ok: boolean;
      if (cCoded) {
        const num = sectionVarint(buf, at);
        const v = at.pos;
        const end = varintEnd(buf, v);
        ok = w.counterBytes(dict, names.start(num), names.end(num), v, end, buf);
        at.pos = end;
      } else {
        const klen = sectionVarint(buf, at);
        const k = at.pos;
        // The value: a varint, copied as it is.
        const end = varintEnd(buf, k + klen);
        ok = w.counterBytes(buf, k, k + klen, k + klen, end);
        at.pos = end;
      }
      if (!ok) return false;
    }
    return true;
  }

  /** A packed session's attributes, decoded into a new object (the record stays). */
  readAttrs(s: Session): Record<string, string> {
    const buf = this.arena.slab(s.packed);
    const off = this.arena.offset(s.packed);
    const r = this.reader.resetRange(buf, off + HEADER, this.attrsEnd(buf, off));
    if ((u16(buf, off + H_ATTRS_LENGTH) & CODED) === 0) return r.attrs();
    const out: Record<string, string> = {};
    for (let n = r.varint(); n > 0; n--) {
      const k = this.names.name(r.varint());
      setOwn(out, k, r.str());
    }
    return out;
  }

  /**
   * A packed session's counters, decoded into a new object and advanced for each takeover the
   * record missed (the record stays).
   */
  readCounters(s: Session): Record<string, bigint> {
    const buf = this.arena.slab(s.packed);
    const off = this.arena.offset(s.packed);
    const r = this.reader.resetRange(buf, this.attrsEnd(buf, off), this.recordEnd(buf, off));
    let counters: Record<string, bigint>;
    if ((u16(buf, off + H_LENGTH) & CODED) === 0) counters = r.counters();
    else {
      counters = {};
      for (let n = r.varint(); n > 0; n--) {
        const k = this.names.name(r.varint());
        setOwn(counters, k, r.bigVarint());
      }
    }
    const missed = (this.gen - u16(buf, off + H_GEN)) & 0xffff;
    if (missed > 0) {
      const by = this.advanceBy * BigInt(missed);
      for (const k in counters) counters[k] += by;
    }
    return counters;
  }

  /** Decodes s's record into objects of its own (see readCounters) and frees it. */
  unpack(s: Session): void {
    const attrs = this.readAttrs(s);
    const counters = this.readCounters(s);
    this.setObjects(s, attrs, counters);
  }

  /** Sets s's attributes and counters (packed when they fit, else these objects). */
  set(s: Session, attrs: Record<string, string>, counters: Record<string, bigint>): void {
    if (!this.packObjects(s, attrs, counters)) this.setObjects(s, attrs, counters);
  }

  /** Gives s these objects as its attributes and counters, freeing its record if it has one. */
  setObjects(s: Session, attrs: Record<string, string>, counters: Record<string, bigint>): void {
    if (s.packed >= 0) this.release(s);
    s.a = new SessionObjects(attrs, counters);
  }

  /** Frees s's record (s removed, or given objects). */
  release(s: Session): void {
    const addr = s.packed;
    this.arena.release(addr, this.arena.slab(addr)[this.arena.offset(addr) + H_CAPACITY] << GRAIN_SHIFT);
    s.a = null;
  }
}
