// The SRP link in one process over real TCP on 127.0.0.1: one connection survives, reconnects,
// and nothing a peer sends can throw past the connection handler.
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { FEATURE_DIGIT_RUNS, MessageWriter, PROTOCOL_VERSION, CompressionAlgorithm, type SrpMessage } from '@srp-ha/wire';
import { FEATURE_MICRO_ASPECTS } from '@srp-ha/checkpoint';
import { ManualClock, type TimerHandle } from '../src/fsm/clock.js';
import { LinkTransport } from '../src/replication/transport.js';
import { SrpLink, type LinkOptions } from '../src/link/link.js';
import { freePort, waitFor } from './helpers/cluster.js';
import { linkOptions, recorded, recorder, type Recorder } from './helpers/links.js';

const KEY = Buffer.from('link-test-shared-key-0123456789');
const links: SrpLink[] = [];
afterEach(async () => {
  for (const l of links.splice(0)) await l.stop();
});

function link(chassisId: string, bootId: number, bind: number, peer: number, rec: Recorder, more: Partial<LinkOptions> = {}): SrpLink {
  const l = recorded(new SrpLink(linkOptions(chassisId, bootId, { host: '127.0.0.1', port: bind }, { host: '127.0.0.1', port: peer }, [KEY.toString()], more)), rec);
  links.push(l);
  return l;
}

/** A manual clock that records the delay of every timer armed on it. */
class DelayClock extends ManualClock {
  readonly delays: number[] = [];

  override setTimeout(fn: () => void, ms: number): TimerHandle {
    this.delays.push(ms);
    return super.setTimeout(fn, ms);
  }
}

const hello = (n: number): SrpMessage => ({ kind: 'goodbye', body: { reason: `m${n}`, takeoverNow: false } });

/** A micro-checkpoint batch of 200 items (compressed on the sending thread). */
const batch = (seq: number): SrpMessage => ({
  kind: 'microCheckpointBatch',
  body: { batchSequence: seq, items: Array.from({ length: 200 }, (_, i) => ({ commandId: 1, sessionId: `s-${seq}-${i}`, version: i + 1, payload: randomBytes(200) })) },
});

/** A macro checkpoint chunk of 200 sessions (compressed on the thread pool). */
const chunk = (seq: number): SrpMessage => ({
  kind: 'macroCheckpointChunk',
  body: {
    snapshotId: 1,
    chunkSequence: seq,
    sessions: Array.from({ length: 200 }, (_, i) => ({
      id: `s-${seq}-${i}`,
      sessionClass: 0,
      createdAtMs: 1_700_000_000_000,
      lifetimeMs: 3_600_000,
      expiresAtMs: 1_700_003_600_000,
      attrs: { apn: 'internet', ip: randomBytes(8).toString('hex') },
      counters: { up: BigInt(i) },
      version: i + 1,
    })),
  },
});

/** alpha and bravo on two free ports, both started, once both links are up. */
async function upPair(bootA: number, bootB: number): Promise<{ a: SrpLink; b: SrpLink; ra: Recorder; rb: Recorder }> {
  const [pa, pb] = [await freePort(), await freePort()];
  const ra = recorder();
  const rb = recorder();
  const a = link('alpha', bootA, pa, pb, ra);
  const b = link('bravo', bootB, pb, pa, rb);
  await Promise.all([a.listen(), b.listen()]);
  a.start();
  b.start();
  // Both sides dial: wait until the duplicate connection is gone, so sends stay on one.
  await waitFor('both links up on one connection', () => a.up && b.up && a.connectionCount === 1 && b.connectionCount === 1);
  return { a, b, ra, rb };
}

describe('SRP link', () => {
  it('both sides dial; exactly one connection survives, the same one on both sides', async () => {
    const { a, b, ra, rb } = await upPair(11, 22);
    await waitFor('the same connection on both sides', () => a.endpoints !== null && a.endpoints.local === b.endpoints?.remote);
    expect(a.connectionCount).toBe(1);
    expect(b.connectionCount).toBe(1);
    expect(a.endpoints?.local).toBe(b.endpoints?.remote);
    expect(a.endpoints?.remote).toBe(b.endpoints?.local);
    expect(ra.boots).toContain(22);
    expect([ra.ups, rb.ups]).toEqual([1, 1]);
    for (let i = 0; i < 5; i++) await a.send(hello(i));
    await waitFor('messages across', () => rb.messages.length === 5);
    expect(rb.messages.map((m) => (m.kind === 'goodbye' ? m.body.reason : ''))).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
  });

  it("tells the checkpoint transport its peer's features, as the peer's Capabilities listed them", async () => {
    const { a, b } = await upPair(13, 24);
    expect(a.peerFeatures).toEqual([FEATURE_MICRO_ASPECTS, FEATURE_DIGIT_RUNS]);
    expect(b.peerFeatures).toEqual([FEATURE_MICRO_ASPECTS, FEATURE_DIGIT_RUNS]);
    // Both offer digit runs, but the link negotiated zlib: they are packed with LZ4 only.
    expect([a.compression, a.digitRuns, b.digitRuns]).toEqual(['zlib', false, false]);
    const t = new LinkTransport();
    expect(t.peerFeatures).toEqual([]); // no link: the oldest protocol
    t.bind(a);
    expect(t.peerFeatures).toEqual([FEATURE_MICRO_ASPECTS, FEATURE_DIGIT_RUNS]);
    await b.stop();
    await waitFor('link down', () => !a.up);
    expect(t.peerFeatures).toEqual([]);
  });

  it('packs digit runs (with LZ4) only towards a peer that offered to read them (an older build does not)', async () => {
    const [pa, pb] = [await freePort(), await freePort()];
    const ra = recorder();
    const rb = recorder();
    // alpha plays a build without the feature: bravo must not pack towards it.
    const a = link('alpha', 51, pa, pb, ra, { features: [FEATURE_MICRO_ASPECTS], compression: ['lz4'] });
    const b = link('bravo', 52, pb, pa, rb, { compression: ['lz4'] });
    await Promise.all([a.listen(), b.listen()]);
    a.start();
    b.start();
    await waitFor('both links up on one connection', () => a.up && b.up && a.connectionCount === 1 && b.connectionCount === 1);
    expect([a.digitRuns, b.digitRuns]).toEqual([true, false]);
    expect(b.peerFeatures).toEqual([FEATURE_MICRO_ASPECTS]);
    // Random IMSIs and compressible payloads: frames that are compressed, with digit runs to pack.
    const sent = new Map<number, string>();
    const imsis = (seq: number): SrpMessage => ({
      kind: 'microCheckpointBatch',
      body: {
        batchSequence: seq,
        items: Array.from({ length: 200 }, (_, i) => {
          const id = `310150${randomBytes(6).readUIntBE(0, 6) % 1e9}`.padEnd(15, '7');
          if (i === 199) sent.set(seq, id);
          return { commandId: 3, sessionId: id, version: i + 1, payload: Buffer.alloc(40, i) };
        }),
      },
    });
    const out = { a: 0, b: 0 };
    a.onEncoded((_k, before, after) => (out.a += before - after));
    b.onEncoded((_k, before, after) => (out.b += before - after));
    for (let i = 1; i <= 3; i++) {
      await a.send(imsis(i));
      await b.send(imsis(10 + i));
    }
    await waitFor('batches across both ways', () => ra.messages.length === 3 && rb.messages.length === 3);
    const ids = (r: Recorder): string[] => r.messages.map((m) => (m.kind === 'microCheckpointBatch' ? m.body.items[199].sessionId : ''));
    expect([ids(rb), ids(ra)]).toEqual([
      [1, 2, 3].map((q) => sent.get(q)),
      [11, 12, 13].map((q) => sent.get(q)),
    ]);
    // Both compressed; alpha's frames (digit runs packed) by more than bravo's.
    expect(out.b).toBeGreaterThan(0);
    expect(out.a).toBeGreaterThan(out.b);
  });

  it('does not keep a message alive while its frame waits for compression (only its bytes)', async () => {
    // A batch held until framed, behind the compression of many others, is what made V8
    // pretenure the Active's checkpoint items (connection.ts, send()). Macro chunks compress
    // off the thread, and a batch sent behind them waits for its frame.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const { a, rb } = await upPair(31, 32);
    const ahead = Array.from({ length: 64 }, (_, i) => a.send(chunk(i + 1)));
    let msg: SrpMessage | null = batch(65);
    const items = new WeakRef(msg.kind === 'microCheckpointBatch' ? msg.body.items : []);
    let settled = false;
    const sent = a.send(msg).finally(() => (settled = true));
    msg = null;
    await new Promise((r) => setImmediate(r)); // a WeakRef keeps its target until the job ends
    gc();
    expect(settled).toBe(false); // still waiting for its frame
    expect(items.deref()).toBeUndefined();
    expect(await Promise.all([...ahead, sent])).toEqual(Array<boolean>(65).fill(true));
    await waitFor('all 65 messages across', () => rb.messages.length === 65);
  });

  it('writes a batch before send() returns when nothing waits to be framed; frames stay in order when some do', async () => {
    const { a, rb } = await upPair(41, 42);
    const out = a.counters.framesOut;
    const first = a.send(batch(1));
    // Framed, compressed and written in this turn: the Standby can read it while the Active's
    // turn goes on.
    expect(a.counters.framesOut).toBe(out + 1);
    // A macro chunk compresses off the thread; everything after it waits for its frame.
    const sends = [first, a.send(chunk(2)), a.send(batch(3)), a.send({ kind: 'checkpointAck', body: { upToSequence: 3, snapshotId: 0, failedItems: 0 } })];
    expect(a.counters.framesOut).toBe(out + 1);
    expect(await Promise.all(sends)).toEqual([true, true, true, true]);
    expect(a.counters.framesOut).toBe(out + 4);
    a.send(batch(5)).catch(() => undefined); // nothing waits any more: written at once again
    expect(a.counters.framesOut).toBe(out + 5);
    await waitFor('five messages across', () => rb.messages.length === 5);
    const seqs = rb.messages.flatMap((m) =>
      m.kind === 'microCheckpointBatch' ? [m.body.batchSequence] : m.kind === 'macroCheckpointChunk' ? [m.body.chunkSequence] : m.kind === 'checkpointAck' ? [m.body.upToSequence + 1] : [],
    );
    expect(seqs).toEqual([1, 2, 3, 4, 5]);
  });

  it('redials with backoff (doubling, jittered, capped) while the peer is away, and from the shortest delay again once the link was up', async () => {
    const [pa, pb] = [await freePort(), await freePort()];
    // alpha's timers run on a manual clock: only its dial timers are armed while nothing
    // answers, so their delays are exactly the backoff. Redials are capped at the Hello
    // interval (at most 1 s).
    const clock = new DelayClock();
    const ra = recorder();
    const a = link('alpha', 1, pa, pb, ra, { clock, helloIntervalMs: 1000 });
    await a.listen();
    a.start();
    expect(clock.delays).toEqual([0]); // the first dial at once
    // Nothing listens on pb: every dial is refused, and the next waits longer.
    for (let i = 1; i <= 8; i++) {
      clock.advance(clock.delays.at(-1)!);
      await waitFor(`redial ${i} armed after a refused dial`, () => clock.delays.length > i);
    }
    const redials = clock.delays.slice(1);
    redials.forEach((delay, k) => {
      const full = Math.min(1000, 50 * 2 ** k);
      expect(delay, `redial ${k + 1}`).toBeGreaterThanOrEqual(full / 2);
      expect(delay, `redial ${k + 1}`).toBeLessThanOrEqual(full);
    });
    // bravo comes up (it only listens): alpha's pending dial reaches it.
    const b1 = link('bravo', 2, pb, pa, recorder());
    await b1.listen();
    clock.advance(redials.at(-1)!);
    await waitFor('link up', () => a.up && b1.up);
    // bravo goes away: alpha redials after the shortest delay again, not the capped one.
    await b1.stop();
    await waitFor('link down', () => !a.up);
    const afterDown = clock.delays.at(-1)!;
    expect(afterDown).toBeGreaterThanOrEqual(25);
    expect(afterDown).toBeLessThanOrEqual(50);
    const b2 = link('bravo', 3, pb, pa, recorder());
    await b2.listen();
    clock.advance(afterDown);
    await waitFor('link up again', () => a.up && b2.up);
    expect(ra.boots).toEqual([2, 3]);
    expect([ra.ups, ra.downs]).toEqual([2, 1]);
  });

  it('refuses garbage, wrong keys and random frames without throwing, and keeps serving', async () => {
    const [pa, pb] = [await freePort(), await freePort()];
    const ra = recorder();
    const a = link('alpha', 1, pa, pb, ra);
    await a.listen();
    const send = (bytes: Buffer): Promise<void> =>
      new Promise((resolve) => {
        const s = connect(pa, '127.0.0.1', () => s.end(bytes));
        s.on('data', () => undefined);
        s.on('error', () => resolve());
        s.on('close', () => resolve());
      });
    for (let i = 0; i < 40; i++) await send(randomBytes(1 + Math.floor(Math.random() * 300)));
    const caps: SrpMessage = {
      kind: 'capabilities',
      body: { protocolVersion: PROTOCOL_VERSION, compression: [CompressionAlgorithm.COMPRESSION_ZLIB], features: [], chassisId: 'x', bootId: 5, maxFrameSize: 1 << 20, nonce: randomBytes(32) },
    };
    await send(await new MessageWriter({ key: Buffer.from('the-wrong-key-entirely') }).encode(caps));
    // The right key, then a valid frame whose payload bytes are flipped: the MAC catches it.
    const good = await new MessageWriter({ key: KEY }).encode(caps);
    good[20] = (good[20] ?? 0) ^ 0xff;
    await send(good);
    // The right key but a second message that is not Capabilities first: a protocol error.
    const w = new MessageWriter({ key: KEY });
    await send(await w.encode({ kind: 'goodbye', body: { reason: 'x', takeoverNow: true } }));
    // Our own chassis-id.
    const self = await new MessageWriter({ key: KEY }).encode({ ...caps, body: { ...caps.body, chassisId: 'alpha' } });
    await send(self);
    await waitFor('the refusals', () => ra.refusals.length >= 44);
    expect(ra.refusals).toEqual(expect.arrayContaining(['garbage', 'bad-mac', 'protocol', 'same-chassis-id']));
    // Still serving: a real peer connects.
    const b = link('bravo', 2, pb, pa, recorder());
    await b.listen();
    a.start();
    b.start();
    await waitFor('link up after the abuse', () => a.up && b.up);
  });
});
