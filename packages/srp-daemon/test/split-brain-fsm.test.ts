// The state machine with the liveness detector in front of it (fsm-sim's Pair), on a manual
// clock: freezes, one-way faults, partitions and restarts, checked millisecond by millisecond.
import { describe, expect, it } from 'vitest';
import { fsmConfig, Pair, type Machine } from './helpers/fsm-sim.js';

const HELLO = 100;
const DEAD = 300;

function pair(latencyMs = 1): Pair {
  const p = new Pair(
    fsmConfig({ chassisId: 'a', mode: 'primary', priority: 10, cfMac: '00-02-43-00-00-01', deadIntervalMs: DEAD, startupHoldMs: 1000 }),
    fsmConfig({ chassisId: 'b', mode: 'backup', priority: 20, cfMac: '00-02-43-00-00-02', deadIntervalMs: DEAD, startupHoldMs: 1000 }),
    HELLO,
    latencyMs,
  );
  p.start(p.a);
  p.start(p.b);
  p.run(10 * HELLO);
  expect([p.a.name, p.b.name]).toEqual(['Active', 'Standby']);
  p.b.send({ type: 'readiness', ready: true });
  p.run(2 * HELLO);
  return p;
}

/** A chassis that acknowledges writes: Active, not fenced, and running (a frozen process acknowledges nothing). */
function serving(p: Pair, m: Machine): boolean {
  return m.name === 'Active' && m.state.fenced === null && !p.frozen.has(m);
}

/** Runs `ms`, one millisecond at a time, and returns how long both served at once. */
function runWatching(p: Pair, ms: number): number {
  let both = 0;
  for (let t = 0; t < ms; t++) {
    p.run(1);
    if (serving(p, p.a) && serving(p, p.b)) both++;
  }
  return both;
}

describe('liveness and the state machine: stalls', () => {
  it('a Standby frozen for 5 x dead comes back Standby, without a transition on either side', () => {
    const p = pair();
    const [ta, tb] = [p.a.transitions.length, p.b.transitions.length];
    p.freeze(p.b, 5 * DEAD);
    expect(runWatching(p, 5 * DEAD + 10 * HELLO)).toBe(0);
    expect([p.a.name, p.b.name]).toEqual(['Active', 'Standby']);
    expect(p.a.transitions.length - ta).toBe(0);
    expect(p.b.transitions.length - tb).toBe(0);
    expect(p.a.state.fenced).toBeNull();
  });

  it('a slow host (the Standby stopped 200 ms of every 250 ms) causes no takeover', () => {
    const p = pair();
    const tb = p.b.transitions.length;
    for (let i = 0; i < 40; i++) {
      p.freeze(p.b, 200);
      expect(runWatching(p, 250)).toBe(0);
    }
    p.run(10 * HELLO);
    expect([p.a.name, p.b.name]).toEqual(['Active', 'Standby']);
    expect(p.b.transitions.length - tb).toBe(0);
  });

  it('an Active frozen for 3 x dead is taken over; when it wakes up it is fenced and steps down at once', () => {
    const p = pair();
    p.freeze(p.a, 3 * DEAD);
    expect(runWatching(p, 3 * DEAD + 10 * HELLO)).toBe(0);
    expect([p.a.name, p.b.name]).toEqual(['Standby', 'Active']);
    const down = p.a.transitions.at(-1);
    expect(down).toMatchObject({ from: 'Active', to: 'Standby', reason: 'split-brain' });
    expect(p.a.effects.some((e) => e.type === 'fence' && e.fenced)).toBe(true);
    expect(p.a.effects.some((e) => e.type === 'split-handoff')).toBe(true);
    // One switchover on b's side, no ping-pong afterwards.
    p.run(20 * DEAD);
    expect([p.a.name, p.b.name]).toEqual(['Standby', 'Active']);
  });
});

describe('liveness and the state machine: one-way faults', () => {
  it('a2s (the Active is not heard): the Active fences before the Standby takes over, then steps down', () => {
    const p = pair();
    p.dropFrom.add(p.a);
    expect(runWatching(p, 3 * DEAD)).toBe(0);
    expect([p.a.name, p.b.name]).toEqual(['Standby', 'Active']);
    expect(p.a.effects.some((e) => e.type === 'fence' && e.fenced && e.cause.includes('no longer hears us'))).toBe(true);
    p.dropFrom.clear();
    expect(runWatching(p, 2 * DEAD)).toBe(0);
    expect([p.a.name, p.b.name]).toEqual(['Standby', 'Active']);
  });

  it('s2a (the Standby is not heard): nothing moves, the Standby stays Standby', () => {
    const p = pair();
    const [ta, tb] = [p.a.transitions.length, p.b.transitions.length];
    p.dropFrom.add(p.b);
    expect(runWatching(p, 3 * DEAD)).toBe(0);
    expect([p.a.name, p.b.name]).toEqual(['Active', 'Standby']);
    expect(p.b.state.peerDeaf).toBe(true); // it knows the Active does not hear it
    p.dropFrom.clear();
    expect(runWatching(p, 2 * DEAD)).toBe(0);
    expect(p.a.transitions.length - ta + p.b.transitions.length - tb).toBe(0);
    expect(p.b.state.peerDeaf).toBe(false);
  });
});

describe('liveness and the state machine: partitions and restarts', () => {
  it('a cut both ways gives two Actives (no witness); the heal leaves exactly one, the old Active, within 2 x dead', () => {
    const p = pair();
    p.linkUp = false;
    p.run(3 * DEAD);
    expect([p.a.name, p.b.name]).toEqual(['Active', 'Active']);
    p.linkUp = true;
    p.run(2 * DEAD);
    expect([p.a.name, p.b.name]).toEqual(['Active', 'Standby']);
    expect(p.b.transitions.at(-1)).toMatchObject({ from: 'Active', to: 'Standby', reason: 'split-brain' });
    expect(p.b.effects.some((e) => e.type === 'split-handoff')).toBe(true);
  });

  it('a chassis restarted while cut off comes up empty and Active; at the heal it steps down for the one holding the sessions', () => {
    const p = pair();
    p.a.send({ type: 'table', eligible: 1000 });
    p.linkUp = false;
    p.run(DEAD);
    const fresh = p.restart(p.b);
    p.run(3000); // its start-up hold passes: no peer in sight
    expect(fresh.name).toBe('Active');
    p.linkUp = true;
    p.run(2 * DEAD);
    expect([p.a.name, fresh.name]).toEqual(['Active', 'Standby']);
    expect(fresh.transitions.at(-1)?.cause).toContain('holds no sessions');
  });

  it('a restarted chassis never takes the role from a live peer: 25 restarts at 10 ms hellos, each rejoins Standby', () => {
    const p = new Pair(
      fsmConfig({ chassisId: 'a', deadIntervalMs: 30, startupHoldMs: 1000 }),
      fsmConfig({ chassisId: 'b', mode: 'backup', priority: 20, cfMac: '00-02-43-00-00-02', deadIntervalMs: 30, startupHoldMs: 1000 }),
      10,
      1,
    );
    p.start(p.a);
    p.start(p.b);
    p.run(100);
    for (let i = 0; i < 25; i++) {
      const [act, stby] = p.a.name === 'Active' ? [p.a, p.b] : [p.b, p.a];
      stby.send({ type: 'readiness', ready: true });
      p.run(7 + (i % 10)); // the kill lands anywhere in the hello period
      const back = p.restart(act);
      for (let t = 0; t < 1500; t++) {
        p.run(1);
        expect(back.name, `restart ${i}: the restarted chassis took the Active role`).not.toMatch(/Active/);
        if (back.name === 'Standby') break;
      }
      expect(back.name, `restart ${i}`).toBe('Standby');
      expect(p.other(back).name, `restart ${i}`).toBe('Active');
    }
  });
});
