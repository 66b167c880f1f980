// The monitor sources against real servers: FreeRADIUS for the authentication probe,
// freeDiameter for the Diameter watchdog. Servers are started per test on loopback and stopped
// after; SIGSTOP makes a server silent, an unknown Diameter identity makes freeDiameter answer
// with an error. Bounds are generous (2 shared cores).
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../src/fsm/clock.js';
import type { AuthProbeConfig, DiameterConfig } from '../src/config/monitoring.js';
import { DiameterSource } from '../src/monitors/diameter-peer.js';
import { AuthProbeSource } from '../src/monitors/radius-probe.js';
import { startFreeDiameter, startFreeRadius } from '../src/monitors/servers/index.js';
import type { MemberChange, MonitorSource } from '../src/monitors/source.js';
import { aaaMissing, loopbackAddress, tempDir } from './helpers/aaa.js';
import { waitFor } from './helpers/cluster.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const ctx = { clock: systemClock, log: () => undefined };

function watch(src: MonitorSource): MemberChange[] {
  const seen: MemberChange[] = [];
  cleanups.push(src.onChange((c) => seen.push(c)));
  cleanups.push(() => src.dispose());
  return seen;
}

const stateOf = (src: MonitorSource, name: string): string => src.members().find((m) => m.name === name)?.state ?? '?';

describe.skipIf(aaaMissing('radius') !== null)('authentication probe against FreeRADIUS', () => {
  async function radius(secret = 'radius-shared-secret') {
    const t = tempDir('srp-radius-');
    const server = await startFreeRadius({ dir: join(t.dir, 'r'), address: loopbackAddress(), secret, users: [{ name: 'srp-probe', password: 'probe-password-1' }] });
    cleanups.push(() => t.remove(), () => server.stop());
    return server;
  }
  function source(servers: AuthProbeConfig['servers']): AuthProbeSource {
    return new AuthProbeSource({ servers, groups: new Map([['1', servers.map((s) => s.name)]]), nasIdentifier: 'srp-test' }, ctx);
  }
  const common = { user: 'srp-probe', intervalMs: 300, timeoutMs: 250, maxRetries: 3 };

  it('Up on Access-Accept, Up on Access-Reject (wrong password), Down after max-retries of silence (SIGSTOP), Up again', async () => {
    const server = await radius();
    const secret = Buffer.from('radius-shared-secret');
    const src = source([
      { name: 'good', address: server.address, port: server.port, secret, password: 'probe-password-1', ...common },
      { name: 'reject', address: server.address, port: server.port, secret, password: 'wrong-password', ...common },
    ]);
    const seen = watch(src);
    src.start();
    await waitFor('both servers Up', () => stateOf(src, 'good') === 'up' && stateOf(src, 'reject') === 'up', { timeoutMs: 10_000 });
    const m = src.members();
    expect(m.find((x) => x.name === 'good')?.lastResult).toBe('accept');
    expect(m.find((x) => x.name === 'reject')?.lastResult).toBe('reject');
    expect(m.every((x) => x.totals.badAnswers === 0 && (x.rttMs ?? -1) >= 0)).toBe(true);

    server.pause();
    const t0 = Date.now();
    await waitFor('good Down', () => stateOf(src, 'good') === 'down', { timeoutMs: 15_000 });
    // Three probes 300 ms apart, each given 250 ms: not before ~0.8 s.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(500);
    expect(src.members().find((x) => x.name === 'good')?.failures).toBeGreaterThanOrEqual(3);
    server.resume();
    await waitFor('good Up again', () => stateOf(src, 'good') === 'up', { timeoutMs: 10_000 });
    expect(seen.filter((c) => c.member === 'good').map((c) => c.to)).toEqual(['up', 'down', 'up']);
    src.stop();
    expect(stateOf(src, 'good')).toBe('unknown');
  });

  it('a wrong shared secret: every answer fails the Response Authenticator check and is counted, the server goes Down', async () => {
    const server = await radius();
    const src = source([{ name: 'bad-secret', address: server.address, port: server.port, secret: Buffer.from('not-the-secret'), password: 'x', ...common }]);
    watch(src);
    src.start();
    await waitFor('Down', () => stateOf(src, 'bad-secret') === 'down', { timeoutMs: 15_000 });
    const m = src.members()[0];
    // FreeRADIUS drops a request whose Message-Authenticator does not verify: no answer at all.
    expect(m?.totals.answers).toBe(0);
    expect(m?.cause).toMatch(/unanswered/);
  });
});

describe.skipIf(aaaMissing('diameter') !== null)('Diameter watchdog against freeDiameter', () => {
  async function peer(allowed: string[]) {
    const t = tempDir('srp-diameter-');
    const server = await startFreeDiameter({ dir: join(t.dir, 'd'), identity: 'peer1.test', realm: 'test', peers: allowed });
    cleanups.push(() => t.remove(), () => server.stop());
    return server;
  }
  function source(port: number, originHost: string, extra: Partial<DiameterConfig> = {}): DiameterSource {
    return new DiameterSource(
      {
        originHost,
        originRealm: 'srp.test',
        hostIp: '127.0.0.1',
        watchdogIntervalMs: 400,
        timeoutMs: 400,
        maxRetries: 3,
        peers: [{ name: 'p1', address: '127.0.0.1', port, host: 'peer1.test', realm: 'test' }],
        groups: new Map([['1', ['p1']]]),
        ...extra,
      },
      ctx,
    );
  }

  it('CER/CEA then DWR/DWA keep the peer Up; SIGSTOP makes it Down after max-retries; it comes back', async () => {
    const server = await peer(['srpd-a.srp.test']);
    const src = source(server.port, 'srpd-a.srp.test');
    const seen = watch(src);
    src.start();
    await waitFor('p1 Up', () => stateOf(src, 'p1') === 'up', { timeoutMs: 15_000 });
    const first = src.members()[0];
    expect(first?.detail?.peerHost).toBe('peer1.test');
    expect(first?.lastResult).toMatch(/CEA DIAMETER_SUCCESS/);
    await waitFor('a DWA', () => /DWA DIAMETER_SUCCESS/.test(src.members()[0]?.lastResult ?? ''), { timeoutMs: 10_000 });
    server.pause();
    await waitFor('p1 Down', () => stateOf(src, 'p1') === 'down', { timeoutMs: 20_000 });
    server.resume();
    await waitFor('p1 Up again', () => stateOf(src, 'p1') === 'up', { timeoutMs: 30_000 });
    expect(seen.map((c) => c.to)).toEqual(['up', 'down', 'up']);
  });

  it('a peer answering with an error (CEA DIAMETER_UNKNOWN_PEER) is Down at once; a killed peer is Down too', async () => {
    const server = await peer(['someone-else.srp.test']);
    const src = source(server.port, 'srpd-b.srp.test');
    watch(src);
    src.start();
    await waitFor('p1 Down', () => stateOf(src, 'p1') === 'down', { timeoutMs: 15_000 });
    expect(src.members()[0]?.cause).toMatch(/CEA with DIAMETER_UNKNOWN_PEER/);

    const ok = await peer(['srpd-c.srp.test']);
    const src2 = source(ok.port, 'srpd-c.srp.test');
    watch(src2);
    src2.start();
    await waitFor('Up', () => stateOf(src2, 'p1') === 'up', { timeoutMs: 15_000 });
    await ok.stop();
    await waitFor('Down after kill', () => stateOf(src2, 'p1') === 'down', { timeoutMs: 20_000 });
    expect(src2.members()[0]?.cause).toMatch(/connection/);
  });
});
