/**
 * The message layer without framing: SrpMessage <-> protobuf bytes, through the generated
 * static code (src/generated/srp.js) and the uint64-aware reader/writer of pb.ts.
 *
 * Decoding maps each generated instance to wire's plain objects (messages.ts): every field an
 * own property, proto3 defaults filled in, bytes copied out of the input (a decoded message
 * never pins or aliases the frame buffer). A MicroCheckpointBatch is the exception in form, not
 * in effect: its body is copied once (a decompressed body, already private, is not copied) and
 * the items' payloads are views of it (hundreds of small payloads per batch, each copied into
 * its own ArrayBuffer, were a twelfth of a Standby's time). A MacroCheckpointChunk is the
 * other: it keeps its private body and decodes each record when it is read (macro-chunk.ts).
 *
 * It is slightly longer than ~400 lines because it is one table: one small converter per message
 * type, both ways.
 */
import { srp } from '@srp-ha/wire/generated';
import { WireError } from './errors.js';
import {
  KIND_OF_MESSAGE_TYPE,
  MESSAGE_TYPE_OF_KIND,
  MessageType,
  type AuditBucketDigests,
  type AuditReport,
  type AuditRequest,
  type BucketDigest,
  type Capabilities,
  type CheckpointAck,
  type ConfigValidationRequest,
  type ConfigValidationResponse,
  type Goodbye,
  type HandshakeConfirm,
  type Hello,
  type MacroCheckpointBegin,
  type MacroCheckpointChunk,
  type MacroCheckpointEnd,
  type MicroCheckpoint,
  type MicroCheckpointBatch,
  type Nack,
  type SessionRecord,
  type SplitHandoff,
  type SplitHandoffAck,
  type SrpMessage,
  type SrpMessageKind,
  type SwitchoverRequest,
  type SwitchoverResponse,
} from './messages.js';
import { decodeMacroCheckpointChunk } from './macro-chunk.js';
import { decodeMicroCheckpointBatch, encodeMicroCheckpointBatch } from './micro-batch.js';
import { SrpReader, SrpWriter } from './pb.js';
import { PreEncodedSessionRecords, encodePreEncodedChunk } from './record-writer.js';

const pb = srp.v1;

/* ---- field conversions (generated value -> plain value) ---- */

type Raw = unknown;
interface LongLike { low: number; high: number }

/** A uint64 field promised as number: exact, else the message is rejected. */
function num(v: Raw): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') throw new RangeError(`uint64 value ${v} exceeds 2^53 where a number is expected`);
  if (v !== null && typeof v === 'object') {
    // a Long default from the generated prototype (only ever zero here)
    const l = v as LongLike;
    const n = (l.high >>> 0) * 4294967296 + (l.low >>> 0);
    if (!Number.isSafeInteger(n)) throw new RangeError(`uint64 value exceeds 2^53 where a number is expected`);
    return n;
  }
  return 0;
}

/** A uint64 counter value, kept to 64 bits. */
function big(v: Raw): bigint {
  if (typeof v === 'number') return BigInt(v);
  if (typeof v === 'bigint') return v;
  if (v !== null && typeof v === 'object') {
    const l = v as LongLike;
    return (BigInt(l.high >>> 0) << 32n) | BigInt(l.low >>> 0);
  }
  return 0n;
}

/** A fresh, plain Uint8Array copy (never the shared default, never a view of the frame). */
function bytes(v: Uint8Array): Uint8Array {
  const n = v.length;
  if (n === 0) return new Uint8Array(0);
  const out = new Uint8Array(n);
  out.set(v);
  return out;
}

/* ---- per-message mapping ---- */

function hello(m: srp.v1.Hello): Hello {
  return {
    chassisId: m.chassisId,
    mode: m.mode,
    state: m.state,
    priority: m.priority,
    cfMac: bytes(m.cfMac),
    routeModifier: m.routeModifier,
    configDigest: bytes(m.configDigest),
    sessionCount: num(m.sessionCount),
    standbyReady: m.standbyReady,
    sequence: num(m.sequence),
    sentAtMs: num(m.sentAtMs),
    echoSentAtMs: num(m.echoSentAtMs),
    eligibleCount: num(m.eligibleCount),
    bootId: num(m.bootId),
    epoch: num(m.epoch),
    baseEpoch: num(m.baseEpoch),
    heardBootId: num(m.heardBootId),
    heardSequence: num(m.heardSequence),
    heardAgeMs: m.heardAgeMs,
    fenced: m.fenced,
    goodbye: m.goodbye,
    takeoverNow: m.takeoverNow,
    partialTable: m.partialTable,
  };
}

function capabilities(m: srp.v1.Capabilities): Capabilities {
  return {
    protocolVersion: m.protocolVersion,
    compression: m.compression,
    features: m.features,
    chassisId: m.chassisId,
    bootId: num(m.bootId),
    maxFrameSize: m.maxFrameSize,
    nonce: bytes(m.nonce),
  };
}

function handshakeConfirm(m: srp.v1.HandshakeConfirm): HandshakeConfirm {
  return { nonce: bytes(m.nonce) };
}

function configValidationRequest(m: srp.v1.ConfigValidationRequest): ConfigValidationRequest {
  return { configDigest: bytes(m.configDigest), values: m.values };
}

function configValidationResponse(m: srp.v1.ConfigValidationResponse): ConfigValidationResponse {
  return { match: m.match, differingKeys: m.differingKeys, configDigest: bytes(m.configDigest) };
}

/** An item of a batch decoded from a private copy of the body: the payload stays a view of it. */
function microCheckpoint(m: srp.v1.MicroCheckpoint): MicroCheckpoint {
  return { commandId: m.commandId, sessionId: m.sessionId, version: num(m.version), payload: m.payload.length === 0 ? new Uint8Array(0) : new Uint8Array(m.payload.buffer, m.payload.byteOffset, m.payload.length) };
}

function microCheckpointBatch(m: srp.v1.MicroCheckpointBatch): MicroCheckpointBatch {
  const src = m.items;
  const items = new Array<MicroCheckpoint>(src.length);
  for (let i = 0; i < src.length; i++) items[i] = microCheckpoint(src[i] as srp.v1.MicroCheckpoint);
  return { batchSequence: num(m.batchSequence), items };
}

/**
 * The generated decoder and this mapping, for MicroCheckpointBatch: what decodeMessageBody's
 * hand-written fast path (micro-batch.ts) must equal; the fuzz test compares them.
 * @internal
 */
export function decodeMicroCheckpointBatchGenerated(bytes: Uint8Array): MicroCheckpointBatch {
  const buf = Buffer.from(bytes);
  return microCheckpointBatch(pb.MicroCheckpointBatch.decode(new SrpReader(buf)));
}

/**
 * The generated encoder's bytes for a MicroCheckpointBatch: what the hand-written encoder
 * (micro-batch.ts) must give; the tests compare them.
 * @internal
 */
export function encodeMicroCheckpointBatchGenerated(body: MicroCheckpointBatch): Uint8Array {
  return pb.MicroCheckpointBatch.encode(body, new SrpWriter()).finish();
}

function sessionRecord(m: srp.v1.SessionRecord): SessionRecord {
  const raw = m.counters as Record<string, Raw>;
  const counters: Record<string, bigint> = {};
  for (const k in raw) {
    if (k === '__proto__') Object.defineProperty(counters, k, { value: big(raw[k]), enumerable: true, writable: true, configurable: true });
    else counters[k] = big(raw[k]);
  }
  return {
    id: m.id,
    sessionClass: m.sessionClass,
    createdAtMs: num(m.createdAtMs),
    lifetimeMs: num(m.lifetimeMs),
    expiresAtMs: num(m.expiresAtMs),
    attrs: m.attrs,
    counters,
    version: num(m.version),
  };
}

function macroCheckpointBegin(m: srp.v1.MacroCheckpointBegin): MacroCheckpointBegin {
  return {
    snapshotId: num(m.snapshotId),
    sessionCount: num(m.sessionCount),
    reason: m.reason,
    startedAtMs: num(m.startedAtMs),
    resumeAfterBatch: num(m.resumeAfterBatch),
  };
}

function macroCheckpointChunk(m: srp.v1.MacroCheckpointChunk): MacroCheckpointChunk {
  const src = m.sessions;
  const sessions = new Array<SessionRecord>(src.length);
  for (let i = 0; i < src.length; i++) sessions[i] = sessionRecord(src[i] as srp.v1.SessionRecord);
  return { snapshotId: num(m.snapshotId), chunkSequence: num(m.chunkSequence), sessions };
}

/**
 * The generated decoder and this mapping, for MacroCheckpointChunk: what decodeMessageBody's
 * own decoder (macro-chunk.ts) must equal, record for record. For its tests.
 */
export function decodeMacroCheckpointChunkGenerated(bytes: Uint8Array): MacroCheckpointChunk {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return macroCheckpointChunk(pb.MacroCheckpointChunk.decode(new SrpReader(buf)));
}

function macroCheckpointEnd(m: srp.v1.MacroCheckpointEnd): MacroCheckpointEnd {
  return {
    snapshotId: num(m.snapshotId),
    chunkCount: num(m.chunkCount),
    sessionCount: num(m.sessionCount),
    digest: bytes(m.digest),
  };
}

function checkpointAck(m: srp.v1.CheckpointAck): CheckpointAck {
  return { upToSequence: num(m.upToSequence), snapshotId: num(m.snapshotId), failedItems: num(m.failedItems) };
}

function nack(m: srp.v1.Nack): Nack {
  return { kind: m.kind, commandId: m.commandId, sessionId: m.sessionId, reason: m.reason, sequence: num(m.sequence) };
}

function switchoverRequest(m: srp.v1.SwitchoverRequest): SwitchoverRequest {
  return { force: m.force, reason: m.reason, requestId: num(m.requestId), flushedUpTo: num(m.flushedUpTo) };
}

function switchoverResponse(m: srp.v1.SwitchoverResponse): SwitchoverResponse {
  return { requestId: num(m.requestId), accepted: m.accepted, refusalReasons: m.refusalReasons };
}

function auditRequest(m: srp.v1.AuditRequest): AuditRequest {
  return { auditId: num(m.auditId), bucketCount: m.bucketCount, withSync: m.withSync, trigger: m.trigger };
}

function bucketDigest(m: srp.v1.BucketDigest): BucketDigest {
  return { bucket: m.bucket, digest: bytes(m.digest), sessionCount: num(m.sessionCount) };
}

function auditBucketDigests(m: srp.v1.AuditBucketDigests): AuditBucketDigests {
  return { auditId: num(m.auditId), buckets: m.buckets.map((b) => bucketDigest(b as srp.v1.BucketDigest)) };
}

function auditReport(m: srp.v1.AuditReport): AuditReport {
  return {
    auditId: num(m.auditId),
    differingBuckets: m.differingBuckets,
    sessionsCompared: num(m.sessionsCompared),
    sessionsResynced: num(m.sessionsResynced),
    withSync: m.withSync,
  };
}

function goodbye(m: srp.v1.Goodbye): Goodbye {
  return { reason: m.reason, takeoverNow: m.takeoverNow };
}

function splitHandoff(m: srp.v1.SplitHandoff): SplitHandoff {
  return {
    handoffId: num(m.handoffId),
    epoch: num(m.epoch),
    chunkSequence: num(m.chunkSequence),
    last: m.last,
    sessions: m.sessions.map((r) => sessionRecord(r as srp.v1.SessionRecord)),
    deletedIds: m.deletedIds,
    deletedVersions: m.deletedVersions.map(num),
    attrTimes: m.attrTimes.map((t) => ({ names: t.names ?? [], atMs: (t.atMs ?? []).map(num) })),
  };
}

function splitHandoffAck(m: srp.v1.SplitHandoffAck): SplitHandoffAck {
  return { handoffId: num(m.handoffId), applied: num(m.applied), conflicts: num(m.conflicts), conflictIds: m.conflictIds };
}

/* ---- the table: kind -> generated codec and mapping ---- */

interface GenCodec<G> {
  encode(message: object, writer?: SrpWriter): unknown;
  decode(reader: SrpReader): G;
}
interface Entry { gen: GenCodec<unknown>; toPlain: (m: unknown) => unknown }

function entry<G>(gen: unknown, toPlain: (m: G) => unknown): Entry {
  return { gen: gen as GenCodec<unknown>, toPlain: toPlain as (m: unknown) => unknown };
}

const TABLE: { readonly [K in SrpMessageKind]: Entry } = {
  hello: entry(pb.Hello, hello),
  capabilities: entry(pb.Capabilities, capabilities),
  configValidationRequest: entry(pb.ConfigValidationRequest, configValidationRequest),
  configValidationResponse: entry(pb.ConfigValidationResponse, configValidationResponse),
  microCheckpointBatch: entry(pb.MicroCheckpointBatch, microCheckpointBatch),
  macroCheckpointBegin: entry(pb.MacroCheckpointBegin, macroCheckpointBegin),
  macroCheckpointChunk: entry(pb.MacroCheckpointChunk, macroCheckpointChunk),
  macroCheckpointEnd: entry(pb.MacroCheckpointEnd, macroCheckpointEnd),
  checkpointAck: entry(pb.CheckpointAck, checkpointAck),
  nack: entry(pb.Nack, nack),
  switchoverRequest: entry(pb.SwitchoverRequest, switchoverRequest),
  switchoverResponse: entry(pb.SwitchoverResponse, switchoverResponse),
  auditRequest: entry(pb.AuditRequest, auditRequest),
  auditBucketDigests: entry(pb.AuditBucketDigests, auditBucketDigests),
  auditReport: entry(pb.AuditReport, auditReport),
  goodbye: entry(pb.Goodbye, goodbye),
  splitHandoff: entry(pb.SplitHandoff, splitHandoff),
  splitHandoffAck: entry(pb.SplitHandoffAck, splitHandoffAck),
  keepalive: entry(pb.Keepalive, () => ({})),
  handshakeConfirm: entry(pb.HandshakeConfirm, handshakeConfirm),
};

/* ---- public API ---- */

/** The frame message type of a message. */
export function messageTypeOf(msg: SrpMessage): MessageType {
  const t = MESSAGE_TYPE_OF_KIND[msg.kind];
  if (t === undefined) throw new WireError('SRP_ERR_BAD_TYPE', `unknown message kind ${String(msg.kind)}`);
  return t;
}

// One writer reused by every encode (single-threaded; encode is synchronous). Its buffer grows
// to the largest message seen; it is dropped after an unusually large one.
let sharedWriter = new SrpWriter();
const KEEP_WRITER_BYTES = 1 << 20;

/** The body as the generated encoder takes it: a decoded chunk's record list made an array. */
function plainBody(msg: SrpMessage): object {
  if (msg.kind !== 'macroCheckpointChunk' || Array.isArray(msg.body.sessions)) return msg.body;
  return { ...msg.body, sessions: Array.from(msg.body.sessions) };
}

/** Encodes the protobuf body of a message (no frame). Throws WireError SRP_ERR_BAD_MESSAGE on a bad field. */
export function encodeMessageBody(msg: SrpMessage): Uint8Array {
  return encodeBodyAs(msg, (size, write) => {
    const out = Buffer.allocUnsafe(size);
    write(out, 0);
    return out;
  });
}

/**
 * @internal Encodes the body of a message: `emit(size, write)` gets its byte length and a
 * function that writes it at `buf[off..off+size)`, to be called before `emit` returns. A
 * MicroCheckpointBatch, an Active's busiest message, goes through the hand-written encoder
 * (micro-batch.ts), a MacroCheckpointChunk whose records are pre-encoded (record-writer.ts)
 * is written around their bytes; every other kind goes through the generated encoder. Throws WireError
 * SRP_ERR_BAD_MESSAGE (before `emit`) on a bad field.
 */
export function encodeBodyAs<T>(msg: SrpMessage, emit: (size: number, write: (buf: Buffer, off: number) => void) => T): T {
  const pre = msg.kind === 'macroCheckpointChunk' && msg.body.sessions instanceof PreEncodedSessionRecords;
  if (msg.kind !== 'microCheckpointBatch' && !pre) return encodeBodyWith(msg, (w) => emit(w.pos, (buf, off) => w.finishInto(buf, off)));
  try {
    if (pre) return encodePreEncodedChunk(msg.body, msg.body.sessions as PreEncodedSessionRecords, emit);
    return encodeMicroCheckpointBatch(msg.body as MicroCheckpointBatch, emit);
  } catch (err) {
    if (err instanceof WireError) throw err;
    throw new WireError('SRP_ERR_BAD_MESSAGE', `cannot encode ${msg.kind}: ${(err as Error).message}`, { cause: err });
  }
}

/** Encodes into the shared writer and lets `take` copy the bytes out before reuse. */
function encodeBodyWith<T>(msg: SrpMessage, take: (w: SrpWriter) => T): T {
  const e = TABLE[msg.kind];
  if (e === undefined) throw new WireError('SRP_ERR_BAD_TYPE', `unknown message kind ${String(msg.kind)}`);
  const w = sharedWriter;
  w.pos = 0;
  w.states = null;
  try {
    e.gen.encode(plainBody(msg), w);
    return take(w);
  } catch (err) {
    if (err instanceof WireError) throw err;
    throw new WireError('SRP_ERR_BAD_MESSAGE', `cannot encode ${msg.kind}: ${(err as Error).message}`, { cause: err });
  } finally {
    if (w.buf.length > KEEP_WRITER_BYTES) sharedWriter = new SrpWriter();
  }
}

/**
 * Decodes the protobuf body of a message of the given frame type (no frame).
 * Throws WireError only: SRP_ERR_BAD_TYPE for an unknown type, SRP_ERR_BAD_MESSAGE for bytes
 * that are not a valid message of that type.
 *
 * `owned`: `bytes` is a Buffer of the caller's that nothing else will write or keep (a
 * decompressed body), so a MicroCheckpointBatch's item payloads may be views of it, and a
 * MacroCheckpointChunk may keep it to decode its records from. Otherwise (a view of a frame,
 * which may share a pooled slab) the body is copied first.
 */
export function decodeMessageBody(type: MessageType, bytes: Uint8Array, owned = false): SrpMessage {
  const kind = KIND_OF_MESSAGE_TYPE.get(type);
  if (kind === undefined) throw new WireError('SRP_ERR_BAD_TYPE', `unknown message type ${String(type)}`);
  const e = TABLE[kind];
  try {
    if (kind === 'microCheckpointBatch') {
      // The hot path of a Standby (see micro-batch.ts); views of a private body. Copying a
      // decompressed body too was one more off-heap buffer per batch, which V8 counts toward
      // its next major GC until a scavenge frees it.
      return { kind, body: decodeMicroCheckpointBatch(owned && Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes)) };
    }
    if (kind === 'macroCheckpointChunk') {
      // Checked now, its records decoded when read (see macro-chunk.ts); kept: a private body.
      return { kind, body: decodeMacroCheckpointChunk(owned && Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes)) };
    }
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const body = e.toPlain(e.gen.decode(new SrpReader(buf)));
    return { kind, body } as SrpMessage;
  } catch (err) {
    throw new WireError('SRP_ERR_BAD_MESSAGE', `invalid ${kind} message: ${(err as Error)?.message ?? String(err)}`, {
      cause: err,
    });
  }
}
