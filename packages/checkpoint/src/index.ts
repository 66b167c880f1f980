export { CheckpointEngine } from './engine/engine.js';
export type { CheckpointEngineOptions, EngineRole, PeerHelloInfo, SessionInput, TableSummary, TakeoverResult } from './engine/types.js';
export { createReplicatedSessionTable } from './library.js';
export type { ReplicatedSessionTable, ReplicatedSessionTableOptions } from './library.js';
export { systemClock, ManualClock } from './clock.js';
export type { Clock } from './clock.js';
export { MicroCommand, MICRO_COMMAND_NAMES, isValidCommandId } from './commands.js';
export type { MicroCommandId } from './commands.js';
export {
  AUDIT_BUCKETS,
  DEFAULT_CHECKPOINT_CONFIG,
  NACK_WINDOW_MS,
  RECOVERY_HELLOS,
  parseHhMm,
  resolveCheckpointConfig,
} from './config.js';
export type { CheckpointConfig, DatabaseRecovery } from './config.js';
export { CheckpointError } from './errors.js';
export { loneSurrogateAt, notWellFormed } from './unicode.js';
export type { CheckpointErrorCode } from './errors.js';
export { CHECKPOINT_MESSAGE_KINDS, NackKind, isCheckpointMessage } from './messages.js';
export type * from './messages.js';
export { CallLossLog } from './call-loss.js';
export type { CallLossRecord } from './call-loss.js';
export { nextAuditTime } from './audit.js';
export type { AuditResult } from './audit.js';
export type { AuditStatistics, CheckpointEvent, CheckpointObserver, CheckpointStatistics, SplitStatistics } from './stats.js';
export { SplitJournal, mergeForHandoff, DEFAULT_JOURNAL_LIMITS } from './split.js';
export type { Handoff, JournalLimits } from './split.js';
export type { Session } from './table/session.js';
export { SessionStore } from './table/store.js';
export { attrsOf, countersOf, type SessionView } from './table/view.js';
export { ByteArena, MAX_RECORD, MAX_SLABS, SLAB_BYTES } from './table/arena.js';
export type { ArenaStats } from './table/arena.js';
export { PayloadReader, PayloadWriter } from './payload.js';
export { MemoryLink, MemoryEndpoint } from './testing.js';
