// The runner: owns the chassis state machine, performs its effects (timers, Hellos, switchover
// messages, hooks, logs, events) and feeds it events from the SRP link. Implements the
// management contract (ManagedDaemon) that the HTTP API, WebSocket events and metrics read.
import { randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { DEFAULT_MAX_FRAME_SIZE, type Hello, type SrpMessage } from '@srp-ha/wire';
import { formatHostPort, formatMac, macOctets, type HostPort } from '@srp-ha/common';
import { hookName, type SrpConfig } from '../config/config.js';
import { SERVICE_SWITCHOVER_REASONS } from '../contract.js';
import type {
  ChassisStateName,
  ConfigValidationResult,
  DaemonObserver,
  LivenessInfo,
  ManagedDaemon,
  ServiceSwitchoverReason,
  SrpEvent,
  SrpInfo,
  SrpStatistics,
  SwitchoverReason,
  SwitchoverRecord,
  SwitchoverResult,
} from '../contract.js';
import { checkSwitchover, initialState, step, type Effect, type FsmEvent, type FsmState } from '../fsm/chassis.js';
import { systemClock, type Clock, type TimerHandle } from '../fsm/clock.js';
import { TimerTable } from '../fsm/timers.js';
import { KeyRing } from '../link/keys.js';
import { SrpLink, type LinkOptions } from '../link/link.js';
import { WorkerLivenessChannel, type LivenessChannel } from '../liveness/channel.js';
import type { DetectorEvent } from '../liveness/detector.js';
import {
  BOARD,
  DATAGRAM_REFUSALS,
  FAULT_CODES,
  newBoard,
  processNowMs,
  type LivenessSettings,
  type LocalStatus,
  type WorkerToMain,
} from '../liveness/protocol.js';
import { ConfigCheck } from './config-check.js';
import type { SecurityInfo, SecurityReload } from '../link/security.js';
import type { Witness, WitnessStatus } from '../witness/witness.js';
import { HookQueue } from './hooks.js';
import { modeToWire, peerInfo, STATE_TO_WIRE, toPeerHello, type PeerRecord } from './peer.js';
import { readyAfterHellos, zeroSessions, type DaemonSeams } from './seams.js';

export interface DaemonOptions {
  logger: Logger;
  clock?: Clock;
  seams?: DaemonSeams;
  /** Default readiness rule: a Standby is ready after this many Hellos from its Active peer. */
  readyAfterHellos?: number;
  /** How long a Pending-Standby waits for the peer to take over; default max(2 x dead, 5 s). */
  switchoverTimeoutMs?: number;
  observer?: DaemonObserver;
  /** The Hello path; default a worker thread (liveness/channel.ts). Tests may run it in-thread. */
  liveness?: (settings: LivenessSettings) => LivenessChannel;
  /** The daemon cannot go on (its liveness worker died); srpd exits. Default: log it. */
  onFatal?: (err: Error) => void;
  /** A witness (witness/etcd.ts): only the holder of its lease may be Active and acknowledge writes. */
  witness?: Witness | null;
}

/** How often the session counts (and the active CF's MAC) are refreshed for the Hello. */
const STATUS_EVERY_MS = 50;
const TAKEOVER_REASONS: ReadonlySet<SwitchoverReason> = new Set([
  'peer-dead',
  'peer-goodbye',
  'manual',
  'manual-force',
  'preemption',
  ...SERVICE_SWITCHOVER_REASONS,
]);


export class SrpDaemon implements ManagedDaemon {
  readonly registry = new Registry();
  private fsm: FsmState;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly seams: DaemonSeams;
  private readonly readiness: NonNullable<DaemonSeams['readiness']>;
  private readonly link: SrpLink;
  private readonly hooks: HookQueue;
  private readonly listeners = new Set<(e: SrpEvent) => void>();
  private readonly timers: TimerTable;
  private readonly configCheck: ConfigCheck;
  private readonly digest: Buffer;
  private readonly cfMac: Uint8Array;
  private bootId = randomInt(1, 2 ** 47);
  private readonly linkOptions: LinkOptions;
  /** The SRP link's shared keys; reloadSecurity() replaces them in place. */
  readonly keys: KeyRing;
  private observer: DaemonObserver | null;
  private liveness: LivenessChannel | null = null;
  private livenessBoard: Float64Array = new Float64Array(newBoard());
  private readonly makeLiveness: (settings: LivenessSettings) => LivenessChannel;
  private readonly onFatal: (err: Error) => void;
  private statusTimer: TimerHandle | null = null;
  private readonly witness: Witness | null;
  /** Why writes are refused now (fenced, or no witness lease), as last told to the seams. */
  private writeGate: string | null = null;
  private peer: PeerRecord | null = null;
  private activeHellosWhileStandby = 0;
  private queue: FsmEvent[] = [];
  private dispatching = false;
  private requestSeq = 1_000_000;
  private readonly switchoverWaiters = new Map<number, (r: SwitchoverResult) => void>();
  private lastSwitchover: SwitchoverRecord | null = null;
  private startedAtIso = new Date().toISOString();
  private startedAt = 0;
  private stopping: Promise<void> | null = null;
  /** What the runner counts itself (Hellos are counted by the worker, the link by the link). */
  private readonly stats: Pick<SrpStatistics, 'switchovers' | 'refusedConnections' | 'liveness'> = {
    switchovers: {},
    refusedConnections: {},
    liveness: { stalls: 0, fences: 0, watchdogTrips: 0, linkFaults: 0 },
  };

  constructor(
    readonly config: SrpConfig,
    opts: DaemonOptions,
  ) {
    this.clock = opts.clock ?? systemClock;
    const link = (): SrpLink => this.link;
    this.timers = new TimerTable(this.clock, (timer) => this.dispatch({ type: 'timer', timer }));
    this.log = opts.logger.child({ component: 'chassis', chassisId: config.chassisId });
    this.seams = opts.seams ?? {};
    this.readiness = this.seams.readiness ?? readyAfterHellos(opts.readyAfterHellos ?? 3);
    this.observer = opts.observer ?? null;
    this.makeLiveness = opts.liveness ?? ((settings) => new WorkerLivenessChannel(settings));
    this.witness = opts.witness ?? null;
    this.onFatal = opts.onFatal ?? ((err) => this.log.error({ err }, 'srpd cannot go on'));
    this.configCheck = new ConfigCheck(config, config.deadIntervalMs, {
      get linkUp() {
        return link().up;
      },
      send: (msg) => link().send(msg),
      emit: (e) => this.emit(e),
      clock: this.clock,
      log: this.log,
    });
    this.digest = this.configCheck.digest;
    this.cfMac = macOctets(config.cfMac);
    this.fsm = initialState({
      chassisId: config.chassisId,
      mode: config.mode,
      priority: config.priority,
      cfMac: this.cfMac,
      deadIntervalMs: config.deadIntervalMs,
      delayIntervalMs: config.delayIntervalMs,
      startupHoldMs: config.liveness.startupHoldMs,
      witness: opts.witness !== undefined && opts.witness !== null,
      preemption: config.preemption,
      routeModifier: config.routeModifier,
      switchoverTimeoutMs: opts.switchoverTimeoutMs ?? Math.max(2 * config.deadIntervalMs, 5000),
    });
    this.keys = KeyRing.fromKeys(config.authKeys);
    this.linkOptions = {
      bind: config.bind,
      peer: config.peer,
      keys: this.keys,
      tls: config.tls,
      peerAllow: config.peerAllow,
      chassisId: config.chassisId,
      bootId: this.bootId,
      compression: config.compression,
      helloIntervalMs: config.helloIntervalMs,
      deadIntervalMs: config.deadIntervalMs,
      maxFrameSize: DEFAULT_MAX_FRAME_SIZE,
      clock: this.clock,
      logger: opts.logger.child({ chassisId: config.chassisId }),
      ...(this.seams.onEncoded ? { onEncoded: this.seams.onEncoded } : {}),
    };
    this.link = new SrpLink(
      this.linkOptions,
      {
        up: (i) => this.onLinkUp(i.remote, i.compression),
        down: (i) => this.onLinkDown(i.remote, i.why),
        message: (m) => this.onMessage(m),
        // A restart of the peer is judged on its Hellos (a fresh Hello of a new boot), never on
        // a handshake alone, which a recorded Capabilities frame could imitate.
        peerBoot: () => undefined,
        switched: () => {
          this.seams.onLinkSwitched?.();
        },
        refused: (i) => this.onRefused(i.reason, i.remote, i.cause),
      },
    );
    this.hooks = new HookQueue(config.notifyHooks, opts.logger.child({ component: 'hooks' }), (run) =>
      this.emit({
        type: 'hook',
        at: new Date().toISOString(),
        transition: run.transition,
        command: run.command,
        exitCode: run.exitCode,
        durationMs: run.durationMs,
        cause: run.error ?? (run.signal ? `killed by ${run.signal}` : `exit ${run.exitCode ?? '?'}`),
      }),
    );
  }

  setObserver(observer: DaemonObserver): void {
    this.observer = observer;
  }

  /** The SRP link's listening address (the real port when `bind` used port 0). */
  get srpAddress(): HostPort | null {
    return this.link.address;
  }

  get state(): ChassisStateName {
    return this.fsm.name;
  }

  /** Binds the SRP link, starts the liveness worker (Hellos), the state machine and the dialler. */
  async start(): Promise<void> {
    const bound = await this.link.listen();
    const settings: LivenessSettings = {
      // Hellos are datagrams on the same host:port as the SRP link (UDP and TCP ports are separate).
      bind: bound,
      peer: this.config.peer,
      helloIntervalMs: this.config.helloIntervalMs,
      deadIntervalMs: this.config.deadIntervalMs,
      watchdogMs: this.config.liveness.watchdogMs,
      bootId: this.bootId,
      // The same key ring as the TCP link: the first key signs, all are accepted.
      keys: this.keys.signingFirst(),
      board: newBoard(),
    };
    const liveness = this.makeLiveness(settings);
    this.keys.onChange(() => this.liveness?.setKeys(this.keys.signingFirst())); // a rotation reaches the Hellos
    this.livenessBoard = liveness.board;
    liveness.onReport((m) => this.onLivenessReport(m));
    this.liveness = liveness;
    this.pushStatus(true);
    try {
      await liveness.start();
    } catch (err) {
      await this.link.stop();
      throw err;
    }
    this.startedAt = this.clock.now();
    this.startedAtIso = new Date().toISOString();
    this.log.info(
      {
        mode: this.config.mode,
        priority: this.config.priority,
        cfMac: this.config.cfMac,
        bind: formatHostPort(bound),
        peer: formatHostPort(this.config.peer),
        helloIntervalMs: this.config.helloIntervalMs,
        deadIntervalMs: this.config.deadIntervalMs,
        delayIntervalMs: this.config.delayIntervalMs,
        startupHoldMs: this.config.liveness.startupHoldMs,
        watchdogMs: this.config.liveness.watchdogMs,
      },
      'chassis starting in Init',
    );
    if (this.witness) {
      this.witness.onStatus((st) => this.onWitness(st));
      this.witness.start();
    }
    this.dispatch({ type: 'start' });
    this.link.start();
    const refresh = (): void => {
      this.statusTimer = null;
      if (this.stopping) return;
      this.pushStatus(false);
      this.statusTimer = this.clock.setTimeout(refresh, STATUS_EVERY_MS);
    };
    this.statusTimer = this.clock.setTimeout(refresh, STATUS_EVERY_MS);
  }

  /** Graceful stop: a last Hello and a Goodbye (the peer takes over at once), close, drain hooks. */
  stop(reason = 'shutdown'): Promise<void> {
    this.stopping ??= (async () => {
      if (this.statusTimer) this.clock.clearTimeout(this.statusTimer);
      this.timers.cancelAll();
      const serving = this.fsm.name !== 'Standby' && this.fsm.name !== 'Init';
      this.log.info({ reason, state: this.fsm.name, takeoverNow: serving }, 'stopping: sending Goodbye');
      await Promise.all([
        this.witness?.release().then(() => this.witness?.stop()),
        this.liveness?.stop(serving),
        this.link.stop({ kind: 'goodbye', body: { reason, takeoverNow: serving } }),
      ]);
      await Promise.race([this.hooks.drain(), new Promise((r) => setTimeout(r, 5000).unref())]);
    })();
    return this.stopping;
  }

  /**
   * The chassis under this daemon rebooted (simulated hardware: every CF went down, then one came
   * back). Start over as a freshly booted srpd would: Init, a new boot id (a Standby peer takes
   * over once it hears it; an Active peer keeps its role and this chassis joins as Standby), no
   * timers, no peer knowledge. Not a state machine transition: the process it models died.
   * The SRP connection is kept; the liveness worker starts over with the new boot id, so a
   * Hello the peer sent before it heard the new boot is not fresh and cannot make this empty
   * chassis take the Active role (fsm/on-hello.ts, Init).
   */
  restartAfterChassisReset(cause: string): void {
    if (this.stopping || !this.fsm.started) return;
    this.timers.cancelAll();
    for (const [id, waiter] of [...this.switchoverWaiters]) {
      this.switchoverWaiters.delete(id);
      waiter({ accepted: false, reasons: ['chassis reset'] });
    }
    const from = this.fsm.name;
    this.bootId = randomInt(1, 2 ** 47);
    this.linkOptions.bootId = this.bootId;
    this.liveness?.reboot(this.bootId);
    this.peer = null;
    this.activeHellosWhileStandby = 0;
    // The link outlives the reset: keep its state, no 'link-up' will come for this connection.
    const { cfMac, linkUp, effectivePriority, preemptAllowed } = this.fsm;
    this.fsm = { ...initialState(this.fsm.config), cfMac, linkUp, effectivePriority, preemptAllowed };
    this.log.warn({ from, cause, bootId: this.bootId }, `chassis ${from} -> Init: ${cause}`);
    this.emit({ type: 'state-change', at: new Date().toISOString(), from, to: 'Init', cause });
    this.callSeam('onStateChange', () => this.seams.onStateChange?.({ from, to: 'Init', reason: null }));
    this.dispatch({ type: 'start' });
  }

  /** SIGHUP: reads the config file's keys, TLS files and peer-allow again; new connections use them. */
  reloadSecurity(): SecurityReload {
    return this.link.reloadSecurity(this.config.source);
  }

  /** Keys, TLS and admission of the SRP link (GET /v1/srp/security). */
  security(): SecurityInfo {
    return this.link.securityInfo();
  }

  /** Re-reads the readiness seam (call it when bulk sync completes). */
  refreshReadiness(): void {
    const ready = this.readiness({ state: this.fsm.name, activeHellosWhileStandby: this.activeHellosWhileStandby });
    if (ready !== this.fsm.localReady) this.dispatch({ type: 'readiness', ready });
  }

  /** Sends a message to the peer (checkpoint engine); false when the link is down. */
  sendToPeer(msg: SrpMessage): Promise<boolean> {
    return this.link.send(msg);
  }

  /** The link is up and not applying back-pressure (checkpoint transport). */
  get peerWritable(): boolean {
    return this.link.writable;
  }

  /** Called whenever the link can take more (socket drained, or a new connection). */
  onPeerDrain(cb: () => void): () => void {
    return this.link.onDrain(cb);
  }

  // ---- ManagedDaemon ------------------------------------------------------------------------

  info(): SrpInfo {
    const s = this.fsm;
    const sessions = (this.seams.sessions ?? zeroSessions).sessionCount();
    return {
      chassisId: this.config.chassisId,
      mode: this.config.mode,
      state: s.name,
      priority: this.config.priority,
      effectivePriority: s.effectivePriority,
      cfMac: formatMac(s.cfMac),
      routeModifier: s.routeModifier,
      link: this.link.up ? 'up' : 'down',
      peer: peerInfo(this.peer, this.link.remote),
      standbyReady: s.name === 'Standby' && s.localReady,
      sessions,
      lastSwitchover: this.lastSwitchover,
      helloIntervalMs: this.config.helloIntervalMs,
      deadIntervalMs: this.config.deadIntervalMs,
      delayIntervalMs: this.config.delayIntervalMs,
      compression: this.link.compression,
      configDigest: this.digest.toString('hex'),
      bind: formatHostPort(this.link.address ?? this.config.bind),
      peerAddress: formatHostPort(this.config.peer),
      startedAt: this.startedAtIso,
      uptimeSeconds: Math.round((this.clock.now() - this.startedAt) / 1000),
      epoch: s.epoch,
      baseEpoch: s.baseEpoch,
      fenced: s.fenced ? { since: new Date(Date.now() - (this.clock.now() - s.fenced.since)).toISOString(), cause: s.fenced.cause } : null,
      liveness: this.livenessInfo(),
      witness: this.witness ? (({ held, reachable, holder, leaseTtlMs, lastError }) => ({ held, reachable, holder, leaseTtlMs, lastError }))(this.witness.status) : null,
    };
  }

  private livenessInfo(): LivenessInfo {
    const b = this.livenessBoard;
    const now = processNowMs();
    const heardAt = b[BOARD.lastHeardAt];
    const lastHeardAgoMs = heardAt > 0 ? Math.round(now - heardAt) : null;
    const hearing = lastHeardAgoMs !== null && lastHeardAgoMs < this.config.deadIntervalMs;
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
      watchdogMs: this.config.liveness.watchdogMs,
      startupHoldMs: this.config.liveness.startupHoldMs,
    };
  }

  statistics(): SrpStatistics {
    const b = this.livenessBoard;
    const refusedDatagrams: Record<string, number> = {};
    DATAGRAM_REFUSALS.forEach((reason, i) => {
      const n = b[BOARD.refusedBase + i];
      if (n > 0) refusedDatagrams[reason] = n;
    });
    return {
      hellos: { sent: b[BOARD.hellosSent], received: b[BOARD.hellosReceived], missed: b[BOARD.hellosMissed] },
      switchovers: { ...this.stats.switchovers },
      configValidation: this.configCheck.snapshot(),
      refusedConnections: { ...this.stats.refusedConnections },
      refusedDatagrams,
      liveness: { ...this.stats.liveness },
      link: { ...this.link.counters },
    };
  }

  /** `reason`/`cause`: a planned switchover started by service monitoring (monitors/, tracking/). */
  initiateSwitchover(force: boolean, reason?: ServiceSwitchoverReason, cause?: string): Promise<SwitchoverResult> {
    const requestId = ++this.requestSeq;
    return new Promise((resolve) => {
      this.switchoverWaiters.set(requestId, resolve);
      this.dispatch({ type: 'manual-switchover', force, requestId, ...(reason ? { reason } : {}), ...(cause ? { cause } : {}) });
      if (this.switchoverWaiters.delete(requestId)) resolve({ accepted: false, reasons: ['daemon is stopping'] });
    });
  }

  /** Service monitoring: the effective priority (Hellos, elections) and whether preemption is allowed. */
  setServiceHealth(priority: number, preemptAllowed: boolean): void {
    this.dispatch({ type: 'service-health', priority, preemptAllowed });
  }

  validateSwitchover(): SwitchoverResult {
    const check = checkSwitchover(this.fsm);
    const reasons = [...check.blocking, ...check.overridable];
    return { accepted: reasons.length === 0, reasons };
  }

  validateConfiguration(): Promise<ConfigValidationResult> {
    return this.configCheck.validate();
  }

  onEvent(listener: (event: SrpEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- the state machine ---------------------------------------------------------------------

  private dispatch(event: FsmEvent): void {
    if (this.stopping && event.type !== 'manual-switchover') return;
    this.queue.push(event);
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      for (let e = this.queue.shift(); e; e = this.queue.shift()) {
        const { state, effects } = step(this.fsm, e, this.clock.now());
        this.fsm = state;
        for (const eff of effects) this.perform(eff);
      }
    } finally {
      this.dispatching = false;
    }
    this.pushStatus(false);
    this.updateWriteGate();
  }

  private perform(e: Effect): void {
    switch (e.type) {
      case 'transition':
        this.onTransition(e);
        break;
      case 'arm-timer':
        this.timers.arm(e.timer, e.delayMs);
        break;
      case 'cancel-timer':
        this.timers.cancel(e.timer);
        break;
      case 'send-hello':
        // The status first (the worker's next Hello says what changed), then a Hello now.
        this.pushStatus(false);
        this.liveness?.sendNow();
        break;
      case 'send-switchover-request':
        // A planned hand-over: the peer takes the witness lease as it takes over.
        if (this.witness && this.fsm.name === 'Pending-Standby') void this.witness.release();
        void this.link.send({
          kind: 'switchoverRequest',
          body: { requestId: e.requestId, force: e.force, reason: e.reason, flushedUpTo: e.flushedUpTo },
        });
        break;
      case 'send-switchover-response':
        void this.link.send({
          kind: 'switchoverResponse',
          body: { requestId: e.requestId, accepted: e.accepted, refusalReasons: e.reasons },
        });
        break;
      case 'critical-flush': {
        const flush = this.seams.criticalFlush ?? (() => Promise.resolve({ flushedUpTo: 0 }));
        const requestId = e.requestId;
        flush().then(
          (r) => this.dispatch({ type: 'flush-done', requestId, flushedUpTo: r.flushedUpTo }),
          (err: unknown) => this.dispatch({ type: 'flush-failed', requestId, error: String(err) }),
        );
        break;
      }
      case 'before-active': {
        const hook = this.seams.beforeActive ?? (() => Promise.resolve());
        const proceed = (): void => {
          hook({ reason: e.reason, flushedUpTo: e.flushedUpTo })
            .catch((err: unknown) => {
              // We must serve anyway: the peer is gone or has handed over.
              this.log.error({ err }, 'beforeActive failed; becoming Active with what was applied');
            })
            .finally(() => this.dispatch({ type: 'before-active-done' }));
        };
        if (this.witness) this.whenLeaseHeld(proceed);
        else proceed();
        break;
      }
      case 'switchover-result': {
        const waiter = this.switchoverWaiters.get(e.requestId);
        this.switchoverWaiters.delete(e.requestId);
        waiter?.({ accepted: e.accepted, reasons: e.reasons });
        this.log.info({ requestId: e.requestId, accepted: e.accepted, reasons: e.reasons }, 'manual switchover request');
        break;
      }
      case 'peer-lost':
        this.log.warn({ cause: e.cause }, 'peer lost');
        this.emit({ type: 'peer-lost', at: new Date().toISOString(), cause: e.cause });
        break;
      case 'fence':
        if (e.fenced) this.stats.liveness.fences++;
        this.log[e.fenced ? 'warn' : 'info']({ fenced: e.fenced, cause: e.cause }, e.fenced ? `fenced: writes refused until the peer is heard (${e.cause})` : `unfenced: ${e.cause}`);
        this.emit({ type: 'fence', at: new Date().toISOString(), fenced: e.fenced, cause: e.cause });
        break;
      case 'split-handoff':
        this.callSeam('onSplitHandoff', () => this.seams.onSplitHandoff?.(e.cause));
        break;
      case 'log':
        this.log[e.level](e.msg);
        break;
      case 'refused':
        this.log.debug({ event: e.event, reason: e.reason }, 'event refused in this state');
        break;
    }
  }

  // ---- the witness ---------------------------------------------------------------------------

  private onWitness(st: WitnessStatus): void {
    const prev = this.fsm.witness;
    this.dispatch({ type: 'witness', held: st.held, reachable: st.reachable, holder: st.holder });
    if (prev && prev.reachable !== st.reachable) {
      const cause = st.reachable ? 'the witness answers again' : `the witness does not answer (${st.lastError ?? 'no answer'})`;
      this.log[st.reachable ? 'info' : 'warn']({ reachable: st.reachable }, cause);
      this.emit({ type: 'witness', at: new Date().toISOString(), held: st.held, reachable: st.reachable, holder: st.holder, cause });
    } else if (prev && (prev.held !== st.held || prev.holder !== st.holder)) {
      const cause = st.held ? 'this chassis holds the witness lease' : st.holder ? `the witness lease is held by ${st.holder}` : 'nobody holds the witness lease';
      this.log.info({ held: st.held, holder: st.holder }, cause);
      this.emit({ type: 'witness', at: new Date().toISOString(), held: st.held, reachable: st.reachable, holder: st.holder, cause });
    }
    this.updateWriteGate();
  }

  /** Pending-Active with a witness: takes its lease, then `proceed`; gives up if the takeover is abandoned. */
  private whenLeaseHeld(proceed: () => void): void {
    const w = this.witness;
    if (!w) return;
    if (!w.status.held) w.acquire();
    if (w.status.held) {
      proceed();
      return;
    }
    this.log.info({ holder: w.status.holder, reachable: w.status.reachable }, 'taking over: waiting for the witness lease');
    const off = w.onStatus((st) => {
      if (this.fsm.name !== 'Pending-Active') off();
      else if (st.held) {
        off();
        proceed();
      }
    });
  }

  /**
   * Writes are refused while the chassis is fenced, and with a witness while this Active does not
   * hold its lease, unless the witness merely does not answer and the peer is a Standby that
   * hears us (losing only etcd keeps the pair as it is: an alarm, no refusal).
   */
  private updateWriteGate(): void {
    let reason = this.fsm.fenced ? `this chassis is fenced (${this.fsm.fenced.cause})` : null;
    const w = this.witness?.status;
    if (reason === null && w && this.fsm.name === 'Active' && !w.held) {
      const p = this.fsm.peer;
      const peerHearsUs = p !== null && p.alive && p.state === 'Standby' && !this.fsm.peerDeaf;
      if (w.reachable || !peerHearsUs) reason = `no witness lease${w.holder ? ` (the witness gives it to ${w.holder})` : ''}`;
    }
    if (reason === this.writeGate) return;
    this.writeGate = reason;
    this.callSeam('onFence', () => this.seams.onFence?.(reason !== null, reason ?? 'writes accepted again'));
  }

  private onTransition(e: Extract<Effect, { type: 'transition' }>): void {
    if (this.witness) {
      if (e.to === 'Standby' || e.to === 'Init') void this.witness.release();
      else if (e.to === 'Active' && !this.witness.status.held) this.witness.acquire();
    }
    const at = new Date().toISOString();
    this.log.info(
      { from: e.from, to: e.to, reason: e.reason, cause: e.cause, routeModifier: this.fsm.routeModifier },
      `chassis ${e.from} -> ${e.to}: ${e.cause}`,
    );
    this.emit({ type: 'state-change', at, from: e.from, to: e.to, cause: e.cause });
    if (e.to === 'Standby' || e.from === 'Standby') {
      this.activeHellosWhileStandby = 0;
    }
    const isSwitchover =
      e.reason !== null && (e.to === 'Active' || (e.to === 'Standby' && (e.from === 'Active' || e.from === 'Pending-Standby')));
    if (isSwitchover && e.reason) {
      this.lastSwitchover = { at, reason: e.reason, from: e.from, to: e.to };
      this.stats.switchovers[e.reason] = (this.stats.switchovers[e.reason] ?? 0) + 1;
      this.emit({ type: 'switchover', at, reason: e.reason, from: e.from, to: e.to, cause: e.cause });
      if (e.to === 'Active' && e.takeoverSince !== undefined && TAKEOVER_REASONS.has(e.reason)) {
        this.observer?.takeover((this.clock.now() - e.takeoverSince) / 1000, e.reason);
      }
    }
    this.hooks.enqueue({
      transition: hookName(e.from, e.to),
      args: [e.from, e.to, e.reason ?? ''],
      env: {
        SRP_FROM: e.from,
        SRP_TO: e.to,
        SRP_REASON: e.reason ?? '',
        SRP_CAUSE: e.cause,
        SRP_CHASSIS_ID: this.config.chassisId,
        SRP_ROUTE_MODIFIER: String(this.fsm.routeModifier),
      },
    });
    this.callSeam('onStateChange', () => this.seams.onStateChange?.({ from: e.from, to: e.to, reason: e.reason }));
    if (e.to === 'Standby') this.refreshReadiness();
  }

  // ---- the link ------------------------------------------------------------------------------

  /** What our Hellos say, for the liveness worker; `force` sends it even when nothing changed. */
  private pushStatus(force: boolean): void {
    const ch = this.liveness;
    if (!ch || this.stopping) return;
    const mac = this.seams.cfMac?.();
    if (mac && !Buffer.from(mac).equals(Buffer.from(this.fsm.cfMac)) && !this.dispatching) {
      this.log.info({ from: formatMac(this.fsm.cfMac), to: formatMac(mac) }, 'active CF MAC changed');
      this.dispatch({ type: 'cf-mac', cfMac: mac }); // its effect sends the Hello
      return;
    }
    const sessions = this.seams.sessions ?? zeroSessions;
    const eligible = sessions.eligibleCount();
    if ((eligible === 0) !== (this.fsm.eligible === 0) && !this.dispatching) {
      this.dispatch({ type: 'table', eligible });
      return;
    }
    const status: LocalStatus = {
      chassisId: this.config.chassisId,
      mode: modeToWire(this.config.mode),
      state: STATE_TO_WIRE[this.fsm.name],
      priority: this.fsm.effectivePriority,
      cfMac: this.fsm.cfMac,
      routeModifier: this.fsm.routeModifier,
      configDigest: this.digest,
      sessionCount: sessions.sessionCount(),
      eligibleCount: eligible,
      standbyReady: this.fsm.name === 'Standby' && this.fsm.localReady,
      epoch: this.fsm.epoch,
      baseEpoch: this.fsm.baseEpoch,
      fenced: this.fsm.fenced !== null,
      helloAllowed: this.seams.helloAllowed?.() ?? true,
    };
    ch.update(status);
    if (force) ch.sendNow();
  }

  private onLivenessReport(m: WorkerToMain): void {
    switch (m.type) {
      case 'hello':
        this.onHello(m.hello, m);
        break;
      case 'event':
        this.onLivenessEvent(m.event);
        break;
      case 'vouching':
        if (!m.vouching) this.stats.liveness.watchdogTrips++;
        this.log[m.vouching ? 'info' : 'error']({ vouching: m.vouching }, m.cause);
        this.emit({ type: 'watchdog', at: new Date().toISOString(), vouching: m.vouching, cause: m.cause });
        break;
      case 'refused':
        this.log.warn({ reason: m.reason, remote: m.remote, cause: m.cause }, 'Hello datagram refused');
        this.emit({ type: 'refused-datagram', at: new Date().toISOString(), reason: m.reason, remote: m.remote, cause: m.cause });
        break;
      case 'failed':
        this.onFatal(new Error(m.message));
        break;
      case 'ready':
      case 'stopped':
        break;
    }
  }

  private onLivenessEvent(e: DetectorEvent): void {
    const at = new Date().toISOString();
    switch (e.type) {
      case 'peer-dead':
        this.dispatch({ type: 'peer-dead', silentMs: e.silentMs });
        break;
      case 'stalled':
        this.stats.liveness.stalls++;
        this.log.warn({ ms: e.ms }, `stalled for ${e.ms} ms (${e.cause})`);
        this.emit({ type: 'stall', at, ms: e.ms, cause: e.cause });
        this.dispatch({ type: 'stalled', ms: e.ms, cause: e.cause });
        break;
      case 'link-fault': {
        const cause =
          e.fault === 'peer-does-not-hear-us'
            ? 'we hear the peer, its Hellos say it does not hear us'
            : e.fault === 'we-do-not-hear-peer'
              ? 'no Hello from the peer (it is dead, or its direction is cut)'
              : 'Hellos pass both ways';
        if (e.fault !== 'none') this.stats.liveness.linkFaults++;
        this.log[e.fault === 'none' ? 'info' : 'warn']({ fault: e.fault }, `link fault: ${e.fault} (${cause})`);
        this.emit({ type: 'link-fault', at, fault: e.fault, cause });
        this.dispatch({ type: 'peer-deaf', deaf: e.fault === 'peer-does-not-hear-us', cause });
        break;
      }
    }
  }

  private onHello(h: Hello, verdict: { fresh: boolean; newBoot: boolean; rttMs: number | null }): void {
    const ph = toPeerHello(h, verdict);
    if (typeof ph === 'string') {
      this.log.warn({ cause: ph }, 'malformed Hello ignored');
      return;
    }
    const prev = this.peer;
    if (verdict.rttMs !== null) this.observer?.helloRtt(verdict.rttMs / 1000);
    this.peer = { hello: h, state: ph.state, receivedAtIso: new Date().toISOString() };
    if (this.link.up && (!prev || !Buffer.from(prev.hello.configDigest).equals(Buffer.from(h.configDigest)) || prev.hello.bootId !== h.bootId)) {
      // New peer or changed config: compare key by key.
      this.configCheck.request();
    }
    this.dispatch({ type: 'hello', hello: ph });
    if (this.fsm.name === 'Standby' && ph.state === 'Active') this.activeHellosWhileStandby++;
    this.callSeam('onPeerHello', () => this.seams.onPeerHello?.(h));
    this.refreshReadiness();
  }

  private callSeam(name: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.error({ err }, `${name} seam threw`);
    }
  }

  private onMessage(msg: SrpMessage): void {
    switch (msg.kind) {
      case 'hello':
        // Hellos travel as datagrams on the liveness channel, judged there; one on the TCP
        // link (an older peer) is not believed.
        this.log.warn({ from: msg.body.chassisId }, 'Hello on the TCP link ignored: Hellos travel as datagrams');
        break;
      case 'goodbye':
        this.log.info({ reason: msg.body.reason, takeoverNow: msg.body.takeoverNow }, 'peer said goodbye');
        this.dispatch({ type: 'goodbye', reason: msg.body.reason, takeoverNow: msg.body.takeoverNow });
        break;
      case 'switchoverRequest':
        this.dispatch({ type: 'switchover-request', ...msg.body });
        break;
      case 'switchoverResponse':
        this.dispatch({
          type: 'switchover-response',
          requestId: msg.body.requestId,
          accepted: msg.body.accepted,
          reasons: msg.body.refusalReasons,
        });
        break;
      case 'configValidationRequest':
        this.configCheck.onRequest(msg.body.values, msg.body.configDigest);
        break;
      case 'configValidationResponse':
        this.configCheck.onResponse(msg.body);
        break;
      default:
        if (this.seams.onPeerMessage) this.seams.onPeerMessage(msg);
        else this.log.debug({ kind: msg.kind }, 'message without a consumer');
    }
  }

  private onLinkUp(remote: string, compression: string): void {
    this.activeHellosWhileStandby = 0;
    this.emit({ type: 'link', at: new Date().toISOString(), status: 'up', remote, cause: `connected, compression ${compression}` });
    this.dispatch({ type: 'link-up' });
    this.refreshReadiness();
    // A new connection: compare configurations with the peer we hear.
    if (this.peer) this.configCheck.request();
  }

  private onLinkDown(remote: string, why: string): void {
    this.emit({ type: 'link', at: new Date().toISOString(), status: 'down', remote, cause: why });
    this.dispatch({ type: 'link-down' });
  }

  private onRefused(reason: string, remote: string, cause: string): void {
    this.stats.refusedConnections[reason] = (this.stats.refusedConnections[reason] ?? 0) + 1;
    this.emit({ type: 'refused-connection', at: new Date().toISOString(), reason, remote, cause });
  }

  private emit(event: SrpEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch (err) {
        this.log.error({ err }, 'event listener threw');
      }
    }
  }
}
