// `monitor.diameter`: one TCP connection per Diameter peer with the base protocol's capabilities
// exchange and device watchdog (RFC 6733 5.3, 5.5; RFC 3539's Tw). A peer is Up once its CEA
// says DIAMETER_SUCCESS and while its DWAs come back; an answer with any other Result-Code makes
// it Down at once; `max-retries` failures in a row (no DWA within `timeout`, connection refused
// or lost) make it Down. The peer's own DWRs are answered, a DPR is answered and the connection
// closed. Bytes that do not decode close the connection and are counted.
import { connect, type Socket } from 'node:net';
import type { DiameterConfig, DiameterPeerConfig } from '../config/monitoring.js';
import type { TimerHandle } from '../fsm/clock.js';
import {
  AVP,
  avpText,
  avpU32,
  buildAnswer,
  buildCer,
  buildDpr,
  buildDwr,
  buildUnsupported,
  COMMAND,
  DiameterDecoder,
  encodeMessage,
  isRequest,
  RESULT,
  resultName,
  type DiameterMessage,
  type LocalIdentity,
} from './diameter-codec.js';
import { GroupedSource, MemberBook, type MemberStatus, type SourceContext } from './source.js';


type ConnState = 'closed' | 'connecting' | 'wait-cea' | 'open';

/** Vendor-Id in our CER: 0 (no IANA enterprise number of our own). */
const VENDOR_ID = 0;

class DiameterPeerWatch {
  private socket: Socket | null = null;
  private conn: ConnState = 'closed';
  private decoder = new DiameterDecoder();
  private timer: TimerHandle | null = null;
  private pending: { hopByHop: number; command: number; sentAt: number } | null = null;
  private hopByHop = Math.floor(Math.random() * 0xffffffff);
  private running = false;

  constructor(
    private readonly cfg: DiameterPeerConfig,
    private readonly common: DiameterConfig,
    private readonly identity: LocalIdentity,
    private readonly book: MemberBook,
    private readonly ctx: SourceContext,
  ) {}

  private get status(): MemberStatus {
    return this.book.get(this.cfg.name);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.status.failures = 0;
    this.book.set(this.cfg.name, 'unknown', 'probing started: connecting');
    this.connect();
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.clearTimer();
    const s = this.socket;
    if (s && this.conn === 'open') {
      // Tell the peer we are going (DPR), then close without waiting for its DPA.
      s.write(encodeMessage(buildDpr(this.identity, this.nextHop(), this.nextHop())));
      s.end();
    } else s?.destroy();
    this.socket = null;
    this.setConn('closed');
    this.book.set(this.cfg.name, 'unknown', 'not probing (this chassis is not Active)');
  }

  private nextHop(): number {
    this.hopByHop = (this.hopByHop + 1) >>> 0;
    return this.hopByHop;
  }

  private setConn(c: ConnState): void {
    this.conn = c;
    const d = this.status.detail;
    if (d) d.connection = c;
  }

  private clearTimer(): void {
    if (this.timer) this.ctx.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(ms: number, fn: () => void): void {
    this.clearTimer();
    this.timer = this.ctx.clock.setTimeout(() => {
      this.timer = null;
      fn();
    }, ms);
  }

  private connect(): void {
    if (!this.running) return;
    this.decoder = new DiameterDecoder();
    this.pending = null;
    this.setConn('connecting');
    const socket = connect({ host: this.cfg.address, port: this.cfg.port });
    socket.setNoDelay(true);
    this.socket = socket;
    this.status.totals.probes++;
    this.status.lastProbeAt = new Date().toISOString();
    this.arm(this.common.timeoutMs, () => this.failure('no CEA within timeout', true));
    socket.on('connect', () => {
      if (this.socket !== socket) return;
      this.setConn('wait-cea');
      this.send(buildCer(this.identity, this.nextHop(), this.nextHop()));
    });
    socket.on('data', (chunk: Buffer) => {
      if (this.socket !== socket) return;
      let msgs: DiameterMessage[];
      try {
        msgs = this.decoder.push(chunk);
      } catch (err) {
        this.status.totals.badAnswers++;
        this.ctx.observer?.probe('diameter', this.cfg.name, 'bad-answer', null);
        this.failure(`undecodable bytes from the peer (${(err as Error).message})`, true);
        return;
      }
      for (const m of msgs) {
        if (this.socket !== socket) return;
        this.onMessage(m);
      }
    });
    socket.on('error', (err) => {
      if (this.socket === socket) this.failure(`connection ${this.conn === 'connecting' ? 'failed' : 'error'}: ${err.message}`, true);
    });
    socket.on('close', () => {
      if (this.socket === socket) this.failure('connection closed by the peer', true);
    });
  }

  private send(m: DiameterMessage): void {
    if (isRequest(m)) this.pending = { hopByHop: m.hopByHop, command: m.command, sentAt: this.ctx.clock.now() };
    this.socket?.write(encodeMessage(m));
  }

  /** One failed probe. `drop`: close the connection and dial again after the watchdog interval. */
  private failure(why: string, drop: boolean): void {
    if (!this.running) return;
    const s = this.status;
    s.failures++;
    s.totals.failures++;
    s.lastResult = why;
    s.rttMs = null;
    this.ctx.observer?.probe('diameter', this.cfg.name, 'failure', null);
    const cause = `${why}; ${s.failures} failure${s.failures === 1 ? '' : 's'} in a row, max-retries ${this.common.maxRetries}`;
    if (s.failures >= this.common.maxRetries) this.book.set(this.cfg.name, 'down', cause);
    else s.cause = cause;
    if (drop) this.reconnectLater();
    else this.arm(this.common.watchdogIntervalMs, () => this.watchdog());
  }

  /** An answer with an error Result-Code: the peer said no. Down at once, dial again later. */
  private refused(why: string): void {
    const s = this.status;
    s.failures = Math.max(s.failures + 1, this.common.maxRetries);
    s.totals.failures++;
    s.lastResult = why;
    this.ctx.observer?.probe('diameter', this.cfg.name, 'failure', null);
    this.book.set(this.cfg.name, 'down', why);
    this.reconnectLater();
  }

  private reconnectLater(): void {
    const old = this.socket;
    this.socket = null;
    old?.destroy();
    this.setConn('closed');
    this.pending = null;
    this.arm(this.common.watchdogIntervalMs, () => this.connect());
  }

  private watchdog(): void {
    if (this.conn !== 'open') return;
    this.status.totals.probes++;
    this.status.lastProbeAt = new Date().toISOString();
    this.send(buildDwr(this.identity, this.nextHop(), this.nextHop()));
    this.arm(this.common.timeoutMs, () => {
      this.pending = null;
      this.failure('no DWA within timeout', this.status.failures + 1 >= this.common.maxRetries);
    });
  }

  private answered(result: number, what: string): void {
    const s = this.status;
    const p = this.pending;
    this.pending = null;
    const rtt = p ? this.ctx.clock.now() - p.sentAt : null;
    s.rttMs = rtt === null ? null : Math.round(rtt * 10) / 10;
    s.lastResult = `${what} ${resultName(result)}`;
    if (result !== RESULT.SUCCESS) {
      this.refused(`${what} with ${resultName(result)}`);
      return;
    }
    s.failures = 0;
    s.totals.answers++;
    this.ctx.observer?.probe('diameter', this.cfg.name, 'answer', rtt === null ? null : rtt / 1000);
    this.book.set(this.cfg.name, 'up', `${what} ${resultName(result)}${s.rttMs === null ? '' : ` in ${s.rttMs} ms`}`);
    this.arm(this.common.watchdogIntervalMs, () => this.watchdog());
  }

  private onMessage(m: DiameterMessage): void {
    if (isRequest(m)) {
      // The peer's own watchdog, or its goodbye.
      if (m.command === COMMAND.DEVICE_WATCHDOG) this.socket?.write(encodeMessage(buildAnswer(m, this.identity)));
      else if (m.command === COMMAND.DISCONNECT_PEER) {
        this.socket?.write(encodeMessage(buildAnswer(m, this.identity)));
        this.failure('the peer disconnected (DPR)', true);
      } else this.socket?.write(encodeMessage(buildUnsupported(m, this.identity)));
      return;
    }
    const p = this.pending;
    if (!p || p.hopByHop !== m.hopByHop || p.command !== m.command) {
      this.ctx.log('debug', { peer: this.cfg.name, command: m.command }, 'Diameter answer to no request of ours ignored');
      return;
    }
    const result = avpU32(m, AVP.RESULT_CODE);
    if (m.command === COMMAND.CAPABILITIES_EXCHANGE) {
      const host = avpText(m, AVP.ORIGIN_HOST);
      const realm = avpText(m, AVP.ORIGIN_REALM);
      const d = this.status.detail;
      if (d) {
        d.peerHost = host;
        d.peerRealm = realm;
      }
      if (result === null) return this.refused('CEA without a Result-Code');
      if (result === RESULT.SUCCESS && this.cfg.host !== null && host !== this.cfg.host)
        return this.refused(`CEA from Origin-Host ${host ?? '(none)'}, expected ${this.cfg.host}`);
      if (result === RESULT.SUCCESS && this.cfg.realm !== null && realm !== this.cfg.realm)
        return this.refused(`CEA from Origin-Realm ${realm ?? '(none)'}, expected ${this.cfg.realm}`);
      if (result === RESULT.SUCCESS) this.setConn('open');
      this.answered(result, 'CEA');
    } else if (m.command === COMMAND.DEVICE_WATCHDOG) {
      this.answered(result ?? 0, 'DWA');
    }
  }
}

export class DiameterSource extends GroupedSource {
  readonly kind = 'diameter' as const;
  protected readonly book = new MemberBook('diameter');
  protected readonly watches: DiameterPeerWatch[];

  constructor(cfg: DiameterConfig, ctx: SourceContext) {
    super(cfg.groups);
    const identity: LocalIdentity = {
      originHost: cfg.originHost,
      originRealm: cfg.originRealm,
      hostIp: cfg.hostIp,
      originStateId: Math.floor(Date.now() / 1000) >>> 0,
      productName: 'srpd',
      vendorId: VENDOR_ID,
    };
    for (const p of cfg.peers) this.book.add(p.name, `${p.address}:${p.port}`, this.groupsOf(p.name), { connection: 'closed', peerHost: null, peerRealm: null });
    this.watches = cfg.peers.map((p) => new DiameterPeerWatch(p, cfg, identity, this.book, ctx));
  }
}
