// Rotating the SRP key of a running pair, one chassis after the other, while sessions are being
// written: the procedure of the README (add the new key, sign with it, drop the old one, each
// step on both chassis with SIGHUP). The link never drops, no write fails, the Standby holds the
// same table, and afterwards a new handshake works with the new key and the old one is refused.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CompressionAlgorithm, LinkHandshake } from '@srp-ha/wire';
import { keyFingerprint } from '../src/link/keys.js';
import type { SecurityInfo } from '../src/link/security.js';
import { play } from '../src/testing/attacks.js';
import { checkBuilt, converged, makePair, sleep, waitFor, type SrpdProcess } from './helpers/cluster.js';

const OLD = 'rotation-test-old-key-0123456789';
const NEW = 'rotation-test-new-key-9876543210';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
beforeAll(() => checkBuilt());

const security = async (p: SrpdProcess): Promise<SecurityInfo> => (await p.request<SecurityInfo>('GET', '/v1/srp/security')).body;
const fp = (k: string): string => keyFingerprint(Buffer.from(k));

describe('key rotation without restart', () => {
  it('rotates both chassis one after the other under session writes: no link drop, no failed write', async () => {
    const p = await makePair({ noAuthKey: true, extraA: 'auth-key-file: alpha.key\ncheckpoint:\n  session-duration: 0s', extraB: 'auth-key-file: bravo.key\ncheckpoint:\n  session-duration: 0s' });
    cleanups.push(p.cleanup);
    const keyFile = (n: SrpdProcess): string => join(p.dir, `${n.spec.chassisId}.key`);
    for (const n of [p.a, p.b]) writeFileSync(keyFile(n), `${OLD}\n`);
    await Promise.all([p.a.start(), p.b.start()]);
    const [active, standby] = await converged(p.a, p.b);
    await waitFor('the Standby ready', async () => (await standby.info()).standbyReady);
    const links = { a: (await active.statistics()).link, s: (await standby.statistics()).link };
    const events = await Promise.all([active.events(['link']), standby.events(['link'])]);
    cleanups.push(() => Promise.resolve(events.forEach((e) => e.close())));

    // Traffic: 100 sessions written every 50 ms until the rotation is over.
    let writing = true;
    let written = 0;
    const failures: string[] = [];
    const traffic = (async () => {
      for (let batch = 0; writing; batch++) {
        const ops = Array.from({ length: 100 }, (_, i) => ({ op: 'upsert', id: `rot-${batch}-${i}`, attrs: { apn: 'internet' }, lifetimeMs: 600_000 }));
        const r = await active.request<{ error?: string }>('POST', '/v1/sessions', { ops }).catch((err: Error) => ({ status: 0, body: { error: err.message } }));
        if (r.status === 200) written += ops.length;
        else failures.push(`${r.status} ${r.body.error ?? ''}`);
        await sleep(50);
      }
    })();

    // One step: write the key file of each chassis in turn and SIGHUP it.
    const step = async (lines: string[]): Promise<void> => {
      for (const n of [p.a, p.b]) {
        writeFileSync(keyFile(n), `# step of the rotation\n${lines.join('\n')}\n`);
        const before = (await security(n)).lastReload?.at ?? '';
        n.signal('SIGHUP');
        const s = await waitFor(`${n.spec.chassisId} to reload`, async () => {
          const x = await security(n);
          return x.lastReload && x.lastReload.at !== before ? x : null;
        });
        expect(s.lastReload?.ok).toBe(true);
        expect(s.auth.signing).toBe(fp(lines[0]));
        expect(s.auth.accepted).toEqual(lines.map(fp));
        await sleep(300);
      }
    };
    await sleep(300);
    await step([OLD, NEW]); // 1. both accept the new key
    await step([NEW, OLD]); // 2. both sign with it
    await step([NEW]); // 3. the old key goes
    writing = false;
    await traffic;

    expect(failures).toEqual([]);
    expect(written).toBeGreaterThan(1000);
    expect(events.flatMap((e) => e.list)).toEqual([]); // no link event at all
    expect((await active.statistics()).link.disconnects).toBe(links.a.disconnects);
    expect((await standby.statistics()).link.connects).toBe(links.s.connects);
    const digest = async (n: SrpdProcess): Promise<string> => (await n.request<{ digest: string }>('GET', '/v1/sessions/summary')).body.digest;
    await waitFor('the Standby to hold the same table', async () => (await digest(active)) === (await digest(standby)));

    // A new handshake: the Standby restarts with only the new key and joins again.
    await standby.kill();
    await standby.start();
    await waitFor('the link up again with the new key', async () => (await standby.info()).link === 'up' && (await standby.state()) === 'Standby');
    expect((await security(standby)).auth.peerKey).toBe(fp(NEW));
    // A Capabilities signed with the old key is refused now.
    const oldCaps = new LinkHandshake({
      role: 'dialer',
      keys: { sign: Buffer.from(OLD), accepted: [Buffer.from(OLD)] },
      capabilities: { compression: [CompressionAlgorithm.COMPRESSION_ZLIB], features: [], chassisId: 'intruder', bootId: 5, maxFrameSize: 1 << 20 },
    }).first;
    await play({ host: '127.0.0.1', port: active.spec.srpPort }, oldCaps, { holdMs: 100 });
    await waitFor('the old key refused', async () => ((await active.statistics()).refusedConnections['bad-mac'] ?? 0) >= 1);
  });

  it('keeps the keys it has when the rewritten file is invalid', async () => {
    const p = await makePair({ noAuthKey: true, extraA: 'auth-key-file: alpha.key', extraB: 'auth-key-file: bravo.key' });
    cleanups.push(p.cleanup);
    for (const n of ['alpha', 'bravo']) writeFileSync(join(p.dir, `${n}.key`), `${OLD}\n`);
    await p.a.start();
    writeFileSync(join(p.dir, 'alpha.key'), 'short\n');
    p.a.signal('SIGHUP');
    const s = await waitFor('the failed reload', async () => (await security(p.a)).lastReload);
    expect(s.ok).toBe(false);
    expect(s.errors.join(' ')).toMatch(/auth-key-file: key 1 is shorter than 16 bytes/);
    expect((await security(p.a)).auth.signing).toBe(fp(OLD));
    const viaApi = await p.a.request<{ ok: boolean; errors: string[] }>('POST', '/v1/srp/security/reload');
    expect(viaApi.status).toBe(409);
  });
});
