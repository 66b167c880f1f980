/**
 * A hand-written decoder for MacroCheckpointChunk that leaves the session records encoded
 * until they are read.
 *
 * A Standby receiving a bulk sync queues the chunks the link delivers faster than it applies
 * them (a dozen or more during a zlib bulk sync). Decoded at once, each queued chunk was a few
 * hundred records of objects, strings and bigints, and they were still alive at the next
 * scavenge: copied, then often promoted, only to be dropped once applied. Here a chunk is
 * checked in full when it arrives (any malformed byte fails the message, as before) and keeps
 * only its body and the bounds of each record; `sessions.at(i)` decodes record i when the
 * receiver applies it, so the record dies young.
 *
 * The checks and the values are those of the generated decoder and the mapping of body.ts (the
 * tests compare the two on every input): fields in any order, the last of a repeated singular
 * field wins, the last of a repeated map key wins, unknown fields (and known ones with another
 * wire type) and groups skipped, strict UTF-8, uint64 above 2^53 refused where a number is
 * promised, counters kept to 64 bits.
 */
import { Cursor, safe } from './cursor.js';
import type { MacroCheckpointChunk, SessionRecord, SessionRecordList } from './messages.js';

/** Nesting depth of a record in a chunk (protobufjs' _depth for skipped groups). */
const RECORD_DEPTH = 1;

/** A map<string, string> or map<string, uint64> entry: [key, value]. */
function readEntry(c: Cursor, end: number, counter: boolean, build: boolean): [string, string | bigint] | null {
  const outer = c.end;
  c.end = end;
  let key = '';
  let value: string | bigint = counter ? 0n : '';
  while (c.pos < end) {
    const tag = c.tag();
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 1 && wt === 2) {
      if (build) key = c.string();
      else c.skipString();
    } else if (field === 2 && counter && wt === 0) {
      if (build) value = c.uint64Big();
      else c.skipVarint();
    } else if (field === 2 && !counter && wt === 2) {
      if (build) value = c.string();
      else c.skipString();
    } else c.skip(wt, field, RECORD_DEPTH);
  }
  c.end = outer;
  return build ? [key, value] : null;
}

/** Sets own property `key` (a key `__proto__` too, as the generated code's makeProp does). */
function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/**
 * Reads one SessionRecord from c.pos to `end`. With `build` false it only checks the bytes
 * (and makes no record); the checks are the same either way.
 */
function readRecord(c: Cursor, end: number, build: boolean): SessionRecord | null {
  const outer = c.end;
  c.end = end;
  let id = '';
  let sessionClass = 0;
  let createdAtMs = 0;
  let lifetimeMs = 0;
  let expiresAtMs = 0;
  let version = 0;
  const attrs: Record<string, string> | null = build ? {} : null;
  const counters: Record<string, bigint> | null = build ? {} : null;
  while (c.pos < end) {
    const tag = c.tag();
    const field = tag >>> 3;
    const wt = tag & 7;
    if (wt === 0 && field >= 2 && field <= 8 && field !== 6 && field !== 7) {
      if (field === 2) sessionClass = c.uint32();
      else if (field === 3) createdAtMs = c.uint64();
      else if (field === 4) lifetimeMs = c.uint64();
      else if (field === 5) expiresAtMs = c.uint64();
      else version = c.uint64();
    } else if (wt === 2 && field === 1) {
      if (build) id = c.string();
      else c.skipString();
    } else if (wt === 2 && (field === 6 || field === 7)) {
      const e = readEntry(c, c.nestedEnd(), field === 7, build);
      if (e !== null) {
        if (field === 6) setOwn(attrs as Record<string, string>, e[0], e[1] as string);
        else setOwn(counters as Record<string, bigint>, e[0], e[1] as bigint);
      }
    } else c.skip(wt, field, RECORD_DEPTH);
  }
  c.end = outer;
  createdAtMs = safe(createdAtMs);
  lifetimeMs = safe(lifetimeMs);
  expiresAtMs = safe(expiresAtMs);
  version = safe(version);
  if (!build) return null;
  return { id, sessionClass, createdAtMs, lifetimeMs, expiresAtMs, attrs: attrs as Record<string, string>, counters: counters as Record<string, bigint>, version };
}

/**
 * The records of a decoded chunk, each decoded when read. Holds the chunk's body (which the
 * caller gave up: a private copy or a decompressed body) and the bounds of each record in it.
 */
export class EncodedSessionRecords implements SessionRecordList, Iterable<SessionRecord> {
  readonly length: number;
  private readonly cursor: Cursor;

  /** `bounds`: start and end of record i at 2i and 2i + 1, checked by decodeMacroCheckpointChunk. */
  constructor(
    buf: Buffer,
    private readonly bounds: readonly number[],
  ) {
    this.length = bounds.length >> 1;
    this.cursor = new Cursor(buf, 0, buf.length);
  }

  /** Record `index` (negative: from the end, as Array#at), decoded now; undefined out of range. */
  at(index: number): SessionRecord | undefined {
    let i = Math.trunc(index) || 0;
    if (i < 0) i += this.length;
    if (i < 0 || i >= this.length) return undefined;
    const c = this.cursor;
    c.pos = this.bounds[2 * i];
    return readRecord(c, this.bounds[2 * i + 1], true) as SessionRecord;
  }

  /**
   * The body that record i's bytes are in, from recordStart(i) to recordEnd(i) (0 <= i < length,
   * not checked): for a receiver that reads a record's bytes itself instead of decoding it with
   * at(i). Each record was checked when the chunk arrived. Read only.
   */
  get body(): Buffer {
    return this.cursor.buf;
  }

  recordStart(i: number): number {
    return this.bounds[2 * i];
  }

  recordEnd(i: number): number {
    return this.bounds[2 * i + 1];
  }

  *[Symbol.iterator](): Iterator<SessionRecord> {
    for (let i = 0; i < this.length; i++) yield this.at(i) as SessionRecord;
  }

  /** Every record, decoded. */
  toArray(): SessionRecord[] {
    return Array.from(this);
  }
}

/** Decodes a MacroCheckpointChunk body that the caller gives up (kept until the records are read). */
export function decodeMacroCheckpointChunk(buf: Buffer): MacroCheckpointChunk {
  const c = new Cursor(buf, 0, buf.length);
  let snapshotId = 0;
  let chunkSequence = 0;
  const bounds: number[] = [];
  while (c.pos < c.end) {
    const tag = c.tag();
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 1 && wt === 0) snapshotId = c.uint64();
    else if (field === 2 && wt === 0) chunkSequence = c.uint64();
    else if (field === 3 && wt === 2) {
      const end = c.nestedEnd();
      bounds.push(c.pos, end);
      readRecord(c, end, false);
    } else c.skip(wt, field, 0);
  }
  return { snapshotId: safe(snapshotId), chunkSequence: safe(chunkSequence), sessions: new EncodedSessionRecords(buf, bounds) };
}
