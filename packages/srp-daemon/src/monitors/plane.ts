// Service monitoring inside srpd: the monitors (`monitor.authentication-probe`,
// `monitor.diameter`), the tracked objects and the chassis priority, the guard and damping
// timers. Built before the daemon (its seam goes into the daemon's constructor), attached to
// the daemon once it exists, started after it. Offers:
//   - a seam: every state change (probing starts on the Active, failure flags, guard times);
//   - routes: GET /v1/srp/monitor[/KIND], POST /v1/srp/reset-auth-probe-fail, reset-diameter-fail;
//   - events (monitor-*, track, priority, service-switchover) and srp_monitor_* / srp_track_* metrics.
import type { Chassis } from '@srp-ha/hw-sim';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ChassisStateName, SrpEvent, SrpInfo } from '../api/contract.js';
import type { SrpConfig } from '../config/config.js';
import type { MonitorKind } from '../config/monitoring.js';
import { systemClock, type Clock, type TimerHandle } from '../fsm/clock.js';
import type { Route } from '../management/router.js';
import type { ChassisListener } from '../runtime/parts.js';
import { Tracker, type TrackingView } from './tracker.js';
import { MonitorController, type MonitorKindView } from './controller.js';
import { DiameterSource } from './diameter-peer.js';
import { registerMonitorMetrics } from './metrics.js';
import { AuthProbeSource } from './radius-probe.js';
import { SwitchoverRequester, type RequestRecord, type SwitchoverHost } from './requester.js';
import { monitorRoutes } from './routes.js';
import type { MonitorSource, ProbeObserver } from './source.js';

/** What the plane needs from the daemon (SrpDaemon has all of it). */
export interface ServiceDaemon extends SwitchoverHost {
  info(): SrpInfo;
  setServiceHealth(priority: number, preemptAllowed: boolean): void;
  readonly registry: Registry;
}

export interface MonitorShow {
  chassisId: string;
  state: ChassisStateName;
  guard: ReturnType<MonitorController['guardView']> & { timers: SrpConfig['monitoring']['guard'] };
  monitors: MonitorKindView[];
  tracking: TrackingView;
  lastServiceSwitchover: RequestRecord | null;
}

export interface ServicePlane {
  /** Told of every state change (probing runs on the Active). */
  readonly listener: ChassisListener;
  readonly routes: Route[];
  attach(daemon: ServiceDaemon): void;
  /** Starts monitoring (after daemon.start()). */
  start(): void;
  show(kind?: MonitorKind): MonitorShow;
  reset(kind: MonitorKind): boolean;
  onEvent(listener: (e: SrpEvent) => void): () => void;
  dispose(): void;
}

export interface ServicePlaneOptions {
  config: SrpConfig;
  logger: Logger;
  chassis: Chassis | null;
  clock?: Clock;
  /** How often groups, guards and the priority are re-judged. */
  tickMs?: number;
}

export function createServicePlane(opts: ServicePlaneOptions): ServicePlane {
  const clock = opts.clock ?? systemClock;
  const log = opts.logger.child({ component: 'monitor' });
  const m = opts.config.monitoring;
  const listeners = new Set<(e: SrpEvent) => void>();
  const emit = (e: SrpEvent): void => {
    log.info({ event: e }, `${e.type}: ${e.cause}`);
    for (const l of [...listeners]) {
      try {
        l(e);
      } catch (err) {
        log.error({ err }, 'event listener threw');
      }
    }
  };
  let daemon: ServiceDaemon | null = null;
  const need = (): ServiceDaemon => {
    if (!daemon) throw new Error('service plane used before attach()');
    return daemon;
  };
  let state: ChassisStateName = 'Init';
  const observers: ProbeObserver[] = [];
  const observer: ProbeObserver = { probe: (...a) => observers.forEach((o) => o.probe(...a)) };
  const ctx = { clock, observer, log: (level: 'debug' | 'info' | 'warn', obj: Record<string, unknown>, msg: string) => log[level](obj, msg) };
  const sources: MonitorSource[] = [];
  if (m.authProbe) sources.push(new AuthProbeSource(m.authProbe, ctx));
  if (m.diameter) sources.push(new DiameterSource(m.diameter, ctx));
  const requester = new SwitchoverRequester({ initiateSwitchover: (f, r, c) => need().initiateSwitchover(f, r, c) }, emit);
  const monitors = new MonitorController({ sources, guard: m.guard, clock, chassis: opts.chassis, requester, emit, state: () => state });
  const tracker = new Tracker({
    configuredPriority: opts.config.priority,
    failoverThreshold: m.failoverThreshold,
    preemption: opts.config.preemption,
    preemptionDelayMs: m.preemptionDelayMs,
    objects: m.track,
    clock,
    chassis: opts.chassis,
    groupVerdict: (kind, group) => monitors.verdict(kind, group),
    preemptBlocker: () => monitors.preemptBlocker(),
    requester,
    host: { info: () => need().info(), setServiceHealth: (p, a) => need().setServiceHealth(p, a) },
    emit,
  });
  let timer: TimerHandle | null = null;
  let started = false;
  const tickMs = opts.tickMs ?? 250;
  const judge = (): void => {
    try {
      monitors.tick();
      tracker.tick();
    } catch (err) {
      log.error({ err }, 'service monitoring tick failed');
    }
  };
  const tick = (): void => {
    timer = null;
    judge();
    if (started) timer = clock.setTimeout(tick, tickMs);
  };

  const plane: ServicePlane = {
    listener: {
      stateChanged(change) {
        state = change.to;
        monitors.onStateChange(change.from, change.to, change.reason);
      },
    },
    routes: [],
    attach(d) {
      daemon = d;
      registerMonitorMetrics(d.registry, { show: () => plane.show(), observers });
    },
    start() {
      if (started) return;
      started = true;
      state = need().info().state;
      monitors.start();
      tracker.start();
      tick();
    },
    show(kind) {
      const info = need().info();
      return {
        chassisId: info.chassisId,
        state: info.state,
        guard: { ...monitors.guardView(), timers: m.guard },
        monitors: monitors.view(kind),
        tracking: tracker.view(),
        lastServiceSwitchover: requester.last,
      };
    },
    reset(kind) {
      const ok = monitors.reset(kind);
      if (ok && started) judge();
      return ok;
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      started = false;
      if (timer) clock.clearTimeout(timer);
      timer = null;
      tracker.stop();
      monitors.dispose();
    },
  };
  plane.routes.push(...monitorRoutes(plane, monitors.kindsConfigured()));
  return plane;
}
