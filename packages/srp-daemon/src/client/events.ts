// The event stream of srpd (WS /v1/events) as a client follows it: one SrpEvent per message,
// `?type=a,b` to narrow it, the bearer token on the upgrade request.
import WebSocket from 'ws';
import type { SrpEvent } from '../api/contract.js';
import type { FollowEventsOptions, FollowEventsResult } from '../management/events.js';


/**
 * Follows the stream. Resolves when it ends: after `count` events, when `signal` aborts, or
 * when srpd closes it. Rejects (with the socket's error) if it cannot be opened.
 */
export function followEvents(baseUrl: string, token: string | undefined, timeoutMs: number, opts: FollowEventsOptions): Promise<FollowEventsResult> {
  const url = new URL(`${baseUrl.replace(/^http/, 'ws')}/v1/events`);
  if (opts.types && opts.types.length > 0) url.searchParams.set('type', opts.types.join(','));
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = token !== undefined ? { authorization: `Bearer ${token}` } : {};
    const ws = new WebSocket(url, { handshakeTimeout: timeoutMs, headers });
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
      opts.onOpen?.();
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
        reject(err);
      }
    });
    ws.on('close', () => finish(true));
  });
}
