// A small client for srpd's public management surface (HTTP JSON, /metrics). The lab and the
// chaos suite use nothing else to look at a daemon. Every call has a time limit, so a frozen
// (SIGSTOPped) daemon shows up as "unreachable" instead of hanging the caller.

export type ChassisState = 'Init' | 'Pending-Active' | 'Active' | 'Pending-Standby' | 'Standby';

/** The fields of GET /v1/srp/info the lab reads; srpd sends more. */
export interface Info {
  chassisId: string;
  mode: 'primary' | 'backup';
  state: ChassisState;
  priority: number;
  routeModifier: number;
  link: 'up' | 'down';
  standbyReady: boolean;
  sessions: number;
  peer: { chassisId: string; state: ChassisState; routeModifier: number; standbyReady: boolean; sessions: number } | null;
  lastSwitchover: { at: string; reason: string; from: ChassisState; to: ChassisState } | null;
  helloIntervalMs: number;
  deadIntervalMs: number;
  [k: string]: unknown;
}

export interface SwitchoverReply {
  status: number;
  accepted: boolean;
  reasons: string[];
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    message: string,
    readonly status: number | null,
    readonly code: 'SRP_LAB_UNREACHABLE' | 'SRP_LAB_HTTP' = status === null ? 'SRP_LAB_UNREACHABLE' : 'SRP_LAB_HTTP',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface ApiOptions {
  timeoutMs?: number;
  token?: string;
}

export class SrpApi {
  private readonly timeoutMs: number;
  private readonly token: string | undefined;

  constructor(
    readonly baseUrl: string,
    opts: ApiOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 1000;
    this.token = opts.token;
  }

  async request(method: string, path: string, body?: unknown, timeoutMs = this.timeoutMs): Promise<{ status: number; text: string }> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    const init: RequestInit = { method, headers, signal: AbortSignal.timeout(timeoutMs) };
    if (body !== undefined) init.body = JSON.stringify(body);
    let res: Response;
    try {
      res = await fetch(this.baseUrl + path, init);
      return { status: res.status, text: await res.text() };
    } catch (err) {
      throw new ApiError(`${method} ${this.baseUrl}${path}: ${(err as Error).message}`, null, 'SRP_LAB_UNREACHABLE', { cause: err });
    }
  }

  async json<T>(method: string, path: string, body?: unknown, timeoutMs?: number): Promise<T> {
    const { status, text } = await this.request(method, path, body, timeoutMs);
    if (status < 200 || status >= 300) throw new ApiError(`${method} ${path}: HTTP ${status}: ${text.slice(0, 200)}`, status);
    return JSON.parse(text) as T;
  }

  info(timeoutMs?: number): Promise<Info> {
    return this.json<Info>('GET', '/v1/srp/info', undefined, timeoutMs);
  }

  statistics(): Promise<Record<string, unknown>> {
    return this.json('GET', '/v1/srp/statistics');
  }

  async switchover(force = false, timeoutMs = 30_000): Promise<SwitchoverReply> {
    const { status, text } = await this.request('POST', '/v1/srp/switchover', { force }, timeoutMs);
    let parsed: { accepted?: boolean; reasons?: string[]; error?: string } = {};
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      /* not JSON: keep the text as the reason */
    }
    return {
      status,
      accepted: parsed.accepted === true,
      reasons: parsed.reasons ?? (parsed.error !== undefined ? [parsed.error] : status === 200 ? [] : [text.slice(0, 200)]),
    };
  }

  async metricsText(): Promise<string> {
    const { status, text } = await this.request('GET', '/metrics');
    if (status !== 200) throw new ApiError(`GET /metrics: HTTP ${status}`, status);
    return text;
  }

  /** GET a path that may not exist yet: null on 404/405 (feature not offered by this srpd). */
  async optional<T>(path: string, timeoutMs?: number): Promise<T | null> {
    const { status, text } = await this.request('GET', path, undefined, timeoutMs);
    if (status === 404 || status === 405) return null;
    if (status < 200 || status >= 300) throw new ApiError(`GET ${path}: HTTP ${status}: ${text.slice(0, 200)}`, status);
    return JSON.parse(text) as T;
  }
}

/** Sample values of one metric family from a Prometheus text exposition, by label set. */
export function parseMetrics(text: string): Map<string, { labels: Record<string, string>; value: number }[]> {
  const out = new Map<string, { labels: Record<string, string>; value: number }[]>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1] ?? ''] = l[2] ?? '';
    const name = m[1] ?? '';
    const list = out.get(name) ?? [];
    list.push({ labels, value: Number(m[3]) });
    out.set(name, list);
  }
  return out;
}

/** Metric family names declared (# TYPE) in an exposition. */
export function metricFamilies(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)/gm)) out.add(m[1] ?? '');
  return out;
}
