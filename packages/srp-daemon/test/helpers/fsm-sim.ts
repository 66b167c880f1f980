// Drives the pure chassis state machine on a manual clock, performing its effects by hand:
// one machine fed with scripted Hellos, or two machines joined by a simulated SRP link.
import { ManualClock, type TimerHandle } from '../../src/fsm/clock.js';
import {
  initialState,
  step,
  type Effect,
  type FsmConfig,
  type FsmEvent,
  type FsmState,
  type PeerHello,
} from '../../src/fsm/chassis.js';
import { TimerTable } from '../../src/fsm/timers.js';
import { parseMac } from '../../src/config/mac.js';

export function fsmConfig(over: Partial<Omit<FsmConfig, 'cfMac'>> & { cfMac?: string } = {}): FsmConfig {
  const { cfMac, ...rest } = over;
  return {
    chassisId: 'a',
    mode: 'primary',
    priority: 10,
    deadIntervalMs: 3000,
    delayIntervalMs: 0,
    preemption: false,
    routeModifier: { initial: 1, threshold: 16 },
    switchoverTimeoutMs: 10_000,
    ...rest,
    cfMac: parseMac(cfMac ?? '00-02-43-00-00-01') as Uint8Array,
  };
}

export interface Transition {
  at: number;
  from: string;
  to: string;
  reason: string | null;
  cause: string;
}

/** One chassis on a manual clock. Effects that talk to the peer land in `outbox`. */
export class Machine {
  state: FsmState;
  readonly transitions: Transition[] = [];
  readonly effects: Effect[] = [];
  readonly outbox: Effect[] = [];
  readonly timers: TimerTable;
  bootId: string;
  /** Called for effects the peer should see; set by Pair. */
  deliver: ((e: Effect) => void) | null = null;
  autoBeforeActive = true;
  autoFlush = true;

  constructor(
    readonly clock: ManualClock,
    config: FsmConfig,
  ) {
    this.state = initialState(config);
    this.bootId = `${config.chassisId}-1`;
    this.timers = new TimerTable(clock, (timer) => this.send({ type: 'timer', timer }));
  }

  get name(): string {
    return this.state.name;
  }

  send(event: FsmEvent): Effect[] {
    const { state, effects } = step(this.state, event, this.clock.now());
    this.state = state;
    for (const e of effects) this.perform(e);
    return effects;
  }

  private perform(e: Effect): void {
    this.effects.push(e);
    switch (e.type) {
      case 'transition':
        this.transitions.push({ at: this.clock.now(), from: e.from, to: e.to, reason: e.reason, cause: e.cause });
        break;
      case 'arm-timer':
        this.timers.arm(e.timer, e.delayMs);
        break;
      case 'cancel-timer':
        this.timers.cancel(e.timer);
        break;
      case 'before-active':
        if (this.autoBeforeActive) this.clock.setTimeout(() => this.send({ type: 'before-active-done' }), 0);
        break;
      case 'critical-flush':
        if (this.autoFlush)
          this.clock.setTimeout(() => this.send({ type: 'flush-done', requestId: e.requestId, flushedUpTo: 7 }), 0);
        break;
      case 'send-hello':
      case 'send-switchover-request':
      case 'send-switchover-response':
        this.outbox.push(e);
        this.deliver?.(e);
        break;
      default:
        break;
    }
  }

  hello(): PeerHello {
    const c = this.state.config;
    return {
      chassisId: c.chassisId,
      mode: c.mode,
      state: this.state.name,
      priority: c.priority,
      cfMac: c.cfMac,
      routeModifier: this.state.routeModifier,
      standbyReady: this.state.name === 'Standby' && this.state.localReady,
      bootId: this.bootId,
    };
  }
}

/** A scripted peer Hello. */
export function peerHello(over: Partial<Omit<PeerHello, 'cfMac'>> & { cfMac?: string } = {}): PeerHello {
  const { cfMac, ...rest } = over;
  return {
    chassisId: 'b',
    mode: 'backup',
    state: 'Standby',
    priority: 20,
    routeModifier: 1,
    standbyReady: true,
    bootId: 'b-1',
    ...rest,
    cfMac: parseMac(cfMac ?? '00-02-43-00-00-02') as Uint8Array,
  };
}

/**
 * Two machines and a link. Each sends a Hello every `helloMs` while its process is up and the
 * link is up; messages arrive after `latencyMs`.
 */
export class Pair {
  readonly clock = new ManualClock(0);
  a: Machine;
  b: Machine;
  linkUp = true;
  readonly up = new Map<Machine, boolean>();
  /** Up, but sending nothing (a chassis with no CF in charge sends no Hello). */
  readonly silent = new Set<Machine>();
  private helloTimers = new Map<Machine, TimerHandle>();

  constructor(
    cfgA: FsmConfig,
    cfgB: FsmConfig,
    readonly helloMs = 1000,
    readonly latencyMs = 1,
  ) {
    this.a = new Machine(this.clock, cfgA);
    this.b = new Machine(this.clock, cfgB);
    this.wire(this.a, this.b);
    this.wire(this.b, this.a);
  }

  other(m: Machine): Machine {
    return m === this.a ? this.b : this.a;
  }

  private wire(from: Machine, to: Machine): void {
    from.deliver = (e) => {
      if (!this.linkUp || !this.up.get(from) || this.silent.has(from)) return;
      const hello = from.hello();
      this.clock.setTimeout(() => {
        if (!this.linkUp || !this.up.get(to) || !this.up.get(from)) return;
        if (e.type === 'send-hello') to.send({ type: 'hello', hello });
        else if (e.type === 'send-switchover-request')
          to.send({ type: 'switchover-request', requestId: e.requestId, force: e.force, reason: e.reason, flushedUpTo: e.flushedUpTo });
        else if (e.type === 'send-switchover-response')
          to.send({ type: 'switchover-response', requestId: e.requestId, accepted: e.accepted, reasons: e.reasons });
      }, this.latencyMs);
    };
  }

  start(m: Machine): void {
    this.up.set(m, true);
    m.send({ type: 'start' });
    if (this.linkUp) m.send({ type: 'link-up' });
    const tick = (): void => {
      if (!this.up.get(m)) return;
      m.deliver?.({ type: 'send-hello' });
      this.helloTimers.set(m, this.clock.setTimeout(tick, this.helloMs));
    };
    tick();
  }

  /** kill -9: the process and its timers vanish. */
  kill(m: Machine): void {
    this.up.set(m, false);
    const t = this.helloTimers.get(m);
    if (t) this.clock.clearTimeout(t);
    m.timers.cancelAll();
  }

  /** A fresh process of the same chassis (new boot id). */
  restart(m: Machine): void {
    this.kill(m);
    const fresh = new Machine(this.clock, m.state.config);
    fresh.bootId = `${m.state.config.chassisId}-${Number(m.bootId.split('-').pop()) + 1}`;
    if (m === this.a) this.a = fresh;
    else this.b = fresh;
    this.wire(this.a, this.b);
    this.wire(this.b, this.a);
    // The new process connects: its Capabilities tell the peer its boot id first.
    const peer = this.other(fresh);
    if (this.linkUp && this.up.get(peer)) peer.send({ type: 'peer-boot', bootId: fresh.bootId });
    this.start(fresh);
  }

  /**
   * The chassis under `m` loses every CF and gets one back `downMs` later, faster than the dead
   * interval (runtime/daemon.ts restartAfterChassisReset): the process and its SRP connection
   * live on, so the peer gets no new Capabilities and learns the new boot id only from Hellos;
   * no Hello leaves while no CF is in charge; then the machine starts over in Init with a new
   * boot id. Hellos already in flight from the peer reach the new machine.
   */
  chassisReset(m: Machine, downMs: number): void {
    this.silent.add(m);
    this.clock.setTimeout(() => {
      this.silent.delete(m);
      m.timers.cancelAll();
      m.bootId = `${m.state.config.chassisId}-${Number(m.bootId.split('-').pop()) + 1}`;
      const linkUp = m.state.linkUp;
      m.state = { ...initialState(m.state.config), linkUp };
      m.send({ type: 'start', rebooted: true });
    }, downMs);
  }

  run(ms: number): void {
    this.clock.advance(ms);
  }
}
