import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/fsm/clock.js';
import { CHASSIS_STATES } from '../src/api/contract.js';
import { checkSwitchover, IllegalTransitionError, initialState, step, TRANSITIONS } from '../src/fsm/chassis.js';
import { Step } from '../src/fsm/step.js';
import { nextRouteModifier } from '../src/fsm/election.js';
import { macOctets } from '@srp-ha/common';
import { fsmConfig, Machine, Pair, peerHello } from './helpers/fsm-sim.js';

const HELLO = 1000;
const DEAD = 3000;

function started(cfg = fsmConfig()): Machine {
  const m = new Machine(new ManualClock(0), cfg);
  m.send({ type: 'start' });
  m.send({ type: 'link-up' });
  return m;
}

function pair(over: { a?: Parameters<typeof fsmConfig>[0]; b?: Parameters<typeof fsmConfig>[0] } = {}): Pair {
  return new Pair(
    fsmConfig({ chassisId: 'a', mode: 'primary', priority: 10, cfMac: '00-02-43-00-00-01', ...over.a }),
    fsmConfig({ chassisId: 'b', mode: 'backup', priority: 20, cfMac: '00-02-43-00-00-02', ...over.b }),
    HELLO,
  );
}

describe('chassis state machine: start-up', () => {
  it('primary becomes Active and backup Standby', () => {
    const p = pair();
    p.start(p.a);
    p.start(p.b);
    p.run(100);
    expect(p.a.name).toBe('Active');
    expect(p.b.name).toBe('Standby');
    expect(p.a.transitions.map((t) => t.to)).toEqual(['Pending-Active', 'Active']);
    expect(p.b.transitions[0]).toMatchObject({ from: 'Init', to: 'Standby', reason: 'election' });
    p.run(10 * DEAD);
    expect([p.a.name, p.b.name]).toEqual(['Active', 'Standby']);
  });

  it('both primary: the lower priority number wins', () => {
    const p = pair({ a: { priority: 50 }, b: { mode: 'primary', priority: 5 } });
    p.start(p.a);
    p.start(p.b);
    p.run(100);
    expect([p.a.name, p.b.name]).toEqual(['Standby', 'Active']);
    expect(p.a.transitions[0]?.cause).toContain('priority 50 vs 5');
  });

  it('equal priority: the higher CF MAC wins, comparing the last three octets (seed example)', () => {
    const p = pair({
      a: { mode: 'backup', priority: 7, cfMac: '00-02-43-03-01-3B' },
      b: { mode: 'backup', priority: 7, cfMac: '00-02-43-03-1C-2B' },
    });
    p.start(p.a);
    p.start(p.b);
    p.run(100);
    expect([p.a.name, p.b.name]).toEqual(['Standby', 'Active']);
  });

  it('only the last three octets count: a higher vendor code does not win', () => {
    const p = pair({
      a: { mode: 'primary', priority: 7, cfMac: 'FF-FF-FF-00-00-01' },
      b: { mode: 'primary', priority: 7, cfMac: '00-00-00-00-00-02' },
    });
    p.start(p.a);
    p.start(p.b);
    p.run(100);
    expect([p.a.name, p.b.name]).toEqual(['Standby', 'Active']);
  });

  it('no peer at start: Active after the start-up hold, not before', () => {
    const m = started();
    m.clock.advance(DEAD - 1);
    expect(m.name).toBe('Init');
    m.clock.advance(1);
    expect(m.name).toBe('Active');
    expect(m.transitions[0]).toMatchObject({ to: 'Pending-Active', reason: 'no-peer-at-start', at: DEAD });
  });

  it('delay-interval postpones the start-up hold', () => {
    const m = started(fsmConfig({ delayIntervalMs: 5000 }));
    m.clock.advance(DEAD + 4999);
    expect(m.name).toBe('Init');
    m.clock.advance(1);
    expect(m.name).toBe('Active');
  });

  it('a returning chassis that hears an Active peer becomes Standby (no preemption)', () => {
    const m = started(fsmConfig({ mode: 'primary', priority: 1 }));
    m.send({ type: 'hello', hello: peerHello({ state: 'Active', mode: 'backup', priority: 200, routeModifier: 4 }) });
    expect(m.name).toBe('Standby');
    expect(m.state.routeModifier).toBe(4);
    m.send({ type: 'readiness', ready: true });
    m.send({ type: 'hello', hello: peerHello({ state: 'Active', mode: 'backup', priority: 200, routeModifier: 4 }) });
    expect(m.outbox.filter((e) => e.type === 'send-switchover-request')).toHaveLength(0);
  });

  it('with preemption, the returning primary asks for the Active role back once ready', () => {
    const p = pair({ a: { preemption: true }, b: { preemption: true } });
    p.start(p.b);
    p.run(DEAD + 100);
    expect(p.b.name).toBe('Active');
    p.start(p.a);
    p.run(HELLO + 10);
    expect(p.a.name).toBe('Standby');
    p.a.send({ type: 'readiness', ready: true });
    p.run(100);
    expect([p.a.name, p.b.name]).toEqual(['Active', 'Standby']);
    expect(p.a.transitions.at(-1)).toMatchObject({ to: 'Active', reason: 'preemption' });
  });
});

describe('chassis state machine: failures', () => {
  it('peer dead (the liveness worker says so): the Standby takes over, counted from the last Hello', () => {
    const m = started(fsmConfig({ mode: 'backup', priority: 20 }));
    m.send({ type: 'hello', hello: peerHello({ chassisId: 'p', state: 'Active', mode: 'primary' }) });
    expect(m.name).toBe('Standby');
    m.clock.advance(DEAD);
    expect(m.name).toBe('Standby'); // no timer of its own: only the detector judges
    m.send({ type: 'peer-dead', silentMs: DEAD });
    m.clock.advance(0);
    expect(m.name).toBe('Active');
    const t = m.transitions.find((x) => x.to === 'Pending-Active');
    expect(t).toMatchObject({ at: DEAD, reason: 'peer-dead' });
    const active = m.effects.find((e) => e.type === 'transition' && e.to === 'Active');
    expect(active).toMatchObject({ takeoverSince: 0 });
  });

  it('kill of the Active: the pair Standby takes over at the dead interval after the last Hello', () => {
    const p = pair();
    p.start(p.a);
    p.start(p.b);
    p.run(5 * HELLO);
    p.kill(p.a);
    const killedAt = p.clock.now();
    p.run(3 * DEAD);
    expect(p.b.name).toBe('Active');
    const t = p.b.transitions.find((x) => x.to === 'Pending-Active');
    expect(t?.reason).toBe('peer-dead');
    expect(t!.at - killedAt).toBeLessThanOrEqual(DEAD);
    expect(t!.at - killedAt).toBeGreaterThan(DEAD - HELLO - 2);
  });

  it('a link flap shorter than the dead interval causes no switchover', () => {
    const p = pair();
    p.start(p.a);
    p.start(p.b);
    p.run(5 * HELLO);
    p.linkUp = false;
    p.a.send({ type: 'link-down' });
    p.b.send({ type: 'link-down' });
    p.run(DEAD - 2 * HELLO - 10); // the gap between two Hellos stays under the dead interval
    p.linkUp = true;
    p.a.send({ type: 'link-up' });
    p.b.send({ type: 'link-up' });
    p.run(10 * DEAD);
    expect([p.a.name, p.b.name]).toEqual(['Active', 'Standby']);
    expect(p.b.transitions).toHaveLength(1);
  });

  it('the old Active returns after a restart and becomes Standby', () => {
    const p = pair();
    p.start(p.a);
    p.start(p.b);
    p.run(5 * HELLO);
    p.kill(p.a);
    p.run(2 * DEAD);
    expect(p.b.name).toBe('Active');
    p.restart(p.a);
    p.run(5 * HELLO);
    expect([p.a.name, p.b.name]).toEqual(['Standby', 'Active']);
    expect(p.a.state.routeModifier).toBe(p.b.state.routeModifier);
  });

  it('the Active restarts within the dead interval: the Standby sees the new boot id and takes over', () => {
    const p = pair();
    p.start(p.a);
    p.start(p.b);
    p.run(5 * HELLO);
    p.restart(p.a);
    p.run(DEAD / 2);
    expect([p.a.name, p.b.name]).toEqual(['Standby', 'Active']);
    expect(p.b.transitions.at(-2)?.cause).toContain('restarted');
    p.run(10 * DEAD);
    expect([p.a.name, p.b.name]).toEqual(['Standby', 'Active']);
  });

  it('a goodbye makes the Standby take over at once', () => {
    const m = started(fsmConfig({ mode: 'backup' }));
    m.send({ type: 'hello', hello: peerHello({ state: 'Active', mode: 'primary' }) });
    m.clock.advance(100);
    m.send({ type: 'goodbye', reason: 'SIGTERM', takeoverNow: true });
    m.clock.advance(0);
    expect(m.name).toBe('Active');
    expect(m.transitions.at(-2)?.reason).toBe('peer-goodbye');
  });

  it('split brain heals: the higher route modifier steps down, whatever the mode', () => {
    const p = pair();
    p.start(p.a);
    p.start(p.b);
    p.run(5 * HELLO);
    p.linkUp = false;
    p.run(2 * DEAD);
    expect([p.a.name, p.b.name]).toEqual(['Active', 'Active']);
    expect(p.b.state.routeModifier).toBe(2);
    p.linkUp = true;
    p.run(2 * HELLO);
    expect([p.a.name, p.b.name]).toEqual(['Active', 'Standby']);
    expect(p.b.transitions.at(-1)).toMatchObject({ from: 'Active', to: 'Standby', reason: 'split-brain' });
  });

  it('split brain with equal route modifiers: priority, then MAC decides', () => {
    const m = started(fsmConfig({ priority: 10 }));
    m.clock.advance(DEAD);
    expect(m.name).toBe('Active');
    m.send({ type: 'hello', hello: peerHello({ state: 'Active', priority: 10, routeModifier: 1, cfMac: '00-00-00-00-00-09' }) });
    expect(m.name).toBe('Standby');
    const n = started(fsmConfig({ priority: 10 }));
    n.clock.advance(DEAD);
    n.send({ type: 'hello', hello: peerHello({ state: 'Active', priority: 11, routeModifier: 1, cfMac: '00-00-00-00-00-09' }) });
    expect(n.name).toBe('Active');
  });

  it('an Active fenced by a stall while its peer was already dead serves alone again when no peer is heard for a dead interval', () => {
    const m = started(fsmConfig({ priority: 10 }));
    m.send({ type: 'hello', hello: peerHello({ state: 'Standby', mode: 'backup' }) });
    m.clock.advance(0);
    expect(m.name).toBe('Active');
    m.send({ type: 'peer-dead', silentMs: DEAD });
    m.send({ type: 'stalled', ms: 2 * DEAD, cause: 'this process was stalled' });
    expect(m.state.fenced).not.toBeNull();
    m.clock.advance(DEAD - 1);
    expect(m.state.fenced).not.toBeNull();
    m.clock.advance(1);
    expect(m.state.fenced).toBeNull();
    expect(m.effects).toContainEqual({ type: 'fence', fenced: false, cause: `no peer heard within ${DEAD} ms of the stall: this chassis serves alone` });
    // A peer heard within the dead interval decides instead: one that took over meanwhile wins.
    m.send({ type: 'stalled', ms: 2 * DEAD, cause: 'this process was stalled' });
    m.send({ type: 'hello', hello: peerHello({ state: 'Pending-Active', mode: 'backup', routeModifier: 2 }) });
    m.clock.advance(DEAD);
    expect(m.name).toBe('Standby');
    expect(m.transitions.at(-1)?.cause).toContain('fenced and peer');
  });
});

describe('chassis state machine: manual switchover', () => {
  function converged(): Pair {
    const p = pair();
    p.start(p.a);
    p.start(p.b);
    p.run(2 * HELLO);
    return p;
  }

  it('is refused while the peer Standby is not ready, allowed with force', () => {
    const p = converged();
    const refused = p.a.send({ type: 'manual-switchover', force: false, requestId: 1 });
    expect(refused.find((e) => e.type === 'switchover-result')).toMatchObject({ accepted: false });
    expect(checkSwitchover(p.a.state).overridable[0]).toContain('not ready');
    expect(p.a.name).toBe('Active');
    const forced = p.a.send({ type: 'manual-switchover', force: true, requestId: 2 });
    expect(forced.find((e) => e.type === 'switchover-result')).toMatchObject({ accepted: true });
    expect(p.a.name).toBe('Pending-Standby');
    p.run(HELLO);
    expect([p.a.name, p.b.name]).toEqual(['Standby', 'Active']);
    expect(p.b.transitions.slice(-2).map((t) => `${t.from}>${t.to}:${t.reason}`)).toEqual([
      'Standby>Pending-Active:manual-force',
      'Pending-Active>Active:manual-force',
    ]);
  });

  it('goes Active -> Pending-Standby -> (flush) -> request -> peer Pending-Active -> Active -> old Active Standby, and back', () => {
    const p = converged();
    p.b.send({ type: 'readiness', ready: true });
    p.run(HELLO);
    p.a.autoFlush = false;
    p.a.send({ type: 'manual-switchover', force: false, requestId: 5 });
    expect(p.a.name).toBe('Pending-Standby');
    p.run(HELLO);
    // No switchover request before the critical flush completes.
    expect(p.a.outbox.some((e) => e.type === 'send-switchover-request')).toBe(false);
    expect(p.b.name).toBe('Standby');
    p.a.send({ type: 'flush-done', requestId: 5, flushedUpTo: 42 });
    p.run(10);
    expect(p.b.effects.find((e) => e.type === 'before-active')).toMatchObject({ flushedUpTo: 42, reason: 'manual' });
    expect([p.a.name, p.b.name]).toEqual(['Standby', 'Active']);
    expect(p.b.state.routeModifier).toBe(2);
    // ... and back.
    p.a.send({ type: 'readiness', ready: true });
    p.run(HELLO);
    p.a.autoFlush = true;
    p.b.send({ type: 'manual-switchover', force: false, requestId: 1 });
    p.run(HELLO);
    expect([p.a.name, p.b.name]).toEqual(['Active', 'Standby']);
    expect(p.a.state.routeModifier).toBe(3);
  });

  it('a peer that refuses sends the old Active back to Active', () => {
    const m = started(fsmConfig());
    m.clock.advance(DEAD);
    m.send({ type: 'hello', hello: peerHello({ state: 'Standby', standbyReady: true }) });
    m.send({ type: 'manual-switchover', force: false, requestId: 9 });
    m.clock.advance(0);
    m.send({ type: 'switchover-response', requestId: 9, accepted: false, reasons: ['busy'] });
    expect(m.name).toBe('Active');
    expect(m.transitions.at(-1)?.cause).toContain('busy');
  });

  it('a switchover with no answer times out back to Active', () => {
    const m = started(fsmConfig({ deadIntervalMs: 100_000 }));
    m.clock.advance(100_000);
    m.send({ type: 'hello', hello: peerHello({ state: 'Standby', standbyReady: true }) });
    m.send({ type: 'manual-switchover', force: false, requestId: 9 });
    m.clock.advance(10_000);
    expect(m.name).toBe('Active');
    expect(m.transitions.at(-1)?.cause).toContain('timed out');
  });

  it('the route modifier increments at each switchover and resets past its threshold', () => {
    expect(nextRouteModifier(1, { initial: 1, threshold: 3 })).toBe(2);
    expect(nextRouteModifier(3, { initial: 1, threshold: 3 })).toBe(1);
    const p = new Pair(
      fsmConfig({ chassisId: 'a', routeModifier: { initial: 1, threshold: 3 } }),
      fsmConfig({ chassisId: 'b', mode: 'backup', priority: 20, routeModifier: { initial: 1, threshold: 3 } }),
      HELLO,
    );
    p.start(p.a);
    p.start(p.b);
    p.run(2 * HELLO);
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [act, stby] = p.a.name === 'Active' ? [p.a, p.b] : [p.b, p.a];
      act.send({ type: 'manual-switchover', force: true, requestId: i + 1 });
      p.run(HELLO);
      expect(stby.name).toBe('Active');
      seen.push(stby.state.routeModifier);
    }
    expect(seen).toEqual([2, 3, 1, 2]);
  });
});

describe('chassis state machine: refusals', () => {
  it('refuses illegal transitions explicitly: every move not in the table throws, and changes nothing', () => {
    let illegal = 0;
    for (const from of CHASSIS_STATES) {
      for (const to of CHASSIS_STATES) {
        const s = { ...initialState(fsmConfig()), started: true, name: from };
        const t = new Step(s, { type: 'start' }, 0);
        if (TRANSITIONS[from].includes(to)) {
          t.go(to, null, 'test');
          expect(s.name).toBe(to);
          expect(t.effects).toContainEqual(expect.objectContaining({ type: 'transition', from, to }));
          continue;
        }
        illegal++;
        let err: unknown = null;
        try {
          t.go(to, null, 'test');
        } catch (e) {
          err = e;
        }
        expect(err, `${from} -> ${to}`).toBeInstanceOf(IllegalTransitionError);
        expect(err).toMatchObject({ code: 'SRP_ERR_ILLEGAL_TRANSITION', from, to, message: `illegal chassis transition ${from} -> ${to}` });
        expect(s.name).toBe(from);
        expect(t.effects).toEqual([]);
      }
    }
    expect(illegal).toBe(25 - Object.values(TRANSITIONS).flat().length); // Standby -> Active among them
    expect(TRANSITIONS.Standby).not.toContain('Active');
  });

  it('refuses a Goodbye before start, as it refuses a Hello: an unstarted chassis never takes over', () => {
    const m = new Machine(new ManualClock(0), fsmConfig({ mode: 'backup' }));
    expect(m.send({ type: 'goodbye', reason: 'SIGTERM', takeoverNow: true })).toEqual([{ type: 'refused', event: 'goodbye', reason: 'not started' }]);
    expect(m.name).toBe('Init');
    m.send({ type: 'start' });
    m.clock.advance(DEAD - 1);
    expect(m.name).toBe('Init'); // the start-up hold still applies
    m.clock.advance(1);
    expect(m.name).toBe('Active');
  });

  it('refuses events that do not apply in the current state, with a reason', () => {
    const m = started();
    const eff = m.send({ type: 'before-active-done' });
    expect(eff).toEqual([{ type: 'refused', event: 'before-active-done', reason: 'chassis is Init, not Pending-Active' }]);
    expect(m.send({ type: 'flush-done', requestId: 3, flushedUpTo: 0 })[0]).toMatchObject({ type: 'refused' });
    expect(m.send({ type: 'start' })[0]).toMatchObject({ type: 'refused', reason: 'already started' });
  });

  it('a Standby refuses a switchover request while not ready, unless forced', () => {
    const m = started(fsmConfig({ mode: 'backup' }));
    m.send({ type: 'hello', hello: peerHello({ state: 'Active', mode: 'primary' }) });
    const eff = m.send({ type: 'switchover-request', requestId: 1, force: false, reason: 'manual', flushedUpTo: 0 });
    expect(eff[0]).toMatchObject({ type: 'send-switchover-response', accepted: false, reasons: ['standby not ready (bulk sync not complete)'] });
    expect(m.name).toBe('Standby');
    // Forced, the same Standby (still not ready) accepts and takes over.
    const forced = m.send({ type: 'switchover-request', requestId: 2, force: true, reason: 'manual-force', flushedUpTo: 9 });
    expect(forced[0]).toMatchObject({ type: 'send-switchover-response', requestId: 2, accepted: true, reasons: [] });
    expect(forced).toContainEqual({ type: 'before-active', reason: 'manual-force', flushedUpTo: 9 });
    m.clock.advance(0);
    expect(m.name).toBe('Active');
    expect(m.transitions.slice(-2).map((t) => `${t.from}>${t.to}:${t.reason}`)).toEqual(['Standby>Pending-Active:manual-force', 'Pending-Active>Active:manual-force']);
  });

  it('does not modify the state it is given', () => {
    const s = initialState(fsmConfig());
    const before = JSON.stringify(s);
    step(s, { type: 'start' }, 5);
    expect(JSON.stringify(s)).toBe(before);
  });
});

describe('chassis state machine: restarts of the peer', () => {
  it('a Standby takes over on the first fresh Hello of a new boot of its Active peer', () => {
    const m = started(fsmConfig({ mode: 'backup' }));
    m.send({ type: 'hello', hello: peerHello({ state: 'Active', mode: 'primary', bootId: '7' }) });
    expect(m.name).toBe('Standby');
    m.send({ type: 'hello', hello: peerHello({ state: 'Init', mode: 'primary', bootId: '8', newBoot: true }) });
    m.clock.advance(0);
    expect(m.name).toBe('Active');
    expect(m.transitions.at(-2)).toMatchObject({ reason: 'peer-dead', cause: expect.stringContaining('restarted') as unknown });
  });

  it('an Init chassis that hears a waiting Standby (which lost the election to it) serves, once the Hello is fresh', () => {
    const m = started(fsmConfig({ mode: 'primary' }));
    m.send({ type: 'hello', hello: peerHello({ state: 'Standby', mode: 'backup', fresh: false }) });
    expect(m.name).toBe('Init');
    m.send({ type: 'hello', hello: peerHello({ state: 'Standby', mode: 'backup' }) });
    m.clock.advance(0);
    expect(m.name).toBe('Active');
  });

  it('an Init chassis never takes the role from a Standby that holds a newer table: it waits for it to take over', () => {
    const m = started(fsmConfig({ mode: 'primary', priority: 1 }));
    m.send({ type: 'hello', hello: peerHello({ state: 'Standby', mode: 'backup', epoch: 4, eligible: 1000 }) });
    expect(m.name).toBe('Init');
    m.send({ type: 'hello', hello: peerHello({ state: 'Pending-Active', mode: 'backup', epoch: 5, routeModifier: 2 }) });
    expect(m.name).toBe('Standby');
    expect(m.state.routeModifier).toBe(2);
  });
});

describe('chassis state machine: timers', () => {
  it('a timer that fires early (real timers do, by a fraction of a ms) is re-armed for the rest, not lost', () => {
    const m = started(fsmConfig({ mode: 'backup' }));
    const s = { ...m.state, deadlines: { ...m.state.deadlines } };
    const early = step(s, { type: 'timer', timer: 'startup' }, DEAD - 0.4);
    expect(early.state.name).toBe('Init');
    expect(early.effects).toEqual([{ type: 'arm-timer', timer: 'startup', delayMs: 1 }]);
    expect(step(early.state, { type: 'timer', timer: 'startup' }, DEAD).state.name).toBe('Pending-Active');
  });
});

describe('chassis state machine: CF MAC from the hardware', () => {
  it('elections use the MAC of the active CF card once it changes', () => {
    const m = started(fsmConfig({ mode: 'primary', priority: 7, cfMac: '00-02-43-00-00-01' }));
    m.send({ type: 'cf-mac', cfMac: macOctets('00-02-43-FF-FF-FF') });
    m.send({ type: 'hello', hello: peerHello({ state: 'Init', mode: 'primary', priority: 7, cfMac: '00-02-43-00-00-02' }) });
    m.clock.advance(0);
    expect(m.name).toBe('Active');
    expect(m.send({ type: 'cf-mac', cfMac: new Uint8Array(3) })[0]).toMatchObject({ type: 'refused' });
  });
});

describe('chassis state machine: switchover interrupted', () => {
  it('the peer restarting in the middle of a handover sends the old Active back to Active at once', () => {
    const m = started(fsmConfig());
    m.clock.advance(DEAD);
    m.send({ type: 'hello', hello: peerHello({ state: 'Standby', standbyReady: true }) });
    m.send({ type: 'manual-switchover', force: false, requestId: 4 });
    expect(m.name).toBe('Pending-Standby');
    m.send({ type: 'hello', hello: peerHello({ state: 'Init', bootId: 'b-2', newBoot: true }) });
    expect(m.name).toBe('Active');
    expect(m.transitions.at(-1)?.cause).toContain('restarted during the switchover');
  });
});

describe('chassis state machine: chassis reset shorter than the dead interval', () => {
  // The SRP connection outlives the reset, so the peer hears of the new boot id only from our
  // Hellos, and a Hello it sent as Standby of our previous boot may still be on the way.
  function resetPair(over: { a?: Parameters<typeof fsmConfig>[0]; b?: Parameters<typeof fsmConfig>[0] } = {}): Pair {
    return new Pair(
      fsmConfig({ chassisId: 'a', mode: 'primary', priority: 10, cfMac: '00-02-43-00-00-01', ...over.a }),
      fsmConfig({ chassisId: 'b', mode: 'backup', priority: 20, cfMac: '00-02-43-00-00-02', ...over.b }),
      HELLO,
      20, // latency: a Hello is in flight for 20 ms
    );
  }

  it("the returning Active does not take over on a Standby Hello the peer sent before it saw the new boot id", () => {
    const p = resetPair();
    p.start(p.a);
    p.start(p.b);
    p.run(5 * HELLO + 500);
    expect([p.a.name, p.b.name]).toEqual(['Active', 'Standby']);
    const aBefore = p.a.transitions.length;
    const bBefore = p.b.transitions.length;
    // Every CF of a goes down at 5500 and one is back at 6005: b's Standby Hello of 6000 reaches
    // the new Init machine at 6020, before b reads a's first new-boot Hello (6025).
    p.chassisReset(p.a, 505);
    p.run(3 * HELLO);
    expect(p.a.transitions.slice(aBefore).map((t) => t.to)).toEqual(['Standby']);
    expect(p.b.transitions.slice(bBefore).map((t) => t.to)).toEqual(['Pending-Active', 'Active']);
    expect(p.b.transitions[bBefore]?.cause).toContain('restarted');
    expect([p.a.name, p.b.name]).toEqual(['Standby', 'Active']);
    expect(p.a.state.routeModifier).toBe(p.b.state.routeModifier);
    p.run(10 * DEAD);
    expect([p.a.name, p.b.name]).toEqual(['Standby', 'Active']);
  });

  it('the same race whatever the reset length within the dead interval: never two Actives', () => {
    for (let downMs = 0; downMs < DEAD - HELLO; downMs += 37) {
      const p = resetPair();
      p.start(p.a);
      p.start(p.b);
      p.run(5 * HELLO + 500);
      const bBefore = p.b.transitions.length;
      p.chassisReset(p.a, downMs);
      for (let t = 0; t < 2 * DEAD; t += 5) {
        p.run(5);
        expect([p.a.name, p.b.name], `reset of ${downMs} ms, ${t} ms in`).not.toEqual(['Active', 'Active']);
      }
      expect([p.a.name, p.b.name], `reset of ${downMs} ms`).toEqual(['Standby', 'Active']);
      expect(p.b.transitions.slice(bBefore).map((t) => t.to)).toEqual(['Pending-Active', 'Active']);
    }
  });

  it('a Standby that resets comes back Standby; the Active is untouched', () => {
    const p = resetPair({ a: { mode: 'backup' }, b: { mode: 'primary' } });
    p.start(p.a);
    p.start(p.b);
    p.run(5 * HELLO + 500);
    expect([p.a.name, p.b.name]).toEqual(['Standby', 'Active']);
    const bBefore = p.b.transitions.length;
    p.chassisReset(p.a, 505);
    p.run(3 * DEAD);
    expect([p.a.name, p.b.name]).toEqual(['Standby', 'Active']);
    expect(p.b.transitions).toHaveLength(bBefore);
  });

  it('a Standby peer that never reacts (it cannot hear us) gets an Active after the start-up hold: this chassis', () => {
    const m = new Machine(new ManualClock(0), fsmConfig({ mode: 'backup', priority: 99 }));
    m.send({ type: 'start' });
    m.send({ type: 'link-up' });
    for (let t = 0; t < DEAD; t += HELLO) {
      m.send({ type: 'hello', hello: peerHello({ state: 'Standby', mode: 'primary', priority: 1, fresh: false }) });
      expect(m.name).toBe('Init');
      m.clock.advance(HELLO - 1);
      expect(m.name).toBe('Init');
      m.clock.advance(1);
    }
    expect(m.name).toBe('Active');
    expect(m.transitions[0]).toMatchObject({ at: DEAD, from: 'Init', to: 'Pending-Active', reason: 'no-peer-at-start' });
    expect(m.transitions[0]?.cause).toContain('did not take over within');
  });

  it('the delay-interval still postpones that start timer', () => {
    const m = new Machine(new ManualClock(0), fsmConfig({ delayIntervalMs: 2000 }));
    m.send({ type: 'start' });
    m.send({ type: 'hello', hello: peerHello({ state: 'Standby', fresh: false }) });
    m.clock.advance(DEAD + 2000 - 1);
    expect(m.name).toBe('Init');
    m.clock.advance(1);
    expect(m.name).toBe('Active');
  });

  it('the peer taking over after a stale Standby Hello makes this chassis Standby with its route modifier', () => {
    const m = new Machine(new ManualClock(0), fsmConfig({ mode: 'primary', priority: 1 }));
    m.send({ type: 'start' });
    m.send({ type: 'hello', hello: peerHello({ state: 'Standby', routeModifier: 1, fresh: false }) });
    m.clock.advance(20);
    expect(m.name).toBe('Init');
    m.send({ type: 'hello', hello: peerHello({ state: 'Pending-Active', routeModifier: 2 }) });
    expect(m.name).toBe('Standby');
    expect(m.state.routeModifier).toBe(2);
    expect(m.transitions).toHaveLength(1);
  });

  it('both chassis reset together (both Init): the election by mode, priority and MAC still decides', () => {
    const p = resetPair({ a: { mode: 'backup', priority: 5 }, b: { mode: 'backup', priority: 5, cfMac: '00-02-43-00-00-09' } });
    p.start(p.a);
    p.start(p.b);
    p.run(5 * HELLO + 500);
    expect([p.a.name, p.b.name]).toEqual(['Standby', 'Active']); // equal priority: the higher MAC
    p.chassisReset(p.a, 505);
    p.chassisReset(p.b, 505);
    p.run(3 * HELLO);
    expect([p.a.name, p.b.name]).toEqual(['Standby', 'Active']);
    expect(p.b.transitions.at(-2)).toMatchObject({ from: 'Init', reason: 'election', cause: expect.stringContaining('won the start-up election') as unknown });
  });
});

describe('chassis state machine: never an empty table over a full one', () => {
  it('a stalled, fenced Active holding sessions does not step down for an empty peer taking over; the empty one steps down when they meet', () => {
    const full = new Machine(new ManualClock(0), { ...fsmConfig({}), chassisId: 'a' });
    full.send({ type: 'start' });
    full.clock.advance(DEAD);
    expect(full.name).toBe('Active');
    full.send({ type: 'table', eligible: 2000 });
    full.send({ type: 'stalled', ms: 4 * DEAD, cause: 'this process was stalled' });
    expect(full.state.fenced).not.toBeNull();
    full.send({ type: 'hello', hello: peerHello({ state: 'Pending-Active', chassisId: 'p', eligible: 0 }) });
    full.send({ type: 'hello', hello: peerHello({ state: 'Active', chassisId: 'p', eligible: 0 }) });
    expect(full.name).toBe('Active');

    const empty = new Machine(new ManualClock(0), { ...fsmConfig({ mode: 'backup', priority: 20 }), chassisId: 'p' });
    empty.send({ type: 'start' });
    empty.clock.advance(DEAD);
    expect(empty.name).toBe('Active');
    empty.send({ type: 'hello', hello: peerHello({ state: 'Active', chassisId: 'a', eligible: 2000, fenced: true, routeModifier: 9 }) });
    expect(empty.name).toBe('Standby');
    expect(empty.transitions.at(-1)?.cause).toContain('holds no sessions');
    expect(empty.effects.some((e) => e.type === 'split-handoff')).toBe(true);
  });
});

describe('chassis state machine: never a partial table over a complete one', () => {
  it('a Standby that takes over before its bulk sync finished says so; it steps down for the old Active, which does not step down for it', () => {
    const sb = new Machine(new ManualClock(0), { ...fsmConfig({ mode: 'backup', priority: 20 }), chassisId: 'p' });
    sb.send({ type: 'start' });
    sb.send({ type: 'hello', hello: peerHello({ state: 'Active', mode: 'primary', chassisId: 'a', eligible: 2000 }) });
    expect(sb.name).toBe('Standby');
    sb.send({ type: 'table', eligible: 500 }); // part of the bulk sync applied, not ready
    sb.send({ type: 'peer-dead', silentMs: DEAD });
    sb.clock.advance(0);
    expect(sb.name).toBe('Active');
    expect(sb.state.partialTable).toBe(true);
    expect(sb.hello().partialTable).toBe(true);
    sb.send({ type: 'hello', hello: peerHello({ state: 'Active', mode: 'primary', chassisId: 'a', eligible: 2000, fenced: true, routeModifier: 1 }) });
    expect(sb.name).toBe('Standby');
    expect(sb.transitions.at(-1)?.cause).toContain('before its bulk sync finished');
    // Its table is still partial until a bulk sync completes.
    expect(sb.state.partialTable).toBe(true);
    sb.send({ type: 'readiness', ready: true });
    expect(sb.state.partialTable).toBe(false);

    const old = new Machine(new ManualClock(0), { ...fsmConfig({}), chassisId: 'a' });
    old.send({ type: 'start' });
    old.clock.advance(DEAD);
    old.send({ type: 'table', eligible: 2000 });
    old.send({ type: 'stalled', ms: 4 * DEAD, cause: 'this process was stalled' });
    old.send({ type: 'hello', hello: peerHello({ state: 'Pending-Active', chassisId: 'p', eligible: 500, partialTable: true }) });
    old.send({ type: 'hello', hello: peerHello({ state: 'Active', chassisId: 'p', eligible: 500, partialTable: true, routeModifier: 2 }) });
    expect(old.name).toBe('Active');
  });

  it('a complete Active does not step down for a partial one even when the peer does not hear it (after a stall)', () => {
    const old = new Machine(new ManualClock(0), { ...fsmConfig({}), chassisId: 'a' });
    old.send({ type: 'start' });
    old.clock.advance(DEAD);
    old.send({ type: 'table', eligible: 2000 });
    expect(old.name).toBe('Active');
    old.send({ type: 'stalled', ms: 4 * DEAD, cause: 'this process was stalled' });
    old.send({ type: 'peer-deaf', deaf: true, cause: 'its Hellos say it does not hear us' });
    old.send({ type: 'hello', hello: peerHello({ state: 'Active', chassisId: 'p', eligible: 500, partialTable: true, routeModifier: 2, epoch: 2 }) });
    expect(old.name).toBe('Active');
  });

  it('two Standbys: the complete table takes over, not the partial one with the newer epoch', () => {
    // The complete one: a Standby that finished its bulk sync (its link dropped since), and
    // hears the partial chassis as Standby too, with a newer epoch: it takes over.
    const full = new Machine(new ManualClock(0), { ...fsmConfig({ mode: 'backup', priority: 20 }), chassisId: 'a' });
    full.send({ type: 'start' });
    full.send({ type: 'hello', hello: peerHello({ state: 'Active', chassisId: 'p', eligible: 2000, epoch: 1 }) });
    full.send({ type: 'table', eligible: 2000 });
    full.send({ type: 'readiness', ready: true });
    full.send({ type: 'readiness', ready: false });
    expect(full.name).toBe('Standby');
    full.send({ type: 'hello', hello: peerHello({ state: 'Standby', chassisId: 'p', eligible: 500, partialTable: true, epoch: 2 }) });
    expect(['Pending-Active', 'Active']).toContain(full.name);
    expect(full.state.partialTable).toBe(false);
    const partial = new Machine(new ManualClock(0), { ...fsmConfig({}), chassisId: 'p' });
    partial.send({ type: 'start' });
    partial.send({ type: 'hello', hello: peerHello({ state: 'Active', mode: 'backup', chassisId: 'a', eligible: 2000, priority: 20 }) });
    partial.send({ type: 'table', eligible: 500 });
    partial.send({ type: 'peer-dead', silentMs: DEAD });
    partial.clock.advance(0);
    expect(partial.state.partialTable).toBe(true);
    partial.send({ type: 'hello', hello: peerHello({ state: 'Active', mode: 'backup', chassisId: 'a', eligible: 2000, priority: 20, routeModifier: 1 }) });
    expect(partial.name).toBe('Standby');
    partial.send({ type: 'hello', hello: peerHello({ state: 'Standby', mode: 'backup', chassisId: 'a', eligible: 2000, priority: 20 }) });
    expect(partial.name).toBe('Standby');
  });

  it('a Standby that was ready once takes over with a complete table, even after its link dropped', () => {
    const sb = new Machine(new ManualClock(0), { ...fsmConfig({ mode: 'backup', priority: 20 }), chassisId: 'p' });
    sb.send({ type: 'start' });
    sb.send({ type: 'hello', hello: peerHello({ state: 'Active', mode: 'primary', chassisId: 'a', eligible: 2000 }) });
    sb.send({ type: 'readiness', ready: true });
    sb.send({ type: 'readiness', ready: false }); // the link dropped: readiness starts over
    sb.send({ type: 'peer-dead', silentMs: DEAD });
    sb.clock.advance(0);
    expect(sb.name).toBe('Active');
    expect(sb.state.partialTable).toBe(false);
  });

  it('a ready Standby takes over with a complete table', () => {
    const sb = new Machine(new ManualClock(0), { ...fsmConfig({ mode: 'backup', priority: 20 }), chassisId: 'p' });
    sb.send({ type: 'start' });
    sb.send({ type: 'hello', hello: peerHello({ state: 'Active', mode: 'primary', chassisId: 'a', eligible: 2000 }) });
    sb.send({ type: 'readiness', ready: true });
    sb.send({ type: 'peer-dead', silentMs: DEAD });
    sb.clock.advance(0);
    expect(sb.name).toBe('Active');
    expect(sb.state.partialTable).toBe(false);
  });
});

describe('chassis state machine: the witness', () => {
  const cfg = (): ReturnType<typeof fsmConfig> => ({ ...fsmConfig({ mode: 'backup', priority: 20 }), witness: true });

  it('a takeover waiting for the lease goes back to Standby when the peer is heard Active with the lease', () => {
    const m = new Machine(new ManualClock(0), cfg());
    m.autoBeforeActive = false; // the runner waits for the lease before it finishes
    m.send({ type: 'start' });
    m.send({ type: 'hello', hello: peerHello({ state: 'Active', mode: 'primary', chassisId: 'p', epoch: 3 }) });
    m.send({ type: 'readiness', ready: true });
    m.send({ type: 'witness', held: false, reachable: true, holder: 'p' });
    m.send({ type: 'peer-dead', silentMs: DEAD });
    expect(m.name).toBe('Pending-Active');
    // The holder is fenced (it did not hear us for a while): it keeps the lease and the role.
    m.send({ type: 'hello', hello: peerHello({ state: 'Active', mode: 'primary', chassisId: 'p', epoch: 3, fenced: true }) });
    expect(m.name).toBe('Standby');
    expect(m.transitions.at(-1)?.cause).toContain('holds the witness lease');
    expect(m.state.epoch).toBe(3); // the abandoned takeover's epoch never held a table
  });

  it('when two Actives meet, the lease holder stays, whatever the route modifiers say', () => {
    const holder = new Machine(new ManualClock(0), { ...cfg(), chassisId: 'a' });
    holder.send({ type: 'start' });
    holder.clock.advance(DEAD);
    expect(holder.name).toBe('Active');
    holder.send({ type: 'witness', held: true, reachable: true, holder: 'a' });
    holder.send({ type: 'hello', hello: peerHello({ state: 'Active', routeModifier: 1, priority: 1, mode: 'primary' }) });
    expect(holder.name).toBe('Active');
    const other = new Machine(new ManualClock(0), { ...cfg(), chassisId: 'c', priority: 1, mode: 'primary' });
    other.send({ type: 'start' });
    other.clock.advance(DEAD);
    other.send({ type: 'witness', held: false, reachable: true, holder: 'b' });
    other.send({ type: 'hello', hello: peerHello({ state: 'Active', routeModifier: 9, priority: 200 }) });
    expect(other.name).toBe('Standby');
    expect(other.transitions.at(-1)?.cause).toContain('witness lease');
  });

  it('a fenced lease holder does not step down for a peer whose takeover waits for that lease', () => {
    const holder = new Machine(new ManualClock(0), { ...cfg(), chassisId: 'a' });
    holder.send({ type: 'start' });
    holder.clock.advance(DEAD);
    expect(holder.name).toBe('Active');
    holder.send({ type: 'witness', held: true, reachable: true, holder: 'a' });
    // A healed cut: the peer's first Hellos still say it does not hear us, and it is taking over.
    holder.send({ type: 'peer-deaf', deaf: true, cause: 'its Hellos say it does not hear us' });
    expect(holder.state.fenced).not.toBeNull();
    holder.send({ type: 'hello', hello: peerHello({ state: 'Pending-Active', chassisId: 'p' }) });
    expect(holder.name).toBe('Active');
    // It hears us again and goes back to Standby: the fence lifts.
    holder.send({ type: 'peer-deaf', deaf: false, cause: 'its Hellos say it hears us' });
    holder.send({ type: 'hello', hello: peerHello({ state: 'Standby', chassisId: 'p' }) });
    expect(holder.name).toBe('Active');
    expect(holder.state.fenced).toBeNull();
    // Without the lease the same fenced Active does step down for the peer taking over.
    const other = new Machine(new ManualClock(0), { ...cfg(), chassisId: 'b' });
    other.send({ type: 'start' });
    other.clock.advance(DEAD);
    other.send({ type: 'peer-deaf', deaf: true, cause: 'its Hellos say it does not hear us' });
    other.send({ type: 'hello', hello: peerHello({ state: 'Pending-Active', chassisId: 'p' }) });
    expect(other.name).toBe('Standby');
  });

  it('refuses witness news when no witness is configured', () => {
    const m = started();
    expect(m.send({ type: 'witness', held: true, reachable: true, holder: 'a' })[0]).toMatchObject({ type: 'refused' });
  });
});
