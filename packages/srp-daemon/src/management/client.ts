// HTTP and WebSocket client of the management API, used by srpctl (and handy in tests).
import WebSocket from 'ws';
import type { SrpEvent } from '../contract.js';

export class ApiUnreachableError extends Error {
  override readonly name = 'ApiUnreachableError';
  readonly code = 'SRP_ERR_API_UNREACHABLE';
  constructor(
    readonly url: string,
    detail: string,
    options?: { cause: unknown },
  ) {
    super(`cannot reach srpd at ${url}: ${detail}`, options);
  }
}

export interface ApiResponse {
  status: number;
  body: unknown;
}

export interface ApiClientOptions {
  baseUrl: string;
  token?: string | undefined;
  timeoutMs?: number;
}

function describe(err: unknown): string {
  const e = err as { cause?: { code?: string; message?: string }; message?: string; name?: string };
  if (e?.name === 'TimeoutError') return 'timed out';
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
}

export class ApiClient {
  readonly baseUrl: string;
  private readonly token: string | undefined;
  private readonly timeoutMs: number;

  constructor(opts: ApiClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.token = opts.token;
    this.timeoutMs = opts.timeoutMs ?? 60_000;
  }

  async request(method: string, path: string, body?: unknown): Promise<ApiResponse> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    let text: string;
    try {
      res = await fetch(this.baseUrl + path, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      throw new ApiUnreachableError(this.baseUrl, describe(err), { cause: err });
    }
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text !== '') {
      try {
        parsed = JSON.parse(text) as unknown;
      } catch {
        parsed = text;
      }
    }
    return { status: res.status, body: parsed };
  }

  /**
   * Follows the event stream. Resolves when the stream ends: after `count` events, when
   * `signal` aborts, or when srpd closes it (`closedByServer`). Rejects with
   * ApiUnreachableError if the connection cannot be opened.
   */
  followEvents(opts: {
    onEvent: (event: SrpEvent, raw: string) => void;
    count?: number | undefined;
    types?: string[] | undefined;
    signal?: AbortSignal | undefined;
  }): Promise<{ received: number; closedByServer: boolean }> {
    const url = new URL(`${this.baseUrl.replace(/^http/, 'ws')}/v1/events`);
    if (opts.types && opts.types.length > 0) url.searchParams.set('type', opts.types.join(','));
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = this.token !== undefined ? { authorization: `Bearer ${this.token}` } : {};
      const ws = new WebSocket(url, { handshakeTimeout: this.timeoutMs, headers });
      let opened = false;
      let received = 0;
      let done = false;
      const finish = (closedByServer: boolean): void => {
        if (done) return;
        done = true;
        opts.signal?.removeEventListener('abort', onAbort);
        resolve({ received, closedByServer });
      };
      const onAbort = (): void => {
        ws.close(1000);
        finish(false);
      };
      if (opts.signal?.aborted) {
        ws.terminate();
        finish(false);
        return;
      }
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      ws.on('open', () => {
        opened = true;
      });
      ws.on('message', (data: WebSocket.RawData) => {
        if (done) return;
        const raw = (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer)).toString('utf8');
        let event: SrpEvent;
        try {
          event = JSON.parse(raw) as SrpEvent;
        } catch {
          return;
        }
        received++;
        opts.onEvent(event, raw);
        if (opts.count !== undefined && received >= opts.count) {
          ws.close(1000);
          finish(false);
        }
      });
      ws.on('error', (err) => {
        if (!opened && !done) {
          done = true;
          opts.signal?.removeEventListener('abort', onAbort);
          ws.terminate();
          reject(new ApiUnreachableError(this.baseUrl, describe(err), { cause: err }));
        }
      });
      ws.on('close', () => finish(true));
    });
  }
}
