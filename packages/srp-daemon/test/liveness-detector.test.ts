import { describe, expect, it } from 'vitest';
import { ChassisMode, ChassisState, type Hello } from '@srp-ha/wire';
import { LivenessDetector } from '../src/liveness/detector.js';

const HELLO = 100;
const DEAD = 300;
const OWN_BOOT = 1111;
const PEER_BOOT = 2222;

function hello(over: Partial<Hello> = {}): Hello {
  return {
    chassisId: 'b',
    mode: ChassisMode.CHASSIS_MODE_BACKUP,
    state: ChassisState.CHASSIS_STATE_STANDBY,
    priority: 20,
    cfMac: new Uint8Array(6),
    routeModifier: 1,
    configDigest: new Uint8Array(32),
    sessionCount: 0,
    standbyReady: true,
    sequence: 1,
    sentAtMs: 0,
    echoSentAtMs: 0,
    eligibleCount: 0,
    bootId: PEER_BOOT,
    epoch: 1,
    baseEpoch: 0,
    heardBootId: 0,
    heardSequence: 0,
    heardAgeMs: 0,
    fenced: false,
    goodbye: false,
    takeoverNow: false,
    partialTable: false,
    ...over,
  };
}

/** A detector that has sent Hellos 1..n at 0, 100, 200, ... and checked at each. */
function running(n: number): LivenessDetector {
  const d = new LivenessDetector({ helloIntervalMs: HELLO, deadIntervalMs: DEAD }, OWN_BOOT, 0);
  for (let i = 1; i <= n; i++) {
    const now = (i - 1) * HELLO;
    d.check(now);
    d.sent(d.nextSequence(), now);
  }
  return d;
}

describe('liveness detector: which Hellos to believe', () => {
  it('takes the first peer as it comes, then refuses a sequence that does not increase', () => {
    const d = running(1);
    expect(d.onHello(hello({ sequence: 5 }), 10)).toEqual({ accepted: true, newBoot: false, fresh: false, first: true });
    expect(d.onHello(hello({ sequence: 5 }), 20)).toEqual({ accepted: false, reason: 'replay' });
    expect(d.onHello(hello({ sequence: 4 }), 30)).toEqual({ accepted: false, reason: 'replay' });
    expect(d.onHello(hello({ sequence: 6 }), 40)).toMatchObject({ accepted: true });
  });

  it('refuses our own Hello reflected back', () => {
    const d = running(1);
    expect(d.onHello(hello({ bootId: OWN_BOOT }), 10)).toEqual({ accepted: false, reason: 'reflected' });
  });

  it('believes another boot of the peer only from a fresh Hello (one that echoes a recent Hello of ours)', () => {
    const d = running(3);
    d.onHello(hello({ sequence: 9 }), 150);
    // A recorded Hello of an earlier boot, or a new boot that has not heard us yet: refused.
    expect(d.onHello(hello({ bootId: 3333, sequence: 1 }), 210)).toEqual({ accepted: false, reason: 'stale-boot' });
    expect(d.onHello(hello({ bootId: 3333, sequence: 2, heardBootId: 9999, heardSequence: 3 }), 210)).toEqual({ accepted: false, reason: 'stale-boot' });
    // Echoing a sequence we never sent is not fresh either.
    expect(d.onHello(hello({ bootId: 3333, sequence: 3, heardBootId: OWN_BOOT, heardSequence: 99 }), 210)).toEqual({ accepted: false, reason: 'stale-boot' });
    // The restarted peer heard our Hello 3: believed, as a new boot.
    expect(d.onHello(hello({ bootId: 3333, sequence: 4, heardBootId: OWN_BOOT, heardSequence: 3 }), 220)).toEqual({ accepted: true, newBoot: true, fresh: true, first: true });
  });

  it('an echo of a Hello older than the dead interval is not fresh', () => {
    const d = running(10); // Hello 1 went at 0, Hello 10 at 900
    expect(d.onHello(hello({ sequence: 1, heardBootId: OWN_BOOT, heardSequence: 1 }), 950)).toMatchObject({ accepted: true, fresh: false });
    expect(d.onHello(hello({ sequence: 2, heardBootId: OWN_BOOT, heardSequence: 9 }), 950)).toMatchObject({ accepted: true, fresh: true });
  });
});

describe('liveness detector: dead peer', () => {
  it('reports the peer dead at the dead interval after its last Hello, not before, and once', () => {
    const d = running(1);
    d.onHello(hello({ sequence: 1, heardBootId: OWN_BOOT, heardSequence: 1 }), 50);
    expect(d.check(100)).toEqual([]);
    expect(d.check(200)).toEqual([]);
    expect(d.check(349)).toEqual([]);
    expect(d.check(350)).toContainEqual({ type: 'peer-dead', silentMs: 300 });
    expect(d.check(400).filter((e) => e.type === 'peer-dead')).toEqual([]);
    d.onHello(hello({ sequence: 2 }), 420);
    expect(d.check(500).filter((e) => e.type === 'peer-dead')).toEqual([]);
    d.check(600);
    expect(d.check(720)).toContainEqual({ type: 'peer-dead', silentMs: 300 });
  });

  it('a stalled process listens before it judges: no verdict until the window after the stall has passed', () => {
    const d = running(1);
    d.onHello(hello({ sequence: 1 }), 50);
    d.check(100);
    // Frozen from 100 to 2100 (SIGSTOP). The first check after it notices the stall.
    const events = d.check(2100);
    expect(events).toContainEqual({ type: 'stalled', ms: 2000, cause: 'this process was stalled' });
    expect(events.some((e) => e.type === 'peer-dead')).toBe(false);
    // The peer's Hellos sent meanwhile are read now: it is alive, no verdict at all.
    d.onHello(hello({ sequence: 20 }), 2101);
    d.onHello(hello({ sequence: 21 }), 2102);
    expect(d.check(2200).some((e) => e.type === 'peer-dead')).toBe(false);
    expect(d.check(2300).some((e) => e.type === 'peer-dead')).toBe(false);
  });

  it('after a stall, a peer that really is dead is judged once the listen window has passed', () => {
    const d = running(1);
    d.onHello(hello({ sequence: 1 }), 50);
    d.check(100);
    expect(d.check(2100).some((e) => e.type === 'peer-dead')).toBe(false);
    expect(d.check(2100 + d.listenWindowMs)).toContainEqual({ type: 'peer-dead', silentMs: 2100 + d.listenWindowMs - 50 });
  });

  it('a short stall, which the peer cannot have taken for our death, is not reported', () => {
    const d = running(3); // checked and sent at 200
    d.sent(d.nextSequence(), 250); // a Hello sent outside the beat
    // 220 ms since the last check is a stall, but the peer heard us 170 ms ago: under dead - hello.
    expect(d.check(420)).toEqual([]);
  });

  it('a stall while the peer had already been silent for a dead interval is reported only when a peer started meanwhile could have waited out its start-up hold', () => {
    const d = new LivenessDetector({ helloIntervalMs: HELLO, deadIntervalMs: DEAD, peerClaimHoldMs: 1000 }, OWN_BOOT, 0);
    const beat = (now: number): void => {
      d.check(now);
      d.sent(d.nextSequence(), now);
    };
    beat(0);
    d.onHello(hello({ sequence: 1 }), 50); // the peer's last Hello: it stops (or restarts) after it
    for (let t = 100; t <= 500; t += HELLO) beat(t);
    // Silent from 500 to 900 (more than dead - hello), but the peer had been silent for 450 ms
    // before: it could not take us for dead, and a peer started meanwhile still waits its hold.
    expect(d.noticeStall(900)).toEqual({ stalled: true, events: [] });
    beat(900);
    // 950 ms silent + a Hello period reaches the 1000 ms hold: a restarted peer may have claimed Active.
    expect(d.noticeStall(1850)).toEqual({ stalled: true, events: [{ type: 'stalled', ms: 950, cause: 'this process was stalled' }] });
    beat(1850);
    expect(d.vouchingResumed(1900, 2300)).toEqual([]);
    expect(d.vouchingResumed(1900, 2900)).toEqual([{ type: 'stalled', ms: 1000, cause: 'the main thread did not answer its watchdog' }]);
    // Heard shortly before the silence: a stall of dead - hello is reported, however short the hold.
    beat(3000);
    d.onHello(hello({ sequence: 2 }), 3050);
    beat(3100);
    expect(d.noticeStall(3400).events).toEqual([{ type: 'stalled', ms: 300, cause: 'this process was stalled' }]);
  });

  it('after a stall, only a Hello that echoes one of our Hellos sent since is fresh', () => {
    const d = running(3); // Hellos 1..3 sent at 0..200
    d.onHello(hello({ sequence: 1 }), 210);
    d.check(2300); // stalled
    d.sent(d.nextSequence(), 2300); // Hello 4, the first after the stall
    expect(d.onHello(hello({ sequence: 2, heardBootId: OWN_BOOT, heardSequence: 3 }), 2301)).toMatchObject({ accepted: true, fresh: false });
    expect(d.onHello(hello({ sequence: 3, heardBootId: OWN_BOOT, heardSequence: 4 }), 2310)).toMatchObject({ accepted: true, fresh: true });
  });

  it('a main thread that missed its watchdog long enough for the peer to take over is reported', () => {
    const d = running(2);
    expect(d.vouchingResumed(150, 250)).toEqual([]); // the peer heard our Hello of 100 150 ms ago
    expect(d.vouchingResumed(150, 1500)).toEqual([{ type: 'stalled', ms: 1350, cause: 'the main thread did not answer its watchdog' }]);
  });
});

describe('liveness detector: one-way faults', () => {
  it('a peer whose Hellos say it no longer hears us is a link fault, not a dead peer', () => {
    const d = running(4); // our first Hello went at 0; the grace after it is the dead interval
    d.onHello(hello({ sequence: 1, heardBootId: OWN_BOOT, heardSequence: 4, heardAgeMs: 10 }), 310);
    expect(d.check(320)).toEqual([]);
    // Jitter on a busy host (210 ms, under 0.8 x dead) is not a fault.
    d.onHello(hello({ sequence: 2, heardBootId: OWN_BOOT, heardSequence: 4, heardAgeMs: 210 }), 410);
    expect(d.check(420)).toEqual([]);
    d.onHello(hello({ sequence: 3, heardBootId: OWN_BOOT, heardSequence: 4, heardAgeMs: 250 }), 460);
    expect(d.check(470)).toEqual([{ type: 'link-fault', fault: 'peer-does-not-hear-us' }]);
    expect(d.status(470)).toMatchObject({ hearing: true, heardBy: false, fault: 'peer-does-not-hear-us' });
    // It clears only under half the dead interval (no flapping around the threshold).
    d.onHello(hello({ sequence: 4, heardBootId: OWN_BOOT, heardSequence: 5, heardAgeMs: 200 }), 510);
    expect(d.check(520)).toEqual([]);
    d.onHello(hello({ sequence: 5, heardBootId: OWN_BOOT, heardSequence: 6, heardAgeMs: 5 }), 560);
    expect(d.check(570)).toEqual([{ type: 'link-fault', fault: 'none' }]);
  });

  it('a peer that is merely silent is not said to be deaf: at the dead interval we do not hear it', () => {
    const d = running(4);
    d.onHello(hello({ sequence: 1, heardBootId: OWN_BOOT, heardSequence: 4, heardAgeMs: 10 }), 310);
    expect(d.check(400)).toEqual([]);
    expect(d.check(520)).toEqual([]); // 210 ms of silence: nothing is known of what it hears
    expect(d.check(610)).toEqual([
      { type: 'peer-dead', silentMs: 300 },
      { type: 'link-fault', fault: 'we-do-not-hear-peer' },
    ]);
  });
});
