// Which write is later when two Actives meet: an attribute both set while apart keeps the later
// write, also when the Active that kept serving set it before it noticed the split (its change
// was still unacknowledged when the link went silent), and however often its journal is opened
// again (the peer lost, then the link down). A manual clock gives every write its own time.
import { describe, expect, it } from 'vitest';
import type { CheckpointEngine } from '../src/index.js';
import { UnackedAttrLog } from '../src/internal.js';
import { makePair, type Pair } from './helpers.js';
import { Prng, propertySeeds, replayHint } from './prng.js';

const LIFE = 3_600_000;

/** The link goes silent: nothing passes either way, and neither engine is told. */
function silence(p: Pair): void {
  p.link.cut();
}

/** One session `s` ({ w: '1' }) on a synced pair; the link goes silent and b takes over after the dead interval. */
async function silentSplit(): Promise<Pair> {
  const p = await makePair();
  p.active.create({ id: 's', lifetimeMs: LIFE, attrs: { w: '1' } });
  await p.settle();
  silence(p);
  p.clock.advance(1000);
  await p.standby.becomeActive({ cause: 'peer-dead' });
  return p;
}

/** The loser steps down and hands over; the link heals; the winner applies the hand-over. */
async function heal(p: Pair, loser: CheckpointEngine): Promise<void> {
  await loser.captureHandoff(2);
  loser.becomeStandby();
  p.link.restore();
  loser.sendHandoff();
  await p.settle();
}

describe('the sender\'s log of unacknowledged changes', () => {
  it('keeps each change until a batch that carried it is acknowledged', () => {
    const log = new UnackedAttrLog();
    log.note('a', ['w'], 10);
    log.note('b', null, 11);
    log.drained(1); // both went in batch 1 (or earlier)
    log.note('a', [], 12);
    log.drained(2);
    expect(log.changesOf(['a', 'b'])).toEqual(
      new Map([
        ['a', [{ attrs: ['w'], at: 10 }, { attrs: [], at: 12 }]],
        ['b', [{ attrs: null, at: 11 }]],
      ]),
    );
    log.acked(1);
    expect(log.changesOf(['a', 'b'])).toEqual(new Map([['a', [{ attrs: [], at: 12 }]]]));
    log.acked(2);
    expect(log.size).toBe(0);
    log.note('c', ['x'], 13);
    log.drained(2); // nothing sent since batch 2, which is acknowledged: nothing left unacknowledged
    expect(log.size).toBe(0);
  });

  it('past its bound it drops the oldest change and says until when it no longer knows every change', () => {
    const log = new UnackedAttrLog(2);
    log.note('a', ['w'], 10);
    log.note('b', ['w'], 11);
    expect(log.droppedUpTo).toBe(-Infinity);
    log.note('c', ['w'], 12);
    expect(log.size).toBe(2);
    expect(log.droppedUpTo).toBe(10);
    expect([...log.changesOf(['a', 'b', 'c']).keys()]).toEqual(['b', 'c']);
    log.clear();
    expect([log.size, log.droppedUpTo]).toEqual([0, -Infinity]);
  });

  it('an Active whose Standby keeps acknowledging keeps only the last changes, also when it is never idle', async () => {
    const p = await makePair();
    const logSize = (): number => (p.active as unknown as { sender: { micro: { log: UnackedAttrLog } } }).sender.micro.log.size;
    for (let i = 0; i < 50; i++) p.active.create({ id: `s${i}`, lifetimeMs: LIFE, attrs: { w: '1' } });
    await p.settle();
    expect(logSize()).toBe(0);
    let most = 0;
    for (let round = 0; round < 200; round++) {
      for (let i = 0; i < 10; i++) p.active.update(`s${(round * 10 + i) % 50}`, { attrs: { w: String(round) } });
      p.clock.advance(5); // the batch timer: the batch goes, unacknowledged
      most = Math.max(most, logSize());
      p.link.deliver(1); // the batch; its ack comes with the next round
      await p.standby.drain();
    }
    expect(most).toBeGreaterThanOrEqual(10);
    expect(most).toBeLessThanOrEqual(30);
    await p.settle();
    expect(logSize()).toBe(0);
  });
});

describe('split brain: which write is later', () => {
  it('a change without attributes that the old Active made after the new one set an attribute does not undo that attribute, when the link drops later', async () => {
    const p = await silentSplit();
    p.active.peerLost();
    p.clock.advance(50);
    p.standby.update('s', { attrs: { w: '2' } }); // the new Active's write
    p.clock.advance(50);
    p.active.refresh('s'); // the old Active restarts the lifetime: no attribute
    p.clock.advance(1000);
    p.active.linkDown(); // the silent connection times out: the journal is open already
    p.standby.linkDown();
    await heal(p, p.standby);
    expect(p.active.get('s')?.attrs).toEqual({ w: '2' });
  });

  it('a change the old Active made before it noticed the split carries its real time', async () => {
    const p = await makePair();
    p.active.create({ id: 'counted', lifetimeMs: LIFE, attrs: { w: '1' } });
    p.active.create({ id: 'early', lifetimeMs: LIFE, attrs: { w: '1' } });
    p.active.create({ id: 'late', lifetimeMs: LIFE, attrs: { w: '1' } });
    await p.settle();
    silence(p);
    p.clock.advance(100);
    p.active.refresh('counted'); // no attribute, unacknowledged
    p.active.update('early', { attrs: { w: 'a-early' } }); // unacknowledged
    p.clock.advance(900);
    await p.standby.becomeActive({ cause: 'peer-dead' });
    p.clock.advance(10);
    for (const id of ['counted', 'early', 'late']) p.standby.update(id, { attrs: { w: 'b' } });
    p.clock.advance(5);
    p.active.update('late', { attrs: { w: 'a-late' } }); // after b's, before a noticed
    p.clock.advance(5);
    p.active.peerLost();
    p.clock.advance(10);
    for (const id of ['counted', 'early', 'late']) p.active.refresh(id); // last writes after b's
    await heal(p, p.standby);
    expect(p.active.get('counted')?.attrs).toEqual({ w: 'b' });
    expect(p.active.get('early')?.attrs).toEqual({ w: 'b' });
    expect(p.active.get('late')?.attrs).toEqual({ w: 'a-late' });
  });

  it('the loser\'s change from before it noticed the split wins a clash when it is the later one', async () => {
    const p = await silentSplit();
    p.clock.advance(10);
    p.standby.update('s', { attrs: { w: 'b' } });
    p.clock.advance(10);
    p.active.update('s', { attrs: { w: 'a' } }); // later, while the old Active still had no idea
    p.clock.advance(10);
    p.active.peerLost();
    p.active.linkDown();
    p.standby.linkDown();
    await heal(p, p.active);
    expect(p.standby.get('s')?.attrs).toEqual({ w: 'a' });
  });
});

describe('split brain: a hand-over that comes after the bulk sync', () => {
  it('meets the winner\'s changes under the rule: its journal stays open until the peer is a ready Standby', async () => {
    const p = await silentSplit();
    p.active.peerLost();
    p.clock.advance(10);
    p.standby.update('s', { attrs: { w: 'b' } });
    p.clock.advance(10);
    p.active.update('s', { attrs: { w: 'a' } }); // later than b's
    // The heal: b steps down, but its hand-over is lost; a bulk-syncs b first.
    await p.standby.captureHandoff(2);
    p.standby.becomeStandby();
    p.active.linkDown();
    p.link.restore();
    p.active.peerJoined();
    await p.settle();
    p.active.peerHello({ ...p.standby.helloFields(), standbyReady: false }); // b: its hand-over waits
    expect(p.active.statistics().split.recording).toBe(true);
    p.clock.advance(100);
    p.active.update('s', { attrs: { v: 'late' } });
    p.standby.sendHandoff(); // again, a second later
    await p.settle();
    expect(p.active.get('s')?.attrs).toEqual({ w: 'a', v: 'late' });
    expect(p.active.statistics().split.conflicts).toBe(1);
    p.active.peerHello({ ...p.standby.helloFields(), standbyReady: true });
    expect(p.active.statistics().split.recording).toBe(false);
  });
});

describe('split brain: both step down in a race', () => {
  it('the one that takes the role again keeps its own changes and merges the other\'s hand-over', async () => {
    const p = await makePair();
    for (const id of ['both', 'only-a', 'only-b']) p.active.create({ id, lifetimeMs: LIFE, attrs: { w: '1', v: '1' } });
    await p.settle();
    silence(p);
    p.clock.advance(1000);
    await p.standby.becomeActive({ cause: 'peer-dead' });
    p.active.peerLost();
    p.clock.advance(10);
    p.active.update('both', { attrs: { w: 'a' } });
    p.active.update('only-a', { attrs: { w: 'a' } });
    p.clock.advance(10);
    p.standby.update('both', { attrs: { w: 'b', v: 'b' } }); // w later than a's
    p.standby.update('only-b', { attrs: { w: 'b' } });
    p.clock.advance(10);
    p.active.update('both', { attrs: { v: 'a' } }); // v later than b's
    p.clock.advance(10);
    // The heal seen differently on each side: both step down and hand over.
    p.active.linkDown();
    p.standby.linkDown();
    for (const e of [p.active, p.standby]) {
      await e.captureHandoff(2);
      e.becomeStandby();
    }
    // Two Standbys re-elect: b takes the role again with its own table; a's hand-over reaches it.
    p.clock.advance(30);
    await p.standby.becomeActive({ cause: 'election' });
    p.link.restore();
    p.active.sendHandoff();
    await p.settle();
    expect(p.standby.get('both')?.attrs).toEqual({ w: 'b', v: 'a' });
    expect(p.standby.get('only-a')?.attrs).toEqual({ w: 'a', v: '1' });
    expect(p.standby.get('only-b')?.attrs).toEqual({ w: 'b', v: '1' });
    expect(p.standby.handoffPending).toBe(false); // its own hand-over is void: its table has it
    expect(p.active.handoffPending).toBe(false);
  });
});

const IDS = ['s0', 's1', 's2', 's3'];
const ATTRS = ['x', 'y', 'z'];

/** The last write of each attribute of each session, by time: what the winner must end with. */
class Model {
  private readonly last = new Map<string, { value: string | null; at: number }>();

  write(id: string, attr: string, value: string | null, at: number): void {
    const k = `${id}/${attr}`;
    const old = this.last.get(k);
    if (!old || at > old.at) this.last.set(k, { value, at });
  }

  expected(id: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const a of ATTRS) {
      const v = this.last.get(`${id}/${a}`)?.value;
      if (v !== undefined && v !== null) out[a] = v;
    }
    return out;
  }
}

/** One random write by `e` (named `who`) at the clock's time, recorded in the model when it sets attributes. */
function randomWrite(rng: Prng, p: Pair, e: CheckpointEngine, who: string, model: Model): void {
  const id = rng.pick(IDS);
  const at = p.clock.now();
  const kind = rng.weighted({ set: 5, remove: 1, refresh: 2, counter: 2 });
  if (kind === 'refresh') e.refresh(id);
  else if (kind === 'counter') e.incrementCounter(id, 'c', BigInt(rng.range(1, 200)));
  else {
    const attr = rng.pick(ATTRS);
    const value = kind === 'remove' ? null : `${who}@${at}`;
    e.update(id, { attrs: { [attr]: value } });
    model.write(id, attr, value, at);
  }
}

describe('split brain: the later write wins (property)', () => {
  it.each(propertySeeds(1601, 40))('seed %i: writes on both sides around a silent cut end as the later write of each attribute', async (seed) => {
    const rng = new Prng(seed);
    const p = await makePair();
    const model = new Model();
    for (const id of IDS) {
      p.active.create({ id, lifetimeMs: LIFE, attrs: { x: 'init', y: 'init', z: 'init' } });
      for (const a of ATTRS) model.write(id, a, 'init', p.clock.now());
    }
    await p.settle();
    // Before the cut: writes, some acknowledged, the last ones pending or in flight.
    for (let i = rng.range(0, 12); i > 0; i--) {
      p.clock.advance(rng.range(1, 20));
      randomWrite(rng, p, p.active, 'a', model);
      const next = rng.int(10);
      if (next < 3) await p.settle();
      else if (next < 5) p.active.sendPending(); // in flight when the link goes silent
    }
    silence(p);
    // While apart: b takes over after the dead interval; a notices the peer lost and the link
    // down at their own moments (either first, either before or after b's takeover).
    const T0 = p.clock.now();
    const takeover = T0 + rng.range(900, 1100);
    const events = [
      { at: T0 + rng.range(800, 1300), run: () => p.active.peerLost() },
      { at: T0 + rng.range(300, 2200), run: () => p.active.linkDown() },
    ];
    let bActive = false;
    for (let t = T0; t < T0 + 2000; ) {
      t += rng.range(1, 30);
      p.clock.advance(t - p.clock.now());
      for (const ev of events.filter((e) => e.at <= t)) {
        ev.run();
        events.splice(events.indexOf(ev), 1);
      }
      if (!bActive && t >= takeover) {
        await p.standby.becomeActive({ cause: 'peer-dead' });
        bActive = true;
        continue;
      }
      if (rng.chance(0.6)) randomWrite(rng, p, p.active, 'a', model);
      else if (bActive) randomWrite(rng, p, p.standby, 'b', model);
    }
    p.clock.advance(1);
    for (const ev of events) ev.run();
    p.standby.linkDown();
    const aWins = rng.chance(0.5);
    const winner = aWins ? p.active : p.standby;
    await heal(p, aWins ? p.standby : p.active);
    for (const id of IDS) expect(winner.get(id)?.attrs, `${id}, ${aWins ? 'a' : 'b'} won, ${replayHint(seed)}`).toEqual(model.expected(id));
  });
});
