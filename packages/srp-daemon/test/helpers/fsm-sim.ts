// Drives the pure chassis state machine on a manual clock, performing its effects by hand:
// one machine fed with scripted Hellos, or two machines joined by a simulated link. In a Pair,
// each machine has the real liveness detector (liveness/detector.ts) in front of it, as srpd's
// liveness worker does: Hellos go through it, and its verdicts (peer-dead, stalled, one-way
// faults) become the machine's events.
import { ManualClock, type TimerHandle } from '../../src/fsm/clock.js';
import { initialState, step, type Effect, type FsmConfig, type FsmEvent, type FsmState, type PeerHello, type StepResult } from '../../src/fsm/chassis.js';
import { TimerTable } from '../../src/fsm/timers.js';
import { macOctets } from '@srp-ha/common';
import { LivenessDetector, type DetectorEvent } from '../../src/liveness/detector.js';
import { modeToWire, STATE_TO_WIRE, toPeerHello } from '../../src/runtime/peer.js';
import type { Hello } from '@srp-ha/wire';

export function fsmConfig(over: Partial<Omit<FsmConfig, 'cfMac'>> & { cfMac?: string } = {}): FsmConfig {
  const { cfMac, ...rest } = over;
  return {
    chassisId: 'a',
    mode: 'primary',
    priority: 10,
    deadIntervalMs: 3000,
    delayIntervalMs: 0,
    startupHoldMs: 3000,
    preemption: false,
    routeModifier: { initial: 1, threshold: 16 },
    switchoverTimeoutMs: 10_000,
    ...rest,
    cfMac: macOctets(cfMac ?? '00-02-43-00-00-01'),
  };
}

export interface Transition {
  at: number;
  from: string;
  to: string;
  reason: string | null;
  cause: string;
}

let nextBoot = 1;

/** One chassis on a manual clock. Effects that talk to the peer land in `outbox`. */
export class Machine {
  state: FsmState;
  readonly transitions: Transition[] = [];
  readonly effects: Effect[] = [];
  readonly outbox: Effect[] = [];
  readonly timers: TimerTable;
  bootId = nextBoot++;
  detector: LivenessDetector;
  /** Called for effects the peer should see; set by Pair. */
  deliver: ((e: Effect) => void) | null = null;
  autoBeforeActive = true;
  autoFlush = true;
  /** Called after every step, once its effects are performed (the property tests check here). */
  observe: ((m: Machine, before: FsmState, event: FsmEvent, result: StepResult) => void) | null = null;

  constructor(
    readonly clock: ManualClock,
    config: FsmConfig,
    readonly helloMs = 1000,
  ) {
    this.state = initialState(config);
    this.timers = new TimerTable(clock, (timer) => this.send({ type: 'timer', timer }));
    this.detector = this.newDetector();
  }

  newDetector(): LivenessDetector {
    const c = this.state.config;
    return new LivenessDetector({ helloIntervalMs: this.helloMs, deadIntervalMs: c.deadIntervalMs }, this.bootId, this.clock.now());
  }

  get name(): string {
    return this.state.name;
  }

  send(event: FsmEvent): Effect[] {
    const before = this.state;
    const result = step(before, event, this.clock.now());
    this.state = result.state;
    for (const e of result.effects) this.perform(e);
    this.observe?.(this, before, event, result);
    return result.effects;
  }

  /** The verdicts of the detector as the runner turns them into events. */
  verdicts(events: DetectorEvent[]): void {
    for (const e of events) {
      if (e.type === 'peer-dead') this.send({ type: 'peer-dead', silentMs: e.silentMs });
      else if (e.type === 'stalled') this.send({ type: 'stalled', ms: e.ms, cause: e.cause });
      else this.send({ type: 'peer-deaf', deaf: e.fault === 'peer-does-not-hear-us', cause: e.fault });
    }
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
        if (this.autoFlush) this.clock.setTimeout(() => this.send({ type: 'flush-done', requestId: e.requestId, flushedUpTo: 7 }), 0);
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

  /** Our next Hello, as the liveness worker would build it. */
  hello(): Hello {
    const s = this.state;
    const c = s.config;
    const now = this.clock.now();
    const seq = this.detector.nextSequence();
    this.detector.sent(seq, now);
    return {
      chassisId: c.chassisId,
      mode: modeToWire(c.mode),
      state: STATE_TO_WIRE[s.name],
      priority: s.effectivePriority,
      cfMac: s.cfMac,
      routeModifier: s.routeModifier,
      configDigest: new Uint8Array(32),
      sessionCount: s.eligible,
      standbyReady: s.name === 'Standby' && s.localReady,
      sequence: seq,
      sentAtMs: now,
      echoSentAtMs: 0,
      eligibleCount: s.eligible,
      bootId: this.bootId,
      epoch: s.epoch,
      baseEpoch: s.baseEpoch,
      ...this.detector.heard(now),
      fenced: s.fenced !== null,
      goodbye: false,
      takeoverNow: false,
      partialTable: s.partialTable,
    };
  }
}

/** A scripted peer Hello, as the detector passes it on (fresh, same boot). */
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
    epoch: 0,
    baseEpoch: 0,
    fenced: false,
    eligible: 0,
    sessions: 0,
    configDigest: new Uint8Array(32),
    fresh: true,
    newBoot: false,
    goodbye: false,
    takeoverNow: false,
    partialTable: false,
    ...rest,
    cfMac: macOctets(cfMac ?? '00-02-43-00-00-02'),
  };
}

/**
 * Two machines and a link. Each sends a Hello every `helloMs` while its process is up and
 * not frozen; Hellos and switchover messages arrive after `latencyMs`, unless the link (or
 * that direction of it) is cut.
 */
export class Pair {
  readonly clock = new ManualClock(0);
  a: Machine;
  b: Machine;
  linkUp = true;
  /** Directions that drop everything (one-way faults), by sender. */
  readonly dropFrom = new Set<Machine>();
  readonly up = new Map<Machine, boolean>();
  /** Up, but sending nothing (a chassis with no CF in charge sends no Hello). */
  readonly silent = new Set<Machine>();
  /** Frozen (SIGSTOP): runs nothing; what reaches it waits until it is thawed. */
  readonly frozen = new Map<Machine, (() => void)[]>();
  private helloTimers = new Map<Machine, TimerHandle>();

  constructor(
    cfgA: FsmConfig,
    cfgB: FsmConfig,
    readonly helloMs = 1000,
    readonly latencyMs = 1,
  ) {
    this.a = new Machine(this.clock, cfgA, helloMs);
    this.b = new Machine(this.clock, cfgB, helloMs);
    this.wire(this.a, this.b);
    this.wire(this.b, this.a);
  }

  other(m: Machine): Machine {
    return m === this.a ? this.b : this.a;
  }

  private passes(from: Machine): boolean {
    return this.linkUp && !this.dropFrom.has(from) && this.up.get(from) === true;
  }

  /** Runs `fn` on `m` now, or when it is thawed. */
  private onMachine(m: Machine, fn: () => void): void {
    const q = this.frozen.get(m);
    if (q) q.push(fn);
    else fn();
  }

  private wire(from: Machine, to: Machine): void {
    from.deliver = (e) => {
      if (!this.passes(from) || this.silent.has(from) || this.frozen.has(from)) return;
      const hello = e.type === 'send-hello' ? from.hello() : null;
      this.clock.setTimeout(() => {
        if (!this.passes(from) || !this.up.get(to)) return;
        this.onMachine(to, () => {
          if (hello) this.receive(to, hello);
          else if (e.type === 'send-switchover-request')
            to.send({ type: 'switchover-request', requestId: e.requestId, force: e.force, reason: e.reason, flushedUpTo: e.flushedUpTo });
          else if (e.type === 'send-switchover-response')
            to.send({ type: 'switchover-response', requestId: e.requestId, accepted: e.accepted, reasons: e.reasons });
        });
      }, this.latencyMs);
    };
  }

  /** A Hello reaches `to`: through its detector, then (if believed) into its state machine. */
  private receive(to: Machine, hello: Hello): void {
    const now = this.clock.now();
    to.verdicts(to.detector.noticeStall(now).events);
    const v = to.detector.onHello(hello, now);
    if (!v.accepted) return;
    const ph = toPeerHello(hello, v);
    if (typeof ph !== 'string') to.send({ type: 'hello', hello: ph });
    if (v.first) to.deliver?.({ type: 'send-hello' }); // as the worker: answer a new peer at once
    to.verdicts(to.detector.check(now));
    // As the liveness worker: a check exactly a dead interval after this Hello.
    const detector = to.detector;
    this.clock.setTimeout(() => {
      if (this.up.get(to) && to.detector === detector) this.onMachine(to, () => to.verdicts(detector.check(this.clock.now())));
    }, to.state.config.deadIntervalMs);
  }

  start(m: Machine): void {
    this.up.set(m, true);
    m.detector = m.newDetector();
    m.send({ type: 'start' });
    if (this.linkUp) m.send({ type: 'link-up' });
    const tick = (): void => {
      if (!this.up.get(m)) return;
      if (!this.frozen.has(m)) {
        m.deliver?.({ type: 'send-hello' });
        m.verdicts(m.detector.check(this.clock.now()));
      }
      this.helloTimers.set(m, this.clock.setTimeout(tick, this.helloMs));
    };
    tick();
  }

  /** kill -9: the process and its timers vanish. */
  kill(m: Machine): void {
    this.up.set(m, false);
    this.frozen.delete(m);
    const t = this.helloTimers.get(m);
    if (t) this.clock.clearTimeout(t);
    m.timers.cancelAll();
  }

  /** A fresh process of the same chassis (new boot id, nothing known). */
  restart(m: Machine): Machine {
    this.kill(m);
    const fresh = new Machine(this.clock, m.state.config, this.helloMs);
    fresh.observe = m.observe;
    if (m === this.a) this.a = fresh;
    else this.b = fresh;
    this.wire(this.a, this.b);
    this.wire(this.b, this.a);
    this.start(fresh);
    return fresh;
  }

  /** SIGSTOP for `ms`, then SIGCONT: nothing runs meanwhile; then what waited is read first. */
  freeze(m: Machine, ms: number): void {
    this.frozen.set(m, []);
    this.clock.setTimeout(() => {
      if (!this.up.get(m)) return; // killed meanwhile: nothing resumes
      const waiting = this.frozen.get(m) ?? [];
      // The process resumes. As the liveness worker: it notices the stall, reads what waited in
      // its socket, and only then sends a Hello (one that says what it hears now).
      m.verdicts(m.detector.noticeStall(this.clock.now()).events);
      for (const fn of waiting) fn();
      this.frozen.delete(m);
      m.deliver?.({ type: 'send-hello' });
    }, ms);
  }

  /**
   * The chassis under `m` loses every CF and gets one back `downMs` later (runtime/daemon.ts
   * restartAfterChassisReset): the process lives on; no Hello leaves while no CF is in charge;
   * then the machine starts over in Init with a new boot id and a new detector.
   */
  chassisReset(m: Machine, downMs: number): void {
    this.silent.add(m);
    this.clock.setTimeout(() => {
      this.silent.delete(m);
      if (!this.up.get(m)) return; // killed meanwhile: its CF cards come back to no process
      m.timers.cancelAll();
      m.bootId = nextBoot++;
      m.detector = m.newDetector();
      // As the runner: the link outlives the reset, and so do the CF MAC and service health.
      const { linkUp, cfMac, effectivePriority, preemptAllowed } = m.state;
      m.state = { ...initialState(m.state.config), linkUp, cfMac, effectivePriority, preemptAllowed };
      m.send({ type: 'start' });
    }, downMs);
  }

  run(ms: number): void {
    this.clock.advance(ms);
  }
}
