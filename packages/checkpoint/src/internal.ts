// "@srp-ha/checkpoint/internal": the engine's parts, for this package's tests, benchmarks and
// srpd's tests that opt in explicitly. Nothing here is a stable API: a service embedding the
// engine uses the package's main export.
export { storeOf } from './engine/engine.js';
export { SessionStore } from './table/store.js';
export { MAX_NAMES, NameDictionary } from './table/names.js';
export { Session, SessionObjects, F_COUNTERS_UNSYNCED, F_ELIGIBLE, F_QUEUED, F_REMOVED } from './table/session.js';
export { PackedRecords } from './table/packed.js';
export { attrsOf, countersOf, toRecord, toView, classFromWire, classToWire } from './table/view.js';
export { ByteArena, MAX_RECORD, MAX_SLABS, SLAB_BYTES } from './table/arena.js';
export { contentDigest } from './table/content.js';
export { fromHandle, toHandle } from './handle.js';
export { A_ATTRS, A_COUNTERS, A_DELTA, A_LIFETIME, PayloadReader, PayloadWriter } from './payload.js';
export { AUDIT_BUCKETS, NACK_WINDOW_MS, RECOVERY_HELLOS, parseHhMm } from './config.js';
export { nextAuditTime } from './audit.js';
export { CallLossLog } from './call-loss.js';
export { NackLimiter } from './receiver/nacks.js';
export { SplitJournal, mergeForHandoff, DEFAULT_JOURNAL_LIMITS } from './split.js';
export type { JournalLimits } from './split.js';
export { UnackedAttrLog } from './sender/unacked-attrs.js';
export { ChunkEncoder } from './sender/chunk-encoder.js';
