import { describe, expect, it } from 'vitest';
import { MicroCommand, type CheckpointError, type CheckpointEvent } from '../src/index.js';
import { A_ATTRS, A_COUNTERS, A_DELTA, A_LIFETIME, PayloadWriter, storeOf, type Session, type UnackedAttrLog } from '../src/internal.js';
import { hellos, makePair, type Pair } from './helpers.js';

describe('eligibility', () => {
  it('replicates a session only once it is older than the session duration, per class', async () => {
    const p = await makePair({ sessionDurationMs: 60_000, sessionDurationImsMs: 10_000 });
    p.active.create({ id: 'data-1', lifetimeMs: 3_600_000 });
    p.active.create({ id: 'ims-1', class: 'ims', lifetimeMs: 3_600_000 });
    await p.settle();
    expect(p.standby.size).toBe(0);
    expect(p.active.summary()).toMatchObject({ count: 2, eligible: 0 });

    p.clock.advance(10_000);
    await p.settle();
    expect(p.standby.get('ims-1')).toBeDefined();
    expect(p.standby.get('data-1')).toBeUndefined();

    // Changes to a young session are not replicated; the full state goes when it is due.
    p.active.updateAttrs('data-1', { apn: 'internet' });
    p.clock.advance(50_000);
    await p.settle();
    expect(p.standby.get('data-1')?.attrs).toEqual({ apn: 'internet' });
    expect(p.standby.summary()).toEqual(p.active.summary());
  });

  it('with a 0 s duration every session goes at once, and deleting a young one sends nothing', async () => {
    const p = await makePair({ sessionDurationMs: 0, sessionDurationImsMs: 30_000 });
    p.active.create({ id: 's', lifetimeMs: 60_000 });
    p.active.create({ id: 'young', class: 'ims', lifetimeMs: 60_000 });
    p.active.delete('young');
    await p.settle();
    expect(p.standby.size).toBe(1);
    expect(p.standby.statistics().micro.byCommand[MicroCommand.SessionDelete]).toBeUndefined();
    p.clock.advance(31_000);
    await p.settle();
    expect(p.standby.size).toBe(1);
  });
});

describe('micro checkpoints', () => {
  it('sends create, attrs, lifetime and delete with their command ids', async () => {
    const p = await makePair();
    p.active.create({ id: 'a', lifetimeMs: 60_000, attrs: { imsi: '001010123456789' } });
    await p.settle();
    p.active.updateAttrs('a', { apn: 'ims' });
    await p.settle();
    p.active.refresh('a', 120_000);
    await p.settle();
    expect(p.standby.get('a')).toMatchObject({ attrs: { imsi: '001010123456789', apn: 'ims' }, lifetimeMs: 120_000 });
    p.active.delete('a');
    await p.settle();
    expect(p.standby.get('a')).toBeUndefined();
    const by = p.standby.statistics().micro.byCommand;
    // The attributes alone go as a session-aspects item (a delta) to a peer of this version.
    for (const cmd of [1, 4, 5, 7]) expect(by[cmd]?.applied).toBe(1);
    expect(p.standby.summary()).toEqual(p.active.summary());
  });

  it('to a peer without micro-aspects, sends an update of attrs and lifetime as one attrs-lifetime item, without class, creation time or counters', async () => {
    const p = await makePair({ counterSyncEvery: 10 }, { peerFeatures: [] });
    const blob = 'x'.repeat(3000);
    const t0 = p.clock.now();
    p.active.create({ id: 'a', lifetimeMs: 60_000, attrs: { imsi: '001010123456789' }, counters: { up: 7n } });
    p.active.create({ id: 'big', lifetimeMs: 60_000, attrs: { blob } });
    p.active.create({ id: 'unsynced', lifetimeMs: 60_000, counters: { up: 0n } });
    await p.settle();
    p.clock.advance(5_000);
    const t1 = p.clock.now();
    p.active.update('a', { attrs: { seq: '1', imsi: null }, lifetimeMs: 90_000 });
    p.active.sendPending();
    // The item: lifetime, expiry and the whole attribute map; no class, creation time or counters.
    const batch = p.link.b.inbox.find((m) => m.kind === 'microCheckpointBatch');
    expect(batch?.kind === 'microCheckpointBatch' ? batch.body.items : null).toEqual([
      { commandId: MicroCommand.AttrsLifetime, sessionId: 'a', version: p.active.get('a')!.version, payload: new PayloadWriter().varint(90_000).varint(t1 + 90_000).attrs({ seq: '1' }).take() },
    ]);
    const t2 = p.clock.now();
    p.active.update('big', { attrs: { more: 'yes' } });
    await p.settle();
    const by = p.standby.statistics().micro.byCommand;
    expect(by[MicroCommand.AttrsLifetime]?.applied).toBe(2);
    expect(by[MicroCommand.SessionFull]?.applied).toBe(3); // the creates only
    expect(p.standby.get('a')).toMatchObject({ attrs: { seq: '1' }, lifetimeMs: 90_000, expiresAt: t1 + 90_000, counters: { up: 7n }, createdAt: t0 });
    expect(p.standby.get('big')).toMatchObject({ attrs: { blob, more: 'yes' }, lifetimeMs: 60_000, expiresAt: t2 + 60_000 });
    expect(storeOf(p.standby).get('big')!.packed).toBe(-1); // too large for the arena: objects

    // A counter change not yet replicated (below counter-sync-every) goes with it: a full item.
    const t3 = p.clock.now();
    p.active.incrementCounter('unsynced', 'up', 3n);
    p.active.update('unsynced', { attrs: { apn: 'ims' } });
    await p.settle();
    expect(p.standby.statistics().micro.byCommand[MicroCommand.SessionFull]?.applied).toBe(4);
    expect(p.standby.get('unsynced')).toMatchObject({ attrs: { apn: 'ims' }, counters: { up: 3n }, expiresAt: t3 + 60_000 });
    expect(p.standby.summary()).toEqual(p.active.summary());
  });

  it('sends an update of several aspects as one session-aspects item, its attributes as a delta of what changed', async () => {
    const p = await makePair({ counterSyncEvery: 10 });
    const blob = 'x'.repeat(3000);
    p.active.create({ id: 'a', lifetimeMs: 60_000, attrs: { imsi: '001010123456789', apn: 'internet', rat: 'nr' }, counters: { up: 0n } });
    p.active.create({ id: 'big', lifetimeMs: 60_000, attrs: { blob, rat: 'nr' } });
    await p.settle();
    p.clock.advance(5_000);
    const t1 = p.clock.now();
    p.active.incrementCounter('a', 'up', 3n); // below counter-sync-every: goes with the next change
    p.active.update('a', { attrs: { rat: 'eutran', apn: null, cell: '0a1b2c3' }, lifetimeMs: 90_000 });
    p.active.sendPending();
    const batch = p.link.b.inbox.find((m) => m.kind === 'microCheckpointBatch');
    // Lifetime and expiry, the attributes set (rat, cell) and removed (apn), every counter;
    // not the class, the creation time or the attribute that stayed (imsi).
    const payload = new PayloadWriter()
      .u8(A_LIFETIME | A_DELTA | A_COUNTERS)
      .varint(90_000)
      .varint(t1 + 90_000)
      .varint(2)
      .str('rat')
      .str('eutran')
      .str('cell')
      .str('0a1b2c3')
      .varint(1)
      .str('apn')
      .counters({ up: 3n })
      .take();
    expect(batch?.kind === 'microCheckpointBatch' ? batch.body.items : null).toEqual([{ commandId: MicroCommand.SessionAspects, sessionId: 'a', version: p.active.get('a')!.version, payload }]);
    await p.settle();
    expect(p.standby.get('a')).toMatchObject({ attrs: { imsi: '001010123456789', rat: 'eutran', cell: '0a1b2c3' }, counters: { up: 3n }, lifetimeMs: 90_000, expiresAt: t1 + 90_000 });
    expect(p.standby.get('a')!.attrs).not.toHaveProperty('apn');
    expect(storeOf(p.standby).get('a')!.packed).toBeGreaterThanOrEqual(0);

    // Changes coalesced before a batch: one delta of every attribute they touched.
    p.active.updateAttrs('a', { x: '1', rat: 'nr' });
    p.active.updateAttrs('a', { y: '2' });
    p.active.updateAttrs('a', { x: null });
    p.active.refresh('a');
    // Counters past a multiple of counter-sync-every, with the lifetime: no attributes at all.
    p.active.incrementCounter('big', 'up', 20n);
    p.active.refresh('big');
    p.active.updateAttrs('big', { rat: 'utran' }); // too large for the Standby's arena: objects
    await p.settle();
    expect(p.standby.get('a')!.attrs).toEqual({ imsi: '001010123456789', rat: 'nr', cell: '0a1b2c3', y: '2' });
    expect(p.standby.get('big')).toMatchObject({ attrs: { blob, rat: 'utran' }, counters: { up: 20n } });
    expect(storeOf(p.standby).get('big')!.packed).toBe(-1);
    const by = p.standby.statistics().micro.byCommand;
    expect(by[MicroCommand.SessionFull]?.applied).toBe(2); // the creates only
    expect(by[MicroCommand.SessionAspects]?.applied).toBe(3);
    expect(by[MicroCommand.AttrsUpdate]).toBeUndefined();
    expect(by[MicroCommand.AttrsLifetime]).toBeUndefined();
    expect(p.standby.summary()).toEqual(p.active.summary());
  });

  it('sends a session the peer has not had in full, however little changed, and a delta only to a peer that has it', async () => {
    const p = await makePair({ sessionDurationMs: 10_000 });
    p.clock.advance(60_000);
    p.active.create({ id: 'young', lifetimeMs: 600_000, attrs: { a: '1' } });
    p.active.create({ id: 'due', lifetimeMs: 600_000, createdAt: p.clock.now() - 20_000, attrs: { a: '1', b: '2' } });
    await p.settle();
    p.active.updateAttrs('young', { b: '2' }); // not eligible yet: nothing sent
    p.active.updateAttrs('due', { a: '3' });
    p.clock.advance(10_000);
    await p.settle();
    const by = p.standby.statistics().micro.byCommand;
    expect(by[MicroCommand.SessionFull]?.applied).toBe(2); // 'due' when created, 'young' when it became eligible
    expect(by[MicroCommand.SessionAspects]?.applied).toBe(1);
    expect(p.standby.get('young')?.attrs).toEqual({ a: '1', b: '2' });
    expect(p.standby.get('due')?.attrs).toEqual({ a: '3', b: '2' });
    expect(p.standby.summary()).toEqual(p.active.summary());
  });

  it('packs what the Standby applies, and keeps a session too large for its arena as objects', async () => {
    const p = await makePair();
    const blob = 'x'.repeat(3000);
    p.active.create({ id: 'small', lifetimeMs: 60_000, attrs: { k: 'v' }, counters: { n: 1n } });
    p.active.create({ id: 'big', lifetimeMs: 60_000, attrs: { blob } });
    await p.settle();
    p.active.updateAttrs('small', { k: 'w' });
    p.active.updateAttrs('big', { more: 'yes' });
    p.active.incrementCounter('small', 'n', 5n);
    await p.settle();
    expect(storeOf(p.standby).get('small')!.packed).toBeGreaterThanOrEqual(0);
    expect(storeOf(p.standby).get('big')!.packed).toBe(-1);
    expect(p.standby.get('small')).toMatchObject({ attrs: { k: 'w' } });
    expect(p.standby.get('big')?.attrs).toEqual({ blob, more: 'yes' });
    expect(p.standby.summary()).toEqual(p.active.summary());
  });

  it('uses nothing of a received batch once it is released (its buffer may be reused)', async () => {
    const p = await makePair({ counterSyncEvery: 1 });
    p.link.b.scribbleOnRelease = true;
    const ids = Array.from({ length: 300 }, (_, i) => `s-${i}`);
    ids.forEach((id, i) => p.active.create({ id, lifetimeMs: 60_000, attrs: { imsi: `00101${i}`, apn: 'ims' }, counters: { n: BigInt(i) } }));
    await p.settle();
    ids.forEach((id, i) => {
      if (i % 2 === 0) p.active.updateAttrs(id, { apn: 'internet', cell: `c${i}` });
      if (i % 3 === 0) p.active.incrementCounter(id, 'n', 7n);
    });
    await p.settle();
    const received = p.standby.statistics().micro.batchesReceived;
    expect(received).toBeGreaterThan(1);
    expect(p.link.b.released).toBeGreaterThanOrEqual(received);
    // Nothing failed (a NACK's macro checkpoint would repair the table and hide it).
    expect(p.standby.statistics()).toMatchObject({ micro: { failed: 0 }, nacks: { sent: 0 }, macro: { received: 1 } });
    for (const id of ids) {
      const a = p.active.get(id)!;
      expect(p.standby.get(id), id).toMatchObject({ attrs: a.attrs, counters: a.counters });
    }
    expect(p.standby.summary()).toEqual(p.active.summary());
  });

  it('coalesces under a stalled link: one pending entry per distinct session, then catches up', async () => {
    const p = await makePair({ maxUnackedBatches: 4 });
    for (let i = 0; i < 10; i++) p.active.create({ id: `s${i}`, lifetimeMs: 600_000 });
    await p.settle();
    p.link.stall(p.link.a);
    for (let round = 0; round < 1000; round++) {
      for (let i = 0; i < 10; i++) p.active.updateAttrs(`s${i}`, { round: String(round) });
    }
    p.clock.advance(100);
    const st = p.active.statistics();
    expect(st.pending.sessions).toBe(10);
    expect(st.micro.coalesced).toBeGreaterThanOrEqual(9_990);
    p.link.resume(p.link.a);
    await p.settle();
    expect(p.standby.get('s7')?.attrs).toEqual({ round: '999' });
    expect(p.standby.summary()).toEqual(p.active.summary());
    expect(p.active.statistics().micro.sent).toBeLessThan(50);
  });

  it('a delete, re-create and delete of one id before anything is sent still deletes it on the Standby', async () => {
    const p = await makePair();
    p.active.create({ id: 'r', lifetimeMs: 600_000, attrs: { gen: '1' } });
    await p.settle();
    expect(p.standby.get('r')).toBeDefined();
    p.link.stall(p.link.a);
    p.active.delete('r');
    p.active.create({ id: 'r', lifetimeMs: 600_000, attrs: { gen: '2' } });
    p.active.delete('r');
    p.link.resume(p.link.a);
    await p.settle();
    expect(p.standby.get('r')).toBeUndefined();
    expect(p.standby.summary()).toEqual(p.active.summary());
    // And a re-create that stays goes in full.
    p.active.create({ id: 'r', lifetimeMs: 600_000, attrs: { gen: '3' } });
    await p.settle();
    p.link.stall(p.link.a);
    p.active.delete('r');
    p.active.create({ id: 'r', lifetimeMs: 600_000, attrs: { gen: '4' } });
    p.link.resume(p.link.a);
    await p.settle();
    expect(p.standby.get('r')?.attrs).toEqual({ gen: '4' });
    expect(p.standby.summary()).toEqual(p.active.summary());
  });

  it('stays bounded under a stalled link however many sessions come and go', async () => {
    const p = await makePair();
    for (let i = 0; i < 100; i++) p.active.create({ id: `k${i}`, lifetimeMs: 600_000 });
    await p.settle();
    p.link.stall(p.link.a);
    const queueLength = (): number => (p.active as unknown as { sender: { micro: { queue: unknown[] } } }).sender.micro.queue.length;
    let most = 0;
    for (let round = 0; round < 200; round++) {
      // Sessions the peer never saw, created and deleted while the link is stalled.
      for (let i = 0; i < 100; i++) p.active.create({ id: `t${round}-${i}`, lifetimeMs: 600_000 });
      for (let i = 0; i < 100; i++) p.active.delete(`t${round}-${i}`);
      for (let i = 0; i < 100; i++) p.active.updateAttrs(`k${i}`, { round: String(round) });
      most = Math.max(most, queueLength());
    }
    expect(p.active.statistics().pending.sessions).toBe(100);
    expect(most).toBeLessThan(2 * 100 + 4096 + 100);
    p.link.resume(p.link.a);
    await p.settle();
    expect(p.standby.size).toBe(100);
    expect(p.standby.summary()).toEqual(p.active.summary());
  });

  it('sendPending() sends what is pending at once instead of after the batch delay', async () => {
    const p = await makePair({ batchDelayMs: 50, batchMaxItems: 4 });
    const batches = (): number => p.link.b.inbox.filter((m) => m.kind === 'microCheckpointBatch').length;
    for (let i = 0; i < 6; i++) p.active.create({ id: `s${i}`, lifetimeMs: 600_000 });
    // The first 4 filled a batch; the other 2 wait for the 50 ms timer, which has not run.
    expect(batches()).toBe(1);
    expect(p.active.statistics().pending.sessions).toBe(2);
    p.active.sendPending();
    expect(batches()).toBe(2);
    expect(p.active.statistics().pending.sessions).toBe(0);
    p.active.sendPending(); // nothing pending: nothing sent
    expect(batches()).toBe(2);
    await p.settle();
    expect(p.standby.summary()).toEqual(p.active.summary());
  });

  it('a Standby with batches queued acks what it has applied each time it yields', async () => {
    const p = await makePair({ batchMaxItems: 2000 });
    for (let i = 0; i < 20_000; i++) p.active.create({ id: `q${i}`, lifetimeMs: 600_000, attrs: { apn: 'internet', ip: `10.0.${i >> 8}.${i & 255}` } });
    const batches = p.link.b.inbox.splice(0);
    expect(batches.filter((m) => m.kind === 'microCheckpointBatch')).toHaveLength(10);
    const acks: number[] = [];
    p.link.a.handler = (m) => {
      if (m.kind === 'checkpointAck') acks.push(m.body.upToSequence);
      p.active.handle(m);
    };
    // All ten arrive in one turn: the first is applied at once, the other nine queue behind it
    // and are applied in 2 ms slices (20k sessions take well over 2 ms).
    for (const m of batches) p.standby.handle(m);
    await p.standby.drain();
    await p.settle();
    const first = (batches[0] as { body: { batchSequence: number } }).body.batchSequence;
    const last = first + 9;
    expect(acks.at(-1)).toBe(last);
    // Not only when the queue ran empty (after the first and the last): at the yields too.
    expect(acks.some((a) => a > first && a < last)).toBe(true);
    expect(p.standby.summary()).toEqual(p.active.summary());
  });

  it('holds changes while too many batches are unacknowledged (window)', async () => {
    const p = await makePair({ maxUnackedBatches: 2, batchMaxItems: 1 });
    for (let i = 0; i < 20; i++) p.active.create({ id: `w${i}`, lifetimeMs: 600_000 });
    p.clock.advance(10);
    const st = p.active.statistics();
    expect(st.pending.unackedBatches).toBe(2);
    expect(st.pending.sessions).toBe(18);
    await p.settle();
    expect(p.standby.size).toBe(20);
    expect(p.active.statistics().replicationLagMs.samples).toBeGreaterThan(0);
  });

  it('syncs counters every N increments only', async () => {
    const p = await makePair({ counterSyncEvery: 100 });
    p.active.create({ id: 'c', lifetimeMs: 600_000, counters: { seq: 0n } });
    await p.settle();
    for (let i = 0; i < 99; i++) p.active.incrementCounter('c', 'seq');
    await p.settle();
    expect(p.standby.get('c')?.counters.seq).toBe(0n);
    expect(p.standby.statistics().micro.byCommand[MicroCommand.CountersSync]).toBeUndefined();
    p.active.incrementCounter('c', 'seq'); // crosses 100
    await p.settle();
    expect(p.standby.get('c')?.counters.seq).toBe(100n);
    // Coalesced: the batch carries the value current when it is built.
    for (let i = 0; i < 150; i++) p.active.incrementCounter('c', 'seq');
    await p.settle();
    expect(p.standby.get('c')?.counters.seq).toBe(250n);
    expect(p.standby.statistics().micro.byCommand[MicroCommand.CountersSync]?.applied).toBeGreaterThanOrEqual(1);
    expect(p.standby.summary().digest).toBe(p.active.summary().digest);
  });
});

describe('receiver version checks', () => {
  it('drops stale and out-of-order items and applies newer ones', async () => {
    const p = await makePair();
    const w = new PayloadWriter();
    const full = w.u8(0).varint(1).varint(60_000).varint(60_001).attrs({ a: '1' }).counters({ n: 5n }).take();
    const attrs = (v: string): Uint8Array => w.attrs({ a: v }).take();
    const batch = (seq: number, items: { commandId: number; version: number; payload: Uint8Array }[]): void =>
      p.standby.handle({ kind: 'microCheckpointBatch', body: { batchSequence: seq, items: items.map((i) => ({ ...i, sessionId: 'x' })) } });
    batch(1, [{ commandId: 1, version: 5, payload: full }]);
    batch(2, [{ commandId: 2, version: 3, payload: attrs('old') }]); // out of order
    batch(3, [{ commandId: 1, version: 5, payload: full }]); // duplicate
    batch(4, [{ commandId: 2, version: 7, payload: attrs('new') }]);
    batch(5, [{ commandId: 2, version: 6, payload: attrs('older') }]);
    await p.standby.drain();
    expect(p.standby.get('x')).toMatchObject({ version: 7, attrs: { a: 'new' }, counters: { n: 5n } });
    const st = p.standby.statistics().micro;
    expect(st).toMatchObject({ applied: 2, stale: 3, failed: 0 });
  });

  it('a malformed update leaves the session as it was (nothing applied in part)', async () => {
    const p = await makePair();
    const w = new PayloadWriter();
    const full = w.u8(0).varint(1).varint(60_000).varint(60_001).attrs({ a: '1', b: '2' }).counters({ n: 5n }).take();
    p.standby.handle({ kind: 'microCheckpointBatch', body: { batchSequence: 1, items: [{ commandId: 1, sessionId: 'z', version: 5, payload: full }] } });
    await p.standby.drain();
    const good = w.u8(0).varint(1).varint(60_000).varint(60_002).attrs({ a: 'changed', b: '2' }).counters({ n: 6n }).take();
    const items = [
      { commandId: 1, sessionId: 'z', version: 6, payload: good.subarray(0, good.length - 1) },
      { commandId: 2, sessionId: 'z', version: 7, payload: w.attrs({ a: 'x', b: 'y' }).take().subarray(0, 7) },
      // attrs-lifetime: truncated in its attrs (the lifetime before them must not be applied alone)
      { commandId: 6, sessionId: 'z', version: 7, payload: w.varint(90_000).varint(90_001).attrs({ a: 'x' }).take().subarray(0, 7) },
      // session-aspects: no aspect, an unknown one, the whole map and a delta at once, a delta
      // cut in its removals, and a good one with a byte after it
      { commandId: 7, sessionId: 'z', version: 7, payload: w.u8(0).take() },
      { commandId: 7, sessionId: 'z', version: 7, payload: w.u8(16).varint(90_000).varint(90_001).take() },
      { commandId: 7, sessionId: 'z', version: 7, payload: w.u8(A_ATTRS | A_DELTA).attrs({ a: 'x' }).varint(0).varint(0).take() },
      { commandId: 7, sessionId: 'z', version: 7, payload: w.u8(A_LIFETIME | A_DELTA).varint(90_000).varint(90_001).varint(1).str('a').str('x').varint(2).str('b').take() },
      { commandId: 7, sessionId: 'z', version: 7, payload: w.u8(A_LIFETIME | A_DELTA).varint(90_000).varint(90_001).varint(0).varint(1).str('b').u8(0).take() },
    ];
    p.standby.handle({ kind: 'microCheckpointBatch', body: { batchSequence: 2, items } });
    await p.standby.drain();
    expect(p.standby.statistics().micro.failed).toBe(8);
    expect(p.standby.get('z')).toMatchObject({ version: 5, lifetimeMs: 60_000, expiresAt: 60_001, attrs: { a: '1', b: '2' }, counters: { n: 5n } });
    p.standby.handle({ kind: 'microCheckpointBatch', body: { batchSequence: 3, items: [{ commandId: 1, sessionId: 'z', version: 8, payload: good }] } });
    await p.standby.drain();
    expect(p.standby.get('z')).toMatchObject({ version: 8, expiresAt: 60_002, attrs: { a: 'changed', b: '2' }, counters: { n: 6n } });
  });

  it('treats a truncated payload or an unknown command as a failure and NACKs it', async () => {
    const p = await makePair();
    p.standby.handle({ kind: 'microCheckpointBatch', body: { batchSequence: 1, items: [{ commandId: 1, sessionId: 'y', version: 9, payload: new Uint8Array([0, 0x80]) }] } });
    p.standby.handle({ kind: 'microCheckpointBatch', body: { batchSequence: 2, items: [{ commandId: 200, sessionId: 'y', version: 10, payload: new Uint8Array() }] } });
    await p.standby.drain();
    expect(p.standby.statistics().micro.failed).toBe(2);
    expect(p.standby.statistics().nacks.sent).toBe(2);
  });
});

describe('NACKs', () => {
  it('sends at most max-response per 10-minute window, and the window resets after a macro', async () => {
    const p = await makePair({ nackMaxResponse: 3 });
    for (let i = 0; i < 5; i++) p.active.create({ id: `n${i}`, lifetimeMs: 600_000 });
    await p.settle();
    p.link.b.dropKinds.add('nack'); // the Active never hears them: no macro, no reset
    p.standby.injectApplyFailure(5);
    for (let i = 0; i < 5; i++) p.active.updateAttrs(`n${i}`, { x: '1' });
    await p.settle();
    expect(p.standby.statistics().nacks).toMatchObject({ sent: 3, suppressed: 2 });

    p.clock.advance(10 * 60_000); // the window ends
    p.standby.injectApplyFailure(1);
    p.active.updateAttrs('n0', { x: '2' });
    await p.settle();
    expect(p.standby.statistics().nacks.sent).toBe(4);

    // Now the NACK reaches the Active: it answers with a macro, which repairs and resets.
    p.link.b.dropKinds.clear();
    p.standby.injectApplyFailure(1);
    p.active.updateAttrs('n1', { x: '3' });
    await p.settle();
    const sb = p.standby.statistics();
    expect(sb.nacks.sent).toBe(5);
    expect(p.active.statistics().nacks.received).toBe(1);
    expect(sb.macro.lastReason).toBe('nack');
    expect(p.standby.summary()).toEqual(p.active.summary());
    expect(p.standby.get('n1')?.attrs).toEqual({ x: '3' });
    // Budget is full again after the macro was applied.
    p.link.b.dropKinds.add('nack');
    p.standby.injectApplyFailure(3);
    for (let i = 0; i < 3; i++) p.active.updateAttrs(`n${i}`, { x: '4' });
    await p.settle();
    expect(p.standby.statistics().nacks.sent).toBe(8);
  });

  it('does not NACK a disabled micro-checkpoint command id until it is enabled again', async () => {
    const p = await makePair();
    p.active.create({ id: 'd', lifetimeMs: 600_000 });
    await p.settle();
    p.standby.setNackEnabled(MicroCommand.SessionAspects, false);
    expect(() => p.standby.setNackEnabled(0, false)).toThrow(/1..255/);
    p.standby.injectApplyFailure(1);
    p.active.updateAttrs('d', { k: 'v' });
    await p.settle();
    let st = p.standby.statistics();
    expect(st.nacks).toMatchObject({ sent: 0, suppressed: 1, disabledCommands: [7] });
    expect(st.micro.failed).toBe(1);
    expect(p.active.statistics().macro.sent).toBe(1); // the bulk sync only

    p.standby.setNackEnabled(MicroCommand.SessionAspects, true);
    p.standby.injectApplyFailure(1);
    p.active.updateAttrs('d', { k: 'w' });
    await p.settle();
    st = p.standby.statistics();
    expect(st.nacks.sent).toBe(1);
    expect(p.active.statistics().macro.sent).toBe(2);
    expect(p.standby.get('d')?.attrs).toEqual({ k: 'w' });
  });
});

describe('macro checkpoints', () => {
  it('a bulk sync asked for again while one is streaming (peer joined twice in one turn) runs to the end', async () => {
    const p = await makePair({ macroChunkSize: 100, databaseRecovery: 'aggressive' }, { join: false });
    for (let i = 0; i < 2000; i++) p.active.create({ id: `r${i}`, lifetimeMs: 600_000, attrs: { i: String(i) } });
    p.active.peerJoined();
    // The stream has sent its Begin and first chunk and is suspended between two chunks.
    await new Promise((r) => setImmediate(r));
    expect(p.link.b.inbox.filter((m) => m.kind === 'macroCheckpointChunk').length).toBeGreaterThan(0);
    // The same turn detaches it and attaches again (a replaced connection, a restarted peer).
    p.active.linkDown();
    p.active.peerJoined();
    await p.settle();
    hellos(p, 2);
    const a = p.active.statistics();
    expect(a.macro).toMatchObject({ sent: 1, inProgress: false });
    expect(p.standby.standbyReady).toBe(true);
    expect(p.standby.summary()).toEqual(p.active.summary());
    expect(p.standby.size).toBe(2000);
  });

  it('bulk sync with concurrent micro changes ends with equal digests, then the Standby is ready', async () => {
    const p = await makePair({ macroChunkSize: 100, databaseRecovery: 'normal' }, { join: false });
    for (let i = 0; i < 3000; i++) p.active.create({ id: `m${i}`, lifetimeMs: 600_000, attrs: { i: String(i) } });
    // The Standby holds stale leftovers from an earlier life that the snapshot must remove.
    p.standby.handle({
      kind: 'macroCheckpointBegin',
      body: { snapshotId: 99, sessionCount: 0, reason: 'bulk-sync', startedAtMs: 0, resumeAfterBatch: 0 },
    });
    p.standby.handle({
      kind: 'macroCheckpointChunk',
      body: {
        snapshotId: 99,
        chunkSequence: 1,
        sessions: [
          { id: 'ghost', sessionClass: 0, createdAtMs: 0, lifetimeMs: 1, expiresAtMs: 1, attrs: {}, counters: {}, version: 10_000_000 },
          { id: 'm5', sessionClass: 0, createdAtMs: 0, lifetimeMs: 1, expiresAtMs: 1, attrs: { stale: 'y' }, counters: {}, version: 10_000_000 },
        ],
      },
    });
    await p.standby.drain();
    p.link.deliver(); // its NACK/ack noise goes nowhere useful
    const events: CheckpointEvent[] = [];
    p.standby.onEvent((e) => events.push(e));

    p.active.peerJoined();
    let round = 0;
    for (let i = 0; i < 200 && (p.active.statistics().macro.inProgress || round < 5); i++, round++) {
      // Deliver a little at a time and change the table while the macro streams.
      p.link.deliver(3);
      await new Promise((r) => setImmediate(r));
      p.active.updateAttrs(`m${(round * 37) % 3000}`, { touched: String(round) });
      if (round % 5 === 0) p.active.delete(`m${(round * 53 + 1) % 3000}`);
      if (round % 7 === 0) p.active.create({ id: `new${round}`, lifetimeMs: 600_000 });
      p.clock.advance(3);
    }
    await p.settle();
    expect(p.standby.get('ghost')).toBeUndefined();
    expect(p.standby.get('m5')?.attrs).toEqual(p.active.get('m5')?.attrs);
    expect(p.standby.summary()).toEqual(p.active.summary());
    expect(p.standby.statistics().macro.applied).toBeGreaterThanOrEqual(1);

    expect(p.standby.standbyReady).toBe(false); // normal recovery waits for 3 hellos
    hellos(p, 3);
    expect(p.standby.standbyReady).toBe(true);
    expect(p.standby.helloFields().standbyReady).toBe(true);
    expect(events.some((e) => e.type === 'checkpoint-standby-ready')).toBe(true);
  });

  it('holds further chunks while a micro batch sent during the bulk sync waits for its ack', async () => {
    const p = await makePair({ macroChunkSize: 100 }, { join: false });
    for (let i = 0; i < 30_000; i++) p.active.create({ id: `m${i}`, lifetimeMs: 600_000 });
    const chunks = (): number => p.link.a.sent.macroCheckpointChunk ?? 0;
    const store = storeOf(p.active);
    p.active.peerJoined();
    await new Promise((r) => setImmediate(r)); // the first slice of chunks is out
    expect(chunks()).toBeGreaterThan(0);
    // A change to a session the Standby was already sent goes as a micro batch, behind them.
    const sent = [...store.values()].find((s) => s.sentEpoch !== 0)!;
    p.active.updateAttrs(sent.id, { during: 'sync' });
    p.active.sendPending();
    p.clock.advance(60); // unacknowledged for 60 ms: nothing was delivered
    const held = chunks();
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(chunks()).toBe(held);
    expect(p.active.statistics().macro.inProgress).toBe(true);
    await new Promise((r) => setTimeout(r, 40)); // held 40 ms of real time
    // Delivered and acknowledged, the stream goes on to the end.
    await p.settle();
    expect(chunks()).toBe(300);
    expect(p.standby.get(sent.id)?.attrs).toEqual({ during: 'sync' });
    expect(p.standby.summary()).toEqual(p.active.summary());
    // The hold is where the macro's time went.
    const spent = p.active.statistics().macro.lastTimeSpent!;
    expect(spent.microAcksMs).toBeGreaterThanOrEqual(30);
    expect(spent.linkMs).toBe(0);
  });

  /** A bulk sync of 30k sessions under way to a Standby (empty or not): its first slice of chunks out, the sessions in walk order. */
  async function syncUnderWay(peerEmpty = true): Promise<{ p: Pair; order: Session[] }> {
    const p = await makePair({ macroChunkSize: 100 }, { join: false });
    for (let i = 0; i < 30_000; i++) p.active.create({ id: `d${i}`, lifetimeMs: 600_000, attrs: { v: '0' } });
    p.active.peerJoined({ peerEmpty });
    await new Promise((r) => setImmediate(r)); // the first slice of chunks is out
    return { p, order: [...storeOf(p.active).values()] };
  }

  it('during a bulk sync to an empty Standby, a change to a session the stream has not reached goes in its chunk only, one it has passed in a batch', async () => {
    const { p, order } = await syncUnderWay();
    const passed = order.find((s) => s.sentEpoch !== 0)!;
    const ahead = order.at(-1)!; // the last shard: not reached yet
    expect(ahead.sentEpoch).toBe(0);
    const sent0 = p.active.statistics().micro.sent;
    p.active.updateAttrs(ahead.id, { v: 'ahead' });
    p.active.updateAttrs(passed.id, { v: 'passed' });
    p.active.sendPending();
    expect(p.active.statistics().micro.sent - sent0).toBe(1); // the passed one only
    expect(p.active.statistics().pending.sessions).toBe(1); // the other waits for its chunk
    await p.settle();
    expect(p.active.statistics().micro.sent - sent0).toBe(1);
    expect(p.standby.get(ahead.id)?.attrs).toEqual({ v: 'ahead' });
    expect(p.standby.get(passed.id)?.attrs).toEqual({ v: 'passed' });
    expect(p.standby.summary()).toEqual(p.active.summary());
    expect(p.active.statistics().pending.sessions).toBe(0);
  });

  it('changes left to chunks do not keep the log of unacknowledged changes from being cut on acks', async () => {
    const { p, order } = await syncUnderWay();
    // The log is private to the micro batcher (the split hand-over reads it).
    const log = (p.active as unknown as { sender: { micro: { log: UnackedAttrLog } } }).sender.micro.log;
    const passed = order.find((s) => s.sentEpoch !== 0)!;
    const ahead = order.slice(-50); // the last shard: not reached yet
    for (const s of ahead) p.active.updateAttrs(s.id, { v: 'ahead' });
    p.active.updateAttrs(passed.id, { v: 'passed' });
    p.active.sendPending();
    expect(log.size).toBe(51);
    expect(p.active.statistics().pending.sessions).toBe(50); // deferred
    // The batch (and the chunks before it) reach the Standby; its ack comes back.
    p.link.deliver();
    await p.standby.drain();
    p.link.deliver();
    expect(p.active.statistics().macro.inProgress).toBe(true);
    expect(p.active.statistics().pending.sessions).toBe(50);
    expect(log.size).toBe(0); // cut at the ack, deferred changes and all
    await p.settle();
    for (const s of ahead) expect(p.standby.get(s.id)?.attrs).toEqual({ v: 'ahead' });
    expect(p.standby.summary()).toEqual(p.active.summary());
  });

  it('during a bulk sync to a Standby that may hold an older copy, every change goes in a batch', async () => {
    const { p, order } = await syncUnderWay(false);
    const ahead = order.at(-1)!;
    const sent0 = p.active.statistics().micro.sent;
    p.active.updateAttrs(ahead.id, { v: 'ahead' });
    p.active.sendPending();
    expect(p.active.statistics().micro.sent - sent0).toBe(1);
    await p.settle();
    expect(p.standby.get(ahead.id)?.attrs).toEqual({ v: 'ahead' });
    expect(p.standby.summary()).toEqual(p.active.summary());
  });

  it('a replicated acknowledgement asked during a bulk sync sends the changes left to chunks in a batch, and waits for it', async () => {
    const { p, order } = await syncUnderWay();
    const ahead = order.at(-1)!;
    const sent0 = p.active.statistics().micro.sent;
    p.active.updateAttrs(ahead.id, { v: 'ahead' });
    p.active.sendPending();
    expect(p.active.statistics().micro.sent - sent0).toBe(0);
    const replicated = p.active.whenReplicated();
    p.active.sendPending();
    expect(p.active.statistics().micro.sent - sent0).toBe(1);
    let outcome: string | null = null;
    void replicated.then((o) => (outcome = o));
    await new Promise((r) => setImmediate(r));
    expect(outcome).toBeNull(); // nothing delivered yet
    await p.settle();
    expect(outcome).toBe('replicated');
    expect(p.standby.get(ahead.id)?.attrs).toEqual({ v: 'ahead' });
    expect(p.standby.summary()).toEqual(p.active.summary());
  });

  it('says where the last macro spent its time: encoding, other work, the link, micro acks, the Standby after End', async () => {
    const p = await makePair({ macroChunkSize: 100 }, { join: false });
    for (let i = 0; i < 3000; i++) p.active.create({ id: `t${i}`, lifetimeMs: 600_000, attrs: { n: String(i) } });
    expect(p.active.statistics().macro.lastTimeSpent).toBeNull();
    p.link.stall(p.link.a); // the socket's buffer is full: the stream waits for it to drain
    const t0 = performance.now();
    p.active.peerJoined();
    await new Promise((r) => setTimeout(r, 60));
    p.link.resume(p.link.a);
    await p.settle();
    const wall = performance.now() - t0;
    const { lastTimeSpent: spent, lastDurationMs } = p.active.statistics().macro;
    expect(lastDurationMs).not.toBeNull();
    expect(spent).not.toBeNull();
    expect(spent!.linkMs).toBeGreaterThanOrEqual(40); // the stall less the first slice of chunks
    expect(spent!.microAcksMs).toBe(0);
    expect(spent!.encodingMs).toBeGreaterThanOrEqual(0);
    expect(spent!.otherWorkMs).toBeGreaterThanOrEqual(0);
    expect(spent!.standbyMs).toBeGreaterThanOrEqual(0); // the engine's (manual) clock: the time settle() advanced it
    expect(spent!.encodingMs + spent!.otherWorkMs + spent!.linkMs + spent!.microAcksMs).toBeLessThanOrEqual(wall + 1);
    expect(p.standby.statistics().macro.lastTimeSpent).toBeNull(); // a Standby's: none
  });

  it('sends a periodic macro every periodic-interval minutes', async () => {
    const p = await makePair({ periodicIntervalMin: 30 });
    p.active.create({ id: 'p', lifetimeMs: 24 * 3_600_000 });
    await p.settle();
    const before = p.active.statistics().macro.sent;
    p.clock.advance(30 * 60_000);
    await p.settle();
    expect(p.active.statistics().macro.sent).toBe(before + 1);
    expect(p.active.statistics().macro.lastReason).toBe('periodic');
  });

  it('critical flush resolves only when everything is sent and acknowledged', async () => {
    const p = await makePair();
    p.active.create({ id: 'f1', lifetimeMs: 600_000 });
    p.link.stall(p.link.a);
    let done = false;
    const flushed = p.active.flush().then(() => (done = true));
    p.clock.advance(10);
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    p.link.resume(p.link.a);
    await p.settle();
    await flushed;
    expect(done).toBe(true);
    expect(p.standby.get('f1')).toBeDefined();
  });
});

describe('replicated acknowledgement (whenReplicated)', () => {
  /** Hands the Standby what the Active sent, and lets it apply; its acks stay queued. */
  const toStandby = async (p: Awaited<ReturnType<typeof makePair>>): Promise<void> => {
    for (const m of p.link.b.inbox.splice(0)) p.standby.handle(m);
    await p.standby.drain();
  };
  /** Hands the Active the Standby's acks. */
  const toActive = (p: Awaited<ReturnType<typeof makePair>>): void => {
    for (const m of p.link.a.inbox.splice(0)) p.active.handle(m);
  };
  const track = (pr: Promise<string>): { outcome: string | null } => {
    const t = { outcome: null as string | null };
    void pr.then((o) => (t.outcome = o));
    return t;
  };
  const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

  it('resolves once the Standby has acknowledged the batch that carried the change, not when it is sent or applied', async () => {
    const p = await makePair({ batchDelayMs: 50 });
    p.active.create({ id: 'r1', lifetimeMs: 600_000, attrs: { apn: 'internet' } });
    const w = track(p.active.whenReplicated(1000));
    await turn();
    expect(w.outcome).toBeNull();
    expect(p.link.b.inbox.some((m) => m.kind === 'microCheckpointBatch')).toBe(true); // sent at once, not after 50 ms
    await toStandby(p);
    await turn();
    expect(p.standby.get('r1')).toBeDefined();
    expect(w.outcome).toBeNull(); // applied, but its ack has not reached the Active
    toActive(p);
    await turn();
    expect(w.outcome).toBe('replicated');
    // Nothing changed since: the next one is replicated at once.
    expect(await p.active.whenReplicated(1000)).toBe('replicated');
  });

  it('says no-standby without a Standby, link-down when it leaves, timeout when no ack comes, apply-failed when it could not apply, stepped-down when it stops being Active; and counts them', async () => {
    const alone = await makePair({}, { join: false });
    alone.active.create({ id: 'x', lifetimeMs: 600_000 });
    expect(await alone.active.whenReplicated(1000)).toBe('no-standby');

    /** A pair with one change made and a wait for it asked (`prepare` runs before the change). */
    const asked = async (id: string, timeoutMs: number, prepare: (p: Pair) => void = () => undefined): Promise<{ p: Pair; w: { outcome: string | null } }> => {
      const p = await makePair();
      prepare(p);
      p.active.create({ id, lifetimeMs: 600_000 });
      return { p, w: track(p.active.whenReplicated(timeoutMs)) };
    };
    const { p, w: down } = await asked('d1', 1000);
    await turn();
    p.active.linkDown();
    await turn();
    expect(down.outcome).toBe('link-down');

    const { p: q, w: late } = await asked('t1', 50, (x) => x.link.stall(x.link.a));
    q.clock.advance(49);
    await turn();
    expect(late.outcome).toBeNull();
    q.clock.advance(2);
    await turn();
    expect(late.outcome).toBe('timeout');
    q.link.resume(q.link.a);
    await q.settle();
    expect(q.standby.get('t1')).toBeDefined(); // a timeout only ends the wait

    const { p: f, w: failed } = await asked('f1', 1000, (x) => x.standby.injectApplyFailure(1));
    await toStandby(f);
    toActive(f);
    await turn();
    expect(failed.outcome).toBe('apply-failed');

    // Stepping down (a split's loser) ends the wait as such.
    const { p: g, w: stepped } = await asked('g1', 1000, (x) => x.link.stall(x.link.a));
    g.active.becomeStandby();
    await turn();
    expect(stepped.outcome).toBe('stepped-down');

    // Each engine counts what it answered.
    expect(alone.active.statistics().writeAcks['no-standby']).toBe(1);
    expect(p.active.statistics().writeAcks['link-down']).toBe(1);
    expect(q.active.statistics().writeAcks.timeout).toBe(1);
    expect(f.active.statistics().writeAcks['apply-failed']).toBe(1);
    expect(g.active.statistics().writeAcks).toMatchObject({ 'stepped-down': 1, replicated: 0 });
  });

  it('waits for every batch the pending changes need when the window holds them back, across a queue sweep', async () => {
    // 9,000 pending sessions, batches of 5,000, one unacknowledged batch at a time: the first
    // batch's ack covers only part of them (and the queue is compacted after it).
    const p = await makePair({ batchMaxItems: 5000, maxUnackedBatches: 1, batchDelayMs: 1000 });
    p.link.stall(p.link.a);
    for (let i = 0; i < 9000; i++) p.active.create({ id: `w${i}`, lifetimeMs: 600_000 });
    p.link.resume(p.link.a);
    const w = track(p.active.whenReplicated(60_000));
    await turn();
    expect(p.active.statistics().pending.unackedBatches).toBe(1);
    await toStandby(p);
    toActive(p); // the first batch's ack; the second batch goes
    await turn();
    expect(p.standby.size).toBeLessThan(9000);
    expect(w.outcome).toBeNull();
    await toStandby(p);
    expect(p.standby.size).toBe(9000);
    toActive(p);
    await turn();
    expect(w.outcome).toBe('replicated');
  });

  it('a change a macro chunk carried after the last batch waits for the next batch (an empty one when nothing else goes)', async () => {
    const p = await makePair({ macroChunkSize: 100, maxUnackedBatches: 1, batchDelayMs: 5000 }, { join: false });
    for (let i = 0; i < 1000; i++) p.active.create({ id: `m${i}`, lifetimeMs: 600_000 });
    const order = [...storeOf(p.active).values()].map((s) => s.id);
    const early = order[0];
    const late = order[700]; // in the eighth chunk
    p.link.stall(p.link.a);
    p.active.peerJoined(); // Begin and the first chunk go; the stream waits for the link
    p.active.updateAttrs(early, { during: 'sync' });
    p.link.resume(p.link.a); // the change goes as batch 1, which fills the window
    p.clock.advance(60); // batch 1 unacknowledged for 60 ms: the stream holds its chunks
    for (let i = 0; i < 5; i++) await turn();
    expect(p.active.statistics().pending.unackedBatches).toBe(1);
    // A change the window holds back; the chunk that reaches it carries it instead.
    p.active.updateAttrs(late, { during: 'sync' });
    const w = track(p.active.whenReplicated(600_000));
    // Past the 1 s cap the stream goes on, a chunk per cap while batch 1 stays unacknowledged.
    for (let i = 0; i < 40 && !p.link.b.inbox.some((m) => m.kind === 'macroCheckpointEnd'); i++) {
      p.clock.advance(1001);
      for (let k = 0; k < 3; k++) await turn();
    }
    const inbox = p.link.b.inbox.splice(0);
    const batch1 = inbox.findIndex((m) => m.kind === 'microCheckpointBatch');
    expect(inbox.findIndex((m) => m.kind === 'macroCheckpointEnd')).toBeGreaterThan(batch1);
    // The Standby applies up to batch 1 and acknowledges it: the chunk with `late` is not applied yet.
    for (const m of inbox.slice(0, batch1 + 1)) p.standby.handle(m);
    await p.standby.drain();
    toActive(p);
    await turn();
    expect(p.standby.get(late)?.attrs.during).toBeUndefined();
    expect(w.outcome).toBeNull();
    // The rest, the batch after the chunk included (empty: nothing else was pending).
    const rest = inbox.slice(batch1 + 1);
    const after = rest.filter((m) => m.kind === 'microCheckpointBatch');
    expect(after).toHaveLength(1);
    expect((after[0] as { body: { items: unknown[] } }).body.items).toHaveLength(0);
    for (const m of rest) p.standby.handle(m);
    await p.standby.drain();
    toActive(p);
    await turn();
    expect(w.outcome).toBe('replicated');
    expect(p.standby.get(late)?.attrs).toEqual({ during: 'sync' });
    // The empty batch's ack is no replication-lag sample (batch 1's is).
    expect(p.active.statistics().replicationLagMs.samples).toBe(1);
    await p.settle();
    expect(p.standby.summary()).toEqual(p.active.summary());
  });

  it('during a bulk sync, resolves only when the Standby holds every write made before it asked', async () => {
    const p = await makePair({ macroChunkSize: 50, batchMaxItems: 16, maxUnackedBatches: 1 }, { join: false });
    for (let i = 0; i < 2000; i++) p.active.create({ id: `b${i}`, lifetimeMs: 600_000, attrs: { v: '0' } });
    p.active.peerJoined();
    const written = new Map<string, number>();
    const outcomes: string[] = [];
    let violations = 0;
    let asked = 0;
    let seed = 7;
    const rnd = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let round = 0; round < 400 && (round < 50 || p.active.statistics().macro.inProgress); round++) {
      // A few writes, to sessions the stream has reached and to some it has not, then a barrier.
      for (let k = 0; k < 3; k++) {
        const id = `b${rnd(2000)}`;
        const v = round * 10 + k;
        p.active.updateAttrs(id, { v: String(v) });
        written.set(id, v);
      }
      const expected = new Map(written);
      asked++;
      // Checked the moment it resolves: the Standby must hold each write (or a later one).
      void p.active.whenReplicated(600_000).then((o) => {
        outcomes.push(o);
        for (const [id, v] of expected) if (Number(p.standby.get(id)?.attrs.v ?? -1) < v) violations++;
      });
      p.link.deliver(1 + rnd(4));
      await p.standby.drain();
      await turn();
      p.clock.advance(1);
    }
    await p.settle();
    expect(asked).toBeGreaterThan(40);
    expect(outcomes).toHaveLength(asked);
    expect(outcomes.every((o) => o === 'replicated')).toBe(true);
    expect(violations).toBe(0);
    expect(p.active.statistics().macro.sent).toBe(1);
    expect(p.standby.summary()).toEqual(p.active.summary());
  });
});

describe('audit', () => {
  it('finds an injected divergence bucket by bucket and repairs it', async () => {
    const p = await makePair();
    for (let i = 0; i < 500; i++) p.active.create({ id: `a${i}`, lifetimeMs: 600_000 });
    await p.settle();
    expect(p.standby.summary()).toEqual(p.active.summary());
    // Diverge the Standby behind the engine's back: a lost session, a wrong version, an extra one.
    const st = storeOf(p.standby);
    st.remove('a1');
    st.setVersion(st.get('a2')!, 1);
    const extra = st.create('intruder', 'non-ims', 0, 1, 1, {}, {}, 5);
    st.markEligible(extra);
    expect(p.standby.summary().digest).not.toBe(p.active.summary().digest);

    const done = p.active.initiateAudit({ withSync: true });
    await p.settle();
    const result = await done;
    expect(result.differingBuckets.length).toBeGreaterThanOrEqual(1);
    expect(result.differingBuckets.length).toBeLessThanOrEqual(3);
    expect(result.sessionsResynced).toBeGreaterThan(0);
    expect(p.standby.get('intruder')).toBeUndefined();
    expect(p.standby.get('a1')).toBeDefined();
    expect(p.standby.summary()).toEqual(p.active.summary());
    const stats = p.active.auditStatistics();
    expect(stats).toMatchObject({ runs: 1, lastTrigger: 'manual', bucketsCompared: 256 });
    expect(p.standby.auditStatistics().runs).toBe(1);

    const again = p.active.initiateAudit({ withSync: true });
    await p.settle();
    expect((await again).differingBuckets).toEqual([]);
  });

  it('runs periodically from the daily start time', async () => {
    const p = await makePair({ auditEnabled: true, auditDailyStartTime: '00:00', auditPeriodicityMin: 60, periodicIntervalMin: 1440 });
    const next = p.active.auditStatistics().nextRunAt!;
    expect(next).toBeGreaterThan(p.clock.now());
    p.clock.advance(next - p.clock.now());
    await p.settle();
    expect(p.active.auditStatistics()).toMatchObject({ runs: 1, lastTrigger: 'periodic' });
  });
});

describe('takeover', () => {
  it('advances counters by N, restarts lifetimes and records call loss', async () => {
    const p = await makePair({ counterSyncEvery: 100, sessionDurationMs: 60_000 });
    p.active.create({ id: 'ipsec', lifetimeMs: 3_600_000, counters: { outSeq: 0n } });
    p.clock.advance(60_000);
    await p.settle();
    for (let i = 0; i < 250; i++) p.active.incrementCounter('ipsec', 'outSeq');
    await p.settle();
    for (let i = 0; i < 49; i++) p.active.incrementCounter('ipsec', 'outSeq'); // 299: not synced
    p.active.create({ id: 'young', lifetimeMs: 3_600_000 }); // not eligible yet
    await p.settle();
    hellos(p, 3);
    expect(p.standby.standbyReady).toBe(true);
    // The Standby holds what it applied packed (store.ts): the advance below is applied lazily.
    expect(storeOf(p.standby).get('ipsec')!.packed).toBeGreaterThanOrEqual(0);
    p.link.cut();
    p.active.close();

    p.clock.advance(30 * 60_000);
    p.standby.linkDown();
    const r = await p.standby.becomeActive({ cause: 'peer-dead' });
    expect(p.standby.role).toBe('active');
    const s = p.standby.get('ipsec')!;
    expect(s.counters.outSeq).toBe(350n); // 250 synced + N > 299 used by the old Active
    expect(s.expiresAt).toBe(p.clock.now() + 3_600_000);
    expect(r.recovered).toBe(1);
    expect(r.callLoss).toMatchObject({ cause: 'peer-dead', expected: 2, recovered: 1, lostEligible: 0, lostYoung: 1 });
    expect(p.standby.callLoss.summary()).toMatchObject({ switchovers: 1, lostYoung: 1 });
    // The new Active can write.
    p.standby.incrementCounter('ipsec', 'outSeq');
    expect(p.standby.get('ipsec')!.counters.outSeq).toBe(351n);
  });

  it('serves before its table is settled, and no lookup, sweep or bulk sync sees a session unsettled', async () => {
    const p = await makePair();
    const n = 30_000;
    for (let i = 0; i < n; i++) p.active.create({ id: `s${i}`, lifetimeMs: 60_000, counters: { seq: BigInt(i) } });
    await p.settle();
    const before = p.active.summary();
    p.link.cut();
    p.active.close();
    // Every lifetime the Standby holds has run out by the takeover: restarted, none expires.
    p.clock.advance(120_000);
    p.standby.linkDown();
    await p.standby.becomeActive({ cause: 'peer-dead' });
    const at = p.clock.now();
    const store = storeOf(p.standby);
    // The takeover settled nothing itself: the walk starts after the Active serves.
    expect(store.unsettledCount).toBe(n);
    expect(p.standby.get('s29999')).toMatchObject({ expiresAt: at + 60_000, counters: { seq: 29_999n + 100n } }); // counter-sync-every 100
    p.clock.advance(1_000); // an expiry sweep while the walk is still under way
    expect(p.standby.size).toBe(n);
    await p.standby.settled();
    expect(store.unsettledCount).toBe(0);
    expect(p.standby.summary()).toEqual(before);
    expect([...store.values()].every((s) => s.expiresAt === at + 60_000)).toBe(true);
  });

  it('keeps the digest across a takeover, and later changes replicate to the old Active as Standby', async () => {
    const p = await makePair();
    for (let i = 0; i < 300; i++) p.active.create({ id: `s${i}`, lifetimeMs: 60_000, attrs: { n: String(i) } });
    for (let i = 0; i < 300; i += 3) p.active.updateAttrs(`s${i}`, { n: 'changed' });
    await p.settle();
    const before = p.active.summary();
    expect(p.standby.summary()).toEqual(before);
    p.standby.linkDown();
    await p.standby.becomeActive({ cause: 'peer-dead' });
    expect(p.standby.summary()).toEqual(before);
    // Roles swap on the same link: the old Active rejoins as Standby and gets a bulk sync.
    p.active.becomeStandby();
    p.standby.peerJoined();
    await p.settle();
    // The new Standby packed the bulk sync; the new Active still holds its sessions packed.
    expect([storeOf(p.active).get('s1')!.packed >= 0, storeOf(p.standby).get('s0')!.packed >= 0]).toEqual([true, true]);
    // A change on the new Active must be newer than every version it inherited.
    p.standby.updateAttrs('s0', { n: 'after takeover' });
    await p.settle();
    expect(p.active.get('s0')?.attrs).toEqual({ n: 'after takeover' });
    expect(p.active.summary()).toEqual(p.standby.summary());
  });

  it('refuses ids, names and values with a lone surrogate (UTF-8 cannot carry them) and changes nothing', async () => {
    const p = await makePair();
    p.active.create({ id: 'ok', lifetimeMs: 60_000, attrs: { emoji: '😀 \u{1F600}', '名前': '値' }, counters: { n: 1n } });
    await p.settle();
    const before = p.active.get('ok')!;
    const refused = (f: () => unknown): string => {
      try {
        f();
      } catch (err) {
        return `${(err as CheckpointError).code}: ${(err as Error).message}`;
      }
      return 'accepted';
    };
    expect(refused(() => p.active.create({ id: 'a\uD800', lifetimeMs: 60_000 }))).toBe('SRP_ERR_CHECKPOINT_BAD_INPUT: session id is not well-formed Unicode: a lone surrogate at index 1');
    expect(refused(() => p.active.create({ id: 'b', lifetimeMs: 60_000, attrs: { k: 'x\uDC00y' } }))).toBe('SRP_ERR_CHECKPOINT_BAD_INPUT: attrs.k is not well-formed Unicode: a lone surrogate at index 1');
    expect(refused(() => p.active.create({ id: 'ok', lifetimeMs: 60_000, counters: { ['\uD83D']: 1n } }))).toMatch(/^SRP_ERR_CHECKPOINT_BAD_INPUT: counters name "\\ud83d" is not well-formed/);
    expect(refused(() => p.active.update('ok', { attrs: { emoji: '\uD83D\uD83D' } }))).toBe('SRP_ERR_CHECKPOINT_BAD_INPUT: attrs.emoji is not well-formed Unicode: a lone surrogate at index 0');
    expect(refused(() => p.active.updateAttrs('ok', { ['\uDFFF']: 'v' }))).toMatch(/^SRP_ERR_CHECKPOINT_BAD_INPUT: attrs name/);
    expect(refused(() => p.active.incrementCounter('ok', 'n\uD800', 1n))).toMatch(/^SRP_ERR_CHECKPOINT_BAD_INPUT: counter name/);
    // Nothing changed, on either side ('ok' was not replaced by the refused create of the same id).
    expect(p.active.get('ok')).toEqual(before);
    expect(p.active.size).toBe(1);
    await p.settle();
    expect(p.standby.get('ok')).toMatchObject({ attrs: before.attrs, counters: before.counters, version: before.version });
    expect(p.standby.statistics()).toMatchObject({ micro: { failed: 0 }, nacks: { sent: 0 } });
    expect(p.standby.summary()).toEqual(p.active.summary());
  });

  it('a Standby refuses local writes', async () => {
    const p = await makePair();
    expect(() => p.standby.create({ id: 'z', lifetimeMs: 1 })).toThrow(expect.objectContaining({ code: 'SRP_ERR_CHECKPOINT_ROLE' }));
  });
});

describe('the Active packs the sessions it creates', () => {
  it('keeps created and updated sessions packed, a session too large for the arena as objects, and the Standby equal', async () => {
    const p = await makePair({ counterSyncEvery: 10 });
    p.active.create({ id: 'a', lifetimeMs: 60_000, attrs: { imsi: '001010123456789', apn: 'internet' }, counters: { up: 5n } });
    p.active.create({ id: 'big', lifetimeMs: 60_000, attrs: { blob: 'x'.repeat(3000) } });
    const store = storeOf(p.active);
    expect(store.get('a')!.packed).toBeGreaterThanOrEqual(0);
    expect(store.get('big')!.packed).toBe(-1);
    p.active.update('a', { attrs: { rat: 'nr', apn: null } });
    p.active.incrementCounter('a', 'up', 7n);
    p.active.raiseCounters('a', { down: 3n });
    expect(store.get('a')!.packed).toBeGreaterThanOrEqual(0);
    expect(p.active.get('a')).toMatchObject({ attrs: { imsi: '001010123456789', rat: 'nr' }, counters: { up: 12n, down: 3n } });
    await p.settle();
    expect(p.standby.get('a')).toMatchObject({ attrs: { imsi: '001010123456789', rat: 'nr' }, counters: { up: 12n, down: 3n } });
    expect(await p.standby.contentSummary()).toEqual(await p.active.contentSummary());
  });

  it('raiseCounters: counters only move up, as one change; replicated when one crosses counter-sync-every or is new', async () => {
    const p = await makePair({ counterSyncEvery: 10 });
    p.active.create({ id: 'a', lifetimeMs: 60_000, counters: { up: 5n, down: 5n } });
    await p.settle();
    const v0 = p.active.get('a')!.version;
    // Below a multiple of 10 for both, one lower than now: no item, no new version.
    p.active.raiseCounters('a', { up: 8n, down: 4n });
    expect(p.active.get('a')!.counters).toEqual({ up: 8n, down: 5n });
    expect(p.active.get('a')!.version).toBe(v0);
    await p.settle();
    expect(p.standby.get('a')!.counters).toEqual({ up: 5n, down: 5n });
    // Both cross 10: one change (one version), the counters go.
    p.active.raiseCounters('a', { up: 12n, down: 11n });
    expect(p.active.get('a')!.version).toBe(v0 + 1);
    await p.settle();
    expect(p.standby.get('a')!.counters).toEqual({ up: 12n, down: 11n });
    // A counter the session did not have goes at once, whatever its value.
    p.active.raiseCounters('a', { esp: 1n });
    await p.settle();
    expect(p.standby.get('a')!.counters).toEqual({ up: 12n, down: 11n, esp: 1n });
    // A bad value anywhere in the call: refused before any counter moves.
    expect(() => p.active.raiseCounters('a', { up: 50n, down: 2n ** 64n })).toThrow(expect.objectContaining({ code: 'SRP_ERR_CHECKPOINT_BAD_INPUT' }));
    expect(() => p.active.raiseCounters('a', { up: 50n, down: 7 as unknown as bigint })).toThrow(/bigint/);
    expect(p.active.get('a')!.counters).toEqual({ up: 12n, down: 11n, esp: 1n });
    expect(() => p.active.raiseCounters('nope', { up: 1n })).toThrow(expect.objectContaining({ code: 'SRP_ERR_CHECKPOINT_NO_SESSION' }));
  });

  it('update with counters: counters raised, attrs merged and the lifetime restarted as one change, everything checked first', async () => {
    const p = await makePair({ counterSyncEvery: 10 });
    const store = storeOf(p.active);
    p.active.create({ id: 'a', lifetimeMs: 60_000, attrs: { apn: 'internet', rat: 'lte' }, counters: { up: 5n, down: 5n } });
    p.active.create({ id: 'big', lifetimeMs: 60_000, attrs: { blob: 'x'.repeat(3000) }, counters: { up: 1n } });
    expect(store.get('a')!.packed).toBeGreaterThanOrEqual(0);
    expect(store.get('big')!.packed).toBe(-1);
    await p.settle();
    for (const id of ['a', 'big']) {
      const v0 = p.active.get(id)!.version;
      // A counter below the next multiple of 10 and a lower one: the lower stays; attrs and the
      // lifetime go in the same change, and the moved counter with them.
      p.active.update(id, { attrs: { rat: 'nr', apn: null }, lifetimeMs: 90_000, counters: { up: 8n, down: 4n } });
      const v1 = p.active.get(id)!.version;
      // One version taken: the next write gets the one after it.
      expect(p.active.create({ id: `${id}-next`, lifetimeMs: 60_000 }).version).toBe(v1 + 1);
      expect(v1).toBeGreaterThan(v0);
      expect(p.active.get(id)).toMatchObject({ lifetimeMs: 90_000, counters: { up: 8n } });
      expect(p.active.get(id)!.attrs.rat).toBe('nr');
      expect(p.active.get(id)!.attrs.apn).toBeUndefined();
      await p.settle();
      expect(p.standby.get(id)).toMatchObject({ version: v1, lifetimeMs: 90_000, counters: { up: 8n } });
      // Counters only, crossing 10: one change, replicated.
      p.active.update(id, { counters: { up: 12n } });
      expect(p.active.get(id)!.version).toBe(v1 + 2);
      await p.settle();
      expect(p.standby.get(id)!.counters.up).toBe(12n);
      // A bad counter or attribute: refused before anything changes.
      const before = p.active.get(id)!;
      expect(() => p.active.update(id, { attrs: { rat: '5g' }, counters: { up: 50n, down: 2n ** 64n } })).toThrow(expect.objectContaining({ code: 'SRP_ERR_CHECKPOINT_BAD_INPUT' }));
      expect(() => p.active.update(id, { attrs: { rat: 7 as unknown as string }, counters: { up: 50n } })).toThrow(/attribute rat must be a string/);
      expect(p.active.get(id)).toEqual(before);
    }
    expect(store.get('a')!.packed).toBeGreaterThanOrEqual(0);
    expect(await p.standby.contentSummary()).toEqual(await p.active.contentSummary());
  });

  it('refuses an attribute value that is not a string before changing anything', async () => {
    const p = await makePair();
    p.active.create({ id: 'a', lifetimeMs: 60_000, attrs: { apn: 'internet' } });
    const v = p.active.get('a')!.version;
    const bad = { apn: 7 } as unknown as Record<string, string>;
    expect(() => p.active.create({ id: 'a', lifetimeMs: 60_000, attrs: bad })).toThrow(expect.objectContaining({ code: 'SRP_ERR_CHECKPOINT_BAD_INPUT' }));
    expect(() => p.active.update('a', { attrs: bad })).toThrow(/attribute apn must be a string/);
    expect(() => p.active.updateAttrs('a', bad)).toThrow(/attribute apn must be a string/);
    expect(p.active.get('a')).toMatchObject({ attrs: { apn: 'internet' }, version: v });
    await p.settle();
    expect(p.standby.get('a')!.attrs).toEqual({ apn: 'internet' });
  });
});
