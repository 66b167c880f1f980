// The one client of srpd's management API: srpctl, the lab, the chaos suite, the benches and
// the tests all call srpd through it. JSON over node:http on kept-alive connections (fetch cost
// the bench driver about 1.1 ms more CPU per call of 1000 ops), a deadline on every call (a
// SIGSTOPped srpd shows up as unreachable instead of hanging the caller), the bearer token, the
// error body's `code` surfaced as ApiError.code, and the event stream over WebSocket.
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import type { ConfigValidationResult, SrpInfo, SrpStatistics, SwitchoverResult } from '../api/contract.js';
import type { CommandClient } from '../management/commands.js';
import type { FollowEventsOptions, FollowEventsResult } from '../management/events.js';
import { followEvents } from './events.js';
import type { ApiRoute, ApiRoutes, ReplyOf } from './routes.js';

/** Failures of the client itself; an answer of srpd's carries srpd's code (errors.ts). */
export type ApiClientErrorCode = 'SRP_ERR_API_UNREACHABLE' | 'SRP_ERR_API_BAD_REPLY';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** An ApiClientErrorCode, or the `code` of srpd's error body (SRP_ERR_NOT_FOUND, HW_ERR_..., ...). */
    readonly code: string,
    message: string,
    /** The HTTP status; null when srpd did not answer. */
    readonly status: number | null,
    /** srpd's answer (its error body), when there is one. */
    readonly body: unknown = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An answer of any status: the parsed JSON (or the text when it is not JSON) and the text. */
export interface ApiReply<T = unknown> {
  status: number;
  body: T;
  text: string;
}

/** A request body already serialised as JSON (the benches build theirs ahead of time). */
export class JsonText {
  constructor(readonly text: string) {}
}

export interface SrpClientOptions {
  /** Bearer token, sent on every call (and on the event stream's upgrade). */
  token?: string | undefined;
  /** Deadline of each call, connection included; default 10 s. */
  timeoutMs?: number;
  /** Connections kept at once (calls beyond wait for one); default: no limit. */
  maxSockets?: number;
}

export interface CallOptions<R extends ApiRoute> {
  /** Values of the route's `:name` segments. */
  params?: Record<string, string | number>;
  query?: Record<string, string>;
  body?: ApiRoutes[R] extends { body: infer B } ? B | JsonText : never;
  timeoutMs?: number;
}

/** A switchover's answer, accepted or refused (409), never thrown. */
export interface SwitchoverReply extends SwitchoverResult {
  status: number;
}

const RETRYABLE = new Set(['ECONNRESET', 'EPIPE']);

function detail(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown };
  return typeof e?.code === 'string' ? e.code : typeof e?.message === 'string' ? e.message : String(err);
}

export class SrpClient implements CommandClient {
  readonly baseUrl: string;
  readonly token: string | undefined;
  readonly timeoutMs: number;
  private readonly agent: Agent;

  constructor(baseUrl: string, opts: SrpClientOptions = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.token = opts.token;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.agent = new Agent({ keepAlive: true, ...(opts.maxSockets !== undefined ? { maxSockets: opts.maxSockets } : {}) });
  }

  /** One call, whatever the status; throws ApiError SRP_ERR_API_UNREACHABLE only when srpd does not answer. */
  async request<T = unknown>(method: string, path: string, body?: unknown, timeoutMs = this.timeoutMs): Promise<ApiReply<T>> {
    const payload = body === undefined ? undefined : body instanceof JsonText ? body.text : JSON.stringify(body);
    try {
      return await this.send<T>(method, path, payload, timeoutMs);
    } catch (err) {
      throw new ApiError('SRP_ERR_API_UNREACHABLE', `cannot reach srpd at ${this.baseUrl}: ${detail(err)}`, null, null, { cause: err });
    }
  }

  /** A call that must answer 2xx with JSON; otherwise ApiError with srpd's code. */
  async json<T>(method: string, path: string, body?: unknown, timeoutMs?: number): Promise<T> {
    return this.expect<T>(await this.request<T>(method, path, body, timeoutMs), method, path, true);
  }

  /** A GET of a route this srpd may not offer: null on 404 or 405. */
  async optional<T>(path: string, timeoutMs?: number): Promise<T | null> {
    const r = await this.request<T>('GET', path, undefined, timeoutMs);
    return r.status === 404 || r.status === 405 ? null : this.expect(r, 'GET', path, true);
  }

  /** A route of the contract (routes.ts), typed by it: 2xx or ApiError. */
  async call<R extends ApiRoute>(route: R, opts: CallOptions<R> = {}): Promise<ReplyOf<R>> {
    const [method, pattern] = route.split(' ') as [string, string];
    const path = pattern.replace(/:([a-z]+)/gi, (_m, name: string) => {
      const v = opts.params?.[name];
      if (v === undefined) throw new TypeError(`${route}: no value for :${name}`);
      return encodeURIComponent(String(v));
    });
    const query = opts.query ? `?${new URLSearchParams(opts.query).toString()}` : '';
    const r = await this.request<ReplyOf<R>>(method, path + query, opts.body, opts.timeoutMs);
    return this.expect(r, method, path, route !== 'GET /metrics');
  }

  info(timeoutMs?: number): Promise<SrpInfo> {
    return this.call('GET /v1/srp/info', timeoutMs === undefined ? {} : { timeoutMs });
  }

  statistics(): Promise<SrpStatistics> {
    return this.call('GET /v1/srp/statistics');
  }

  /** Accepted (200) or refused (409, with the reasons): both answered, not thrown. */
  async switchover(force = false, timeoutMs = 30_000): Promise<SwitchoverReply> {
    const r = await this.request<Partial<SwitchoverResult> & { error?: string }>('POST', '/v1/srp/switchover', { force }, timeoutMs);
    const b = typeof r.body === 'object' && r.body !== null ? r.body : {};
    const reasons = b.reasons ?? (b.error !== undefined ? [b.error] : r.status === 200 ? [] : [r.text.slice(0, 200)]);
    return { status: r.status, accepted: b.accepted === true, reasons };
  }

  /** 200 when both configurations match, 409 otherwise: both answered, not thrown. */
  async validateConfiguration(): Promise<ConfigValidationResult> {
    const r = await this.request<ConfigValidationResult>('POST', '/v1/srp/validate-configuration', {});
    return r.status === 200 || r.status === 409 ? r.body : this.expect(r, 'POST', '/v1/srp/validate-configuration', true);
  }

  metricsText(): Promise<string> {
    return this.call('GET /metrics');
  }

  /** Follows /v1/events until `count` events, `signal`, or srpd closes it (events.ts). */
  followEvents(opts: FollowEventsOptions): Promise<FollowEventsResult> {
    return followEvents(this.baseUrl, this.token, this.timeoutMs, opts).catch((err: unknown) => {
      throw new ApiError('SRP_ERR_API_UNREACHABLE', `cannot reach srpd at ${this.baseUrl}: ${detail(err)}`, null, null, { cause: err });
    });
  }

  /** Closes the kept-alive connections (idle ones never keep the process alive anyway). */
  close(): void {
    this.agent.destroy();
  }

  private expect<T>(r: ApiReply<T>, method: string, path: string, wantJson: boolean): T {
    if (r.status >= 200 && r.status < 300) {
      if (wantJson && typeof r.body === 'string' && r.text !== '') {
        throw new ApiError('SRP_ERR_API_BAD_REPLY', `${method} ${this.baseUrl}${path}: HTTP ${r.status} is not JSON: ${r.text.slice(0, 200)}`, r.status, r.body);
      }
      return r.body;
    }
    const b = (typeof r.body === 'object' && r.body !== null ? r.body : {}) as { code?: unknown; error?: unknown };
    const code = typeof b.code === 'string' ? b.code : 'SRP_ERR_API_BAD_REPLY';
    const why = typeof b.error === 'string' ? b.error : r.text.slice(0, 200);
    throw new ApiError(code, `${method} ${this.baseUrl}${path}: HTTP ${r.status} ${code}: ${why}`, r.status, r.body);
  }

  private send<T>(method: string, path: string, payload: string | undefined, timeoutMs: number, retried = false): Promise<ApiReply<T>> {
    const headers: Record<string, string | number> = { accept: 'application/json' };
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    return new Promise((resolve, reject) => {
      const req = httpRequest(this.baseUrl + path, { method, headers, agent: this.agent }, (res) => {
        collect(res).then((text) => resolve({ status: res.statusCode ?? 0, body: parse<T>(res, text), text }), reject);
      });
      const deadline = setTimeout(() => req.destroy(Object.assign(new Error('timed out'), { code: 'timed out' })), timeoutMs);
      req.on('close', () => clearTimeout(deadline));
      req.on('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(deadline);
        // A kept-alive connection srpd closed as we reused it: a read is safe to send again.
        if (!retried && req.reusedSocket && method === 'GET' && RETRYABLE.has(err.code ?? '')) {
          this.send<T>(method, path, payload, timeoutMs, true).then(resolve, reject);
        } else reject(err);
      });
      req.end(payload);
    });
  }
}

function collect(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('error', reject);
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function parse<T>(res: IncomingMessage, text: string): T {
  if (text === '' || !(res.headers['content-type'] ?? '').includes('json')) return text as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    return text as T;
  }
}
