// @srp-ha/srp-daemon/client: the client of srpd's management API and its contract (every
// route's request and answer, the error body and its codes, the event stream's events).
// Imports nothing that runs inside srpd: node:http, ws, and types.
export { SrpClient, ApiError, JsonText, type ApiClientErrorCode, type ApiReply, type CallOptions, type SrpClientOptions, type SwitchoverReply } from './client.js';
export type { FollowEventsOptions, FollowEventsResult } from '../management/events.js';
export { API_ROUTES, type ApiRoute, type ApiRoutes, type ReplyOf, type SessionOpJson, type SessionWriteReply, type SessionWriteErrors, type SessionJson, type SessionSummary, type DebugMemory } from './routes.js';
export type { ApiErrorBody, ApiErrorCode } from '../management/errors.js';
export { DEFAULT_API_URL, DEFAULT_MANAGEMENT_PORT } from '../management/address.js';
// The Node options a program that starts srpd passes before its script.
export { SRPD_NODE_ARGS, missingNodeArgs } from '../util/node-args.js';
// Where srpd's Hello path may run (liveness.hello-path), for programs that write its config.
export { HELLO_PATHS, type HelloPath } from '../config/liveness.js';
export type {
  ChassisModeName,
  ChassisStateName,
  ConfigValidationResult,
  LivenessInfo,
  PeerInfo,
  SrpEvent,
  SrpInfo,
  SrpStatistics,
  SwitchoverReason,
  SwitchoverRecord,
  SwitchoverResult,
} from '../api/contract.js';
export type { FaultResult, HardwareStatus, RoutingAdvertisement } from '../hardware/api.js';
export type { SecurityInfo, SecurityReload } from '../link/security.js';
export type { MonitorShow } from '../monitors/plane.js';
export type { ResetResult } from '../monitors/routes.js';
export type { CheckpointStatisticsReply } from '../replication/routes.js';
export type { LookedUp } from '../replication/session-lookup.js';
export type { WindowFigures } from '../replication/window.js';
