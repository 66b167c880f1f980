// `monitor.authentication-probe`: one Access-Request per server every `interval`, over UDP. A
// valid answer (Access-Accept, Access-Reject or Access-Challenge, authenticated with the shared
// secret) makes the server Up; `max-retries` probes in a row without one make it Down. A
// datagram that fails a check is dropped and counted (a forged or misdirected answer never
// makes a server Up). Probing runs only between start() and stop() (the Active).
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { AuthProbeConfig, RadiusServerConfig } from '../config/monitoring.js';
import type { TimerHandle } from '../fsm/clock.js';
import { buildAccessRequest, RadiusError, verifyResponse, type AccessRequest } from './radius-codec.js';
import { GroupedSource, MemberBook, type MemberStatus, type SourceContext } from './source.js';


interface Outstanding {
  request: AccessRequest;
  sentAt: number;
  timer: TimerHandle;
}

class RadiusServerProbe {
  private socket: Socket | null = null;
  private tick: TimerHandle | null = null;
  private outstanding: Outstanding | null = null;
  private identifier = Math.floor(Math.random() * 256);

  constructor(
    private readonly cfg: RadiusServerConfig,
    private readonly nasIdentifier: string,
    private readonly book: MemberBook,
    private readonly ctx: SourceContext,
  ) {}

  private get status(): MemberStatus {
    return this.book.get(this.cfg.name);
  }

  start(): void {
    if (this.socket) return;
    const socket = createSocket(isIPv6(this.cfg.address) ? 'udp6' : 'udp4');
    socket.on('message', (msg, rinfo) => this.onMessage(msg, rinfo.address, rinfo.port));
    socket.on('error', (err) => this.ctx.log('warn', { server: this.cfg.name, err: err.message }, 'RADIUS probe socket error'));
    socket.bind(0);
    socket.unref();
    this.socket = socket;
    this.status.failures = 0;
    this.book.set(this.cfg.name, 'unknown', 'probing started: waiting for the first answer');
    this.probe();
  }

  stop(): void {
    if (this.tick) this.ctx.clock.clearTimeout(this.tick);
    this.tick = null;
    this.clearOutstanding();
    this.socket?.close();
    this.socket = null;
    this.book.set(this.cfg.name, 'unknown', 'not probing (this chassis is not Active)');
  }

  private clearOutstanding(): void {
    if (this.outstanding) this.ctx.clock.clearTimeout(this.outstanding.timer);
    this.outstanding = null;
  }

  private probe(): void {
    this.tick = this.ctx.clock.setTimeout(() => this.probe(), this.cfg.intervalMs);
    if (!this.socket) return;
    // A probe still unanswered when the next is due has failed already (timeout <= interval).
    if (this.outstanding) this.fail('timeout');
    this.identifier = (this.identifier + 1) & 0xff;
    const request = buildAccessRequest({
      identifier: this.identifier,
      user: this.cfg.user,
      password: this.cfg.password,
      secret: this.cfg.secret,
      nasIdentifier: this.nasIdentifier,
    });
    const s = this.status;
    s.totals.probes++;
    s.lastProbeAt = new Date().toISOString();
    const timer = this.ctx.clock.setTimeout(() => this.fail('timeout'), this.cfg.timeoutMs);
    this.outstanding = { request, sentAt: this.ctx.clock.now(), timer };
    this.socket.send(request.bytes, this.cfg.port, this.cfg.address, (err) => {
      if (err && this.outstanding?.request === request) this.fail(`send failed: ${err.message}`);
    });
  }

  private fail(why: string): void {
    if (!this.outstanding) return;
    this.clearOutstanding();
    const s = this.status;
    s.failures++;
    s.totals.failures++;
    s.lastResult = why;
    s.rttMs = null;
    this.ctx.observer?.probe('authentication-probe', this.cfg.name, 'failure', null);
    const cause = `${s.failures} probe${s.failures === 1 ? '' : 's'} in a row unanswered (${why}); max-retries ${this.cfg.maxRetries}`;
    if (s.failures >= this.cfg.maxRetries) this.book.set(this.cfg.name, 'down', cause);
    else s.cause = cause;
  }

  private onMessage(msg: Buffer, address: string, port: number): void {
    const s = this.status;
    const out = this.outstanding;
    if (port !== this.cfg.port || !sameHost(address, this.cfg.address) || !out) {
      s.totals.badAnswers++;
      this.ctx.observer?.probe('authentication-probe', this.cfg.name, 'bad-answer', null);
      this.ctx.log('debug', { server: this.cfg.name, from: `${address}:${port}` }, 'RADIUS datagram dropped: not an answer we wait for');
      return;
    }
    let verdict: string;
    try {
      verdict = verifyResponse(msg, out.request, this.cfg.secret);
    } catch (err) {
      s.totals.badAnswers++;
      this.ctx.observer?.probe('authentication-probe', this.cfg.name, 'bad-answer', null);
      const e = err as RadiusError;
      this.ctx.log('warn', { server: this.cfg.name, code: e.code, err: e.message }, 'RADIUS answer dropped');
      return;
    }
    const rtt = this.ctx.clock.now() - out.sentAt;
    this.clearOutstanding();
    s.failures = 0;
    s.totals.answers++;
    s.lastResult = verdict;
    s.rttMs = Math.round(rtt * 10) / 10;
    this.ctx.observer?.probe('authentication-probe', this.cfg.name, 'answer', rtt / 1000);
    this.book.set(this.cfg.name, 'up', `Access-${verdict[0]?.toUpperCase()}${verdict.slice(1)} in ${s.rttMs} ms`);
  }
}

function sameHost(a: string, b: string): boolean {
  const strip = (x: string): string => x.replace(/^::ffff:/, '');
  return strip(a) === strip(b) || (b === 'localhost' && (a === '127.0.0.1' || a === '::1'));
}

export class AuthProbeSource extends GroupedSource {
  readonly kind = 'authentication-probe' as const;
  protected readonly book = new MemberBook('authentication-probe');
  protected readonly watches: RadiusServerProbe[];

  constructor(cfg: AuthProbeConfig, ctx: SourceContext) {
    super(cfg.groups);
    for (const s of cfg.servers) this.book.add(s.name, `${s.address}:${s.port}`, this.groupsOf(s.name));
    this.watches = cfg.servers.map((s) => new RadiusServerProbe(s, cfg.nasIdentifier, this.book, ctx));
  }
}
