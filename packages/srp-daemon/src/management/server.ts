// The management HTTP server: the SRP routes, /healthz, /metrics, the WebSocket event stream,
// and whatever `extraRoutes` the caller adds. node:http only; see router.ts for the table.
//
// Who may call what (access.ts): on loopback without a token, everything is open; with a
// token, mutating calls need it; off loopback a token is required and every call needs it,
// reads, the session API and the event stream included, unless `openReads` opens the reads.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { formatHostPort, isLoopbackHost, parseHostPort } from '@srp-ha/common';
import type { ManagedDaemon } from '../api/contract.js';
import { accessPolicy, applyServerLimits, HTTP_LIMITS } from './access.js';
import { DEFAULT_BODY_LIMIT_BYTES, readJsonBody } from './body.js';
import { createEventStream, EVENTS_PATH } from './events.js';
import { srpRoutes } from './routes.js';
import { HttpError, isMutating, Reply, Router, type Route } from './router.js';
export { HTTP_LIMITS } from './access.js';

export interface ManagementServerOptions {
  /** "host:port"; port may be 0 (the real one is in the returned url). */
  listen: string;
  /** Bearer token for mutating calls; required when `listen` is not a loopback address. */
  token?: string;
  logger: Logger;
  /** More routes (sessions API, checkpoint statistics, hw, ...), one entry each. */
  extraRoutes?: Route[];
  /** Request body limit; default 16 MiB. */
  bodyLimitBytes?: number;
  /** Off loopback, serve GET routes, /metrics and the event stream without the token. */
  openReads?: boolean;
}

export interface ManagementServer {
  url: string;
  close(): Promise<void>;
}

export class ManagementConfigError extends Error {
  override readonly name = 'ManagementConfigError';
  readonly code = 'SRP_ERR_MANAGEMENT_CONFIG';
}

export async function startManagementServer(daemon: ManagedDaemon, opts: ManagementServerOptions): Promise<ManagementServer> {
  const listen = parseHostPort(opts.listen, { allowZero: true });
  if (typeof listen === 'string') throw new ManagementConfigError(`management listen address ${listen}`);
  const { host, port } = listen;
  const loopback = isLoopbackHost(host);
  if (opts.token !== undefined && opts.token.length === 0) {
    throw new ManagementConfigError('management token is empty; set a non-empty token or leave it unset');
  }
  if (!loopback && opts.token === undefined) {
    throw new ManagementConfigError(
      `refusing to serve the management API on non-loopback address ${formatHostPort(listen)} without a token: ` +
        'configure management.token (or listen on 127.0.0.1)',
    );
  }
  const logger = opts.logger.child({ component: 'management' });
  const access = accessPolicy({ token: opts.token, loopback, openReads: opts.openReads ?? false, registry: daemon.registry });
  const bodyLimit = opts.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;

  const router = new Router([
    ...srpRoutes,
    {
      method: 'GET',
      path: '/healthz',
      // Open to liveness probes; the state only to callers who may read.
      public: true,
      handler: ({ daemon: d, req }) => (access.mayRead(req) ? { status: 'ok', state: d.info().state } : { status: 'ok' }),
    },
    {
      method: 'GET',
      path: '/metrics',
      handler: async ({ daemon: d }) => Reply.text(200, await d.registry.metrics(), d.registry.contentType),
    },
    ...(opts.extraRoutes ?? []),
  ]);
  const events = createEventStream(daemon, logger.child({ component: 'events' }), HTTP_LIMITS.eventClients, () =>
    access.refused('too-many-event-clients'),
  );

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? '/', 'http://management.invalid');
    let reply: Reply;
    try {
      reply = await dispatch(req, url);
    } catch (err) {
      reply = errorReply(err, req, url);
    }
    if (!res.headersSent) {
      res.writeHead(reply.status, { 'content-type': reply.contentType, 'cache-control': 'no-store', ...reply.headers });
    }
    res.end(reply.payload);
    // Path only: never headers (the token) nor the query string.
    logger.debug(
      { method: req.method, path: url.pathname, status: reply.status, ms: Number(process.hrtime.bigint() - started) / 1e6 },
      'request',
    );
  }

  async function dispatch(req: IncomingMessage, url: URL): Promise<Reply> {
    const method = req.method ?? 'GET';
    if (url.pathname === EVENTS_PATH) {
      req.resume();
      throw new HttpError(426, `${EVENTS_PATH} is a WebSocket endpoint; connect with a WebSocket client`, { upgrade: 'websocket' });
    }
    const found = router.match(method, url.pathname);
    if (found.kind === 'not-found') {
      req.resume();
      throw new HttpError(404, `no such route: ${method} ${url.pathname}`);
    }
    if (found.kind === 'wrong-method') {
      req.resume();
      throw new HttpError(405, `method ${method} not allowed on ${url.pathname} (allowed: ${found.allow.join(', ')})`, {
        allow: found.allow.join(', '),
      });
    }
    const { route, params } = found;
    if (route.public !== true) {
      const refusal = access.check(req, isMutating(route));
      if (refusal) {
        req.resume();
        throw refusal;
      }
    }
    let body: unknown;
    if (method === 'GET') req.resume();
    else body = await readJsonBody(req, bodyLimit);
    const result = await route.handler({ daemon, req, url, params, body, logger });
    return result instanceof Reply ? result : Reply.json(200, result ?? null);
  }

  function errorReply(err: unknown, req: IncomingMessage, url: URL): Reply {
    if (err instanceof HttpError) return Reply.json(err.status, { ...(err.code ? { code: err.code } : {}), error: err.message }, err.headers);
    const e = err as { message?: unknown; code?: unknown };
    logger.error({ method: req.method, path: url.pathname, err }, 'management request failed');
    // The failing package's code when it has one (a CheckpointError's, a HwSimError's).
    return Reply.json(500, { ...(typeof e?.code === 'string' ? { code: e.code } : {}), error: typeof e?.message === 'string' ? e.message : String(err) });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      logger.error({ err }, 'management response failed');
      res.destroy();
    });
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://management.invalid');
    if (url.pathname !== EVENTS_PATH || (req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const refusal = access.check(req, false);
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal.status} Unauthorized\r\nconnection: close\r\nwww-authenticate: Bearer realm="srpd"\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    events.handleUpgrade(req, socket, head, url);
  });
  applyServerLimits(server, access);

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (err) => logger.error({ err }, 'management server error'));

  const addr = server.address() as AddressInfo;
  const url = `http://${formatHostPort({ host, port: addr.port })}`;
  logger.info({ url, access: access.describe(), routes: router.routes().length }, 'management API listening');

  let closing: Promise<void> | null = null;
  return {
    url,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        await events.close();
        server.closeIdleConnections();
        server.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
}
