/**
 * The checkpoint messages of srp.proto as @srp-ha/wire types them: camelCase fields,
 * uint64 as number, SessionRecord counters as bigint. The engine sends and handles the
 * subset of the wire's SrpMessage union below.
 */
import type { SrpMessage } from '@srp-ha/wire';
import { NackKind as WireNackKind } from '@srp-ha/wire';

export type {
  AuditBucketDigests,
  AuditReport,
  AuditRequest,
  BucketDigest,
  CheckpointAck,
  MacroCheckpointBegin,
  MacroCheckpointChunk,
  MacroCheckpointEnd,
  MicroCheckpoint,
  MicroCheckpointBatch,
  Nack,
  SessionRecord,
  AttrTimes,
  SplitHandoff,
  SplitHandoffAck,
  SrpMessage,
} from '@srp-ha/wire';

export type SessionClassName = 'ims' | 'non-ims';

export type MacroReason = 'bulk-sync' | 'periodic' | 'nack' | 'audit' | 'manual';

export const NackKind = {
  Unspecified: WireNackKind.NACK_KIND_UNSPECIFIED,
  Micro: WireNackKind.NACK_KIND_MICRO,
  Macro: WireNackKind.NACK_KIND_MACRO,
} as const;

type CheckpointKinds =
  | 'microCheckpointBatch'
  | 'macroCheckpointBegin'
  | 'macroCheckpointChunk'
  | 'macroCheckpointEnd'
  | 'checkpointAck'
  | 'nack'
  | 'auditRequest'
  | 'auditBucketDigests'
  | 'auditReport'
  | 'splitHandoff'
  | 'splitHandoffAck';

/** The subset of the wire's SrpMessage union that the engine sends and handles. */
export type CheckpointMessage = Extract<SrpMessage, { kind: CheckpointKinds }>;

export type CheckpointMessageKind = CheckpointMessage['kind'];

export const CHECKPOINT_MESSAGE_KINDS: ReadonlySet<string> = new Set<CheckpointMessageKind>([
  'microCheckpointBatch',
  'macroCheckpointBegin',
  'macroCheckpointChunk',
  'macroCheckpointEnd',
  'checkpointAck',
  'nack',
  'auditRequest',
  'auditBucketDigests',
  'auditReport',
  'splitHandoff',
  'splitHandoffAck',
]);

/** True for the messages the daemon hands to `engine.handle()`. */
export function isCheckpointMessage(msg: SrpMessage): msg is CheckpointMessage {
  return CHECKPOINT_MESSAGE_KINDS.has(msg.kind);
}

/**
 * What the engine needs from the SRP link. The daemon implements it over its MessageWriter
 * (which encodes, compresses with the negotiated codec and frames) and forwards received
 * messages of the kinds above to `engine.handle(msg)`.
 */
export interface CheckpointTransport {
  /**
   * Sends a message. An Active's MacroCheckpointChunk carries its records already encoded
   * (wire's PreEncodedSessionRecords): encodeMessageBody writes them as they are, and read as a
   * SessionRecordList they decode one by one. A transport that copies messages
   * (structuredClone, postMessage) takes `Array.from(sessions)`: the list is a class.
   */
  send(msg: CheckpointMessage): void;
  /** False while the socket buffer is above its high-water mark. */
  readonly writable: boolean;
  /** Called whenever the link becomes writable again. */
  onDrain(cb: () => void): void;
  /**
   * Optional. The engine calls it once it is done with a message handed to `handle()`:
   * nothing decoded from that message is used after the call, so the buffer it was decoded
   * from may be reused (the daemon's link reuses its LZ4 receive buffers this way).
   */
  release?(msg: CheckpointMessage): void;
  /**
   * Optional. The Capabilities features of the peer on the link now (FEATURE_MICRO_ASPECTS,
   * say), read when a Standby joins. Absent: the peer runs this same library, with every one.
   */
  readonly peerFeatures?: readonly string[] | undefined;
}
