// The runner: owns the chassis state machine, performs its effects (timers, Hellos, switchover
// messages, hooks, logs, events) and feeds it events from the SRP link. Implements the
// management contract (ManagedDaemon) that the HTTP API, WebSocket events and metrics read.
import { randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import {
  ChassisMode,
  ChassisState,
  DEFAULT_MAX_FRAME_SIZE,
  type ConfigValidationResponse,
  type Hello,
  type SrpMessage,
} from '@srp-ha/wire';
import {
  configDigest,
  differingKeys,
  formatHostPort,
  hookName,
  matchingValues,
  type HostPort,
  type SrpConfig,
} from '../config/config.js';
import { formatMac, parseMac } from '../config/mac.js';
import type {
  ChassisStateName,
  ConfigValidationResult,
  DaemonObserver,
  ManagedDaemon,
  PeerInfo,
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
import type { SecurityInfo, SecurityReload } from '../link/security.js';
import { HookQueue } from './hooks.js';
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
}

const STATE_TO_WIRE: Record<ChassisStateName, ChassisState> = {
  Init: ChassisState.CHASSIS_STATE_INIT,
  'Pending-Active': ChassisState.CHASSIS_STATE_PENDING_ACTIVE,
  Active: ChassisState.CHASSIS_STATE_ACTIVE,
  'Pending-Standby': ChassisState.CHASSIS_STATE_PENDING_STANDBY,
  Standby: ChassisState.CHASSIS_STATE_STANDBY,
};
const STATE_FROM_WIRE = new Map<ChassisState, ChassisStateName>(
  (Object.entries(STATE_TO_WIRE) as [ChassisStateName, ChassisState][]).map(([k, v]) => [v, k]),
);
const TAKEOVER_REASONS: ReadonlySet<SwitchoverReason> = new Set([
  'peer-dead',
  'peer-goodbye',
  'manual',
  'manual-force',
  'preemption',
]);

interface PeerRecord {
  hello: Hello;
  state: ChassisStateName;
  receivedAt: number; // clock
  receivedAtIso: string;
}

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
  private readonly values: Record<string, string>;
  private readonly digest: Buffer;
  private readonly cfMac: Uint8Array;
  private bootId = randomInt(1, 2 ** 47);
  private readonly linkOptions: LinkOptions;
  /** The SRP link's shared keys; reloadSecurity() replaces them in place. */
  readonly keys: KeyRing;
  private observer: DaemonObserver | null;
  private helloTimer: TimerHandle | null = null;
  private helloSeq = 0;
  private peer: PeerRecord | null = null;
  private activeHellosWhileStandby = 0;
  private queue: FsmEvent[] = [];
  private dispatching = false;
  private requestSeq = 1_000_000;
  private readonly switchoverWaiters = new Map<number, (r: SwitchoverResult) => void>();
  private readonly validationWaiters = new Set<(r: ConfigValidationResponse | null) => void>();
  private lastSwitchover: SwitchoverRecord | null = null;
  private startedAtIso = new Date().toISOString();
  private startedAt = 0;
  private stopping: Promise<void> | null = null;
  private readonly stats: SrpStatistics = {
    hellos: { sent: 0, received: 0, missed: 0 },
    switchovers: {},
    configValidation: { checks: 0, mismatches: 0, lastResult: 'unknown', differingKeys: [] },
    refusedConnections: {},
    link: { connects: 0, disconnects: 0, framesIn: 0, framesOut: 0, bytesIn: 0, bytesOut: 0 },
  };

  constructor(
    readonly config: SrpConfig,
    opts: DaemonOptions,
  ) {
    this.clock = opts.clock ?? systemClock;
    this.timers = new TimerTable(this.clock, (timer) => this.dispatch({ type: 'timer', timer }));
    this.log = opts.logger.child({ component: 'chassis', chassisId: config.chassisId });
    this.seams = opts.seams ?? {};
    this.readiness = this.seams.readiness ?? readyAfterHellos(opts.readyAfterHellos ?? 3);
    this.observer = opts.observer ?? null;
    this.values = matchingValues(config);
    this.digest = configDigest(this.values);
    this.cfMac = parseMac(config.cfMac) ?? new Uint8Array(6);
    this.fsm = initialState({
      chassisId: config.chassisId,
      mode: config.mode,
      priority: config.priority,
      cfMac: this.cfMac,
      deadIntervalMs: config.deadIntervalMs,
      delayIntervalMs: config.delayIntervalMs,
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
        peerBoot: (bootId) => this.dispatch({ type: 'peer-boot', bootId: String(bootId) }),
        switched: () => {
          this.seams.onLinkSwitched?.();
          this.sendHello();
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

  /** Binds the SRP link, starts the state machine, the Hello timer and the dialler. */
  async start(): Promise<void> {
    await this.link.listen();
    this.startedAt = this.clock.now();
    this.startedAtIso = new Date().toISOString();
    this.log.info(
      {
        mode: this.config.mode,
        priority: this.config.priority,
        cfMac: this.config.cfMac,
        bind: formatHostPort(this.link.address ?? this.config.bind),
        peer: formatHostPort(this.config.peer),
        helloIntervalMs: this.config.helloIntervalMs,
        deadIntervalMs: this.config.deadIntervalMs,
        delayIntervalMs: this.config.delayIntervalMs,
      },
      'chassis starting in Init',
    );
    this.dispatch({ type: 'start' });
    this.link.start();
    const tick = (): void => {
      this.helloTimer = null;
      if (this.stopping) return;
      this.sendHello();
      this.helloTimer = this.clock.setTimeout(tick, this.config.helloIntervalMs);
    };
    this.helloTimer = this.clock.setTimeout(tick, this.config.helloIntervalMs);
  }

  /** Graceful stop: Goodbye to the peer (so it takes over at once), close the link, drain hooks. */
  stop(reason = 'shutdown'): Promise<void> {
    this.stopping ??= (async () => {
      if (this.helloTimer) this.clock.clearTimeout(this.helloTimer);
      this.timers.cancelAll();
      const serving = this.fsm.name !== 'Standby' && this.fsm.name !== 'Init';
      this.log.info({ reason, state: this.fsm.name, takeoverNow: serving }, 'stopping: sending Goodbye');
      await this.link.stop({ kind: 'goodbye', body: { reason, takeoverNow: serving } });
      await Promise.race([this.hooks.drain(), new Promise((r) => setTimeout(r, 5000).unref())]);
    })();
    return this.stopping;
  }

  /**
   * The chassis under this daemon rebooted (simulated hardware: every CF went down, then one came
   * back). Start over as a freshly booted srpd would: Init, a new boot id (a Standby peer takes
   * over at once; an Active peer keeps its role and this chassis joins as Standby), no timers,
   * no peer knowledge. Not a state machine transition: the process it models died.
   * The SRP connection is kept, so the peer learns the new boot id from our next Hello, not from
   * a handshake: the machine starts `rebooted` and does not mistake a Hello the peer sent as
   * our Standby, before that, for a peer waiting for an Active (FsmState.rebooted).
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
    this.peer = null;
    this.activeHellosWhileStandby = 0;
    // The link outlives the reset: keep its state, no 'link-up' will come for this connection.
    this.fsm = { ...initialState(this.fsm.config), cfMac: this.fsm.cfMac, linkUp: this.fsm.linkUp };
    this.log.warn({ from, cause, bootId: this.bootId }, `chassis ${from} -> Init: ${cause}`);
    this.emit({ type: 'state-change', at: new Date().toISOString(), from, to: 'Init', cause });
    try {
      this.seams.onStateChange?.({ from, to: 'Init', reason: null });
    } catch (err) {
      this.log.error({ err }, 'onStateChange seam threw');
    }
    this.dispatch({ type: 'start', rebooted: true });
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
      cfMac: formatMac(s.cfMac),
      routeModifier: s.routeModifier,
      link: this.link.up ? 'up' : 'down',
      peer: this.peerInfo(),
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
    };
  }

  statistics(): SrpStatistics {
    return {
      ...this.stats,
      hellos: { ...this.stats.hellos },
      switchovers: { ...this.stats.switchovers },
      configValidation: { ...this.stats.configValidation, differingKeys: [...this.stats.configValidation.differingKeys] },
      refusedConnections: { ...this.stats.refusedConnections },
      link: { ...this.link.counters },
    };
  }

  initiateSwitchover(force: boolean): Promise<SwitchoverResult> {
    const requestId = ++this.requestSeq;
    return new Promise((resolve) => {
      this.switchoverWaiters.set(requestId, resolve);
      this.dispatch({ type: 'manual-switchover', force, requestId });
      if (this.switchoverWaiters.delete(requestId)) resolve({ accepted: false, reasons: ['daemon is stopping'] });
    });
  }

  validateSwitchover(): SwitchoverResult {
    const check = checkSwitchover(this.fsm);
    const reasons = [...check.blocking, ...check.overridable];
    return { accepted: reasons.length === 0, reasons };
  }

  async validateConfiguration(): Promise<ConfigValidationResult> {
    const localDigest = this.digest.toString('hex');
    const none: ConfigValidationResult = { match: null, localDigest, peerDigest: null, differingKeys: [] };
    if (!this.link.up) return none;
    const answer = new Promise<ConfigValidationResponse | null>((resolve) => {
      const t = this.clock.setTimeout(() => {
        this.validationWaiters.delete(done);
        resolve(null);
      }, Math.max(2000, this.config.deadIntervalMs));
      const done = (r: ConfigValidationResponse | null): void => {
        this.clock.clearTimeout(t);
        resolve(r);
      };
      this.validationWaiters.add(done);
    });
    await this.link.send({ kind: 'configValidationRequest', body: { configDigest: this.digest, values: this.values } });
    const r = await answer;
    if (!r) return none;
    return {
      match: r.match,
      localDigest,
      peerDigest: Buffer.from(r.configDigest).toString('hex'),
      differingKeys: r.differingKeys,
    };
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
        this.sendHello();
        break;
      case 'send-switchover-request':
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
        hook({ reason: e.reason, flushedUpTo: e.flushedUpTo })
          .catch((err: unknown) => {
            // We must serve anyway: the peer is gone or has handed over.
            this.log.error({ err }, 'beforeActive failed; becoming Active with what was applied');
          })
          .finally(() => this.dispatch({ type: 'before-active-done' }));
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
      case 'log':
        this.log[e.level](e.msg);
        break;
      case 'refused':
        this.log.debug({ event: e.event, reason: e.reason }, 'event refused in this state');
        break;
    }
  }

  private onTransition(e: Extract<Effect, { type: 'transition' }>): void {
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
    try {
      this.seams.onStateChange?.({ from: e.from, to: e.to, reason: e.reason });
    } catch (err) {
      this.log.error({ err }, 'onStateChange seam threw');
    }
    if (e.to === 'Standby') this.refreshReadiness();
  }

  // ---- the link ------------------------------------------------------------------------------

  private sendHello(): void {
    if (!this.link.up || this.stopping) return;
    if (this.seams.helloAllowed && !this.seams.helloAllowed()) return; // no CF in charge
    const mac = this.seams.cfMac?.();
    if (mac && !Buffer.from(mac).equals(Buffer.from(this.fsm.cfMac))) {
      this.log.info({ from: formatMac(this.fsm.cfMac), to: formatMac(mac) }, 'active CF MAC changed');
      this.dispatch({ type: 'cf-mac', cfMac: mac }); // its effect sends the Hello
      return;
    }
    const sessions = this.seams.sessions ?? zeroSessions;
    const p = this.peer;
    const body: Hello = {
      chassisId: this.config.chassisId,
      mode: this.config.mode === 'primary' ? ChassisMode.CHASSIS_MODE_PRIMARY : ChassisMode.CHASSIS_MODE_BACKUP,
      state: STATE_TO_WIRE[this.fsm.name],
      priority: this.config.priority,
      cfMac: this.fsm.cfMac,
      routeModifier: this.fsm.routeModifier,
      configDigest: this.digest,
      sessionCount: sessions.sessionCount(),
      standbyReady: this.fsm.name === 'Standby' && this.fsm.localReady,
      sequence: ++this.helloSeq,
      sentAtMs: Date.now(),
      // The peer's send time plus how long we held it: the peer's RTT excludes our hold time.
      echoSentAtMs: p && p.hello.sentAtMs > 0 ? Math.round(p.hello.sentAtMs + (this.clock.now() - p.receivedAt)) : 0,
      eligibleCount: sessions.eligibleCount(),
      bootId: this.bootId,
      // Liveness fields of the new Hello (wire), not used yet on the TCP link.
      epoch: 0,
      baseEpoch: 0,
      heardBootId: 0,
      heardSequence: 0,
      heardAgeMs: 0,
      fenced: false,
      goodbye: false,
      takeoverNow: false,
    };
    void this.link.send({ kind: 'hello', body }).then((ok) => {
      if (ok) this.stats.hellos.sent++;
    });
  }

  private onHello(h: Hello): void {
    const state = STATE_FROM_WIRE.get(h.state);
    const mode = h.mode === ChassisMode.CHASSIS_MODE_PRIMARY ? 'primary' : h.mode === ChassisMode.CHASSIS_MODE_BACKUP ? 'backup' : null;
    if (!state || !mode || h.cfMac.length !== 6) {
      this.log.warn({ state: h.state, mode: h.mode, macBytes: h.cfMac.length }, 'malformed Hello ignored');
      return;
    }
    const now = this.clock.now();
    const prev = this.peer;
    this.stats.hellos.received++;
    if (prev && prev.hello.bootId === h.bootId) {
      const gap = now - prev.receivedAt;
      if (gap > 1.5 * this.config.helloIntervalMs) this.stats.hellos.missed += Math.round(gap / this.config.helloIntervalMs) - 1;
    }
    if (h.echoSentAtMs > 0) {
      const rtt = Date.now() - h.echoSentAtMs;
      if (rtt >= 0 && rtt < 60_000) this.observer?.helloRtt(rtt / 1000);
    }
    this.peer = { hello: h, state, receivedAt: now, receivedAtIso: new Date().toISOString() };
    if (!prev || !Buffer.from(prev.hello.configDigest).equals(Buffer.from(h.configDigest)) || prev.hello.bootId !== h.bootId) {
      // New peer or changed config: compare key by key.
      void this.link.send({ kind: 'configValidationRequest', body: { configDigest: this.digest, values: this.values } });
    }
    this.dispatch({
      type: 'hello',
      hello: {
        chassisId: h.chassisId,
        mode,
        state,
        priority: h.priority,
        cfMac: h.cfMac,
        routeModifier: h.routeModifier,
        standbyReady: h.standbyReady,
        bootId: String(h.bootId),
      },
    });
    if (this.fsm.name === 'Standby' && state === 'Active') this.activeHellosWhileStandby++;
    try {
      this.seams.onPeerHello?.(h);
    } catch (err) {
      this.log.error({ err }, 'onPeerHello seam threw');
    }
    this.refreshReadiness();
  }

  private onMessage(msg: SrpMessage): void {
    switch (msg.kind) {
      case 'hello':
        this.onHello(msg.body);
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
        this.onConfigValidationRequest(msg.body.values, msg.body.configDigest);
        break;
      case 'configValidationResponse':
        for (const w of [...this.validationWaiters]) w(msg.body);
        this.validationWaiters.clear();
        break;
      default:
        if (this.seams.onPeerMessage) this.seams.onPeerMessage(msg);
        else this.log.debug({ kind: msg.kind }, 'message without a consumer');
    }
  }

  private onConfigValidationRequest(peerValues: Record<string, string>, peerDigest: Uint8Array): void {
    const diff = differingKeys(this.values, peerValues);
    const cv = this.stats.configValidation;
    cv.checks++;
    if (diff.length > 0) cv.mismatches++;
    cv.lastResult = diff.length === 0 ? 'match' : 'mismatch';
    cv.differingKeys = diff;
    void this.link.send({
      kind: 'configValidationResponse',
      body: { match: diff.length === 0, differingKeys: diff, configDigest: this.digest },
    });
    const cause =
      diff.length === 0
        ? 'configuration matches the peer'
        : `configuration differs from the peer on: ${diff.join(', ')}`;
    if (diff.length > 0) this.log.warn({ differingKeys: diff, peerDigest: Buffer.from(peerDigest).toString('hex') }, cause);
    this.emit({ type: 'config-validation', at: new Date().toISOString(), match: diff.length === 0, differingKeys: diff, cause });
  }

  private onLinkUp(remote: string, compression: string): void {
    this.activeHellosWhileStandby = 0;
    this.emit({ type: 'link', at: new Date().toISOString(), status: 'up', remote, cause: `connected, compression ${compression}` });
    this.dispatch({ type: 'link-up' });
    this.refreshReadiness();
    this.sendHello();
  }

  private onLinkDown(remote: string, why: string): void {
    this.emit({ type: 'link', at: new Date().toISOString(), status: 'down', remote, cause: why });
    this.dispatch({ type: 'link-down' });
  }

  private onRefused(reason: string, remote: string, cause: string): void {
    this.stats.refusedConnections[reason] = (this.stats.refusedConnections[reason] ?? 0) + 1;
    this.emit({ type: 'refused-connection', at: new Date().toISOString(), reason, remote, cause });
  }

  private peerInfo(): PeerInfo | null {
    const p = this.peer;
    if (!p) return null;
    return {
      chassisId: p.hello.chassisId,
      state: p.state,
      mode: p.hello.mode === ChassisMode.CHASSIS_MODE_PRIMARY ? 'primary' : 'backup',
      priority: p.hello.priority,
      cfMac: formatMac(p.hello.cfMac),
      routeModifier: p.hello.routeModifier,
      standbyReady: p.hello.standbyReady,
      sessions: p.hello.sessionCount,
      address: this.link.remote,
      lastHelloAt: p.receivedAtIso,
    };
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
