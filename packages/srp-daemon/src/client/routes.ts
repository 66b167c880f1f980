// The contract of srpd's management API: every route, its request body and its answer. The
// shapes are declared once, next to the code that builds them (contract.ts for the SRP core,
// each plane for its own), and listed here; `SrpClient.call(route, ...)` is typed by this map,
// and a test checks that srpd mounts exactly these routes. Error answers (status >= 400) are
// ApiErrorBody (management/errors.ts). The event stream (WS /v1/events) carries SrpEvent.
import type { AuditResult, AuditStatistics, CallLossLog, ReplicationOutcome, TableSummary, WriteAck } from '@srp-ha/checkpoint';
import type {
  CardTableRow,
  ChassisSnapshot,
  ShowRedundancy,
  ShowRedundancyClient,
  ShowRedundancyCounters,
  ShowRedundancyHistoryEntry,
  ShowRedundancyStates,
  TrafficStats,
} from '@srp-ha/hw-sim';
import type { ChassisStateName, ConfigValidationResult, SrpInfo, SrpStatistics, SwitchoverResult } from '../api/contract.js';
import type { FaultResult, HardwareStatus, RoutingAdvertisement } from '../hardware/api.js';
import type { SecurityInfo, SecurityReload } from '../link/security.js';
import type { MonitorShow } from '../monitors/plane.js';
import type { ResetResult } from '../monitors/routes.js';
import type { CheckpointStatisticsReply } from '../replication/routes.js';
import type { LookedUp } from '../replication/session-lookup.js';
import type { OpError } from '../replication/session-ops.js';
import type { WindowFigures } from '../replication/window.js';

/** A session operation as JSON: counters as numbers or decimal strings below 2^64. */
export type SessionOpJson =
  | {
      op: 'upsert';
      id: string;
      class?: 'ims' | 'non-ims';
      attrs?: Record<string, string | null>;
      counters?: Record<string, number | string>;
      lifetimeMs?: number;
    }
  | { op: 'delete'; id: string };

export interface SessionWriteReply {
  ops: number;
  created: number;
  updated: number;
  deleted: number;
  /** Sessions in the table after the call. */
  count: number;
  /** When the call reached the API, in ms of the host's CLOCK_MONOTONIC. */
  receivedAtMonotonicMs: number;
  /** With `versions: true`: each op's resulting version (null for a delete). */
  versions?: Array<number | null>;
  /** With `versions: true`: the indexes of the upserts that created their session. */
  createdOps?: number[];
  /** With the replicated acknowledgement (`ack: "replicated"` or checkpoint.write-ack): */
  ack?: 'replicated';
  /** true: the Standby acknowledged this call's changes (young sessions are never replicated). */
  replicated?: boolean;
  /** Why, or why not: replicated, no-standby, link-down, stepped-down, apply-failed, timeout. */
  replication?: ReplicationOutcome;
  /** How long the answer waited for the Standby's acknowledgement. */
  replicationWaitMs?: number;
}

/** 400 of POST /v1/sessions: nothing applied; the first bad ops with their index and reason. */
export interface SessionWriteErrors {
  code: string;
  error: string;
  errors: OpError[];
}

/** GET /v1/sessions/:id (counters as decimal strings, times as ISO-8601). */
export interface SessionJson {
  id: string;
  class: 'ims' | 'non-ims';
  createdAt: string;
  lifetimeMs: number;
  expiresAt: string;
  expiresInMs: number;
  attrs: Record<string, string>;
  counters: Record<string, string>;
  version: number;
  eligible: boolean;
}

export type SessionSummary = TableSummary & { versionDigest: string; role: string; state: ChassisStateName };

export interface ApiRoutes {
  'GET /healthz': { reply: { status: 'ok'; state?: ChassisStateName } };
  'GET /metrics': { reply: string };
  // The SRP core (management/routes.ts)
  'GET /v1/srp/info': { reply: SrpInfo };
  'GET /v1/srp/statistics': { reply: SrpStatistics };
  'POST /v1/srp/switchover': { body: { force?: boolean }; reply: SwitchoverResult };
  'GET /v1/srp/validate-switchover': { reply: SwitchoverResult };
  'POST /v1/srp/validate-configuration': { body: Record<string, never>; reply: ConfigValidationResult };
  // The SRP link's security (link/routes.ts)
  'GET /v1/srp/security': { reply: SecurityInfo };
  'POST /v1/srp/security/reload': { body: Record<string, never>; reply: SecurityReload };
  // Checkpointing (replication/routes.ts)
  'GET /v1/srp/checkpoint/statistics': { reply: CheckpointStatisticsReply };
  'GET /v1/srp/call-loss/statistics': { reply: ReturnType<CallLossLog['summary']> & { history: ReturnType<CallLossLog['history']> } };
  'GET /v1/srp/audit-statistics': { reply: AuditStatistics };
  'POST /v1/srp/audit': { body: { withSync?: boolean }; reply: AuditResult & { accepted: true; reasons: [] } };
  'POST /v1/srp/nack': { body: { commandId: number; enabled: boolean }; reply: { commandId: number; enabled: boolean; disabledCommands: number[] } };
  // The session API (replication/sessions.ts, session-lookup.ts)
  'POST /v1/sessions': { body: { ops: SessionOpJson[]; versions?: boolean; ack?: WriteAck }; reply: SessionWriteReply };
  'GET /v1/sessions/summary': { reply: SessionSummary };
  'GET /v1/sessions/:id': { reply: SessionJson };
  'POST /v1/sessions/lookup': { body: { ids: string[] }; reply: { sessions: Array<LookedUp | null> } };
  // Service monitoring (monitors/routes.ts)
  'GET /v1/srp/monitor': { reply: MonitorShow };
  'GET /v1/srp/monitor/:kind': { reply: MonitorShow };
  'POST /v1/srp/reset-auth-probe-fail': { body: Record<string, never>; reply: ResetResult };
  'POST /v1/srp/reset-diameter-fail': { body: Record<string, never>; reply: ResetResult };
  // The simulated hardware (hardware/routes.ts); 404 on a chassis without one
  'GET /v1/redundancy': { reply: ShowRedundancy };
  'GET /v1/redundancy/states': { reply: ShowRedundancyStates };
  'GET /v1/redundancy/clients': { reply: ShowRedundancyClient[] };
  'GET /v1/redundancy/history': { reply: ShowRedundancyHistoryEntry[] };
  'GET /v1/redundancy/counters': { reply: ShowRedundancyCounters };
  'GET /v1/hw/cards': { reply: CardTableRow[] };
  'GET /v1/hw/status': { reply: HardwareStatus };
  'GET /v1/hw/snapshot': { reply: ChassisSnapshot };
  'GET /v1/hw/routing': { reply: RoutingAdvertisement };
  'POST /v1/hw/force-switchover': { body: Record<string, never>; reply: FaultResult };
  'POST /v1/hw/forward': { body: { packets: number; prefix?: string }; reply: { chassisId: string; packets: number; forwarded: number; dropped: number } };
  'POST /v1/hw/traffic/:action': { body: Record<string, never>; reply: HardwareStatus['traffic'] & { stats: TrafficStats } };
  'POST /v1/hw/cards/:slot/crash': { body: Record<string, never>; reply: FaultResult };
  'POST /v1/hw/cards/:slot/hang': { body: Record<string, never>; reply: FaultResult };
  'POST /v1/hw/cards/:slot/remove': { body: Record<string, never>; reply: FaultResult };
  'POST /v1/hw/cards/:slot/insert': { body: Record<string, never>; reply: FaultResult };
  'POST /v1/hw/cards/:slot/crash-linecard': { body: Record<string, never>; reply: FaultResult };
  // Test and bench hooks, mounted only with `debug: true`
  'POST /v1/debug/busy': { body: { ms: number }; reply: { busyMs: number; spins: number } };
  'POST /v1/debug/checkpoint/fail-apply': { body: { count?: number }; reply: { injected: number; note: string } };
  'POST /v1/debug/checkpoint/window': { body: Record<string, never>; reply: WindowFigures };
  'POST /v1/debug/checkpoint/probes': { body: { prefix: string | null }; reply: { prefix: string | null } };
  'GET /v1/debug/checkpoint/probes': { reply: { prefix: string | null; count: number; dropped: number; applied: Record<string, number> } };
  'POST /v1/debug/memory': { body: Record<string, never>; reply: DebugMemory };
}

export interface DebugMemory {
  /** A full GC ran first (srpd runs with --expose-gc). */
  gc: boolean;
  sessions: number;
  memoryUsage: { rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number };
  arena: { slabs: number; bytesInUse: number; bytesFree: number } | null;
}

export type ApiRoute = keyof ApiRoutes;
export type ReplyOf<R extends ApiRoute> = ApiRoutes[R]['reply'];

/** Every route of the contract, for the test that compares it with what srpd mounts. */
export const API_ROUTES = [
  'GET /healthz',
  'GET /metrics',
  'GET /v1/srp/info',
  'GET /v1/srp/statistics',
  'POST /v1/srp/switchover',
  'GET /v1/srp/validate-switchover',
  'POST /v1/srp/validate-configuration',
  'GET /v1/srp/security',
  'POST /v1/srp/security/reload',
  'GET /v1/srp/checkpoint/statistics',
  'GET /v1/srp/call-loss/statistics',
  'GET /v1/srp/audit-statistics',
  'POST /v1/srp/audit',
  'POST /v1/srp/nack',
  'POST /v1/sessions',
  'GET /v1/sessions/summary',
  'GET /v1/sessions/:id',
  'POST /v1/sessions/lookup',
  'GET /v1/srp/monitor',
  'GET /v1/srp/monitor/:kind',
  'POST /v1/srp/reset-auth-probe-fail',
  'POST /v1/srp/reset-diameter-fail',
  'GET /v1/redundancy',
  'GET /v1/redundancy/states',
  'GET /v1/redundancy/clients',
  'GET /v1/redundancy/history',
  'GET /v1/redundancy/counters',
  'GET /v1/hw/cards',
  'GET /v1/hw/status',
  'GET /v1/hw/snapshot',
  'GET /v1/hw/routing',
  'POST /v1/hw/force-switchover',
  'POST /v1/hw/forward',
  'POST /v1/hw/traffic/:action',
  'POST /v1/hw/cards/:slot/crash',
  'POST /v1/hw/cards/:slot/hang',
  'POST /v1/hw/cards/:slot/remove',
  'POST /v1/hw/cards/:slot/insert',
  'POST /v1/hw/cards/:slot/crash-linecard',
  'POST /v1/debug/busy',
  'POST /v1/debug/checkpoint/fail-apply',
  'POST /v1/debug/checkpoint/window',
  'POST /v1/debug/checkpoint/probes',
  'GET /v1/debug/checkpoint/probes',
  'POST /v1/debug/memory',
] as const satisfies readonly ApiRoute[];

// Both ways: a route in the map but not in the list fails to compile here.
type Missing = Exclude<ApiRoute, (typeof API_ROUTES)[number]>;
export const API_ROUTES_COMPLETE: [Missing] extends [never] ? true : Missing = true;
