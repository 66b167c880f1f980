// The runner: owns the chassis state machine, performs its effects (timers, Hellos, switchover
// messages, hooks, logs, events) and feeds it events from the SRP link, the liveness channel and
// the witness. Implements the management contract (ManagedDaemon) that the HTTP API, WebSocket
// events and metrics read. Its parts: options.ts (how it is built), effects.ts (what each effect
// does), link-messages.ts (the link's messages it consumes), switchover-requests.ts (planned
// switchovers asked for), liveness-bridge.ts (Hellos), write-gate.ts (witness and write refusal),
// transitions.ts (what a transition leaves behind), info.ts (show commands).
// It is longer than ~400 lines because the runner is the one owner of the state machine's state,
// its event queue and its lifecycle (start, stop, chassis reset); each concern around it is apart.
import { randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import type { Hello } from '@srp-ha/wire';
import { formatMac, type HostPort } from '@srp-ha/common';
import type { SrpConfig } from '../config/config.js';
import type {
  ChassisStateName,
  ConfigValidationResult,
  DaemonObserver,
  ManagedDaemon,
  ServiceSwitchoverReason,
  SrpEvent,
  SrpInfo,
  SrpStatistics,
  SwitchoverResult,
} from '../api/contract.js';
import { checkSwitchover, initialState, step, type FsmEvent, type FsmState, type PeerView } from '../fsm/chassis.js';
import { systemClock, type Clock, type TimerHandle } from '../fsm/clock.js';
import { TimerTable } from '../fsm/timers.js';
import { KeyRing } from '../link/keys.js';
import { SrpLink, type ChassisLink, type LinkOptions } from '../link/link.js';
import type { LinkState, MessagePort } from '../link/port.js';
import type { SecurityInfo, SecurityReload } from '../link/security.js';
import { WorkerLivenessChannel } from '../liveness/channel.js';
import { ProcessLivenessChannel } from '../liveness/process-channel.js';
import type { LocalStatus } from '../liveness/protocol.js';
import { Listeners } from '../util/listeners.js';
import { ConfigCheck } from './config-check.js';
import { srpInfo } from './info.js';
import { performEffect, type EffectHost, type TransitionEffect } from './effects.js';
import { CHASSIS_MESSAGES, onChassisMessage } from './link-messages.js';
import { LivenessBridge, type HelloVerdict } from './liveness-bridge.js';
import { firstState, linkOptionsFor, startupFields, type DaemonOptions } from './options.js';
import { noSessions, type ChassisHardware, type ChassisListener, type SessionService } from './parts.js';
import { localStatus, toPeerHello } from './peer.js';
import { SwitchoverRequests } from './switchover-requests.js';
import { TransitionReporter } from './transitions.js';
import { WriteGate } from './write-gate.js';

/** How often the session counts (and the active CF's MAC) are refreshed for the Hello. */
const STATUS_EVERY_MS = 50;

export type { DaemonOptions };

export class SrpDaemon implements ManagedDaemon {
  readonly registry = new Registry();
  /** The SRP link's shared keys; reloadSecurity() replaces them in place. */
  readonly keys: KeyRing;
  private fsm: FsmState;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly sessions: SessionService;
  private readonly hardware: ChassisHardware | null;
  private readonly chassisListeners: ChassisListener[];
  private readonly link: ChassisLink;
  private readonly linkOptions: LinkOptions;
  private readonly events: Listeners<SrpEvent>;
  private readonly timers: TimerTable;
  private readonly configCheck: ConfigCheck;
  private readonly liveness: LivenessBridge;
  private readonly gate: WriteGate;
  private readonly transitions: TransitionReporter;
  private readonly onFatal: (err: Error) => void;
  private readonly step: typeof step;
  private bootId = randomInt(1, 2 ** 47);
  private observer: DaemonObserver | null;
  private statusTimer: TimerHandle | null = null;
  private activeHellosWhileStandby = 0;
  private queue: FsmEvent[] = [];
  private dispatching = false;
  /** The state machine failed: no event is taken any more. */
  private failed = false;
  private readonly switchovers = new SwitchoverRequests();
  private readonly effects: EffectHost;
  private startedAtIso = new Date().toISOString();
  private startedAt = 0;
  private stopping: Promise<void> | null = null;
  private readonly refusedConnections: Record<string, number> = {};

  constructor(
    readonly config: SrpConfig,
    opts: DaemonOptions,
  ) {
    this.clock = opts.clock ?? systemClock;
    this.log = opts.logger.child({ component: 'chassis', chassisId: config.chassisId });
    this.events = new Listeners((err) => this.log.error({ err }, 'event listener threw'));
    this.timers = new TimerTable(this.clock, (timer) => this.dispatch({ type: 'timer', timer }));
    this.sessions = opts.parts?.sessions ?? noSessions(opts.readyAfterHellos ?? 3);
    this.hardware = opts.parts?.hardware ?? null;
    this.chassisListeners = [...(opts.parts?.listeners ?? [])];
    this.observer = opts.observer ?? null;
    this.step = opts.step ?? step;
    this.onFatal =
      opts.onFatal ??
      ((err) => {
        this.log.error({ err }, 'srpd cannot go on: stopping');
        void this.stop('fatal error');
      });
    this.keys = KeyRing.fromKeys(config.authKeys);
    this.linkOptions = linkOptionsFor(config, this.keys, this.bootId, this.clock, opts.logger);
    this.link = (opts.link ?? ((o) => new SrpLink(o)))(this.linkOptions);
    const link = this.link;
    this.configCheck = new ConfigCheck(config, config.deadIntervalMs, {
      get linkUp() {
        return link.up;
      },
      send: (msg) => link.send(msg),
      emit: (e) => this.emit(e),
      clock: this.clock,
      log: this.log,
    });
    this.fsm = firstState(config, opts);
    this.liveness = new LivenessBridge(
      {
        config,
        log: this.log,
        dispatch: (e) => this.dispatch(e),
        emit: (e) => this.emit(e),
        hello: (h, v) => this.onHello(h, v),
        fatal: (err) => this.onFatal(err),
      },
      opts.liveness ?? ((settings) => (config.liveness.helloPath === 'process' ? new ProcessLivenessChannel(settings) : new WorkerLivenessChannel(settings))),
    );
    this.gate = new WriteGate(opts.witness ?? null, {
      fsm: () => this.fsm,
      log: this.log,
      dispatch: (e) => this.dispatch(e),
      emit: (e) => this.emit(e),
      gateChanged: (refused) => this.tell('writeGate', (l) => l.writeGate?.(refused)),
    });
    this.transitions = new TransitionReporter(config, this.log, this.clock, (e) => this.emit(e), () => this.observer, opts.logger.child({ component: 'hooks' }));
    const { log, timers, sessions, gate, liveness, switchovers, configCheck } = this;
    this.effects = {
      log, timers, link, sessions, gate, liveness, switchovers,
      dispatch: (ev) => this.dispatch(ev),
      emit: (ev) => this.emit(ev),
      transitioned: (ev) => this.onTransition(ev),
      pushStatus: (now) => this.pushStatus(now),
      tell: (what, fn) => this.tell(what, fn),
    };
    const messages = { log, configCheck, dispatch: (ev: FsmEvent) => this.dispatch(ev) };
    link.onMessage(CHASSIS_MESSAGES, (m) => onChassisMessage(m, messages));
    link.onState((s) => this.onLinkState(s));
    link.onRefused((r) => {
      this.refusedConnections[r.reason] = (this.refusedConnections[r.reason] ?? 0) + 1;
      this.emit({ type: 'refused-connection', at: new Date().toISOString(), reason: r.reason, remote: r.remote, cause: r.cause });
    });
  }

  setObserver(observer: DaemonObserver): void {
    this.observer = observer;
  }

  /** Adds a listener of the runner's decisions (state changes, peer Hellos, write gate, hand-over). */
  addListener(listener: ChassisListener): void {
    this.chassisListeners.push(listener);
  }

  /** The SRP link as a message port: the session service binds its own message kinds to it. */
  get port(): MessagePort {
    return this.link;
  }

  /** The SRP link's listening address (the real port when `bind` used port 0). */
  get srpAddress(): HostPort | null {
    return this.link.address;
  }

  get state(): ChassisStateName {
    return this.fsm.name;
  }

  /** The one record of the peer: its last believed Hello, as the state machine holds it. */
  get peer(): Readonly<PeerView> | null {
    return this.fsm.peer;
  }

  /** Binds the SRP link, starts the liveness channel (Hellos), the state machine and the dialler. */
  async start(): Promise<void> {
    const bound = await this.link.listen();
    try {
      await this.liveness.start(bound, this.bootId, this.keys, this.localStatus(this.sessions.eligibleCount()));
    } catch (err) {
      await this.link.stop();
      throw err;
    }
    this.startedAt = this.clock.now();
    this.startedAtIso = new Date().toISOString();
    this.log.info(startupFields(this.config, bound), 'chassis starting in Init');
    this.gate.start();
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
        this.gate.stop(),
        this.liveness.stop(serving),
        this.link.stop({ kind: 'goodbye', body: { reason, takeoverNow: serving } }),
      ]);
      await this.transitions.drainHooks(5000);
    })();
    return this.stopping;
  }

  /**
   * The chassis under this daemon rebooted (simulated hardware: every CF went down, then one came
   * back). Start over as a freshly booted srpd would: Init, a new boot id (a Standby peer takes
   * over once it hears it; an Active peer keeps its role and this chassis joins as Standby), no
   * timers, no peer knowledge. Not a state machine transition: the process it models died.
   * The SRP connection is kept; the liveness channel starts over with the new boot id, so a
   * Hello the peer sent before it heard the new boot is not fresh and cannot make this empty
   * chassis take the Active role (fsm/on-hello.ts, Init).
   */
  restartAfterChassisReset(cause: string): void {
    if (this.stopping || this.failed || !this.fsm.started) return;
    this.timers.cancelAll();
    this.switchovers.refuseAll('chassis reset');
    const from = this.fsm.name;
    this.bootId = randomInt(1, 2 ** 47);
    this.linkOptions.bootId = this.bootId;
    this.liveness.reboot(this.bootId);
    this.activeHellosWhileStandby = 0;
    // The link outlives the reset: keep its state, no 'link-up' will come for this connection.
    const { cfMac, linkUp, effectivePriority, preemptAllowed } = this.fsm;
    this.fsm = { ...initialState(this.fsm.config), cfMac, linkUp, effectivePriority, preemptAllowed };
    this.log.warn({ from, cause, bootId: this.bootId }, `chassis ${from} -> Init: ${cause}`);
    this.emit({ type: 'state-change', at: new Date().toISOString(), from, to: 'Init', cause });
    this.tell('stateChanged', (l) => l.stateChanged?.({ from, to: 'Init', reason: null }));
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

  /** Re-reads the session service's readiness (call it when bulk sync completes). */
  refreshReadiness(): void {
    const ready = this.sessions.ready({ state: this.fsm.name, activeHellosWhileStandby: this.activeHellosWhileStandby });
    if (ready !== this.fsm.localReady) this.dispatch({ type: 'readiness', ready });
  }

  // ---- ManagedDaemon ------------------------------------------------------------------------

  info(): SrpInfo {
    return srpInfo({
      config: this.config,
      fsm: this.fsm,
      link: this.link,
      clock: this.clock,
      sessions: this.sessions.sessionCount(),
      lastSwitchover: this.transitions.lastSwitchover,
      configDigest: this.configCheck.digest,
      startedAtIso: this.startedAtIso,
      startedAt: this.startedAt,
      liveness: this.liveness.info(),
      witness: this.gate.status(),
    });
  }

  statistics(): SrpStatistics {
    return {
      hellos: this.liveness.hellos(),
      switchovers: { ...this.transitions.switchovers },
      configValidation: this.configCheck.snapshot(),
      refusedConnections: { ...this.refusedConnections },
      refusedDatagrams: this.liveness.refusedDatagrams(),
      liveness: { ...this.liveness.counts },
      link: { ...this.link.counters },
    };
  }

  /** `reason`/`cause`: a planned switchover started by service monitoring (monitors/, tracking/). */
  initiateSwitchover(force: boolean, reason?: ServiceSwitchoverReason, cause?: string): Promise<SwitchoverResult> {
    return this.switchovers.open(
      (requestId) => this.dispatch({ type: 'manual-switchover', force, requestId, ...(reason ? { reason } : {}), ...(cause ? { cause } : {}) }),
      () => (this.failed ? 'the state machine failed' : 'daemon is stopping'),
    );
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
    return this.events.add(listener);
  }

  // ---- the state machine ---------------------------------------------------------------------

  private dispatch(event: FsmEvent): void {
    if (this.failed || (this.stopping && event.type !== 'manual-switchover')) return;
    this.queue.push(event);
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      for (let e = this.queue.shift(); e; e = this.queue.shift()) {
        try {
          const { state, effects } = this.step(this.fsm, e, this.clock.now());
          this.fsm = state;
          for (const eff of effects) performEffect(eff, this.effects);
        } catch (err) {
          this.fail(err, e);
          return;
        }
      }
    } finally {
      this.dispatching = false;
    }
    this.pushStatus(false);
    this.gate.update();
  }

  /**
   * The state machine (or one of its effects) threw: what it would do next is unknown, so the
   * runner takes no more events, drops what was queued and cancels its timers; `onFatal` then
   * stops the chassis (srpd exits), and the peer takes over.
   */
  private fail(err: unknown, event: FsmEvent): void {
    this.failed = true;
    const dropped = this.queue.length;
    this.queue = [];
    this.timers.cancelAll();
    const error = err instanceof Error ? err : new Error(String(err));
    this.log.fatal({ err: error, event: event.type, state: this.fsm.name, dropped }, `the state machine failed on ${event.type} in ${this.fsm.name}: stopping`);
    this.emit({ type: 'peer-lost', at: new Date().toISOString(), cause: `this chassis stops: the state machine failed (${error.message})` });
    this.onFatal(error);
  }

  private onTransition(e: TransitionEffect): void {
    this.gate.transitioned(e.to);
    this.transitions.report(e, this.fsm.routeModifier);
    if (e.to === 'Standby' || e.from === 'Standby') this.activeHellosWhileStandby = 0;
    this.tell('stateChanged', (l) => l.stateChanged?.({ from: e.from, to: e.to, reason: e.reason }));
    if (e.to === 'Standby') this.refreshReadiness();
  }

  /** Tells every listener; one that throws is logged and the others are still told. */
  private tell(what: string, fn: (l: ChassisListener) => void): void {
    for (const l of this.chassisListeners) {
      try {
        fn(l);
      } catch (err) {
        this.log.error({ err }, `${what} listener threw`);
      }
    }
  }

  // ---- Hellos ----------------------------------------------------------------------------------

  private localStatus(eligible: number): LocalStatus {
    const extras = { configDigest: this.configCheck.digest, sessionCount: this.sessions.sessionCount(), eligibleCount: eligible };
    return localStatus(this.config, this.fsm, { ...extras, helloAllowed: this.hardware?.helloAllowed() ?? true });
  }

  /**
   * Hands the liveness channel what our Hellos say; `now` sends one at once. A change of the
   * active CF's MAC or of an empty table goes to the state machine first (its effect sends).
   */
  private pushStatus(now: boolean): void {
    if (this.stopping || this.failed) return;
    const mac = this.hardware?.cfMac();
    if (mac && !Buffer.from(mac).equals(Buffer.from(this.fsm.cfMac)) && !this.dispatching) {
      this.log.info({ from: formatMac(this.fsm.cfMac), to: formatMac(mac) }, 'active CF MAC changed');
      this.dispatch({ type: 'cf-mac', cfMac: mac });
      return;
    }
    const eligible = this.sessions.eligibleCount();
    if ((eligible === 0) !== (this.fsm.eligible === 0) && !this.dispatching) {
      this.dispatch({ type: 'table', eligible });
      return;
    }
    this.liveness.update(this.localStatus(eligible), now);
  }

  private onHello(h: Hello, verdict: HelloVerdict): void {
    const ph = toPeerHello(h, verdict);
    if (typeof ph === 'string') {
      this.log.warn({ cause: ph }, 'malformed Hello ignored');
      return;
    }
    const prev = this.fsm.peer;
    if (verdict.rttMs !== null) this.observer?.helloRtt(verdict.rttMs / 1000);
    if (this.link.up && (!prev || !Buffer.from(prev.configDigest).equals(Buffer.from(ph.configDigest)) || prev.bootId !== ph.bootId)) {
      // New peer or changed config: compare key by key.
      this.configCheck.request();
    }
    this.dispatch({ type: 'hello', hello: ph });
    if (this.fsm.name === 'Standby' && ph.state === 'Active') this.activeHellosWhileStandby++;
    const peer = this.fsm.peer;
    if (peer) this.tell('peerHello', (l) => l.peerHello?.(peer));
    this.refreshReadiness();
  }

  // ---- the link ------------------------------------------------------------------------------

  private onLinkState(s: LinkState): void {
    const at = new Date().toISOString();
    if (s.type === 'up') {
      this.activeHellosWhileStandby = 0;
      this.emit({ type: 'link', at, status: 'up', remote: s.remote, cause: `connected, compression ${s.compression}` });
      this.dispatch({ type: 'link-up' });
      this.refreshReadiness();
      // A new connection: compare configurations with the peer we hear.
      if (this.fsm.peer) this.configCheck.request();
    } else if (s.type === 'down') {
      this.emit({ type: 'link', at, status: 'down', remote: s.remote, cause: s.why });
      this.dispatch({ type: 'link-down' });
    }
  }

  private emit(event: SrpEvent): void {
    this.events.emit(event);
  }
}
