// Reads a request body with a size limit and parses it as JSON, with errors that say what was
// wrong (400 bad JSON, 413 too large, 415 not JSON).
import type { IncomingMessage } from 'node:http';
import { HttpError } from './router.js';

export const DEFAULT_BODY_LIMIT_BYTES = 16 * 1024 * 1024;

export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limitBytes) {
    req.resume();
    throw new HttpError(413, `request body of ${declared} bytes exceeds the limit of ${limitBytes} bytes`, { connection: 'close' });
  }
  // Decoded chunk by chunk as it arrives (a character split between chunks is joined): no
  // copy of the whole body into one more buffer, which V8 would count as external memory.
  const decoder = new TextDecoder('utf-8');
  let text = '';
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) {
      throw new HttpError(413, `request body exceeds the limit of ${limitBytes} bytes`, { connection: 'close' });
    }
    text += decoder.decode(chunk, { stream: true });
  }
  if (size === 0) return undefined;
  text += decoder.decode();
  const type = (req.headers['content-type'] ?? 'application/json').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json' && !type.endsWith('+json')) {
    throw new HttpError(415, `request body must be application/json, got "${type}"`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new HttpError(400, `request body is not valid JSON: ${(err as Error).message}`);
  }
}

/** Narrows a body to a plain JSON object (or {} when absent), else 400. */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/** An optional boolean field of a body object, else 400 naming the field. */
export function optionalBoolean(obj: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const v = obj[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new HttpError(400, `"${key}" must be a boolean, got ${JSON.stringify(v)}`);
  return v;
}

/** Rejects keys a route does not know, so a typo ("forse") is not silently ignored. */
export function onlyKeys(obj: Record<string, unknown>, allowed: readonly string[]): void {
  const extra = Object.keys(obj).filter((k) => !allowed.includes(k));
  if (extra.length > 0) {
    throw new HttpError(400, `unknown field${extra.length > 1 ? 's' : ''} in request body: ${extra.join(', ')} (allowed: ${allowed.join(', ') || 'none'})`);
  }
}

/** An integer field in [min, max] (or `fallback` when absent); else 400 naming the field. */
export function intField(obj: Record<string, unknown>, key: string, min: number, max: number, fallback?: number): number {
  const v = obj[key];
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new HttpError(400, `"${key}" must be an integer ${min}..${max}, got ${JSON.stringify(v)}`);
  }
  return v;
}
