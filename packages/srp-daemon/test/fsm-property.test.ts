// Property tests of the chassis state machine on random event sequences (seeded: see
// helpers/property.ts for running one seed again, or more seeds).
//  - step() alone, fed every kind of event with random fields in any state and timers that
//    fire as time passes (some early, as real timers do): it never throws, never modifies the
//    state it is given, and keeps its invariants (helpers/fsm-gen.ts checkStep), among them
//    armed timers that agree with its deadlines.
//  - two chassis exchanging Hellos through the liveness detector (helpers/fsm-sim.ts Pair),
//    under random faults (link cuts, one-way loss, freezes, kill -9, restarts, chassis resets)
//    and random operator and service-monitoring input: once the faults are over and the link
//    has been up for a few dead intervals, there is at most one Active, and in the end exactly
//    one Active and one Standby.
import { describe, expect, it } from 'vitest';
import { CHASSIS_STATES } from '../src/api/contract.js';
import { initialState, step, type Effect, type FsmEvent, type FsmState, type StepResult, type TimerName } from '../src/fsm/chassis.js';
import { checkStep, describeEvent, randomConfig, randomEvent, TIMERS } from './helpers/fsm-gen.js';
import { Pair, type Machine } from './helpers/fsm-sim.js';
import { deepFreeze, forEachSeed, Prng, Trail } from './helpers/property.js';

/** step() driven by hand: the runner's timer table is modelled here, with due times. */
class StepDriver {
  state: FsmState;
  now = 0;
  readonly armed = new Map<TimerName, number>();
  /** The states reached and the kinds of effect seen (the coverage of the search). */
  readonly seen = new Set<string>();
  private requestIds = 100;

  constructor(
    private readonly rng: Prng,
    private readonly trail: Trail,
  ) {
    this.state = initialState(randomConfig(rng, 'self'));
  }

  nextRequestId = (): number => this.requestIds++;

  apply(event: FsmEvent): void {
    const before = this.state;
    const unchanged = deepFreeze(before);
    deepFreeze(event);
    const now = this.now;
    this.trail.note(() => `t=${now} ${before.name}: ${describeEvent(event)}`);
    const r = step(before, event, this.now);
    if (!unchanged()) throw new Error('step() modified the bytes of a typed array in the state it was given');
    for (const e of r.effects) {
      if (e.type === 'arm-timer') this.armed.set(e.timer, this.now + e.delayMs);
      if (e.type === 'cancel-timer') this.armed.delete(e.timer);
      if (e.type === 'transition') this.trail.note(`  -> ${e.to} (${e.cause})`);
      this.seen.add(e.type);
    }
    this.seen.add(r.state.name);
    checkStep(before, event, r, this.armed);
    this.state = r.state;
  }

  /** Time passes by `ms`: the timers due on the way fire in order, as the runner's do. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.armed].filter(([, at]) => at <= end).sort((x, y) => x[1] - y[1])[0];
      if (!due) break;
      this.fire(due[0], due[1]);
    }
    this.now = end;
  }

  /** A timer fires at `at` (early by less than a millisecond, sometimes: real timers do). */
  fire(timer: TimerName, at: number): void {
    this.now = Math.max(this.now, at - (this.rng.chance(0.2) ? this.rng.next() : 0));
    this.armed.delete(timer);
    this.apply({ type: 'timer', timer });
  }
}

/** A run of `steps` random inputs: events, time passing, timers firing early or stale. */
function randomRun(d: StepDriver, rng: Prng, steps: number): void {
  if (rng.chance(0.9)) d.apply({ type: 'start' });
  for (let i = 0; i < steps; i++) {
    const dead = d.state.config.deadIntervalMs;
    const choice = rng.weighted([
      ['event', 70],
      ['time', 20],
      ['early', 5],
      ['stale', 5],
    ] as const);
    if (choice === 'time') d.advance(rng.pick([0, 1, dead / 3, dead, 4 * dead]));
    else if (choice === 'early') {
      const armed = [...d.armed];
      if (armed.length > 0) {
        const [timer, at] = rng.pick(armed);
        d.fire(timer, at - rng.next()); // before its deadline: it is armed again for the rest
      }
    } else if (choice === 'stale') {
      // A timer event nobody armed (one cancelled just as it fired): ignored.
      const unarmed = TIMERS.filter((t) => !d.armed.has(t));
      if (unarmed.length > 0) d.apply({ type: 'timer', timer: rng.pick(unarmed) });
    } else d.apply(randomEvent(rng, d.state, d.nextRequestId));
  }
}

describe('chassis state machine: properties of step() on random event sequences', () => {
  it('never throws, never modifies its input, and keeps its invariants', () => {
    const runs = forEachSeed('step() invariants', { runs: 150, baseSeed: 0x5eed_0000 }, (rng, trail) => randomRun(new StepDriver(rng, trail), rng, 300));
    expect(runs).toBeGreaterThan(0);
  });

  it('the search reaches every state and every kind of effect but logs', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 50; seed++) {
      const rng = new Prng(0x5eed_0000 + seed);
      const d = new StepDriver(rng, new Trail());
      randomRun(d, rng, 300);
      for (const x of d.seen) seen.add(x);
    }
    const effects: Effect['type'][] = ['transition', 'arm-timer', 'cancel-timer', 'send-hello', 'send-switchover-request', 'send-switchover-response', 'critical-flush', 'before-active', 'switchover-result', 'peer-lost', 'fence', 'split-handoff', 'refused'];
    for (const x of [...CHASSIS_STATES, ...effects]) expect(seen, x).toContain(x);
  });
});

const HELLO = 100;
const DEAD = 300;
/** Dead intervals of a healed link (no fault left) after which at most one chassis is Active. */
const SETTLE_DEADS = 2;

type Action = 'cut' | 'heal-link' | 'one-way' | 'two-way' | 'freeze' | 'kill' | 'restart' | 'reset' | 'ready' | 'not-ready' | 'switchover' | 'health' | 'table' | 'wait';

/** Two chassis under random faults and input; returns when the last fault ends. */
function faults(p: Pair, rng: Prng, trail: Trail, actions: number): number {
  let faultsEnd = 0;
  const runs = (m: Machine): boolean => p.up.get(m) === true && !p.frozen.has(m);
  for (let i = 0; i < actions; i++) {
    const m = rng.chance() ? p.a : p.b;
    const who = m === p.a ? 'a' : 'b';
    const action = rng.weighted<Action>([
      ['cut', 3],
      ['heal-link', 3],
      ['one-way', 2],
      ['two-way', 2],
      ['freeze', 2],
      ['kill', 1],
      ['restart', 2],
      ['reset', 1],
      ['ready', 4],
      ['not-ready', 1],
      ['switchover', 3],
      ['health', 2],
      ['table', 1],
      ['wait', 6],
    ]);
    const now = p.clock.now();
    trail.note(`t=${now} a=${p.a.name} b=${p.b.name}: ${action} ${who}`);
    switch (action) {
      case 'cut':
      case 'heal-link':
        p.linkUp = action === 'heal-link';
        for (const x of [p.a, p.b]) if (runs(x)) x.send({ type: action === 'cut' ? 'link-down' : 'link-up' });
        break;
      case 'one-way':
        p.dropFrom.add(m);
        break;
      case 'two-way':
        p.dropFrom.delete(m);
        break;
      case 'freeze':
        if (runs(m)) {
          const ms = rng.int(HELLO / 2, 4 * DEAD);
          p.freeze(m, ms);
          faultsEnd = Math.max(faultsEnd, now + ms);
        }
        break;
      case 'kill':
        if (p.up.get(m)) p.kill(m);
        break;
      case 'restart':
        if (!p.frozen.has(m)) p.restart(m);
        break;
      case 'reset':
        if (runs(m) && !p.silent.has(m)) {
          const ms = rng.int(0, 3 * DEAD);
          p.chassisReset(m, ms);
          faultsEnd = Math.max(faultsEnd, now + ms);
        }
        break;
      case 'ready':
      case 'not-ready':
        if (runs(m)) m.send({ type: 'readiness', ready: action === 'ready' });
        break;
      case 'switchover':
        if (runs(m)) m.send({ type: 'manual-switchover', force: rng.chance(), requestId: i + 1 });
        break;
      case 'health':
        if (runs(m)) m.send({ type: 'service-health', priority: rng.pick([1, 10, 20, 200]), preemptAllowed: rng.chance(0.7) });
        break;
      case 'table':
        if (runs(m)) m.send({ type: 'table', eligible: rng.pick([0, 10]) });
        break;
      case 'wait':
        break;
    }
    p.run(rng.int(0, 3 * HELLO));
  }
  return faultsEnd;
}

/** Ends every fault: the link up both ways, both processes running. */
function heal(p: Pair, trail: Trail): void {
  trail.note(`t=${p.clock.now()} a=${p.a.name} b=${p.b.name}: heal everything`);
  p.dropFrom.clear();
  if (!p.linkUp) {
    p.linkUp = true;
    for (const m of [p.a, p.b]) if (p.up.get(m) && !p.frozen.has(m)) m.send({ type: 'link-up' });
  }
  for (const m of [p.a, p.b]) if (!p.up.get(m)) p.restart(m);
}

describe('chassis state machine: properties of two chassis under random faults', () => {
  it(`at most one Active once the link has been up for ${SETTLE_DEADS} dead intervals; then one Active and one Standby`, () => {
    const runs = forEachSeed('at most one Active', { runs: 40, baseSeed: 0x5eed_1000 }, (rng, trail) => {
      const timing = { deadIntervalMs: DEAD };
      const [ca, cb] = [randomConfig(rng, 'a', timing), randomConfig(rng, 'b', timing)].map((c) => ({ ...c, witness: false, startupHoldMs: 1000, delayIntervalMs: 0 }));
      const p = new Pair(ca, cb, HELLO, rng.pick([1, 5, 20]));
      let checkFrom = Infinity;
      const observe = (m: Machine, before: FsmState, event: FsmEvent, r: StepResult): void => {
        for (const e of r.effects) if (e.type === 'transition') trail.note(`  t=${p.clock.now()} ${m === p.a ? 'a' : 'b'} ${e.from} -> ${e.to} (${e.cause})`);
        checkStep(before, event, r, new Map(m.timers.armed().map((t) => [t, null])));
        deepFreeze(r.state); // the next step gets it frozen: a write to its input throws
        if (p.clock.now() >= checkFrom && p.a.name === 'Active' && p.b.name === 'Active') throw new Error(`two Actives at t=${p.clock.now()}`);
      };
      p.a.observe = observe;
      p.b.observe = observe;
      p.start(p.a);
      p.run(rng.pick([0, HELLO, 3 * DEAD]));
      p.start(p.b);
      const faultsEnd = faults(p, rng, trail, 60);
      if (rng.chance(0.5)) {
        // Often a partition last: both sides serve alone, and meet when it heals.
        trail.note(`t=${p.clock.now()} a=${p.a.name} b=${p.b.name}: partition`);
        p.linkUp = false;
        p.run(rng.int(2, 5) * DEAD);
      }
      heal(p, trail);
      const healed = Math.max(p.clock.now(), faultsEnd);
      checkFrom = healed + SETTLE_DEADS * DEAD;
      p.run(checkFrom - p.clock.now());
      expect([p.a.name, p.b.name], 'two Actives once settled').not.toEqual(['Active', 'Active']);
      // Long enough for a start-up hold and a switchover that times out.
      p.run(Math.max(...[ca, cb].map((c) => c.switchoverTimeoutMs)) + 2000 + 4 * DEAD);
      expect([p.a.name, p.b.name].sort(), 'in the end').toEqual(['Active', 'Standby']);
    });
    expect(runs).toBeGreaterThan(0);
  });
});
