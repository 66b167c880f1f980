// A JSON client over node:http with kept-alive connections. Not fetch: the driver shares the
// cores with the daemons it measures, and fetch cost about 1.1 ms more CPU per call of 1000
// ops (packages/checkpoint/README.md).
import { Agent, request } from 'node:http';

export interface HttpReply<T> {
  status: number;
  body: T;
}

export class HttpClient {
  readonly agent: Agent;
  private readonly timeoutMs: number;

  constructor(
    readonly baseUrl: string,
    opts: { maxSockets?: number; timeoutMs?: number } = {},
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 8 });
    this.timeoutMs = opts.timeoutMs ?? 120_000;
  }

  /** One call; resolves with the status and the parsed body (text when not JSON). */
  call<T>(method: string, path: string, body?: string): Promise<HttpReply<T>> {
    return new Promise((resolve, reject) => {
      const headers = body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
      const req = request(this.baseUrl + path, { method, agent: this.agent, headers, timeout: this.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const json = (res.headers['content-type'] ?? '').includes('json');
          try {
            resolve({ status: res.statusCode ?? 0, body: (json ? JSON.parse(text) : text) as T });
          } catch (err) {
            reject(new Error(`${method} ${path}: ${res.statusCode ?? '?'}, bad JSON: ${(err as Error).message}`));
          }
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in ${this.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  /** A call that must answer 2xx; throws with the status and error text otherwise. */
  async ok<T>(method: string, path: string, body?: string): Promise<T> {
    const r = await this.call<T>(method, path, body);
    if (r.status < 200 || r.status > 299) {
      const e = typeof r.body === 'object' && r.body !== null && 'error' in r.body ? String((r.body as { error: unknown }).error) : JSON.stringify(r.body).slice(0, 300);
      throw new Error(`${method} ${this.baseUrl}${path}: ${r.status} ${e}`);
    }
    return r.body;
  }

  close(): void {
    this.agent.destroy();
  }
}
