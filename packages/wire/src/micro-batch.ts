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
import { Cursor, safe } from './cursor.js';
import type { MicroCheckpoint, MicroCheckpointBatch } from './messages.js';
import { uint64Number, utf8 } from './pb.js';

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
    else if (field === 3 && wt === 0) version = c.uint64();
    else if (field === 4 && wt === 2) {
      payloadStart = c.delimited();
      payloadEnd = c.pos;
    } else c.skip(wt, field, 1);
  }
  c.end = outer;
  const buf = c.buf;
  const payload = payloadEnd > payloadStart ? new Uint8Array(buf.buffer, buf.byteOffset + payloadStart, payloadEnd - payloadStart) : new Uint8Array(0);
  return { commandId, sessionId, version: safe(version), payload };
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
    if (field === 1 && wt === 0) batchSequence = c.uint64();
    else if (field === 2 && wt === 2) items.push(decodeItem(c, c.nestedEnd()));
    else c.skip(wt, field, 0);
  }
  return { batchSequence: safe(batchSequence), items };
}

/* ---- encoding ---- */

const TWO_32 = 4294967296;

/** Bytes of a varint of a uint32. */
function varint32Size(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
}

/** Bytes of a varint of a non-negative safe integer. */
export function varintSize(v: number): number {
  if (v < TWO_32) return varint32Size(v);
  let n = 5;
  for (let hi = Math.floor(v / 0x800000000); hi > 0; hi = Math.floor(hi / 128)) n++;
  return n;
}

/**
 * Writes `v`, a non-negative safe integer (not checked), as a protobuf varint at `buf[pos]`
 * (up to 8 bytes; the caller makes room) and returns the position after it.
 */
export function writeVarint(buf: Uint8Array, pos: number, v: number): number {
  if (v >= TWO_32) {
    // Above 32 bits: the low 28 bits with integer arithmetic, then the rest (below 2^25 for
    // any safe integer) likewise; one division instead of one per byte.
    const hi = Math.floor(v / 0x10000000);
    let lo = v - hi * 0x10000000;
    for (let i = 0; i < 4; i++) {
      buf[pos++] = (lo & 0x7f) | 0x80;
      lo >>>= 7;
    }
    v = hi;
  }
  while (v >= 0x80) {
    buf[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[pos++] = v;
  return pos;
}

/**
 * Writes `s` at `buf[pos]` one byte per character while it is ASCII (no call into C++, for
 * the short strings of ids and attributes; the caller makes room for s.length bytes): the
 * position after it, or -1 at the first character that is not ASCII.
 */
export function writeAscii(buf: Uint8Array, pos: number, s: string): number {
  const n = s.length;
  let p = pos;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return -1;
    buf[p++] = c;
  }
  return p;
}

/** Per item of the batch being encoded: its body's byte length and its id's (scratch). */
let itemBytes = new Int32Array(1024);
let idBytes = new Int32Array(1024);

/** Bytes of an id as UTF-8, through protobufjs' counting for one that is not ASCII (its writer then writes the same bytes). */
function stringSize(s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) if (s.charCodeAt(i) >= 0x80) return utf8.length(s);
  return n;
}

/**
 * Encodes a MicroCheckpointBatch body: the bytes the generated encoder gives for it (the tests
 * compare the two on random batches), without its per-field operation objects (about ten per
 * item, thousands per batch). Sizes are worked out first, then `emit(size, write)` gets the
 * size and a function that writes the body at `buf[off..off+size)`: the caller decides where
 * (a reused body buffer, or straight into a frame). `write` reads sizes this module keeps
 * between the two steps: it must be called before `emit` returns. Throws a RangeError (before
 * `emit`) on a uint64 field that is not a non-negative safe integer.
 */
export function encodeMicroCheckpointBatch<T>(body: MicroCheckpointBatch, emit: (size: number, write: (buf: Buffer, off: number) => void) => T): T {
  const items = body.items;
  const n = items.length;
  if (itemBytes.length < n) {
    itemBytes = new Int32Array(n);
    idBytes = new Int32Array(n);
  }
  const seq = body.batchSequence != null && body.batchSequence !== 0 ? uint64Number(body.batchSequence) : 0;
  let size = seq !== 0 ? 1 + varintSize(seq) : 0;
  for (let i = 0; i < n; i++) {
    const it = items[i];
    let len = 0;
    if (it.commandId != null && it.commandId !== 0) len += 1 + varint32Size(it.commandId >>> 0);
    const id = it.sessionId;
    const idLen = id != null && id !== '' ? stringSize(id) : -1;
    if (idLen >= 0) len += 1 + varint32Size(idLen) + idLen;
    if (it.version != null && it.version !== 0) len += 1 + varintSize(uint64Number(it.version));
    const p = it.payload;
    if (p != null && p.length) len += 1 + varint32Size(p.length) + p.length;
    itemBytes[i] = len;
    idBytes[i] = idLen;
    size += 1 + varint32Size(len) + len;
  }
  return emit(size, (buf, off) => {
    let pos = off;
    if (seq !== 0) {
      buf[pos++] = 8;
      pos = writeVarint(buf, pos, seq);
    }
    for (let i = 0; i < n; i++) {
      const it = items[i];
      buf[pos++] = 18;
      pos = writeVarint(buf, pos, itemBytes[i]);
      if (it.commandId != null && it.commandId !== 0) {
        buf[pos++] = 8;
        pos = writeVarint(buf, pos, it.commandId >>> 0);
      }
      const idLen = idBytes[i];
      if (idLen >= 0) {
        const id = it.sessionId;
        buf[pos++] = 18;
        pos = writeVarint(buf, pos, idLen);
        if (idLen === id.length) for (let k = 0; k < idLen; k++) buf[pos++] = id.charCodeAt(k);
        else pos += utf8.write(id, buf, pos);
      }
      if (it.version != null && it.version !== 0) {
        buf[pos++] = 24;
        pos = writeVarint(buf, pos, it.version);
      }
      const p = it.payload;
      if (p != null && p.length) {
        buf[pos++] = 34;
        pos = writeVarint(buf, pos, p.length);
        buf.set(p, pos);
        pos += p.length;
      }
    }
  });
}
