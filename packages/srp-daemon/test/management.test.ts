import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { SrpEvent } from '../src/api/contract.js';
import { SrpClient } from '../src/client/client.js';
import { Reply, type Route } from '../src/management/router.js';
import { HTTP_LIMITS, startManagementServer, type ManagementServer, type ManagementServerOptions } from '../src/management/server.js';
import { createMetrics } from '../src/metrics.js';
import { FakeDaemon } from './management-fake-daemon.js';

const TOKEN = 's3cret-token-value';

/** The fields these tests read from API answers. */
interface ApiBody {
  error?: string;
  accepted?: boolean;
  reasons?: string[];
  text?: string;
  [k: string]: unknown;
}

function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

const open: ManagementServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function start(
  daemon = new FakeDaemon(),
  opts: Partial<ManagementServerOptions> = {},
): Promise<{ daemon: FakeDaemon; server: ManagementServer; lines: string[] }> {
  const { logger, lines } = captureLogger();
  const server = await startManagementServer(daemon, { listen: '127.0.0.1:0', logger, ...opts });
  open.push(server);
  return { daemon, server, lines };
}

async function call(
  server: ManagementServer,
  method: string,
  path: string,
  init: { body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: ApiBody; headers: Headers }> {
  const res = await fetch(server.url + path, { method, ...init });
  const text = await res.text();
  const json = (res.headers.get('content-type') ?? '').includes('json');
  return { status: res.status, body: json ? (JSON.parse(text) as ApiBody) : { text }, headers: res.headers };
}

const post = (server: ManagementServer, path: string, body: unknown, headers: Record<string, string> = {}) =>
  call(server, 'POST', path, { body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });

describe('listen address', () => {
  it('refuses an address that is not host:port, with the reason and a stable code', async () => {
    const logger = pino({ level: 'silent' });
    for (const [listen, why] of [['7800', /must be host:port/], ['127.0.0.1:99999', /out of range/]] as const) {
      await expect(startManagementServer(new FakeDaemon(), { listen, logger })).rejects.toMatchObject({ code: 'SRP_ERR_MANAGEMENT_CONFIG', message: expect.stringMatching(why) as string });
    }
  });
});

describe('management API routes', () => {
  it('serves info and statistics as JSON', async () => {
    const { server, daemon } = await start();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const info = await call(server, 'GET', '/v1/srp/info');
    expect(info.status).toBe(200);
    expect(info.headers.get('content-type')).toMatch(/application\/json/);
    expect(info.body).toEqual(daemon.info());
    const stats = await call(server, 'GET', '/v1/srp/statistics');
    expect(stats.status).toBe(200);
    expect(stats.body).toEqual(daemon.statistics());
    const health = await call(server, 'GET', '/healthz');
    expect(health).toMatchObject({ status: 200, body: { status: 'ok', state: 'Active' } });
  });

  it('switchover: 200 when accepted, 409 with reasons when refused, force overrides readiness', async () => {
    const { server, daemon } = await start();
    daemon.peerReady = false;
    const check = await call(server, 'GET', '/v1/srp/validate-switchover');
    expect(check.status).toBe(409);
    expect(check.body).toEqual({
      code: 'SRP_ERR_SWITCHOVER_REFUSED',
      error: 'peer is not ready (bulk sync not complete)',
      accepted: false,
      reasons: ['peer is not ready (bulk sync not complete)'],
    });
    const refused = await post(server, '/v1/srp/switchover', { force: false });
    expect(refused.status).toBe(409);
    expect(refused.body.accepted).toBe(false);
    expect(daemon.state).toBe('Active');

    const forced = await post(server, '/v1/srp/switchover', { force: true });
    expect(forced).toMatchObject({ status: 200, body: { accepted: true, reasons: [] } });
    expect(daemon.state).toBe('Standby');
    expect(daemon.statistics().switchovers['manual-force']).toBe(1);

    const again = await call(server, 'POST', '/v1/srp/switchover'); // no body: force defaults to false
    expect(again.status).toBe(409);
    expect(again.body.reasons).toContain('this chassis is Standby, not Active');
  });

  it('validate-switchover is 200 when a switchover would be accepted', async () => {
    const { server } = await start();
    expect(await call(server, 'GET', '/v1/srp/validate-switchover')).toMatchObject({ status: 200, body: { accepted: true } });
  });

  it('validate-configuration: 200 on match, 409 on mismatch or no peer', async () => {
    const { server, daemon } = await start();
    const match = await post(server, '/v1/srp/validate-configuration', {});
    expect(match).toMatchObject({ status: 200, body: { match: true, differingKeys: [] } });
    daemon.peerConfig = { 'hello-interval': '5', 'dead-interval': '10' };
    const mismatch = await call(server, 'POST', '/v1/srp/validate-configuration');
    expect(mismatch).toMatchObject({
      status: 409,
      body: { code: 'SRP_ERR_CONFIG_MISMATCH', error: 'configuration mismatch with peer: hello-interval', match: false, differingKeys: ['hello-interval'] },
    });
    daemon.peerConfig = null;
    expect(await call(server, 'POST', '/v1/srp/validate-configuration')).toMatchObject({ status: 409, body: { code: 'SRP_ERR_NO_PEER', match: null, peerDigest: null } });
  });

  it('serves /metrics from the daemon registry in the Prometheus text format', async () => {
    const daemon = new FakeDaemon();
    createMetrics(daemon, daemon.registry);
    const { server } = await start(daemon);
    const res = await call(server, 'GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.body.text).toContain('srp_chassis_state{state="Active"} 1');
    expect(res.body.text).toContain('# TYPE srp_hellos_sent_total counter');
  });

  it('answers 404 for unknown routes and 405 with Allow for a wrong method', async () => {
    const { server } = await start();
    const missing = await call(server, 'GET', '/v1/srp/nope');
    expect(missing).toMatchObject({ status: 404, body: { code: 'SRP_ERR_NOT_FOUND', error: 'no such route: GET /v1/srp/nope' } });
    const wrong = await call(server, 'DELETE', '/v1/srp/info');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
    expect(wrong.body.code).toBe('SRP_ERR_METHOD_NOT_ALLOWED');
    expect(wrong.body.error).toMatch(/method DELETE not allowed on \/v1\/srp\/info/);
    expect((await call(server, 'GET', '/v1/srp/switchover')).status).toBe(405);
    expect(await call(server, 'GET', '/v1/events')).toMatchObject({ status: 426, body: { code: 'SRP_ERR_UPGRADE_REQUIRED' } });
  });

  it('answers 400 naming what is wrong with a body, 415 for non-JSON, 413 past the limit', async () => {
    const { server, daemon } = await start(new FakeDaemon(), { bodyLimitBytes: 1024 });
    const bad = await call(server, 'POST', '/v1/srp/switchover', { body: '{"force": tru', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('SRP_ERR_BAD_REQUEST');
    expect(bad.body.error).toMatch(/^request body is not valid JSON: /);
    const notBool = await post(server, '/v1/srp/switchover', { force: 'yes' });
    expect(notBool).toMatchObject({ status: 400, body: { error: '"force" must be a boolean, got "yes"' } });
    const typo = await post(server, '/v1/srp/switchover', { forse: true });
    expect(typo.status).toBe(400);
    expect(typo.body.error).toMatch(/unknown field in request body: forse/);
    const arr = await post(server, '/v1/srp/switchover', [true]);
    expect(arr).toMatchObject({ status: 400, body: { error: 'request body must be a JSON object' } });
    const text = await call(server, 'POST', '/v1/srp/switchover', { body: 'force', headers: { 'content-type': 'text/plain' } });
    expect(text).toMatchObject({ status: 415, body: { code: 'SRP_ERR_UNSUPPORTED_MEDIA_TYPE' } });
    const big = await post(server, '/v1/srp/switchover', { force: false, pad: 'x'.repeat(2000) });
    expect(big).toMatchObject({ status: 413, body: { code: 'SRP_ERR_TOO_LARGE' } });
    expect(big.body.error).toMatch(/exceeds the limit of 1024 bytes/);
    expect(daemon.state).toBe('Active');
    // The server is still fine afterwards.
    expect((await call(server, 'GET', '/v1/srp/info')).status).toBe(200);
  });

  it('reads a body that arrives in pieces, with a character split between two of them', async () => {
    const seen: unknown[] = [];
    const extraRoutes: Route[] = [{ method: 'POST', path: '/v1/echo', handler: ({ body }) => (seen.push(body), body) }];
    const { server } = await start(new FakeDaemon(), { extraRoutes });
    const bytes = Buffer.from(JSON.stringify({ apn: 'ims', cell: 'Zürich-€-𝄞', pad: 'x'.repeat(3000) }), 'utf8');
    const cut = bytes.indexOf(Buffer.from('€')) + 1; // inside the 3-byte character
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}/v1/echo`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': bytes.length } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(bytes.subarray(0, cut));
      // A pause so that the two halves reach the server as separate reads.
      setTimeout(() => req.end(bytes.subarray(cut)), 100);
    });
    expect(status).toBe(200);
    expect(seen).toEqual([{ apn: 'ims', cell: 'Zürich-€-𝄞', pad: 'x'.repeat(3000) }]);
  });

  it('answers 500 with the error message and code when the daemon throws', async () => {
    const { server, daemon, lines } = await start();
    daemon.failInfo = Object.assign(new Error('state machine not started'), { code: 'SRP_ERR_NOT_STARTED' });
    const res = await call(server, 'GET', '/v1/srp/info');
    expect(res).toMatchObject({ status: 500, body: { error: 'state machine not started', code: 'SRP_ERR_NOT_STARTED' } });
    expect(lines.some((l) => l.includes('management request failed'))).toBe(true);
    daemon.failInfo = new TypeError('a bug');
    expect(await call(server, 'GET', '/v1/srp/info')).toMatchObject({ status: 500, body: { error: 'a bug', code: 'SRP_ERR_INTERNAL' } });
  });

  it('takes extra routes with :params, and they follow the same auth rules', async () => {
    const seen: unknown[] = [];
    const extraRoutes: Route[] = [
      { method: 'GET', path: '/v1/sessions/:id', handler: ({ params }) => ({ id: params.id }) },
      {
        method: 'POST',
        path: '/v1/sessions',
        handler: ({ body }) => {
          seen.push(body);
          return Reply.json(201, { created: 1 });
        },
      },
    ];
    const { server } = await start(new FakeDaemon(), { token: TOKEN, extraRoutes });
    expect(await call(server, 'GET', '/v1/sessions/a%2Fb')).toMatchObject({ status: 200, body: { id: 'a/b' } });
    expect((await post(server, '/v1/sessions', { ops: [] })).status).toBe(401);
    expect(await post(server, '/v1/sessions', { ops: [1] }, { authorization: `Bearer ${TOKEN}` })).toMatchObject({
      status: 201,
      body: { created: 1 },
    });
    expect(seen).toEqual([{ ops: [1] }]);
    await expect(startManagementServer(new FakeDaemon(), {
      listen: '127.0.0.1:0',
      logger: pino({ level: 'silent' }),
      extraRoutes: [{ method: 'GET', path: '/v1/srp/info', handler: () => null }],
    })).rejects.toThrow(/duplicate route GET \/v1\/srp\/info/);
  });
});

describe('management API security', () => {
  it('on loopback without a token, mutating calls need no Authorization', async () => {
    const { server, daemon } = await start();
    expect((await post(server, '/v1/srp/switchover', { force: false })).status).toBe(200);
    expect(daemon.state).toBe('Standby');
  });

  it('with a token, POST needs the right bearer token (401 otherwise); GET stays open; the token is never logged', async () => {
    const { server, daemon, lines } = await start(new FakeDaemon(), { token: TOKEN });
    const none = await post(server, '/v1/srp/switchover', { force: false });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(none.body.error).toMatch(/Authorization: Bearer/);
    const wrong = await post(server, '/v1/srp/switchover', { force: false }, { authorization: 'Bearer nope' });
    expect(wrong).toMatchObject({ status: 401, body: { code: 'SRP_ERR_UNAUTHORIZED', error: 'invalid bearer token' } });
    expect((await post(server, '/v1/srp/validate-configuration', {}, { authorization: `Basic ${TOKEN}` })).status).toBe(401);
    expect(daemon.state).toBe('Active');
    expect((await call(server, 'GET', '/v1/srp/info')).status).toBe(200);
    const ok = await post(server, '/v1/srp/switchover', { force: false }, { authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(daemon.state).toBe('Standby');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('refuses to start on a non-loopback address without a token, and starts there with one', async () => {
    const logger = pino({ level: 'silent' });
    await expect(startManagementServer(new FakeDaemon(), { listen: '0.0.0.0:0', logger })).rejects.toThrow(
      /refusing to serve the management API on non-loopback address 0\.0\.0\.0:0 without a token/,
    );
    await expect(startManagementServer(new FakeDaemon(), { listen: '127.0.0.1:0', logger, token: '' })).rejects.toThrow(/token is empty/);
    const { server } = await start(new FakeDaemon(), { listen: '0.0.0.0:0', token: TOKEN });
    const port = new URL(server.url).port;
    const res = await fetch(`http://127.0.0.1:${port}/v1/srp/switchover`, { method: 'POST' });
    expect(res.status).toBe(401);
    await res.text();
  });

  it('off loopback, reads, /metrics, extra routes and the event stream need the token too; /healthz stays up', async () => {
    const sessions: Route = { method: 'GET', path: '/v1/sessions/:id', handler: ({ params }) => ({ id: params.id }) };
    const { server, daemon } = await start(new FakeDaemon(), { listen: '0.0.0.0:0', token: TOKEN, extraRoutes: [sessions] });
    const base = `http://127.0.0.1:${new URL(server.url).port}`;
    const auth = { authorization: `Bearer ${TOKEN}` };
    for (const path of ['/v1/srp/info', '/v1/srp/statistics', '/metrics', '/v1/sessions/imsi-1']) {
      const res = await fetch(base + path);
      expect([path, res.status]).toEqual([path, 401]);
      await res.text();
      const ok = await fetch(base + path, { headers: auth });
      expect([path, ok.status]).toEqual([path, 200]);
      await ok.text();
    }
    const health = await fetch(`${base}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok' }); // no state without the token
    expect(await (await fetch(`${base}/healthz`, { headers: auth })).json()).toEqual({ status: 'ok', state: 'Active' });
    const ws = `ws://127.0.0.1:${new URL(server.url).port}/v1/events`;
    await expect(connect(ws)).rejects.toThrow(/401/);
    const client = new SrpClient(base, { token: TOKEN, timeoutMs: 2000 });
    let opened: () => void = () => undefined;
    const streamOpen = new Promise<void>((r) => (opened = r));
    const followed = client.followEvents({ onEvent: () => undefined, onOpen: () => opened(), count: 1 });
    await streamOpen;
    for (let i = 0; i < 100 && daemon.listenerCount() === 0; i++) await new Promise((r) => setTimeout(r, 10));
    daemon.emit({ type: 'link', at: new Date().toISOString(), status: 'down', remote: '127.0.0.1:1', cause: 'test' });
    expect((await followed).received).toBe(1);
    const metrics = await (await fetch(`${base}/metrics`, { headers: auth })).text();
    expect(metrics).toMatch(/srp_management_refused_requests_total\{reason="unauthorized"\} [5-9]/);
  });

  it('serves at most HTTP_LIMITS.eventClients event-stream clients; one more is answered 503 and counted', async () => {
    const { server } = await start();
    const url = `${server.url.replace('http', 'ws')}/v1/events`;
    const clients = await Promise.all(Array.from({ length: HTTP_LIMITS.eventClients }, () => connect(url)));
    await expect(connect(url)).rejects.toThrow(/503/);
    for (const c of clients) c.close();
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('srp_management_refused_requests_total{reason="too-many-event-clients"} 1');
  });

  it('management.open-reads opens the reads off loopback, never the writes', async () => {
    const { server } = await start(new FakeDaemon(), { listen: '0.0.0.0:0', token: TOKEN, openReads: true });
    const base = `http://127.0.0.1:${new URL(server.url).port}`;
    const info = await fetch(`${base}/v1/srp/info`);
    expect(info.status).toBe(200);
    await info.text();
    const ws = await connect(`ws://127.0.0.1:${new URL(server.url).port}/v1/events`);
    ws.close();
    const write = await fetch(`${base}/v1/srp/switchover`, { method: 'POST' });
    expect(write.status).toBe(401);
    await write.text();
  });
});

function nextMessages(ws: WebSocket, n: number): Promise<SrpEvent[]> {
  return new Promise((resolve, reject) => {
    const got: SrpEvent[] = [];
    const timer = setTimeout(() => reject(new Error(`timed out after ${got.length}/${n} messages`)), 10_000);
    ws.on('message', (data: Buffer) => {
      got.push(JSON.parse(data.toString()) as SrpEvent);
      if (got.length === n) {
        clearTimeout(timer);
        resolve(got);
      }
    });
  });
}

function connect(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

describe('WebSocket event stream', () => {
  it('sends every event as one JSON message with at and cause, and unsubscribes on close', async () => {
    const { server, daemon } = await start();
    const ws = await connect(`${server.url.replace('http', 'ws')}/v1/events`);
    const messages = nextMessages(ws, 3);
    await post(server, '/v1/srp/switchover', { force: false });
    const events = await messages;
    expect(events.map((e) => e.type)).toEqual(['state-change', 'state-change', 'switchover']);
    expect(events[0]).toMatchObject({ from: 'Active', to: 'Pending-Standby', cause: 'manual' });
    expect(events[2]).toMatchObject({ reason: 'manual', from: 'Active', to: 'Standby' });
    for (const e of events) {
      expect(Number.isNaN(Date.parse(e.at))).toBe(false);
      expect(typeof e.cause).toBe('string');
    }
    expect(daemon.listenerCount()).toBe(1);
    const closed = new Promise((r) => ws.once('close', r));
    ws.close();
    await closed;
    for (let i = 0; i < 50 && daemon.listenerCount() > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(daemon.listenerCount()).toBe(0);
  });

  it('filters by ?type= and works through SrpClient.followEvents', async () => {
    const { server, daemon } = await start();
    const client = new SrpClient(server.url);
    const got: SrpEvent[] = [];
    const done = client.followEvents({ types: ['switchover', 'link'], count: 2, onEvent: (e) => got.push(e) });
    for (let i = 0; i < 100 && daemon.listenerCount() === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await post(server, '/v1/srp/switchover', { force: false });
    daemon.emit({ type: 'link', at: new Date().toISOString(), status: 'down', remote: '127.0.0.1:9101', cause: 'peer closed' });
    expect(await done).toEqual({ received: 2, closedByServer: false });
    expect(got.map((e) => e.type)).toEqual(['switchover', 'link']);
  });

  it('rejects upgrades elsewhere, and close() ends connected clients', async () => {
    const { server } = await start();
    await expect(connect(`${server.url.replace('http', 'ws')}/v1/other`)).rejects.toThrow();
    const ws = await connect(`${server.url.replace('http', 'ws')}/v1/events`);
    const code = new Promise<number>((r) => ws.once('close', (c: number) => r(c)));
    await open.splice(open.indexOf(server), 1)[0].close();
    expect(await code).toBe(1001);
  });
});
