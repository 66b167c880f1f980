/**
 * Why a write's changes are, or are not, known to be on the Standby (whenReplicated):
 * `replicated`, the Standby acknowledged every batch that carried them (and everything before);
 * `no-standby`, none was attached when asked; `link-down`, the Standby left (or its connection
 * was replaced) before it acknowledged; `stepped-down`, this chassis stopped being Active first;
 * `apply-failed`, it acknowledged them with an item it could not apply (a NACK and a repair
 * macro follow); `timeout`, no acknowledgement within the time asked.
 */
export type ReplicationOutcome = 'replicated' | 'no-standby' | 'link-down' | 'stepped-down' | 'apply-failed' | 'timeout';

export const REPLICATION_OUTCOMES: readonly ReplicationOutcome[] = ['replicated', 'no-standby', 'link-down', 'stepped-down', 'apply-failed', 'timeout'];

/**
 * Where an Active's macro checkpoint spent its time, in ms; the five add up to about its
 * duration (they are read from performance.now(), the duration from the engine's clock).
 * A bulk sync that is slow because this chassis' main thread is busy shows `otherWorkMs`; one
 * held back by the link or the Standby shows the waits.
 */
export interface MacroTimeSpent {
  /** Reading sessions from the table and encoding chunks, and End's digest (the stream's own slices). */
  encodingMs: number;
  /** Between two slices: the event loop's turns for everything else (API calls, micro batches, acks, GC). */
  otherWorkMs: number;
  /** Waiting for the link to drain (the socket's buffer full, or the link paused). */
  linkMs: number;
  /** Holding chunks back while a micro batch waited for its acknowledgement (micro batches go first). */
  microAcksMs: number;
  /** From End sent to the Standby's acknowledgement: its applying what was still queued, and its check. */
  standbyMs: number;
}

/** `show srp checkpoint statistics [verbose]` (the daemon renders it). */
export interface CheckpointStatistics {
  role: 'init' | 'active' | 'standby';
  micro: {
    /** Items sent / received / applied / failed to apply / dropped as stale (version check). */
    sent: number;
    received: number;
    applied: number;
    failed: number;
    stale: number;
    batchesSent: number;
    batchesReceived: number;
    /** Changes folded into a change of the same session that was still waiting. */
    coalesced: number;
    /** Active: items the Standby says it could not apply (from its acks). */
    peerFailed: number;
    /** By command id: items sent / applied / failed (verbose). */
    byCommand: Record<number, { sent: number; applied: number; failed: number }>;
  };
  macro: {
    sent: number;
    received: number;
    applied: number;
    failed: number;
    inProgress: boolean;
    lastAt: number | null; // ms epoch, end of the last macro sent or applied
    lastDurationMs: number | null;
    lastReason: string | null;
    lastSessions: number;
    /**
     * Active: where the last macro's time went, from Begin to its acknowledgement (null before
     * the first, and on a Standby). See MacroTimeSpent.
     */
    lastTimeSpent: MacroTimeSpent | null;
  };
  nacks: { sent: number; received: number; suppressed: number; disabledCommands: number[] };
  bytes: { beforeCompression: number; afterCompression: number };
  codec: string | null;
  sessions: { current: number; ready: number };
  standbyReady: boolean;
  pending: { sessions: number; deletes: number; unackedBatches: number };
  replicationLagMs: { last: number | null; max: number | null; samples: number };
  /** Split brain: the journal of changes the peer may lack, and hand-overs both ways. */
  split: SplitStatistics;
  /** Replicated acknowledgements (whenReplicated) answered, by outcome. */
  writeAcks: Record<ReplicationOutcome, number>;
}

export interface SplitStatistics {
  /** Recording changes the peer may not hold (Active without a synced Standby). */
  recording: boolean;
  journalSessions: number;
  /** The journal outgrew its limit: a hand-over would carry the whole table. */
  journalWhole: boolean;
  handoffsSent: number;
  handoffsAcked: number;
  /** Hand-overs taken back: Active again (a re-election) before the peer took them. */
  handoffsWithdrawn: number;
  /** Hand-overs received (as the winner) and what they carried. */
  handoffsApplied: number;
  recordsApplied: number;
  deletesApplied: number;
  /** Sessions both sides changed while apart, merged by the conflict rule. */
  conflicts: number;
  lastConflictIds: string[];
  /** Deletions not handed over (the tombstone limit), recorded as call loss. */
  deletesDropped: number;
  /**
   * Deletions the peer sent while this chassis' own hand-over waited, past the limit of those
   * kept: a session among them comes back if the hand-over is taken back (SplitCoordinator.peerDeleted).
   */
  peerDeletesUnkept: number;
}

export interface AuditStatistics {
  runs: number;
  lastRunAt: number | null;
  lastTrigger: string | null;
  lastDifferingBuckets: number[];
  bucketsCompared: number;
  bucketsDiffering: number;
  sessionsCompared: number;
  sessionsResynced: number;
  nextRunAt: number | null;
}

export function emptyStatistics(): CheckpointStatistics {
  return {
    role: 'init',
    micro: { sent: 0, received: 0, applied: 0, failed: 0, stale: 0, batchesSent: 0, batchesReceived: 0, coalesced: 0, peerFailed: 0, byCommand: {} },
    macro: { sent: 0, received: 0, applied: 0, failed: 0, inProgress: false, lastAt: null, lastDurationMs: null, lastReason: null, lastSessions: 0, lastTimeSpent: null },
    nacks: { sent: 0, received: 0, suppressed: 0, disabledCommands: [] },
    bytes: { beforeCompression: 0, afterCompression: 0 },
    codec: null,
    sessions: { current: 0, ready: 0 },
    standbyReady: false,
    pending: { sessions: 0, deletes: 0, unackedBatches: 0 },
    replicationLagMs: { last: null, max: null, samples: 0 },
    writeAcks: { replicated: 0, 'no-standby': 0, 'link-down': 0, 'stepped-down': 0, 'apply-failed': 0, timeout: 0 },
    split: {
      recording: false,
      journalSessions: 0,
      journalWhole: false,
      handoffsSent: 0,
      handoffsAcked: 0,
      handoffsWithdrawn: 0,
      handoffsApplied: 0,
      recordsApplied: 0,
      deletesApplied: 0,
      conflicts: 0,
      lastConflictIds: [],
      deletesDropped: 0,
      peerDeletesUnkept: 0,
    },
  };
}

export function emptyAuditStatistics(): AuditStatistics {
  return {
    runs: 0,
    lastRunAt: null,
    lastTrigger: null,
    lastDifferingBuckets: [],
    bucketsCompared: 0,
    bucketsDiffering: 0,
    sessionsCompared: 0,
    sessionsResynced: 0,
    nextRunAt: null,
  };
}

export function bumpCommand(stats: CheckpointStatistics, cmd: number, field: 'sent' | 'applied' | 'failed'): void {
  const entry = (stats.micro.byCommand[cmd] ??= { sent: 0, applied: 0, failed: 0 });
  entry[field]++;
}

/** Samples reported as they happen (the daemon's metrics module turns them into histograms). */
export interface CheckpointObserver {
  /** Time from a change on the Active to its apply acknowledged by the Standby. */
  replicationLag?(seconds: number): void;
  macroCompleted?(seconds: number, reason: string, sessions: number): void;
}

export type CheckpointEvent =
  | { type: 'checkpoint-macro-begin'; at: number; snapshotId: number; reason: string; sessions: number; cause: string }
  | { type: 'checkpoint-macro-end'; at: number; snapshotId: number; reason: string; ok: boolean; durationMs: number; cause: string }
  | { type: 'checkpoint-nack-sent'; at: number; kind: 'micro' | 'macro'; commandId: number; sessionId: string; cause: string }
  | { type: 'checkpoint-nack-suppressed'; at: number; kind: 'micro' | 'macro'; commandId: number; cause: string }
  | { type: 'checkpoint-nack-received'; at: number; kind: 'micro' | 'macro'; commandId: number; cause: string }
  | { type: 'checkpoint-audit'; at: number; auditId: number; differingBuckets: number[]; resynced: number; cause: string }
  | { type: 'checkpoint-standby-ready'; at: number; sessions: number; cause: string }
  | { type: 'checkpoint-call-loss'; at: number; expected: number; recovered: number; cause: string }
  | { type: 'split-handoff-sent'; at: number; handoffId: number; sessions: number; deletes: number; cause: string }
  | { type: 'split-handoff-applied'; at: number; handoffId: number; applied: number; conflicts: number; conflictIds: string[]; cause: string }
  | { type: 'split-handoff-acked'; at: number; handoffId: number; applied: number; conflicts: number; cause: string };
