// The runner (SrpDaemon) itself, two of them on one manual clock (helpers/runner-harness.ts):
// elections, takeover on a killed or frozen peer to the millisecond, planned switchovers, a
// graceful stop, one-way faults, a link cut under living Hellos, a failing state machine, and one
// session's way from the Active's table to the Standby's and through a takeover.
import { afterEach, describe, expect, it } from 'vitest';
import { step } from '../src/fsm/chassis.js';
import { RunnerPair, type HarnessOptions } from './helpers/runner-harness.js';

const HELLO = 100;
const DEAD = 300;
/** The harness advances the clock in steps of this many ms. */
const STEP = 5;

let pair: RunnerPair | null = null;
afterEach(async () => {
  await pair?.stop();
  pair = null;
});

/** A pair started and settled: east Active, west Standby and ready. */
async function settled(o: HarnessOptions = {}): Promise<RunnerPair> {
  const p = new RunnerPair({ helloMs: HELLO, deadMs: DEAD, ...o });
  pair = p;
  await p.start();
  await p.until('east Active, west Standby', () => p.states() === 'Active/Standby', 5000);
  await p.until('west ready', () => p.b.daemon.info().standbyReady, 2000);
  return p;
}

/** Samples the states every step for `ms`: returns every combination seen. */
async function watch(p: RunnerPair, ms: number): Promise<Set<string>> {
  const seen = new Set<string>();
  for (let t = 0; t < ms; t += STEP) {
    await p.advance(STEP);
    seen.add(p.states());
  }
  return seen;
}

describe('the runner, two on one manual clock', () => {
  it('elects the primary Active and the backup Standby, ready, over an up link', async () => {
    const p = await settled();
    const a = p.a.daemon.info();
    expect(a.link).toBe('up');
    expect(a.peer).toMatchObject({ chassisId: 'west', state: 'Standby', standbyReady: true });
    expect(p.b.daemon.info().peer).toMatchObject({ chassisId: 'east', state: 'Active' });
    expect(p.a.daemon.statistics().hellos.received).toBeGreaterThan(0);
    // Stable: nothing moves over 10 dead intervals.
    expect([...(await watch(p, 10 * DEAD))]).toEqual(['Active/Standby']);
  });

  it('takes over from a killed Active within the dead interval of its last Hello', async () => {
    const p = await settled();
    p.kill(p.a);
    const ms = await p.until('west Active', () => p.b.daemon.state === 'Active', 3 * DEAD);
    // The last Hello heard came at most one hello interval before the kill.
    expect(ms).toBeGreaterThanOrEqual(DEAD - HELLO - STEP);
    expect(ms).toBeLessThanOrEqual(DEAD + STEP);
    expect(p.b.daemon.info().lastSwitchover).toMatchObject({ reason: 'peer-dead', to: 'Active' });
    expect(p.b.events.some((e) => e.type === 'switchover' && e.reason === 'peer-dead')).toBe(true);
  });

  it('a frozen Active that wakes after its peer took over sees the stall and steps down: never two Actives once it has read', async () => {
    const p = await settled();
    p.a.clock.freeze();
    await p.until('west Active', () => p.b.daemon.state === 'Active', 3 * DEAD);
    await p.advance(3 * DEAD); // frozen well past the takeover
    expect(p.a.daemon.state).toBe('Active'); // it ran nothing while frozen
    p.a.clock.thaw();
    await p.until('east Standby', () => p.a.daemon.state === 'Standby', 5 * DEAD);
    expect(p.a.events.some((e) => e.type === 'stall')).toBe(true);
    expect([...(await watch(p, 10 * DEAD))]).toEqual(['Standby/Active']);
    expect(p.b.daemon.info().epoch).toBeGreaterThan(0);
  });

  it('hands over on a planned switchover: the request is accepted and the roles swap', async () => {
    const p = await settled();
    const result = await (async () => {
      const r = p.a.daemon.initiateSwitchover(false);
      await p.until('roles swapped', () => p.states() === 'Standby/Active', 20 * DEAD);
      return r;
    })();
    expect(result).toEqual({ accepted: true, reasons: [] });
    expect(p.b.daemon.info().lastSwitchover).toMatchObject({ reason: 'manual', to: 'Active' });
    expect([...(await watch(p, 5 * DEAD))]).toEqual(['Standby/Active']);
  });

  it('refuses a switchover the Standby cannot take (not ready), and says why', async () => {
    const p = new RunnerPair({ helloMs: HELLO, deadMs: DEAD });
    pair = p;
    await p.start();
    await p.until('east Active', () => p.a.daemon.state === 'Active', 5000);
    p.link.cut('cable pulled'); // the Standby cannot be reached: no planned switchover
    await p.advance(2 * STEP);
    const r = p.a.daemon.validateSwitchover();
    expect(r.accepted).toBe(false);
    expect(r.reasons.length).toBeGreaterThan(0);
  });

  it('a stopping Active says Goodbye and its Standby takes over at once, not after the dead interval', async () => {
    const p = await settled();
    void p.a.daemon.stop('maintenance');
    const ms = await p.until('west Active', () => p.b.daemon.state === 'Active', 3 * DEAD);
    expect(ms).toBeLessThan(DEAD / 2);
    expect(p.b.daemon.info().lastSwitchover?.reason).toBe('peer-goodbye');
  });

  it('a cut SRP connection under living Hellos moves no role, and the link comes back', async () => {
    const p = await settled();
    p.link.cut('TCP connection cut');
    const seen = await watch(p, 10 * DEAD);
    expect([...seen]).toEqual(['Active/Standby']);
    expect(p.a.daemon.info().link).toBe('down');
    p.link.heal();
    await p.until('link up', () => p.a.daemon.info().link === 'up' && p.b.daemon.info().link === 'up', 2000);
    expect(p.a.daemon.statistics().link.disconnects).toBe(1);
  });

  it('one-way fault (the Active is not heard): the Standby takes over and the Active, told it is not heard, steps down', async () => {
    const p = await settled();
    p.datagrams.setCut('a', true); // what east sends is lost; east still hears west
    await p.until('west Active', () => p.b.daemon.state === 'Active', 3 * DEAD);
    await p.until('east Standby', () => p.a.daemon.state === 'Standby', 10 * DEAD);
    expect([...(await watch(p, 10 * DEAD))]).toEqual(['Standby/Active']);
    expect(p.a.daemon.info().liveness.linkFault).toBe('peer-does-not-hear-us');
    p.datagrams.setCut('a', false);
    await p.until('fault cleared', () => p.a.daemon.info().liveness.linkFault === 'none', 10 * DEAD);
    expect(p.states()).toBe('Standby/Active');
  });

  it('a state machine that throws stops the chassis deliberately: logged, no further event taken, the peer takes over', async () => {
    let armed = false;
    const failing: typeof step = (s, e, now) => {
      if (armed && e.type === 'hello') throw new Error('injected failure');
      return step(s, e, now);
    };
    const p = await settled({ optionsA: { step: failing } });
    armed = true;
    await p.until('east failed', () => p.a.fatal.length > 0, 2 * HELLO);
    expect(p.a.fatal[0].message).toBe('injected failure');
    expect(p.a.events.some((e) => e.type === 'peer-lost' && /state machine failed/.test(e.cause))).toBe(true);
    const transitionsAfter = p.a.events.filter((e) => e.type === 'state-change').length;
    // The harness's onFatal stops the daemon (as srpd does): Goodbye, and the peer takes over at once.
    const ms = await p.until('west Active', () => p.b.daemon.state === 'Active', 3 * DEAD);
    expect(ms).toBeLessThan(DEAD);
    await p.advance(5 * DEAD);
    expect(p.a.events.filter((e) => e.type === 'state-change').length).toBe(transitionsAfter);
    expect((await p.a.daemon.initiateSwitchover(false)).accepted).toBe(false);
  });
});

describe('the runner with its replication plane', () => {
  it('a session written on the Active reaches the Standby and survives the Active being killed', async () => {
    const p = await settled({ replication: true });
    const ea = p.a.plane?.engine;
    const eb = p.b.plane?.engine;
    if (!ea || !eb) throw new Error('no replication plane');
    ea.upsert({ id: 'imsi-001010000000001', lifetimeMs: 3_600_000, attrs: { apn: 'internet', ip: '198.18.7.1' }, counters: { up: 10n } });
    ea.incrementCounter('imsi-001010000000001', 'up', 5n);
    await p.until('replicated', () => eb.get('imsi-001010000000001')?.counters.up === 15n, 5000);
    expect(eb.summary().digest).toBe(ea.summary().digest);
    p.kill(p.a);
    await p.until('west Active', () => p.b.daemon.state === 'Active', 3 * DEAD);
    const s = eb.get('imsi-001010000000001');
    expect(s?.attrs).toEqual({ apn: 'internet', ip: '198.18.7.1' });
    // A takeover advances every counter by counter-sync-every (100 by default): no value the dead
    // Active may have handed out after its last checkpoint is handed out again.
    expect(s?.counters.up).toBe(15n + 100n);
    expect(eb.role).toBe('active');
  });
});
