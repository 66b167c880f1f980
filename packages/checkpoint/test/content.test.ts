import { describe, expect, it } from 'vitest';
import { PayloadWriter, storeOf } from '../src/internal.js';
import { makePair } from './helpers.js';

const LIFE = 3_600_000;

describe('the content digest', () => {
  it('is equal on both sides once replicated, and differs when content differs under the same versions', async () => {
    const p = await makePair();
    for (let i = 0; i < 500; i++) p.active.create({ id: `imsi-${i}`, lifetimeMs: LIFE, attrs: { apn: i % 2 ? 'ims' : 'internet' }, counters: { up: BigInt(i) } });
    await p.settle();
    const [a, b] = await Promise.all([p.active.contentSummary(), p.standby.contentSummary()]);
    expect(a.digest).toBe(b.digest);
    expect(a.count).toBe(500);
    // The same ids and versions, one attribute changed behind replication's back: the version
    // digest cannot see it, the content digest does.
    const s = storeOf(p.standby).get('imsi-7')!;
    storeOf(p.standby).records.set(s, { apn: 'tampered' }, { up: 7n });
    const c = await p.standby.contentSummary();
    expect(c.versionDigest).toBe(a.versionDigest);
    expect(c.digest).not.toBe(a.digest);
  });

  it('counters count at their replication granularity: increments not yet synced do not make the tables differ', async () => {
    const p = await makePair({ counterSyncEvery: 100 });
    p.active.create({ id: 'x', lifetimeMs: LIFE, counters: { seq: 0n } });
    await p.settle();
    for (let i = 0; i < 50; i++) p.active.incrementCounter('x', 'seq');
    await p.settle();
    expect((await p.active.contentSummary()).digest).toBe((await p.standby.contentSummary()).digest);
  });
});

describe('no silent divergence', () => {
  it('an item the Standby cannot apply makes it not ready, and the Active counts it, even with every NACK suppressed', async () => {
    const p = await makePair({ nackMaxResponse: 0 }, { join: true });
    for (let i = 0; i < 10; i++) p.active.create({ id: `s${i}`, lifetimeMs: LIFE });
    await p.settle();
    for (let i = 0; i < 3; i++) {
      p.standby.peerHello(p.active.helloFields());
    }
    expect(p.standby.standbyReady).toBe(true);
    p.standby.injectApplyFailure(1);
    p.active.update('s1', { attrs: { v: '2' } });
    await p.settle();
    expect(p.standby.standbyReady).toBe(false);
    expect(p.standby.statistics().nacks.suppressed).toBe(1);
    expect(p.active.statistics().micro.peerFailed).toBe(1);
    // A full macro makes the tables equal again: ready once more.
    p.active.requestMacro('nack');
    await p.settle();
    expect(p.standby.standbyReady).toBe(true);
    expect((await p.active.contentSummary()).digest).toBe((await p.standby.contentSummary()).digest);
  });
});

describe('the payload writer', () => {
  it('refuses a fractional time instead of truncating it', () => {
    expect(() => new PayloadWriter().varint(1.5)).toThrow(/non-negative safe integer/);
    expect(() => new PayloadWriter().varint(-1)).toThrow(/non-negative safe integer/);
    expect(new PayloadWriter().varint(2 ** 40).take().length).toBeGreaterThan(0);
  });
});

describe('counters at a takeover', () => {
  it('a counter added after the session was replicated reaches the Standby at once, and advances at takeover', async () => {
    const p = await makePair({ counterSyncEvery: 100 });
    p.active.create({ id: 'x', lifetimeMs: LIFE });
    await p.settle();
    p.active.incrementCounter('x', 'esp', 3n); // a name the Standby has never seen
    await p.settle();
    expect(p.standby.get('x')?.counters.esp).toBe(3n);
    await p.standby.becomeActive({ cause: 'test' });
    expect(p.standby.get('x')?.counters.esp).toBe(103n); // never reused: advanced by N
  });
});
