/**
 * The checkpoint messages of srp.proto (package srp.v1) as the engine sees them: camelCase
 * field names, uint64 as number (session versions and sequences stay far below 2^53),
 * counters as bigint. The daemon maps these to and from @srp-ha/wire.
 *
 * Kept local so the engine type-checks on its own; the `kind` tags match the wire's
 * SrpMessage tags for these message types.
 */
export type SessionClassName = 'ims' | 'non-ims';

export interface SessionRecord {
  id: string;
  sessionClass: number; // 0 non-ims, 1 ims
  createdAtMs: number;
  lifetimeMs: number;
  expiresAtMs: number;
  attrs: Record<string, string>;
  counters: Record<string, bigint>;
  version: number;
}

export interface MicroCheckpoint {
  commandId: number;
  sessionId: string;
  version: number;
  payload: Uint8Array;
}

export interface MicroCheckpointBatch {
  batchSequence: number;
  items: MicroCheckpoint[];
}

export type MacroReason = 'bulk-sync' | 'periodic' | 'nack' | 'audit' | 'manual';

export interface MacroCheckpointBegin {
  snapshotId: number;
  sessionCount: number;
  reason: string;
  startedAtMs: number;
  resumeAfterBatch: number;
}

export interface MacroCheckpointChunk {
  snapshotId: number;
  chunkSequence: number;
  sessions: SessionRecord[];
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
}

export const NackKind = { Unspecified: 0, Micro: 1, Macro: 2 } as const;

export interface Nack {
  kind: number;
  commandId: number;
  sessionId: string;
  reason: string;
  sequence: number;
}

export interface AuditRequest {
  auditId: number;
  bucketCount: number;
  withSync: boolean;
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

/** The subset of the wire's SrpMessage union that the engine sends and handles. */
export type CheckpointMessage =
  | { kind: 'microCheckpointBatch'; body: MicroCheckpointBatch }
  | { kind: 'macroCheckpointBegin'; body: MacroCheckpointBegin }
  | { kind: 'macroCheckpointChunk'; body: MacroCheckpointChunk }
  | { kind: 'macroCheckpointEnd'; body: MacroCheckpointEnd }
  | { kind: 'checkpointAck'; body: CheckpointAck }
  | { kind: 'nack'; body: Nack }
  | { kind: 'auditRequest'; body: AuditRequest }
  | { kind: 'auditBucketDigests'; body: AuditBucketDigests }
  | { kind: 'auditReport'; body: AuditReport };

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
]);

/**
 * What the engine needs from the SRP link. The daemon implements it over its MessageWriter
 * (which encodes, compresses with the negotiated codec and frames) and forwards received
 * messages of the kinds above to `engine.handle(msg)`.
 */
export interface CheckpointTransport {
  send(msg: CheckpointMessage): void;
  /** False while the socket buffer is above its high-water mark. */
  readonly writable: boolean;
  /** Called whenever the link becomes writable again. */
  onDrain(cb: () => void): void;
}
