// A fault-injecting proxy on loopback, put on the SRP link between two srpd processes. It
// listens on one port for TCP and UDP both (srpd's Hellos travel as UDP datagrams on the SRP
// link's port): TCP connections are relayed to the target's port, and each UDP datagram is
// sent on to the target's port (one in, one out; there is no reply path).
//
//   pass       everything flows.
//   cut        every connection is reset at once; new ones are accepted and reset straight
//              away (the peer sees ECONNRESET), like a link that is down. Datagrams are dropped.
//   blackhole  connections stay open but nothing gets through, in either direction, and new
//              connections are accepted but never reach the target: a silent link. Reading is
//              paused, so TCP back-pressure bounds what is held; on heal() the held bytes and any
//              close that happened meanwhile are delivered, as TCP would after the path returns.
//              Datagrams are dropped.
//   one-way    one direction is silent (held as in a blackhole), the other passes. `forward` is
//              client to target: datagrams arriving here go forward, so they are dropped when
//              forward is blocked. New connections wait as in a blackhole (a handshake needs both
//              directions).
//   no-new     open connections and datagrams pass; new connections are accepted but never
//              reach the target until heal() (the user-space stand-in for dropped SYNs).
//
// The proxy never parses what it carries.
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { UdpRelay } from './udp-relay.js';

export type ProxyMode = 'pass' | 'cut' | 'blackhole' | 'one-way' | 'no-new';
export type Direction = 'forward' | 'backward';

export interface ProxyTarget {
  host: string;
  port: number;
}

export interface ProxyOptions {
  /** Where to forward; a function is resolved at each new connection (late-bound ports). */
  target: ProxyTarget | (() => ProxyTarget);
  listenHost?: string;
  /** 0 (default) lets the kernel choose. */
  listenPort?: number;
  /** Free-form name for logs and stats. */
  name?: string;
  /** Relay UDP datagrams arriving on the same port (default true). */
  udp?: boolean;
}

export interface ProxyStats {
  name: string;
  mode: ProxyMode;
  /** The silent direction in one-way mode. */
  blocked: Direction | null;
  accepted: number;
  /** Connections reset because the proxy was cut (at cut time or on arrival). */
  reset: number;
  /** Connections that could not reach the target. */
  upstreamErrors: number;
  active: number;
  /** Client to target. */
  bytesForward: number;
  /** Target to client. */
  bytesBackward: number;
  datagramsRelayed: number;
  datagramsDropped: number;
  cuts: number;
  blackholes: number;
  oneWays: number;
  noNews: number;
}

interface Half {
  socket: Socket;
  held: Buffer[];
  ended: boolean;
}

interface Pipe {
  client: Half;
  upstream: Half | null;
  closed: boolean;
}

export class FaultProxy {
  readonly name: string;
  private readonly server: Server;
  private udp: UdpRelay | null = null;
  private readonly target: () => ProxyTarget;
  private readonly pipes = new Set<Pipe>();
  private current: ProxyMode = 'pass';
  private blocked: Direction | null = null;
  private readonly counters = { accepted: 0, reset: 0, upstreamErrors: 0, bytesForward: 0, bytesBackward: 0, cuts: 0, blackholes: 0, oneWays: 0, noNews: 0 };

  private constructor(opts: ProxyOptions) {
    this.name = opts.name ?? 'proxy';
    const t = opts.target;
    this.target = typeof t === 'function' ? t : () => t;
    this.server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => this.accept(socket));
    this.server.on('error', () => {
      /* listen errors are reported by start(); later ones cannot happen on a bound server */
    });
  }

  /**
   * Listens for TCP, then binds UDP on the same port. A kernel-chosen TCP port can be taken for
   * UDP by someone else: then both are tried again on a new port (at most 5 times).
   */
  static async start(opts: ProxyOptions): Promise<FaultProxy> {
    for (let attempt = 1; ; attempt++) {
      const proxy = new FaultProxy(opts);
      await new Promise<void>((resolve, reject) => {
        proxy.server.once('error', reject);
        proxy.server.listen(opts.listenPort ?? 0, opts.listenHost ?? '127.0.0.1', () => {
          proxy.server.off('error', reject);
          resolve();
        });
      });
      if (opts.udp === false) return proxy;
      try {
        proxy.udp = await UdpRelay.start(proxy.host, proxy.port, proxy.target, () => proxy.passes('forward'));
        return proxy;
      } catch (err) {
        await proxy.close();
        if ((opts.listenPort ?? 0) !== 0 || attempt >= 5) throw err;
      }
    }
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get host(): string {
    return (this.server.address() as AddressInfo).address;
  }

  /** "host:port" to give the peer instead of the target. */
  get address(): string {
    return `${this.host}:${this.port}`;
  }

  get mode(): ProxyMode {
    return this.current;
  }

  stats(): ProxyStats {
    const u = this.udp?.stats() ?? { relayed: 0, dropped: 0 };
    return { name: this.name, mode: this.current, blocked: this.blocked, active: this.pipes.size, ...this.counters, datagramsRelayed: u.relayed, datagramsDropped: u.dropped };
  }

  /** Drop every connection now (RST both ways) and reset new ones until heal(). */
  cut(): void {
    this.current = 'cut';
    this.blocked = null;
    this.counters.cuts++;
    for (const pipe of [...this.pipes]) {
      this.counters.reset++;
      this.destroy(pipe, true);
    }
  }

  /** Keep connections open but let nothing through until heal(). */
  blackhole(): void {
    if (this.current === 'blackhole') return;
    this.current = 'blackhole';
    this.blocked = null;
    this.counters.blackholes++;
    for (const pipe of this.pipes) {
      pipe.client.socket.pause();
      pipe.upstream?.socket.pause();
    }
  }

  /** Silence one direction (`forward`: client to target) until heal(). */
  oneWay(blocked: Direction): void {
    this.current = 'one-way';
    this.blocked = blocked;
    this.counters.oneWays++;
    for (const pipe of this.pipes) (blocked === 'forward' ? pipe.client : pipe.upstream)?.socket.pause();
  }

  /** Let open connections and datagrams pass; hold new connections until heal(). */
  noNew(): void {
    this.current = 'no-new';
    this.blocked = null;
    this.counters.noNews++;
  }

  /** Back to pass: deliver what was held, connect the connections kept waiting. */
  heal(): void {
    const was = this.current;
    this.current = 'pass';
    this.blocked = null;
    if (was === 'pass' || was === 'cut') return;
    for (const pipe of [...this.pipes]) {
      if (pipe.upstream === null) {
        if (pipe.client.socket.destroyed) this.destroy(pipe, false);
        else this.connectUpstream(pipe);
        continue;
      }
      if (pipe.client.socket.destroyed && pipe.upstream.socket.destroyed) {
        this.destroy(pipe, false);
        continue;
      }
      this.flush(pipe.client, pipe.upstream, 'forward');
      this.flush(pipe.upstream, pipe.client, 'backward');
      pipe.client.socket.resume();
      pipe.upstream.socket.resume();
    }
  }

  async close(): Promise<void> {
    for (const pipe of [...this.pipes]) this.destroy(pipe, false);
    await this.udp?.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Whether bytes (or datagrams) in direction `dir` get through right now. */
  private passes(dir: Direction): boolean {
    if (this.current === 'pass' || this.current === 'no-new') return true;
    return this.current === 'one-way' && this.blocked !== dir;
  }

  private accept(socket: Socket): void {
    this.counters.accepted++;
    socket.setNoDelay(true);
    if (this.current === 'cut') {
      this.counters.reset++;
      socket.on('error', () => {});
      socket.resetAndDestroy();
      return;
    }
    const pipe: Pipe = { client: { socket, held: [], ended: false }, upstream: null, closed: false };
    this.pipes.add(pipe);
    this.wire(pipe, pipe.client, () => pipe.upstream, 'forward');
    if (this.current !== 'pass') {
      // Not connected until heal(): whatever the client sends is held.
      socket.pause();
      return;
    }
    this.connectUpstream(pipe);
  }

  private connectUpstream(pipe: Pipe): void {
    const { host, port } = this.target();
    const up = connect({ host, port, allowHalfOpen: true, noDelay: true });
    const half: Half = { socket: up, held: [], ended: false };
    pipe.upstream = half;
    let connected = false;
    up.once('connect', () => {
      connected = true;
      this.flush(pipe.client, half, 'forward');
      if (pipe.client.ended && !up.writableEnded) up.end();
      if (this.passes('forward')) pipe.client.socket.resume();
    });
    up.once('error', () => {
      if (!connected) this.counters.upstreamErrors++;
    });
    this.wire(pipe, half, () => pipe.client, 'backward');
  }

  /** Data and closes from `from` go to whatever `to()` is, unless that direction is not passing. */
  private wire(pipe: Pipe, from: Half, to: () => Half | null, dir: Direction): void {
    const s = from.socket;
    s.on('data', (chunk: Buffer) => {
      const dst = to();
      if (!this.passes(dir) || dst === null || dst.socket.connecting) {
        from.held.push(chunk);
        s.pause();
        return;
      }
      this.count(dir, chunk.length);
      if (!dst.socket.write(chunk)) {
        s.pause();
        dst.socket.once('drain', () => {
          if (this.passes(dir)) s.resume();
        });
      }
    });
    s.on('end', () => {
      from.ended = true;
      const dst = to();
      if (this.passes(dir) && dst !== null && !dst.socket.connecting && from.held.length === 0) dst.socket.end();
    });
    s.on('error', () => {
      /* a reset from either side ends the pipe through 'close' */
    });
    s.on('close', (hadError) => {
      if (!this.passes(dir) && this.current !== 'cut') return; // delivered (as a close) on heal
      this.destroy(pipe, hadError);
    });
  }

  private flush(from: Half, to: Half, dir: Direction): void {
    if (to.socket.connecting || to.socket.destroyed) return;
    for (const chunk of from.held) {
      this.count(dir, chunk.length);
      to.socket.write(chunk);
    }
    from.held = [];
    if (from.ended && !to.socket.writableEnded) to.socket.end();
    if (from.socket.destroyed && !to.socket.destroyed) to.socket.end();
  }

  private count(dir: Direction, n: number): void {
    if (dir === 'forward') this.counters.bytesForward += n;
    else this.counters.bytesBackward += n;
  }

  private destroy(pipe: Pipe, reset: boolean): void {
    if (pipe.closed) return;
    pipe.closed = true;
    this.pipes.delete(pipe);
    for (const half of [pipe.client, pipe.upstream]) {
      if (half === null || half.socket.destroyed) continue;
      if (reset && !half.socket.connecting) half.socket.resetAndDestroy();
      else half.socket.destroy();
    }
  }
}
