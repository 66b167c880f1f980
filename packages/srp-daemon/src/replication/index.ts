// The checkpoint engine inside srpd: seams, session API, show commands, metrics, config.
export { createReplicationPlane, withEventSources, type ReplicationHost, type ReplicationPlane, type ReplicationPlaneOptions, type ReplicationSeams } from './plane.js';
export { parseReplicationConfig, describeReplicationConfig, type ReplicationSections } from '../config/replication.js';
export { LinkTransport, type PeerChannel } from './transport.js';
export { REPLICATION_COMMANDS } from './commands.js';
export { MAX_OPS, DEFAULT_LIFETIME_MS, validateOps, applyOps, CallTurns, type SessionOp, type OpError } from './sessions.js';
