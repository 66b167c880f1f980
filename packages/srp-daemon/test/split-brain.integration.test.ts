// Split brain with real srpd processes on 127.0.0.1: a frozen Active (SIGSTOP) and a link cut
// both ways (a TCP + UDP relay), with writes acknowledged on each side while apart. Every
// acknowledged write must be on the final Active. Bounds are generous (2 shared cores).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkBuilt, converged, makePair, sleep, waitFor, type SrpdProcess } from './helpers/cluster.js';

const cleanups: Array<() => Promise<void>> = [];
beforeAll(() => checkBuilt());
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const TIMERS = { helloInterval: '100ms', deadInterval: '300ms' };
const CONFIG = 'checkpoint:\n  session-duration: 0s\n  session-duration-ims: 0s';

interface Session {
  id: string;
  attrs: Record<string, string>;
}

function call<T>(p: SrpdProcess, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  return p.request<T>(method, path, body, 5000);
}

/** Writes the ops; returns true only when the chassis acknowledged them (200). */
async function write(p: SrpdProcess, ops: unknown[]): Promise<boolean> {
  return (await call(p, 'POST', '/v1/sessions', { ops })).status === 200;
}

const upserts = (ids: string[], attrs: Record<string, string>): unknown[] => ids.map((id) => ({ op: 'upsert', id, attrs }));
const range = (prefix: string, from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `${prefix}${from + i}`);

async function session(p: SrpdProcess, id: string): Promise<Session | null> {
  const r = await call<Session>(p, 'GET', `/v1/sessions/${encodeURIComponent(id)}`);
  return r.status === 200 ? r.body : null;
}

async function count(p: SrpdProcess): Promise<number> {
  return (await call<{ count: number }>(p, 'GET', '/v1/sessions/summary')).body.count;
}

/** One Active, a ready Standby, equal digests. */
async function protectedAgain(a: SrpdProcess, b: SrpdProcess): Promise<[SrpdProcess, SrpdProcess]> {
  const [active, standby] = await converged(a, b, 30_000);
  await waitFor(
    'a ready Standby with the Active\'s table',
    async () => {
      if (!(await standby.info()).standbyReady) return false;
      const [x, y] = await Promise.all([active, standby].map((p) => call<{ digest: string }>(p, 'GET', '/v1/sessions/summary')));
      return x.body.digest === y.body.digest;
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  return [active, standby];
}

describe('split brain, real processes', () => {
  it('a frozen Active is taken over; writes acknowledged meanwhile survive its return', async () => {
    const { a, b, cleanup } = await makePair({ ...TIMERS, extraA: CONFIG, extraB: CONFIG });
    cleanups.push(cleanup);
    await Promise.all([a.start(), b.start()]);
    const [active, standby] = await protectedAgain(a, b);
    expect(await write(active, upserts(range('s', 0, 200), { v: 'before' }))).toBe(true);
    await waitFor('the Standby to hold 200', async () => (await count(standby)) === 200, { timeoutMs: 20_000 });

    active.signal('SIGSTOP');
    await waitFor('the Standby to take over', async () => (await standby.state()) === 'Active', { timeoutMs: 10_000 });
    expect(await write(standby, upserts(range('f', 0, 100), { v: 'during' }))).toBe(true);
    expect(await write(standby, upserts(range('s', 0, 50), { v: 'during' }))).toBe(true);
    await sleep(300);
    active.signal('SIGCONT');

    const [winner] = await protectedAgain(a, b);
    expect(winner).toBe(standby); // the frozen one woke fenced and stepped down
    for (const id of range('f', 0, 100)) expect((await session(winner, id))?.attrs.v, id).toBe('during');
    for (const id of range('s', 0, 50)) expect((await session(winner, id))?.attrs.v, id).toBe('during');
    for (const id of range('s', 50, 200)) expect(await session(winner, id), id).not.toBeNull();
  });

  it('a link cut both ways: both acknowledge writes; after the heal the final Active holds all of them, conflicts merged and counted', async () => {
    const { a, b, toA, toB, cleanup } = await makePair({ ...TIMERS, extraA: CONFIG, extraB: CONFIG, relays: true });
    cleanups.push(cleanup);
    await Promise.all([a.start(), b.start()]);
    const [active, standby] = await protectedAgain(a, b);
    expect(await write(active, upserts(range('c', 0, 100), { v: 'before' }))).toBe(true);
    await waitFor('the Standby to hold 100', async () => (await count(standby)) === 100, { timeoutMs: 20_000 });

    toA!.cut();
    toB!.cut();
    await waitFor('two Actives', async () => (await a.state()) === 'Active' && (await b.state()) === 'Active', { timeoutMs: 10_000 });
    expect(await write(a, [...upserts(range('a', 0, 50), {}), ...upserts(range('c', 0, 10), { side: 'a' })])).toBe(true);
    expect(await write(b, [...upserts(range('b', 0, 50), {}), ...upserts(range('c', 5, 15), { bside: 'b' })])).toBe(true);
    toA!.heal();
    toB!.heal();

    const [winner] = await protectedAgain(a, b);
    for (const id of [...range('a', 0, 50), ...range('b', 0, 50), ...range('c', 15, 100)]) expect(await session(winner, id), id).not.toBeNull();
    for (const id of range('c', 0, 5)) expect((await session(winner, id))?.attrs.side, id).toBe('a');
    for (const id of range('c', 10, 15)) expect((await session(winner, id))?.attrs.bside, id).toBe('b');
    for (const id of range('c', 5, 10)) expect((await session(winner, id))?.attrs, id).toMatchObject({ side: 'a', bside: 'b' });
    const split = (await call<{ split: { conflicts: number; lastConflictIds: string[] } }>(winner, 'GET', '/v1/srp/checkpoint/statistics')).body.split;
    expect(split.conflicts).toBeGreaterThanOrEqual(5);
    expect(split.lastConflictIds).toEqual(expect.arrayContaining(range('c', 5, 10)));
  });
});
