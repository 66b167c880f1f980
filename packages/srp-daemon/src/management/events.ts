// WebSocket event stream at /v1/events: every SrpEvent the daemon emits, one JSON message each.
// `?type=state-change,switchover` narrows the stream to those event types. A client that reads
// too slowly is disconnected (close 1013) rather than letting its buffer grow without bound.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ManagedDaemon, SrpEvent } from '../api/contract.js';

export const EVENTS_PATH = '/v1/events';

/** How a client follows the stream (SrpClient.followEvents). */
export interface FollowEventsOptions {
  onEvent: (event: SrpEvent, raw: string) => void;
  /** Called once the stream is open (events from then on are delivered). */
  onOpen?: () => void;
  /** Resolve after this many events. */
  count?: number | undefined;
  /** Only these event types. */
  types?: string[] | undefined;
  signal?: AbortSignal | undefined;
}

export interface FollowEventsResult {
  received: number;
  /** srpd closed the stream (it stopped, or this client read too slowly). */
  closedByServer: boolean;
}

const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
const PING_INTERVAL_MS = 30_000;

export interface EventStream {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void;
  clientCount(): number;
  close(): Promise<void>;
}

/** `maxClients` at once; one more is answered 503 and `refused` is told. */
export function createEventStream(daemon: ManagedDaemon, logger: Logger, maxClients: number, refused?: () => void): EventStream {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const alive = new WeakMap<WebSocket, boolean>();

  const ping = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, PING_INTERVAL_MS);
  ping.unref();

  function attach(ws: WebSocket, types: Set<string> | null, remote: string): void {
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    const unsubscribe = daemon.onEvent((event: SrpEvent) => {
      if (types && !types.has(event.type)) return;
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        logger.warn({ remote }, 'event stream client too slow; disconnecting');
        ws.close(1013, 'client too slow');
        return;
      }
      ws.send(JSON.stringify(event));
    });
    ws.on('close', unsubscribe);
    ws.on('error', (err) => logger.debug({ remote, err: err.message }, 'event stream client error'));
    // Clients have nothing to say on this stream; ignore what they send.
    logger.debug({ remote, clients: wss.clients.size }, 'event stream client connected');
  }

  return {
    handleUpgrade(req, socket, head, url) {
      const raw = url.searchParams.get('type');
      const types = raw ? new Set(raw.split(',').map((t) => t.trim()).filter((t) => t !== '')) : null;
      const remote = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
      if (wss.clients.size >= maxClients) {
        refused?.();
        socket.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => attach(ws, types, remote));
    },
    clientCount: () => wss.clients.size,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(ping);
        for (const ws of wss.clients) ws.close(1001, 'server shutting down');
        const timer = setTimeout(() => {
          for (const ws of wss.clients) ws.terminate();
        }, 1000);
        timer.unref();
        wss.close(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}
