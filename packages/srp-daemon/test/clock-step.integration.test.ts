// Wall-clock steps (what an NTP step or a mis-set host clock does) on either chassis, with
// libfaketime (Debian `faketime`): only the wall clock steps (FAKETIME_DONT_FAKE_MONOTONIC),
// as in a real step. Lifetimes, expiries and every timer run on the monotonic clock, so a step
// of +/- 1 h changes nothing: no session expires, no state changes, lifetimes run on as before.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkBuilt, converged, makePair, sleep, waitFor, type SrpdProcess } from './helpers/cluster.js';
import { skipLocally } from './helpers/tools.js';

const LIBFAKETIME = ['/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1', '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1', '/usr/lib/faketime/libfaketime.so.1'].find((p) => existsSync(p)) ?? null;
const NO_FAKETIME = LIBFAKETIME ? null : 'libfaketime not found (apt-get install -y faketime)';

const cleanups: Array<() => Promise<void> | void> = [];
beforeAll(() => checkBuilt());
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const HOUR = 3_600_000;
const CONFIG = 'checkpoint:\n  session-duration: 0s\n  session-duration-ims: 0s';

function json<T>(p: SrpdProcess, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  return p.request<T>(body === undefined ? 'GET' : 'POST', path, body, 5000);
}

const expiresIn = async (p: SrpdProcess, id: string): Promise<number> =>
  (await json<{ expiresInMs: number }>(p, `/v1/sessions/${id}`)).body.expiresInMs;
const count = async (p: SrpdProcess): Promise<number> => (await json<{ count: number }>(p, '/v1/sessions/summary')).body.count;

describe.skipIf(skipLocally(NO_FAKETIME, 'the clock-step tests'))('wall-clock steps (libfaketime)', () => {
  it('+1 h and -1 h on the Active, then on the Standby: no session expires, no state change, lifetimes unchanged', async () => {
    expect(NO_FAKETIME).toBeNull();
    const dir = mkdtempSync(join(tmpdir(), 'srpd-clock-'));
    const files = { a: join(dir, 'a.faketime'), b: join(dir, 'b.faketime') };
    for (const f of Object.values(files)) writeFileSync(f, '+0\n');
    const env = (file: string): Record<string, string> => ({
      LD_PRELOAD: LIBFAKETIME!,
      FAKETIME_TIMESTAMP_FILE: file,
      FAKETIME_NO_CACHE: '1',
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
    });
    const { a, b, cleanup } = await makePair({
      helloInterval: '100ms',
      deadInterval: '300ms',
      extraA: CONFIG,
      extraB: CONFIG,
      envA: env(files.a),
      envB: env(files.b),
    });
    cleanups.push(cleanup, () => rmSync(dir, { recursive: true, force: true }));
    await Promise.all([a.start(), b.start()]);
    const [active, standby] = await converged(a, b);
    const ops = Array.from({ length: 2000 }, (_, i) => ({ op: 'upsert', id: `imsi-20815${String(i).padStart(10, '0')}`, lifetimeMs: HOUR }));
    expect((await json(active, '/v1/sessions', { ops })).status).toBe(200);
    await waitFor('the Standby to hold every session', async () => (await count(standby)) === 2000, { timeoutMs: 20_000 });
    const transitions = async (): Promise<number> =>
      (await Promise.all([a, b].map(async (p) => Object.values((await p.statistics()).switchovers).reduce((x, y) => x + (y ?? 0), 0)))).reduce((x, y) => x + y, 0);
    const before = await transitions();
    const id = ops[7].id;
    const left = await expiresIn(active, id);
    const startedAt = performance.now();

    const step = (who: 'a' | 'b', offset: string): void => writeFileSync(files[who === 'a' ? (active === a ? 'a' : 'b') : standby === a ? 'a' : 'b'], `${offset}\n`);
    for (const [who, offset] of [['a', '+1h'], ['a', '-1h'], ['a', '+0'], ['b', '+1h'], ['b', '-1h'], ['b', '+0']] as const) {
      step(who, offset);
      await sleep(1500); // several expiry sweeps and hundreds of Hellos under the stepped clock
      if (who === 'a' && offset === '+1h') {
        // The daemon's wall clock did step: the expiry it shows people is an hour later.
        const shown = Date.parse((await json<{ expiresAt: string }>(active, `/v1/sessions/${id}`)).body.expiresAt);
        expect(shown - Date.now()).toBeGreaterThan(HOUR + HOUR / 2);
      }
      expect([await active.state(), await standby.state()], `after ${offset} on the ${who === 'a' ? 'Active' : 'Standby'}`).toEqual(['Active', 'Standby']);
      expect(await count(active), `after ${offset}`).toBe(2000);
      expect(await count(standby), `after ${offset}`).toBe(2000);
    }
    expect(await transitions()).toBe(before);
    // The remaining lifetime went down by the monotonic time that passed, not by an hour.
    const elapsed = performance.now() - startedAt;
    const now = await expiresIn(active, id);
    expect(Math.abs(left - elapsed - now)).toBeLessThan(2000);
  });
});
