/**
 * The messages the two chassis exchange, as plain TypeScript objects.
 *
 * Every field is always present (proto3 defaults filled in on decode), field names are the
 * protobufjs camelCase names of srp.proto, bytes are Uint8Array, maps are Record<string,string>,
 * uint64 fields are `number` (all of them are counts, ms timestamps or sequence numbers below
 * 2^53; a larger value on the wire is rejected as SRP_ERR_BAD_MESSAGE) except
 * SessionRecord.counters, whose values are `bigint` so that 64-bit counters survive intact.
 */
import { srp } from '@srp-ha/wire/generated';

/* The generated numeric enums, re-exported under their proto names. */
export const ChassisMode = srp.v1.ChassisMode;
export type ChassisMode = srp.v1.ChassisMode;
export const ChassisState = srp.v1.ChassisState;
export type ChassisState = srp.v1.ChassisState;
export const CompressionAlgorithm = srp.v1.CompressionAlgorithm;
export type CompressionAlgorithm = srp.v1.CompressionAlgorithm;
export const NackKind = srp.v1.NackKind;
export type NackKind = srp.v1.NackKind;

/** The message type byte of the frame header. Never renumber. */
export enum MessageType {
  Hello = 1,
  Capabilities,
  ConfigValidationRequest,
  ConfigValidationResponse,
  MicroCheckpointBatch,
  MacroCheckpointBegin,
  MacroCheckpointChunk,
  MacroCheckpointEnd,
  CheckpointAck,
  Nack,
  SwitchoverRequest,
  SwitchoverResponse,
  AuditRequest,
  AuditBucketDigests,
  AuditReport,
  Goodbye,
  SplitHandoff = 24,
  SplitHandoffAck,
  Keepalive,
  /** The answer to the peer's Capabilities nonce (handshake.ts); protocol version 2. */
  HandshakeConfirm = 32,
}

export interface Hello {
  chassisId: string;
  mode: ChassisMode;
  state: ChassisState;
  priority: number;
  /** 6 octets, the MAC of the active CF card. */
  cfMac: Uint8Array;
  routeModifier: number;
  configDigest: Uint8Array;
  sessionCount: number;
  standbyReady: boolean;
  sequence: number;
  sentAtMs: number;
  echoSentAtMs: number;
  eligibleCount: number;
  /** Random per process start, below 2^53. */
  bootId: number;
  /** Takeover epoch of the table the sender holds (0: none yet). */
  epoch: number;
  /** Epoch of the table the sender held when it last became Active. */
  baseEpoch: number;
  /** The peer boot whose Hello the sender last accepted (0: none), its sequence and age. */
  heardBootId: number;
  heardSequence: number;
  heardAgeMs: number;
  /** The sender refuses writes until it has heard its peer. */
  fenced: boolean;
  /** The sender is stopping (its last Hello); takeoverNow as in Goodbye. */
  goodbye: boolean;
  takeoverNow: boolean;
  /** The sender took over before its bulk sync finished (its table may be incomplete). */
  partialTable: boolean;
}

export interface Capabilities {
  protocolVersion: number;
  /** In order of preference. */
  compression: CompressionAlgorithm[];
  features: string[];
  chassisId: string;
  bootId: number;
  maxFrameSize: number;
  /** 32 random bytes, fresh for each connection: the challenge the peer's HandshakeConfirm answers. */
  nonce: Uint8Array;
}

export interface HandshakeConfirm {
  /** The nonce of the peer's Capabilities being answered. */
  nonce: Uint8Array;
}

export interface ConfigValidationRequest {
  configDigest: Uint8Array;
  values: Record<string, string>;
}

export interface ConfigValidationResponse {
  match: boolean;
  differingKeys: string[];
  configDigest: Uint8Array;
}

export interface MicroCheckpoint {
  /** 1..255 */
  commandId: number;
  sessionId: string;
  version: number;
  payload: Uint8Array;
}

export interface MicroCheckpointBatch {
  batchSequence: number;
  items: MicroCheckpoint[];
}

export interface SessionRecord {
  id: string;
  /** 0 non-ims, 1 ims */
  sessionClass: number;
  createdAtMs: number;
  lifetimeMs: number;
  expiresAtMs: number;
  attrs: Record<string, string>;
  /** 64-bit safe: values are bigint in [0, 2^64). */
  counters: Record<string, bigint>;
  version: number;
}

export interface MacroCheckpointBegin {
  snapshotId: number;
  sessionCount: number;
  /** bulk-sync | periodic | nack | audit */
  reason: string;
  startedAtMs: number;
  resumeAfterBatch: number;
}

/**
 * The session records of a MacroCheckpointChunk. A chunk built to send has an array; a decoded
 * chunk has a list that decodes each record when it is read (macro-chunk.ts), so records
 * waiting in a receiver's queue stay bytes. Read them with `length` and `at(i)`, or iterate.
 */
export interface SessionRecordList extends Iterable<SessionRecord> {
  readonly length: number;
  /** Record `index` (negative: counted from the end, as Array#at); undefined out of range. */
  at(index: number): SessionRecord | undefined;
}

export interface MacroCheckpointChunk {
  snapshotId: number;
  chunkSequence: number;
  sessions: SessionRecordList;
}

export interface MacroCheckpointEnd {
  snapshotId: number;
  chunkCount: number;
  sessionCount: number;
  digest: Uint8Array;
}

export interface CheckpointAck {
  upToSequence: number;
  snapshotId: number;
  /** Micro items the receiver could not apply, since its start (a NACK may have been suppressed). */
  failedItems: number;
}

export interface Nack {
  kind: NackKind;
  commandId: number;
  sessionId: string;
  reason: string;
  sequence: number;
}

export interface SwitchoverRequest {
  force: boolean;
  reason: string;
  requestId: number;
  flushedUpTo: number;
}

export interface SwitchoverResponse {
  requestId: number;
  accepted: boolean;
  refusalReasons: string[];
}

export interface AuditRequest {
  auditId: number;
  bucketCount: number;
  withSync: boolean;
  /** manual | periodic */
  trigger: string;
}

export interface BucketDigest {
  bucket: number;
  digest: Uint8Array;
  sessionCount: number;
}

export interface AuditBucketDigests {
  auditId: number;
  buckets: BucketDigest[];
}

export interface AuditReport {
  auditId: number;
  differingBuckets: number[];
  sessionsCompared: number;
  sessionsResynced: number;
  withSync: boolean;
}

export interface Goodbye {
  reason: string;
  /** The sender stops serving: the peer need not wait out dead-interval. */
  takeoverNow: boolean;
}

export interface SplitHandoff {
  handoffId: number;
  epoch: number;
  chunkSequence: number;
  last: boolean;
  sessions: SessionRecord[];
  deletedIds: string[];
  /** Parallel to deletedIds. */
  deletedVersions: number[];
  /**
   * Parallel to sessions (may be shorter: a missing entry names nothing): when the sender set
   * or removed each attribute it changed while apart (its clock, epoch-scale ms).
   */
  attrTimes: AttrTimes[];
}

export interface AttrTimes {
  names: string[];
  /** Parallel to names. */
  atMs: number[];
}

export interface SplitHandoffAck {
  handoffId: number;
  applied: number;
  conflicts: number;
  conflictIds: string[];
}

/** Nothing: it only keeps an idle TCP link alive. */
export type Keepalive = Record<string, never>;

/** One message of the SRP link, tagged by kind. */
export type SrpMessage =
  | { kind: 'hello'; body: Hello }
  | { kind: 'capabilities'; body: Capabilities }
  | { kind: 'configValidationRequest'; body: ConfigValidationRequest }
  | { kind: 'configValidationResponse'; body: ConfigValidationResponse }
  | { kind: 'microCheckpointBatch'; body: MicroCheckpointBatch }
  | { kind: 'macroCheckpointBegin'; body: MacroCheckpointBegin }
  | { kind: 'macroCheckpointChunk'; body: MacroCheckpointChunk }
  | { kind: 'macroCheckpointEnd'; body: MacroCheckpointEnd }
  | { kind: 'checkpointAck'; body: CheckpointAck }
  | { kind: 'nack'; body: Nack }
  | { kind: 'switchoverRequest'; body: SwitchoverRequest }
  | { kind: 'switchoverResponse'; body: SwitchoverResponse }
  | { kind: 'auditRequest'; body: AuditRequest }
  | { kind: 'auditBucketDigests'; body: AuditBucketDigests }
  | { kind: 'auditReport'; body: AuditReport }
  | { kind: 'goodbye'; body: Goodbye }
  | { kind: 'splitHandoff'; body: SplitHandoff }
  | { kind: 'splitHandoffAck'; body: SplitHandoffAck }
  | { kind: 'keepalive'; body: Keepalive }
  | { kind: 'handshakeConfirm'; body: HandshakeConfirm };

export type SrpMessageKind = SrpMessage['kind'];

/** The body type of one kind, e.g. `BodyOf<'hello'>` is `Hello`. */
export type BodyOf<K extends SrpMessageKind> = Extract<SrpMessage, { kind: K }>['body'];

/** kind -> frame message type. */
export const MESSAGE_TYPE_OF_KIND: { readonly [K in SrpMessageKind]: MessageType } = {
  hello: MessageType.Hello,
  capabilities: MessageType.Capabilities,
  configValidationRequest: MessageType.ConfigValidationRequest,
  configValidationResponse: MessageType.ConfigValidationResponse,
  microCheckpointBatch: MessageType.MicroCheckpointBatch,
  macroCheckpointBegin: MessageType.MacroCheckpointBegin,
  macroCheckpointChunk: MessageType.MacroCheckpointChunk,
  macroCheckpointEnd: MessageType.MacroCheckpointEnd,
  checkpointAck: MessageType.CheckpointAck,
  nack: MessageType.Nack,
  switchoverRequest: MessageType.SwitchoverRequest,
  switchoverResponse: MessageType.SwitchoverResponse,
  auditRequest: MessageType.AuditRequest,
  auditBucketDigests: MessageType.AuditBucketDigests,
  auditReport: MessageType.AuditReport,
  goodbye: MessageType.Goodbye,
  splitHandoff: MessageType.SplitHandoff,
  splitHandoffAck: MessageType.SplitHandoffAck,
  keepalive: MessageType.Keepalive,
  handshakeConfirm: MessageType.HandshakeConfirm,
};

/** frame message type -> kind (index by the numeric type). */
export const KIND_OF_MESSAGE_TYPE: ReadonlyMap<MessageType, SrpMessageKind> = new Map(
  (Object.entries(MESSAGE_TYPE_OF_KIND) as [SrpMessageKind, MessageType][]).map(([k, t]) => [t, k]),
);

export function isMessageType(value: number): value is MessageType {
  return KIND_OF_MESSAGE_TYPE.has(value);
}
