// The runner's end of the liveness channel: starts it with our Hello settings, hands it what our
// Hellos must say, turns its reports into state machine events, log lines and public events,
// and reads its board for show commands and statistics.
import type { Logger } from 'pino';
import type { Hello } from '@srp-ha/wire';
import type { HostPort } from '@srp-ha/common';
import type { SrpConfig } from '../config/config.js';
import type { LivenessInfo, SrpEvent, SrpStatistics } from '../api/contract.js';
import type { FsmEvent } from '../fsm/chassis.js';
import type { KeyRing } from '../link/keys.js';
import type { LivenessChannel } from '../liveness/channel.js';
import type { DetectorEvent } from '../liveness/detector.js';
import { FAST_DEAD_INTERVAL_MS } from '../util/node-args.js';
import { BOARD, DATAGRAM_REFUSALS, FAULT_CODES, newBoard, type LivenessSettings, type LocalStatus, type WorkerToMain } from '../liveness/protocol.js';

/** What the liveness detector judged of a believed Hello. */
export interface HelloVerdict {
  fresh: boolean;
  newBoot: boolean;
  rttMs: number | null;
}

export interface LivenessHost {
  readonly config: SrpConfig;
  readonly log: Logger;
  dispatch(event: FsmEvent): void;
  emit(event: SrpEvent): void;
  /** A believed Hello of the peer. */
  hello(hello: Hello, verdict: HelloVerdict): void;
  /** The channel died: the chassis can neither send nor judge Hellos. */
  fatal(err: Error): void;
}

export type LivenessFactory = (settings: LivenessSettings) => LivenessChannel;

export class LivenessBridge {
  /** What the runner counts of liveness (Hellos are counted by the channel, on its board). */
  readonly counts: SrpStatistics['liveness'] = { stalls: 0, fences: 0, watchdogTrips: 0, linkFaults: 0 };
  private channel: LivenessChannel | null = null;
  private board: Float64Array = new Float64Array(newBoard());
  private offKeys: (() => void) | null = null;
  /** The worker thread's scheduling, once it said (LivenessInfo.scheduling). */
  private priority = 'normal';

  constructor(
    private readonly host: LivenessHost,
    private readonly make: LivenessFactory,
  ) {}

  /** Starts the channel on the SRP link's bound address; resolves once it listens for Hellos. */
  async start(bound: HostPort, bootId: number, keys: KeyRing, status: LocalStatus): Promise<void> {
    const c = this.host.config;
    const channel = this.make({
      // Hellos are datagrams on the same host:port as the SRP link (UDP and TCP ports are separate).
      bind: bound,
      peer: c.peer,
      helloIntervalMs: c.helloIntervalMs,
      deadIntervalMs: c.deadIntervalMs,
      watchdogMs: c.liveness.watchdogMs,
      peerClaimHoldMs: c.delayIntervalMs + c.liveness.startupHoldMs,
      realtimePriority: c.liveness.realtimePriority,
      bootId,
      // The same key ring as the TCP link: the first key signs, all are accepted.
      keys: keys.signingFirst(),
      board: newBoard(),
    });
    this.offKeys = keys.onChange(() => this.channel?.setKeys(keys.signingFirst())); // a rotation reaches the Hellos
    this.board = channel.board;
    channel.onReport((m) => this.onReport(m));
    this.channel = channel;
    channel.update(status);
    channel.sendNow();
    await channel.start();
  }

  /** What the next Hellos say; `now`: a Hello at once (a change the peer must learn now). */
  update(status: LocalStatus, now: boolean): void {
    this.channel?.update(status);
    if (now) this.channel?.sendNow();
  }

  reboot(bootId: number): void {
    this.channel?.reboot(bootId);
  }

  /** The last Hello (with the goodbye flag), then the channel ends. */
  async stop(takeoverNow: boolean): Promise<void> {
    this.offKeys?.();
    await this.channel?.stop(takeoverNow);
  }

  info(): LivenessInfo {
    const b = this.board;
    const c = this.host.config;
    const now = this.channel?.now() ?? 0;
    const heardAt = b[BOARD.lastHeardAt];
    const lastHeardAgoMs = heardAt > 0 ? Math.round(now - heardAt) : null;
    const hearing = lastHeardAgoMs !== null && lastHeardAgoMs < c.deadIntervalMs;
    const asOfHello = b[BOARD.peerLastHeardUsAgoMs];
    const peerLastHeardUsAgoMs = asOfHello >= 0 && lastHeardAgoMs !== null ? Math.round(asOfHello + lastHeardAgoMs) : null;
    const linkFault = FAULT_CODES[b[BOARD.fault]] ?? 'none';
    return {
      hearing,
      heardByPeer: hearing && peerLastHeardUsAgoMs !== null && linkFault === 'none',
      linkFault,
      lastHeardAgoMs,
      peerLastHeardUsAgoMs,
      vouching: b[BOARD.vouching] !== 0,
      watchdogMs: c.liveness.watchdogMs,
      startupHoldMs: c.liveness.startupHoldMs,
      scheduling: c.liveness.realtimePriority === null ? 'normal (realtime-priority: off)' : this.priority,
      helloPath: this.channel?.where() ?? 'not started',
    };
  }

  hellos(): SrpStatistics['hellos'] {
    const b = this.board;
    return { sent: b[BOARD.hellosSent], received: b[BOARD.hellosReceived], missed: b[BOARD.hellosMissed] };
  }

  refusedDatagrams(): Record<string, number> {
    const out: Record<string, number> = {};
    DATAGRAM_REFUSALS.forEach((reason, i) => {
      const n = this.board[BOARD.refusedBase + i];
      if (n > 0) out[reason] = n;
    });
    return out;
  }

  private onReport(m: WorkerToMain): void {
    const { log } = this.host;
    switch (m.type) {
      case 'hello':
        this.host.hello(m.hello, m);
        break;
      case 'event':
        this.onDetectorEvent(m.event);
        break;
      case 'vouching':
        if (!m.vouching) this.counts.watchdogTrips++;
        log[m.vouching ? 'info' : 'error']({ vouching: m.vouching }, m.cause);
        this.host.emit({ type: 'watchdog', at: new Date().toISOString(), vouching: m.vouching, cause: m.cause });
        break;
      case 'refused':
        log.warn({ reason: m.reason, remote: m.remote, cause: m.cause }, 'Hello datagram refused');
        this.host.emit({ type: 'refused-datagram', at: new Date().toISOString(), reason: m.reason, remote: m.remote, cause: m.cause });
        break;
      case 'failed':
        this.host.fatal(new Error(m.message));
        break;
      case 'priority':
        this.onPriority(m.ok, m.detail);
        break;
      case 'ready':
      case 'stopped':
        break;
    }
  }

  /** What became of liveness.realtime-priority: logged, and kept for `show srp info`. */
  private onPriority(ok: boolean, detail: string): void {
    const { log, config } = this.host;
    const { realtimePriority, realtimeAuto } = config.liveness;
    this.priority = ok ? `SCHED_RR ${realtimePriority}` : `normal (SCHED_RR ${realtimePriority} refused: ${detail})`;
    if (ok) {
      log.info({ realtimePriority }, `Hello path: ${detail}`);
      return;
    }
    const msg = `Hello path: real-time priority not set (${detail}); Hellos run at normal priority`;
    if (!realtimeAuto) log.warn({ realtimePriority }, msg);
    else if (config.deadIntervalMs < FAST_DEAD_INTERVAL_MS) {
      log.warn(
        { realtimePriority },
        `${msg}: at dead-interval ${config.deadIntervalMs} ms a loaded host can keep them waiting for a CPU past the margin and the peer takes over; give srpd CAP_SYS_NICE (see the README's Liveness), or set liveness.realtime-priority: off to run so without this warning`,
      );
    } else log.info({ realtimePriority }, msg);
  }

  private onDetectorEvent(e: DetectorEvent): void {
    const { log } = this.host;
    const at = new Date().toISOString();
    switch (e.type) {
      case 'peer-dead':
        this.host.dispatch({ type: 'peer-dead', silentMs: e.silentMs });
        break;
      case 'stalled':
        this.counts.stalls++;
        log.warn({ ms: e.ms }, `stalled for ${e.ms} ms (${e.cause})`);
        this.host.emit({ type: 'stall', at, ms: e.ms, cause: e.cause });
        this.host.dispatch({ type: 'stalled', ms: e.ms, cause: e.cause });
        break;
      case 'link-fault': {
        const cause =
          e.fault === 'peer-does-not-hear-us'
            ? 'we hear the peer, its Hellos say it does not hear us'
            : e.fault === 'we-do-not-hear-peer'
              ? 'no Hello from the peer (it is dead, or its direction is cut)'
              : 'Hellos pass both ways';
        if (e.fault !== 'none') this.counts.linkFaults++;
        log[e.fault === 'none' ? 'info' : 'warn']({ fault: e.fault }, `link fault: ${e.fault} (${cause})`);
        this.host.emit({ type: 'link-fault', at, fault: e.fault, cause });
        this.host.dispatch({ type: 'peer-deaf', deaf: e.fault === 'peer-does-not-hear-us', cause });
        break;
      }
    }
  }
}
