// The SRP link: listens on `bind` and dials `peer`; of the connections that complete the
// Capabilities handshake exactly one survives, by a rule both sides apply alike: the newest
// peer boot wins, then the connection dialled by the chassis with the smaller chassis-id.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import type { CompressionName, SrpMessage } from '@srp-ha/wire';
import { formatHostPort, type HostPort } from '@srp-ha/common';
import type { PeerAllow, TlsConfig } from '../config/security.js';
import type { Clock, TimerHandle } from '../fsm/clock.js';
import { Backoff } from './backoff.js';
import { Connection, type LinkCounters } from './connection.js';
import { LinkGate, type Ticket } from './gate.js';
import type { KeyRing } from './keys.js';
import { NonceMemory } from './nonces.js';
import { RefusalLog, type RefusalReason } from './refusal.js';
import { confirmDeadlineMs, dialSource, handshakeDeadlineMs, linkSecurity, reloadLinkSecurity, type LinkSecurity, type SecurityInfo, type SecurityReload } from './security.js';
import { tlsRefusalOf } from './tls.js';
import { LINK_FEATURES, PortConsumers, PortListeners, type MessagePort } from './port.js';
import { Listeners } from '../util/listeners.js';

export interface LinkOptions {
  bind: HostPort;
  peer: HostPort;
  /** The shared keys (read at each handshake: a reload reaches the next connection). */
  keys: KeyRing;
  /** TLS on the link; none by default. */
  tls?: TlsConfig | null;
  /** The sources the listener accepts; default: any. */
  peerAllow?: PeerAllow;
  chassisId: string;
  bootId: number;
  compression: CompressionName[];
  /** The Capabilities features offered (default LINK_FEATURES; tests play an older build with fewer). */
  features?: readonly string[];
  helloIntervalMs: number;
  deadIntervalMs: number;
  maxFrameSize: number;
  clock: Clock;
  logger: Logger;
}

/** A connection the link refused (allow list, admission, authentication, TLS). */
export interface Refusal {
  reason: RefusalReason;
  remote: string;
  cause: string;
}

/** The link as the runner drives it: the message port, its life cycle, counters and security. */
export interface ChassisLink extends MessagePort {
  /** The listening address (the real port when `bind` used port 0). */
  readonly address: HostPort | null;
  /** The current connection's remote host:port. */
  readonly remote: string | null;
  readonly counters: LinkCounters;
  listen(): Promise<HostPort>;
  /** Starts dialling the peer (and keeps doing so, with backoff, while the link is down). */
  start(): void;
  /** Sends `last` (a Goodbye) on the current connection, then closes everything. */
  stop(last?: SrpMessage): Promise<void>;
  onRefused(cb: (r: Refusal) => void): () => void;
  reloadSecurity(source: string | null): SecurityReload;
  securityInfo(): SecurityInfo;
}

export class SrpLink extends PortListeners implements ChassisLink {
  readonly counters: LinkCounters = { connects: 0, disconnects: 0, framesIn: 0, framesOut: 0, bytesIn: 0, bytesOut: 0 };
  private readonly connections = new Set<Connection>();
  private current: Connection | null = null;
  private server: Server | null = null;
  private dialTimer: TimerHandle | null = null;
  private dialing: Socket | null = null;
  private stopped = false;
  private readonly backoff: Backoff;
  private readonly log: Logger;
  private boundAddress: HostPort | null = null;
  private readonly refusedListeners: Listeners<Refusal>;
  private readonly security: LinkSecurity;
  private readonly gate: LinkGate;
  private readonly nonces = new NonceMemory();
  private readonly refusals: RefusalLog;

  constructor(private readonly opts: LinkOptions) {
    const log = opts.logger.child({ component: 'link' });
    super(new PortConsumers(log));
    this.log = log;
    this.backoff = new Backoff(50, Math.max(50, Math.min(1000, opts.helloIntervalMs)));
    this.refusedListeners = new Listeners((err) => this.log.error({ err }, 'refusal listener threw'));
    this.refusals = new RefusalLog(this.log, opts.clock);
    this.security = linkSecurity(opts, this.log);
    this.gate = new LinkGate({
      allow: this.security.allow,
      tls: this.security.tls,
      refused: (reason, remote, cause) => this.refused(reason, remote, cause, 'in'),
      open: (socket, ticket) => this.open(socket, 'in', ticket),
    });
  }

  private refused(reason: RefusalReason, remote: string, cause: string, direction: 'in' | 'out'): void {
    if (this.stopped) return;
    this.refusals.note(reason, { remote, cause, direction });
    this.refusedListeners.emit({ reason, remote, cause });
  }

  /** Told of every connection the link refuses. */
  onRefused(cb: (r: Refusal) => void): () => void {
    return this.refusedListeners.add(cb);
  }

  /** Rereads the keys and TLS files of `source` (SIGHUP); new connections use them. */
  reloadSecurity(source: string | null): SecurityReload {
    return reloadLinkSecurity(this.security, this.opts.keys, this.gate, source, this.log);
  }

  /** Keys, TLS and admission, as the management API shows them. */
  securityInfo(): SecurityInfo {
    const c = this.current;
    return this.security.info(this.opts.keys, this.gate, c ? { peerKey: c.peerKey, peerCertificate: c.peerCertificate } : null);
  }

  get up(): boolean {
    return this.current !== null;
  }

  /** The link is up and its socket is not applying back-pressure. */
  get writable(): boolean {
    return this.current?.writable ?? false;
  }

  private drained(): void {
    this.consumers.drain.emit();
  }

  get peerBootId(): number | null {
    return this.current?.peer?.bootId ?? null;
  }

  get compression(): CompressionName | null {
    return this.current?.compression ?? null;
  }

  /** The current connection packs digit runs before compressing (the peer reads them). */
  get digitRuns(): boolean {
    return this.current?.digitRuns ?? false;
  }

  get peerFeatures(): readonly string[] {
    return this.current?.peer?.features ?? [];
  }

  get remote(): string | null {
    return this.current?.remote ?? null;
  }

  /** Connections open now (handshaking or ready). */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** The surviving connection's local and remote host:port. */
  get endpoints(): { local: string; remote: string } | null {
    const c = this.current;
    return c ? { local: c.local, remote: c.remote } : null;
  }

  get address(): HostPort | null {
    return this.boundAddress;
  }

  /** Binds the listening socket; resolves with the real address (port 0 gets one). */
  listen(): Promise<HostPort> {
    return new Promise((resolve, reject) => {
      const server = createServer((socket) => this.adopt(socket, 'in'));
      server.on('error', reject);
      server.listen(this.opts.bind.port, this.opts.bind.host, () => {
        server.off('error', reject);
        server.on('error', (err) => this.log.error({ err }, 'SRP listener error'));
        const a = server.address();
        this.boundAddress =
          a && typeof a === 'object' ? { host: this.opts.bind.host, port: a.port } : { ...this.opts.bind };
        this.server = server;
        resolve(this.boundAddress);
      });
    });
  }

  /** Starts dialling the peer (and keeps doing so, with backoff, while the link is down). */
  start(): void {
    this.scheduleDial(0);
  }

  /** Sends on the current connection; false when the link is down. */
  send(msg: SrpMessage): Promise<boolean> {
    const c = this.current;
    return c ? c.send(msg) : Promise.resolve(false);
  }

  /** Sends `last` (a Goodbye) on the current connection, then closes everything. */
  async stop(last?: SrpMessage): Promise<void> {
    this.stopped = true;
    this.gate.stop();
    this.security.tls?.close();
    this.refusals.stop();
    if (this.dialTimer) this.opts.clock.clearTimeout(this.dialTimer);
    this.dialTimer = null;
    this.dialing?.destroy();
    const c = this.current;
    if (c && last) await c.sendAndEnd(last, 200);
    for (const conn of [...this.connections]) conn.close('shutting down', true);
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private scheduleDial(delayMs: number): void {
    if (this.stopped || this.current || this.dialing || this.dialTimer || this.handshakingOut()) return;
    this.dialTimer = this.opts.clock.setTimeout(() => {
      this.dialTimer = null;
      this.dial();
    }, delayMs);
  }

  private dial(): void {
    if (this.stopped || this.current || this.dialing) return;
    const { host, port } = this.opts.peer;
    // From the bind address: the peer's peer-allow (by default our bind host) accepts it.
    const local = dialSource(this.opts.bind, this.opts.peer);
    const tls = this.security.tls;
    const socket = tls ? tls.connect(host, port, local) : createConnection({ host, port, ...(local ? { localAddress: local } : {}) });
    this.dialing = socket;
    // A TLS handshake that never finishes must not hold the dialler for ever.
    const deadline = tls ? this.opts.clock.setTimeout(() => failed(new Error('TLS handshake timed out')), handshakeDeadlineMs(this.opts.deadIntervalMs)) : null;
    const failed = (err: Error & { code?: string }): void => {
      if (deadline) this.opts.clock.clearTimeout(deadline);
      if (this.dialing !== socket) return;
      this.dialing = null;
      socket.destroy();
      const peer = formatHostPort(this.opts.peer);
      const reason = tls ? tlsRefusalOf(err.code) : null;
      if (reason) this.refused(reason, peer, `the peer's certificate: ${err.message}`, 'out');
      else this.log.debug({ peer, err: err.message }, 'dial failed');
      this.scheduleDial(this.backoff.next());
    };
    socket.once('error', failed);
    socket.once(tls ? 'secureConnect' : 'connect', () => {
      if (deadline) this.opts.clock.clearTimeout(deadline);
      socket.off('error', failed);
      if (this.dialing === socket) this.dialing = null;
      this.adopt(socket, 'out');
    });
  }

  /**
   * One of our own connections is still in its handshake: no second dial until it ends (a
   * stranger's connection closing, many times a second in a flood, must not start one).
   */
  private handshakingOut(): boolean {
    for (const c of this.connections) if (c.direction === 'out' && c.state === 'handshake') return true;
    return false;
  }

  /** An inbound socket goes through the gate (allow list, admission, TLS); ours start at once. */
  private adopt(socket: Socket, direction: 'in' | 'out'): void {
    if (this.stopped) {
      socket.destroy();
      return;
    }
    if (direction === 'in') this.gate.accept(socket);
    else this.open(socket, 'out', null);
  }

  /** Starts the SRP handshake on a socket the gate let through (or one we dialled). */
  private open(socket: Socket, direction: 'in' | 'out', ticket: Ticket | null): void {
    if (this.stopped) {
      socket.destroy();
      return;
    }
    const idle = Math.max(2 * this.opts.deadIntervalMs + this.opts.helloIntervalMs, 1000);
    // Hellos are datagrams: an idle TCP link carries a Keepalive instead, well within `idle`.
    const keepalive = Math.max(50, Math.min(this.opts.helloIntervalMs, Math.floor(idle / 4)));
    const conn = new Connection(
      socket,
      direction,
      {
        keys: this.opts.keys,
        nonces: this.nonces,
        chassisId: this.opts.chassisId,
        bootId: this.opts.bootId,
        compression: this.opts.compression,
        features: this.opts.features ?? LINK_FEATURES,
        maxFrameSize: this.opts.maxFrameSize,
        handshakeTimeoutMs: handshakeDeadlineMs(this.opts.deadIntervalMs),
        confirmTimeoutMs: confirmDeadlineMs(this.opts.deadIntervalMs),
        idleTimeoutMs: idle,
        keepaliveMs: keepalive,
        clock: this.opts.clock,
        counters: this.counters,
        onEncoded: this.consumers.encodedSink,
      },
      {
        authenticated: () => {
          if (ticket) this.gate.authenticated(ticket);
        },
        ready: (c) => {
          if (ticket) this.gate.release(ticket);
          this.onReady(c);
        },
        message: (c, msg) => {
          if (c.state === 'ready') this.consumers.deliver(msg);
        },
        closed: (c, why) => {
          if (ticket) this.gate.release(ticket);
          this.onClosed(c, why);
        },
        sendFailed: (c, cause) => this.log.error({ remote: c.remote, cause }, 'cannot send on the SRP link'),
        drain: (c) => {
          if (c === this.current) this.drained();
        },
        refused: (c, reason, cause) => this.refused(reason, c.remote, cause, c.direction),
      },
    );
    if (ticket) ticket.evict = (cause) => conn.refuseNow('evicted', cause);
    this.connections.add(conn);
    this.log.debug({ remote: conn.remote, direction, id: conn.id }, 'connection opened');
  }

  /** Of two ready connections, the one both chassis keep. */
  private preferred(a: Connection, b: Connection): Connection {
    const boot = (c: Connection): number => c.peer?.bootId ?? 0;
    if (boot(a) !== boot(b)) return a.id > b.id ? a : b; // a newer peer process: newer connection
    const peerId = a.peer?.chassisId ?? '';
    const wanted: 'in' | 'out' = this.opts.chassisId < peerId ? 'out' : 'in';
    if (a.direction !== b.direction) return a.direction === wanted ? a : b;
    return a.id > b.id ? a : b;
  }

  private onReady(conn: Connection): void {
    this.counters.connects++;
    if (conn.peer) this.consumers.state.emit({ type: 'handshake', peerBootId: conn.peer.bootId });
    const prev = this.current;
    const keep = prev ? this.preferred(prev, conn) : conn;
    // Current before the others close: closing the old current must not look like a switch
    // of its own in onClosed (one switch, reported below).
    this.current = keep;
    for (const other of [...this.connections]) {
      if (other !== keep && other.state === 'ready') other.close('duplicate connection (deterministic rule)', true);
    }
    this.backoff.reset();
    if (this.dialTimer) {
      this.opts.clock.clearTimeout(this.dialTimer);
      this.dialTimer = null;
    }
    if (prev && prev !== keep) this.consumers.state.emit({ type: 'switched' });
    if (keep !== prev) this.drained(); // a new connection starts with an empty send buffer
    if (!prev && keep.peer && keep.compression) {
      this.log.info(
        { remote: keep.remote, direction: keep.direction, compression: keep.compression, peer: keep.peer.chassisId },
        'SRP link up',
      );
      this.consumers.state.emit({
        type: 'up',
        remote: keep.remote,
        compression: keep.compression,
        peerChassisId: keep.peer.chassisId,
        peerBootId: keep.peer.bootId,
      });
    }
  }

  private onClosed(conn: Connection, why: string): void {
    this.connections.delete(conn);
    this.log.debug({ remote: conn.remote, id: conn.id, why }, 'connection closed');
    if (conn === this.current) {
      this.counters.disconnects++;
      // Another ready connection may take over (it was being replaced anyway).
      this.current = [...this.connections]
        .filter((c) => c.state === 'ready')
        .reduce<Connection | null>((best, c) => (best ? this.preferred(best, c) : c), null);
      if (!this.current) {
        if (!this.stopped) this.log.info({ remote: conn.remote, why }, 'SRP link down');
        this.consumers.state.emit({ type: 'down', remote: conn.remote, why });
      } else {
        // What was still in flight on the closed connection may be lost, as in onReady.
        this.consumers.state.emit({ type: 'switched' });
      }
    }
    if (!this.current) this.scheduleDial(this.backoff.next());
  }
}
