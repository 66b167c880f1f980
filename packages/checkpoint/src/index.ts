// The public surface of @srp-ha/checkpoint: what a service embedding the engine needs. Sessions
// cross it as ids, plain snapshots (SessionView) and opaque handles (SessionHandle); the table,
// its records and codecs stay inside (see ./internal.ts, the "@srp-ha/checkpoint/internal"
// subpath, and ./testing.ts, the in-memory link of "@srp-ha/checkpoint/testing").

// The engine, and the same as a library of a session table.
export { CheckpointEngine } from './engine/engine.js';
export type { CheckpointEngineOptions, EngineRole, PeerHelloInfo, SessionInput, TableSummary, TakeoverResult } from './engine/types.js';
export { createReplicatedSessionTable } from './library.js';
export type { ReplicatedSessionTable, ReplicatedSessionTableOptions } from './library.js';

// Sessions as the engine lends them.
export type { SessionView } from './table/view.js';
export { beginPass, firstInPass, sessionAttrs, sessionClass, sessionCounters, sessionId, sessionRemoved, sessionVersion } from './handle.js';
export type { SessionHandle } from './handle.js';
export { loneSurrogateAt, notWellFormed } from './unicode.js';

// Configuration, time, errors.
export { DEFAULT_CHECKPOINT_CONFIG, resolveCheckpointConfig } from './config.js';
export type { CheckpointConfig, DatabaseRecovery, WriteAck } from './config.js';
export { systemClock, ManualClock } from './clock.js';
export type { Clock } from './clock.js';
export { CheckpointError } from './errors.js';
export type { CheckpointErrorCode } from './errors.js';

// The transport the engine sends through, and the messages it sends and handles.
export { CHECKPOINT_MESSAGE_KINDS, NackKind, isCheckpointMessage } from './messages.js';
export type * from './messages.js';
export { FEATURE_MICRO_ASPECTS, MicroCommand, MICRO_COMMAND_NAMES, isValidCommandId } from './commands.js';
export type { MicroCommandId } from './commands.js';

// What the engine reports.
export type { AuditStatistics, CheckpointEvent, CheckpointObserver, CheckpointStatistics, MacroTimeSpent, SplitStatistics } from './stats.js';
export type { AuditResult } from './audit.js';
export type { CallLossLog, CallLossRecord } from './call-loss.js';
export type { Handoff } from './split.js';
export type { ReplicationOutcome } from './stats.js';
export { REPLICATION_OUTCOMES } from './stats.js';
export type { ArenaStats } from './table/arena.js';
