// Who may call the management API, and the limits of its HTTP server.
//
//   listen      token      reads (GET, /metrics, /v1/events)      writes (POST ...)
//   loopback    none       open                                     open
//   loopback    set        open                                     token
//   elsewhere   required   token (open with management.open-reads) token
//
// /healthz answers everyone (liveness probes), with the chassis state only for a caller who may
// read. Refusals are counted in srp_management_refused_requests_total{reason}.
import type { IncomingMessage, Server } from 'node:http';
import { Counter, type Registry } from 'prom-client';
import { makeTokenCheck } from './auth.js';
import { DEFAULT_BODY_LIMIT_BYTES } from './body.js';
import { HttpError } from './router.js';

/** The limits stated in the README (HTTP API). */
export const HTTP_LIMITS = {
  /** Connections open at once; more are closed as they arrive. */
  maxConnections: 256,
  /** A request's headers must arrive within this. */
  headersTimeoutMs: 10_000,
  /** A whole request (headers and body) must arrive within this. */
  requestTimeoutMs: 60_000,
  /** An idle kept-alive connection is closed after this. */
  keepAliveTimeoutMs: 5_000,
  /** Request headers, in all (Node's default, stated here). */
  maxHeaderBytes: 16 * 1024,
  bodyBytes: DEFAULT_BODY_LIMIT_BYTES,
  /** WebSocket clients of /v1/events at once. */
  eventClients: 32,
} as const;

export type ManagementRefusal = 'unauthorized' | 'too-many-connections' | 'too-many-event-clients';

export interface AccessPolicy {
  /** The request may read (GET routes, the event stream). */
  mayRead(req: IncomingMessage): boolean;
  /** A 401 when the request may not make this call, else null (counted when refused). */
  check(req: IncomingMessage, mutating: boolean): HttpError | null;
  refused(reason: ManagementRefusal): void;
  describe(): { readsNeedToken: boolean; writesNeedToken: boolean };
}

const REFUSED = 'srp_management_refused_requests_total';

export function accessPolicy(opts: { token: string | undefined; loopback: boolean; openReads: boolean; registry: Registry }): AccessPolicy {
  const checkToken = makeTokenCheck(opts.token);
  const readsNeedToken = !opts.loopback && !opts.openReads;
  const writesNeedToken = opts.token !== undefined || !opts.loopback;
  const counter =
    (opts.registry.getSingleMetric(REFUSED) as Counter<'reason'> | undefined) ??
    new Counter({ name: REFUSED, help: 'Management API requests refused, by reason', labelNames: ['reason'], registers: [opts.registry] });
  const refused = (reason: ManagementRefusal): void => counter.inc({ reason });
  return {
    mayRead: (req) => !readsNeedToken || checkToken(req) === 'ok',
    check(req, mutating) {
      if (!(mutating ? writesNeedToken : readsNeedToken)) return null;
      const outcome = checkToken(req);
      if (outcome === 'ok') return null;
      refused('unauthorized');
      return new HttpError(401, outcome === 'missing' ? 'this call needs "Authorization: Bearer <token>"' : 'invalid bearer token', {
        'www-authenticate': 'Bearer realm="srpd"',
      });
    },
    refused,
    describe: () => ({ readsNeedToken, writesNeedToken }),
  };
}

export function applyServerLimits(server: Server, access: AccessPolicy): void {
  server.maxConnections = HTTP_LIMITS.maxConnections;
  server.headersTimeout = HTTP_LIMITS.headersTimeoutMs;
  server.requestTimeout = HTTP_LIMITS.requestTimeoutMs;
  server.keepAliveTimeout = HTTP_LIMITS.keepAliveTimeoutMs;
  server.on('drop', () => access.refused('too-many-connections'));
}
