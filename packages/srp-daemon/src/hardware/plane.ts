// The simulated chassis under one srpd (packages/hw-sim models its cards): builds the hw-sim
// Chassis from the `hardware:` section and offers the daemon what it needs from it:
//   - the hardware the runner is composed with (runtime/parts.ts): the active CF's MAC for the
//     Hello and the election, whether Hellos may be sent (only while a CF is in charge); and a
//     listener of SRP state changes (traffic runs on the Active);
//   - management routes and srpctl commands (show redundancy ..., show card table, hw faults);
//   - `srp_hw_*` metrics on the daemon's registry and `hw-*` events for the event stream;
//   - `setSessionSink(sink | null)`: where generated subscriber sessions go (the session store).
import {
  Chassis,
  hardwareConfigFromYaml,
  systemClock,
  type Clock,
  type HardwareConfig,
  type SessionOp,
  type SessionSink,
} from '@srp-ha/hw-sim';
import { macOctets } from '@srp-ha/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ChassisStateName, SrpEvent } from '../api/contract.js';
import { HARDWARE_COMMANDS } from './commands.js';
import { forwardChassisEvents } from './events.js';
import type { HardwareStatus, SinkCounters } from './api.js';
import { registerHardwareMetrics } from './metrics.js';
import { hardwareRoutes } from './routes.js';
import type { CommandSpec } from '../management/commands.js';
import type { Route } from '../management/router.js';
import type { ChassisHardware, ChassisListener } from '../runtime/parts.js';

export interface HardwarePlaneOptions {
  /** The `hardware:` section of srpd's YAML as parsed (validated here by hardwareConfigFromYaml). */
  config: unknown;
  /** The daemon's chassis id (session ids and the routing advertisement use it). */
  chassisId: string;
  logger: Logger;
  /** The daemon's registry: `srp_hw_*` metrics are registered on it when given. */
  registry?: Registry;
  /** Also called with every `hw-*` event (besides `onEvent` listeners). */
  emit?: (event: SrpEvent) => void;
  /** Default: real time (timers unref()ed). Tests pass hw-sim's ManualClock. */
  clock?: Clock;
}

export interface HardwarePlane {
  readonly chassis: Chassis;
  readonly config: HardwareConfig;
  /**
   * The hardware the runner is composed with. Hellos come from the active CF: `helloAllowed` is
   * true while a CF is in charge, including a hung one before it is declared dead and the new CF
   * during an SSO switchover (the guard period); false when the chassis has no active CF at all
   * (both CFs down, chassis reset), so the peer takes over. `cfMac`: the CF in charge (the last
   * one known while none is).
   */
  readonly hardware: ChassisHardware;
  /** Told of every SRP state change (subscriber traffic runs on the Active only). */
  readonly listener: ChassisListener;
  readonly routes: Route[];
  readonly commands: CommandSpec[];
  /**
   * Where generated session operations go while this chassis is SRP Active (the checkpoint
   * session store: srpd passes `trafficSessionSink(engine)`); `null` detaches it. An op the sink
   * takes is counted as applied, one it throws on as failed; ops generated with no sink (or
   * outside Active) are counted as withheld and dropped.
   */
  setSessionSink(sink: SessionSink | null): void;
  /** Subscribe to the `hw-*` events; returns the unsubscribe function. */
  onEvent(listener: (event: SrpEvent) => void): () => void;
  /** Powers the chassis on; resolves when a CF is in charge (bounded by boot time + `timeoutMs`). */
  start(opts?: { waitForActiveCf?: boolean; timeoutMs?: number }): Promise<void>;
  /** Turn the traffic generator on or off (it only runs while this chassis is SRP Active). */
  setTrafficWanted(wanted: boolean): void;
  status(): HardwareStatus;
  sinkCounters(): SinkCounters;
  dispose(): void;
}

export function createHardwarePlane(opts: HardwarePlaneOptions): HardwarePlane {
  const config = hardwareConfigFromYaml(opts.config, opts.chassisId);
  const clock = opts.clock ?? systemClock;
  const log = opts.logger.child({ component: 'hardware' });
  const chassis = new Chassis(config, { clock, sink: null });
  const listeners = new Set<(e: SrpEvent) => void>();
  const counters: SinkCounters = { applied: 0, failed: 0, withheld: 0 };
  let sink: SessionSink | null = null;
  let srpState: ChassisStateName | null = null;
  let trafficWanted = config.traffic?.autoStart ?? false;
  let lastMac = macOctets(config.cfMacs[0]);
  let disposed = false;

  const emit = (event: SrpEvent): void => {
    for (const l of [...listeners]) {
      try {
        l(event);
      } catch (err) {
        log.error({ err, type: event.type }, 'hw event listener threw');
      }
    }
    opts.emit?.(event);
  };
  chassis.events.onListenerError = (err, name) => log.error({ err, event: name }, 'chassis event listener threw');
  const offEvents = forwardChassisEvents(chassis, emit);
  const offLog = [
    chassis.on('active-cf-changed', (e) => {
      if (e.mac) lastMac = macOctets(e.mac);
      if (e.slot === null) log.warn('no active CF: Hellos stop so that the peer takes over');
      else log.info({ slot: e.slot, mac: e.mac }, `CF in slot ${e.slot} is in charge; Hellos carry ${e.mac}`);
    }),
    chassis.on('cf-switchover', (e) =>
      log.info({ from: e.from, to: e.to, cause: e.cause, mode: e.mode, durationMs: e.durationMs }, `CF switchover ${e.from} -> ${e.to} complete`),
    ),
    chassis.on('chassis-reset', (e) => log.warn({ cause: e.cause }, `chassis reset: ${e.cause}`)),
    chassis.on('card-fault', (e) => log.warn({ slot: e.card, kind: e.kind, cardType: e.cardType }, `fault injected on slot ${e.card}: ${e.kind}`)),
  ];

  chassis.setSessionSink((op: SessionOp) => {
    if (sink && srpState === 'Active') {
      try {
        sink(op);
        counters.applied++;
      } catch (err) {
        counters.failed++;
        // The first failure and then one in 1000: a store that refuses everything must not flood the log.
        if (counters.failed % 1000 === 1) log.error({ err, op: op.op, id: op.id, failed: counters.failed }, 'session op not applied to the session store');
      }
    } else {
      counters.withheld++;
    }
  });

  const syncTraffic = (): void => {
    const t = chassis.traffic;
    if (!t || disposed) return;
    const run = trafficWanted && srpState === 'Active';
    if (run && !t.running()) {
      if (t.start()) log.info('subscriber traffic generator running (chassis is Active)');
    } else if (!run && t.running()) {
      t.stop();
      log.info('subscriber traffic generator paused');
    }
  };

  const hardware: ChassisHardware = {
    cfMac: () => {
      const a = chassis.activeCf();
      return a ? macOctets(a.mac) : lastMac;
    },
    helloAllowed: () => chassis.activeCf() !== null,
  };
  const listener: ChassisListener = {
    stateChanged: (change) => {
      srpState = change.to;
      syncTraffic();
    },
  };

  const plane: HardwarePlane = {
    chassis,
    config,
    hardware,
    listener,
    routes: [],
    commands: HARDWARE_COMMANDS,
    setSessionSink(s) {
      sink = s;
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async start({ waitForActiveCf = true, timeoutMs = 10_000 } = {}) {
      chassis.start();
      // The chassis starts the generator itself when auto-start is set; it waits for Active here.
      syncTraffic();
      if (!waitForActiveCf || chassis.activeCf()) return;
      const bound = config.timers.cfBootMs + timeoutMs;
      // A real (ref'ed) timer bounds the wait and keeps the process alive meanwhile: the chassis
      // timers of systemClock are unref'ed. With a manual clock the boot is driven by the test.
      await new Promise<void>((resolve, reject) => {
        const off = chassis.on('active-cf-changed', (e) => {
          if (e.slot === null) return;
          off();
          clearTimeout(t);
          resolve();
        });
        const t = setTimeout(() => {
          off();
          reject(new Error(`no CF became active within ${bound} ms of power-on`));
        }, bound);
      });
    },
    setTrafficWanted(wanted) {
      trafficWanted = wanted;
      syncTraffic();
    },
    status() {
      const snap = chassis.snapshot();
      return {
        chassisId: config.chassisId,
        srpState,
        activeCf: snap.activeCf,
        helloAllowed: hardware.helloAllowed(),
        guard: { ...snap.guard, guardTimerMs: config.guardTimerMs },
        traffic: { configured: chassis.traffic !== null, wanted: trafficWanted, running: chassis.traffic?.running() ?? false },
        sessionSink: { attached: sink !== null, ...counters },
      };
    },
    sinkCounters: () => ({ ...counters }),
    dispose() {
      if (disposed) return;
      disposed = true;
      offEvents();
      for (const off of offLog) off();
      chassis.setSessionSink(null);
      chassis.dispose();
    },
  };
  plane.routes.push(...hardwareRoutes(plane));
  if (opts.registry) registerHardwareMetrics(opts.registry, chassis, () => plane.sinkCounters());
  return plane;
}
