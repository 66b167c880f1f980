// The checkpoint engine inside srpd: session service, session API, show commands, metrics, config.
export { createReplicationPlane, withEventSources, type ReplicationHost, type ReplicationPlane, type ReplicationPlaneOptions } from './plane.js';
export { parseReplicationConfig, describeReplicationConfig, type ReplicationSections } from '../config/replication.js';
export { LinkTransport, type PeerChannel } from './transport.js';
export { REPLICATION_COMMANDS } from './commands.js';
export { MAX_OPS, validateOps } from './validate-ops.js';
export { DEFAULT_LIFETIME_MS, applyOps } from './apply-ops.js';
export { CallTurns } from './call-turns.js';
export type { SessionOp, OpError } from './session-ops.js';
