// The acknowledged-write ledger and judge on their own: marks, "or a later one", sessions made
// afresh by an update, young sessions as call loss, unsynced sessions, counters rebased.
import { describe, expect, it } from 'vitest';
import { judge, roleMoments, when, type FinalSession } from '../src/chaos/judge.js';
import type { Observation } from '../src/poller.js';
import { Ledger, type PendingWrite } from '../src/chaos/ledger.js';

const D = 2000; // session-duration
const opts = (moments: number[], unsynced: string[] = []) => ({
  sessionDurationMs: D,
  marginMs: 500,
  moments,
  window: { from: 10_000, to: 12_000 },
  unsynced: new Set(unsynced),
});
const fin = (w: number, c = 0, born = true): FinalSession => ({ w, c, version: 1, born });

/** Creates `ids` acknowledged at `at`; returns their session indexes. */
function created(l: Ledger, ids: string[], at: number): number[] {
  const writes = ids.map((id) => l.planCreate(id));
  l.ack(writes, writes.map((_, i) => i + 1), at, 'a', []);
  return writes.map((w) => w.session);
}

describe('ledger', () => {
  it('gives every write its own mark: w for creates and attribute writes, c for counters', () => {
    const l = new Ledger();
    const [s] = created(l, ['x'], 0);
    const a1 = l.planAttr(s);
    const c1 = l.planCounter(s);
    const a2 = l.planAttr(s);
    expect([a1.mark, c1.mark, a2.mark]).toEqual([2, 1, 3]);
    expect(a1.op).toEqual({ op: 'upsert', id: 'x', attrs: { w: '2' } });
    expect(c1.op).toEqual({ op: 'upsert', id: 'x', counters: { c: 1 } });
    expect(l.planCreate('y').op).toEqual({ op: 'upsert', id: 'y', attrs: { born: '1', w: '1' }, counters: { c: 0 } });
    // A new Active advanced the counter: the next increment goes on from there.
    l.rebaseCounter(s, 101);
    expect(l.planCounter(s).mark).toBe(102);
    expect(() => l.planCreate('x')).toThrow(/planned twice/);
  });

  it('keeps the pool to acknowledged creates, and reserved sessions apart', () => {
    const l = new Ledger();
    const w = l.planCreate('z');
    expect(l.live).toEqual([]);
    l.nack([w]);
    expect(l.unacked).toBe(1);
    l.ack([w], [7], 5, 'b');
    expect(l.live).toEqual([w.session]);
    expect(l.reserve(w.session)).toBe(true);
    expect(l.reserve(w.session)).toBe(false);
    expect(l.isReserved(w.session)).toBe(true);
  });
});

describe('judge', () => {
  it('passes a session holding every write or a later one, fails one missing a write', () => {
    const l = new Ledger();
    const [s1, s2] = created(l, ['held', 'stale'], 0);
    const writes: PendingWrite[] = [l.planAttr(s1), l.planCounter(s1), l.planAttr(s2), l.planCounter(s2)];
    l.ack(writes, [10, 11, 12, 13], 11_000, 'a');
    // held: w is past its last write (a later unacknowledged one landed), c as written.
    // stale: the attribute write is there, the counter write is not.
    const j = judge(l, [fin(5, 1), fin(2, 0)], opts([]));
    expect(j.checked).toBe(6);
    expect(j.lostCount).toBe(1);
    expect(j.lost[0]).toMatchObject({ id: 'stale', kind: 'counter', mark: 1, version: 13, node: 'a', when: '+1.00 s into the fault' });
    expect(j.lost[0]?.held).toMatch(/^w=2 c=0 version /);
    expect(j.callLossSessions).toBe(0);
  });

  it('counts the writes of a session lost while young as call loss, and an old one as lost', () => {
    const l = new Ledger();
    const [old] = created(l, ['old'], 0);
    const [young] = created(l, ['young'], 9500);
    // The fault at 10 000: 'young' was 500 ms old then, 'old' 10 s.
    const j = judge(l, [null, null], opts([10_000]));
    expect(j.callLossSessions).toBe(1);
    expect(j.callLossIds).toEqual(['young']);
    expect(j.lostCount).toBe(1);
    expect(j.lost.map((w) => w.id)).toEqual(['old']);
    expect(old).toBe(0);
    expect(young).toBe(1);
    // A moment before the write cannot explain its loss.
    const later = judge(l, [fin(1), null], opts([9000]));
    expect(later.lostCount).toBe(1);
    expect(later.callLossSessions).toBe(0);
  });

  it('does not count a session made afresh by an update as holding what came before', () => {
    const l = new Ledger();
    const [s] = created(l, ['lost-and-remade'], 0);
    const before = l.planAttr(s);
    l.ack([before], [5], 5000, 'a');
    const after = l.planAttr(s);
    // The new Active had no such session: the daemon answered that this upsert created it.
    l.ack([after], [9], 11_000, 'b', [0]);
    const j = judge(l, [fin(3, 0, false)], opts([]));
    expect(j.lost.map((w) => [w.kind, w.mark])).toEqual([
      ['create', 1],
      ['attr', 2],
    ]);
    expect(j.lostCount).toBe(2);
  });

  it('does not count a session seen replicated as young any more', () => {
    const l = new Ledger();
    created(l, ['seen'], 9000);
    // Equal digests at 9 600 (the suite checked): lost afterwards it is a loss, not call loss,
    // even with a moment (a role change) before the check, when it was young.
    l.confirmReplicated(9600);
    const j = judge(l, [null], opts([9300, 10_000]));
    expect(j.lostCount).toBe(1);
    expect(j.callLossSessions).toBe(0);
  });

  it('takes a session made afresh as young again from then on', () => {
    const l = new Ledger();
    const [s] = created(l, ['remade'], 0);
    // Lost at a moment long after its creation, remade by an update at 20 000, lost again at
    // 21 000 while that incarnation was 1 s old: the write to it is call loss, not a failure.
    const w = l.planAttr(s);
    l.ack([w], [3], 20_000, 'b', [0]);
    expect(l.bornAt(s, 20_000)).toBe(20_000);
    expect(l.bornAt(s, 5)).toBe(0);
    const j = judge(l, [null], opts([21_000]));
    expect(j.lost.map((x) => x.kind)).toEqual(['create']);
    expect(j.callLossWrites).toBe(1);
  });

  it('takes the takeover itself as a moment: a write answered after the old Active was seen stepping down', () => {
    // The old Active applied the create while Active and answered after waiting for the
    // Standby's ack (which covers only eligible sessions), 4 ms after the poller saw it Pending-Standby;
    // the peer took over 90 ms later, when the session was still young.
    const seen = (t: number, node: string, state: Observation['state']): Observation => ({ t, node, state, routeModifier: 1 });
    const changes = [seen(4012, 'b', 'Standby'), seen(4037, 'a', 'Active'), seen(10_165, 'a', 'Pending-Standby'), seen(10_200, 'a', 'down'), seen(10_251, 'a', 'Standby'), seen(10_262, 'b', 'Active')];
    expect(roleMoments(changes)).toEqual([10_165, 10_262]);
    const l = new Ledger();
    created(l, ['made-at-step-down'], 10_169);
    const j = judge(l, [null], opts(roleMoments(changes)));
    expect(j.lostCount).toBe(0);
    expect(j.callLossIds).toEqual(['made-at-step-down']);
    // A frozen Active seen down and then Active again did not change hands.
    expect(roleMoments([seen(1, 'a', 'Active'), seen(2, 'a', 'down'), seen(3, 'a', 'Active')])).toEqual([]);
    // Without the takeover moment the same write would have been counted lost.
    expect(judge(l, [null], opts([10_165])).lostCount).toBe(1);
  });

  it('reports writes of sessions the Standby had never been sent apart from losses', () => {
    const l = new Ledger();
    created(l, ['sent', 'never-sent'], 0);
    const j = judge(l, [fin(1), null], opts([10_000], ['never-sent']));
    expect(j.lostCount).toBe(0);
    expect(j.unsyncedSessions).toBe(1);
    expect(j.unsyncedWrites).toBe(1);
  });

  it('places a write relative to the fault window', () => {
    const w = { from: 1000, to: 3000 };
    expect(when(800, w)).toBe('-0.20 s before the fault');
    expect(when(1500, w)).toBe('+0.50 s into the fault');
    expect(when(3400, w)).toBe('+0.40 s after the fault');
    expect(when(5, null)).toBe('');
  });
});
