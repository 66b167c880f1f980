// A small route table for the management HTTP API. Each route is one entry; later features
// (sessions API, checkpoint statistics, hw) add theirs through `extraRoutes` without touching
// the server. Paths may hold `:name` parameters, matched one path segment each.
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { ManagedDaemon } from '../api/contract.js';
import { errorBody, type ApiErrorCode } from './errors.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteContext {
  daemon: ManagedDaemon;
  req: IncomingMessage;
  url: URL;
  /** `:name` segments of the route path, URI-decoded. */
  params: Record<string, string>;
  /** Parsed JSON body; undefined when the request had none (or the route reads none). */
  body: unknown;
  logger: Logger;
}

/** What a handler returns: a `Reply`, or any other value, which is sent as 200 JSON. */
export type RouteHandler = (ctx: RouteContext) => unknown;

export interface Route {
  method: HttpMethod;
  /** e.g. `/v1/srp/info` or `/v1/sessions/:id`. */
  path: string;
  handler: RouteHandler;
  /** Needs the bearer token (when one is required). Default: every method but GET. */
  mutating?: boolean;
  /** Served to anyone, whatever the access rules (liveness probes). */
  public?: boolean;
}

/**
 * An explicit response: status, and a JSON body or a text body. A JSON object answered with a
 * status of 400 or more always carries `code` and `error` (errors.ts).
 */
export class Reply {
  private constructor(
    readonly status: number,
    readonly payload: string,
    readonly contentType: string,
    readonly headers: Record<string, string> = {},
  ) {}

  static json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
    const payload = status >= 400 && typeof body === 'object' && body !== null && !Array.isArray(body) ? errorBody(status, body as Record<string, unknown>) : body;
    return new Reply(status, JSON.stringify(payload), 'application/json; charset=utf-8', headers);
  }

  static text(status: number, body: string, contentType = 'text/plain; charset=utf-8'): Reply {
    return new Reply(status, body, contentType);
  }
}

/** Thrown by handlers (or the body parser) for a client error; sent as `{ code, error }`. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
    /** Default: the status's code (errors.ts). */
    readonly code?: ApiErrorCode,
  ) {
    super(message);
  }
}

interface CompiledRoute {
  route: Route;
  segments: string[];
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'wrong-method'; allow: HttpMethod[] }
  | { kind: 'not-found' };

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

export class Router {
  private readonly compiled: CompiledRoute[] = [];

  constructor(routes: readonly Route[] = []) {
    for (const r of routes) this.add(r);
  }

  add(route: Route): this {
    if (!route.path.startsWith('/')) throw new Error(`route path must start with "/": ${route.path}`);
    const segments = splitPath(route.path);
    const clash = this.compiled.find((c) => c.route.method === route.method && c.segments.join('/') === segments.join('/'));
    if (clash) throw new Error(`duplicate route ${route.method} ${route.path}`);
    this.compiled.push({ route, segments });
    return this;
  }

  routes(): Route[] {
    return this.compiled.map((c) => c.route);
  }

  match(method: string, pathname: string): RouteMatch {
    const parts = splitPath(pathname);
    const allow: HttpMethod[] = [];
    for (const c of this.compiled) {
      const params = matchSegments(c.segments, parts);
      if (!params) continue;
      if (c.route.method === method) return { kind: 'found', route: c.route, params };
      allow.push(c.route.method);
    }
    return allow.length > 0 ? { kind: 'wrong-method', allow } : { kind: 'not-found' };
  }
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | null {
  if (pattern.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    const v = parts[i];
    if (p.startsWith(':')) {
      try {
        params[p.slice(1)] = decodeURIComponent(v);
      } catch {
        return null;
      }
    } else if (p !== v) {
      return null;
    }
  }
  return params;
}

export function isMutating(route: Route): boolean {
  return route.mutating ?? route.method !== 'GET';
}
