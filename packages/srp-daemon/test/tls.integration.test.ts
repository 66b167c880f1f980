// TLS 1.3 on the SRP link between two real srpd processes, with certificates made by openssl:
// the pair converges and each side sees the other's certificate; kill -9 of the Active and its
// return work over TLS; a certificate from another CA and an expired one are refused and
// counted; a renewed certificate is taken on SIGHUP.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SecurityInfo, SecurityReload } from '../src/link/security.js';
import { checkBuilt, converged, makePair, sleep, waitFor, type SrpdProcess } from './helpers/cluster.js';
import { makeCerts, opensslUnavailable, type CertFiles } from './helpers/certs.js';

const why = opensslUnavailable();
if (why !== null) process.stderr.write(`[TLS integration tests] skipping: ${why}\n`);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const security = async (p: SrpdProcess): Promise<SecurityInfo> => (await p.request<SecurityInfo>('GET', '/v1/srp/security')).body;

describe.skipIf(why !== null)('srpd pair over TLS', () => {
  let certs: CertFiles;
  beforeAll(() => {
    checkBuilt();
    certs = makeCerts(['alpha', 'bravo']);
  });
  afterAll(() => certs.cleanup());

  const tls = (files: { cert: string; key: string }, peer: string, ca = certs.ca): string =>
    `tls:\n  cert: ${files.cert}\n  key: ${files.key}\n  ca: ${ca}\n  peer-name: ${peer}.srp\n`;

  async function pair(alpha = certs.cert('alpha'), bravo = certs.cert('bravo')): Promise<{ a: SrpdProcess; b: SrpdProcess }> {
    const p = await makePair({ extraA: tls(alpha, 'bravo'), extraB: tls(bravo, 'alpha') });
    cleanups.push(p.cleanup);
    await Promise.all([p.a.start(), p.b.start()]);
    return p;
  }

  it('converges; each side shows the certificate the other presented; kill -9 of the Active and its return work', async () => {
    const { a, b } = await pair();
    const [active, standby] = await converged(a, b);
    const [sa, sb] = await waitFor('the peer certificates', async () => {
      const [x, y] = [await security(a), await security(b)];
      return x.tls?.peerCertificate && y.tls?.peerCertificate ? [x, y] : null;
    });
    expect(sa.tls?.peerCertificate?.subject).toBe('CN=bravo.srp');
    expect(sb.tls?.peerCertificate?.subject).toBe('CN=alpha.srp');
    expect(sa.tls?.certificate.subject).toBe('CN=alpha.srp');
    expect(sa.tls?.peerName).toBe('bravo.srp');
    await waitFor('the Standby ready', async () => (await standby.info()).standbyReady);
    const t0 = Date.now();
    await active.kill();
    await waitFor('the Standby to take over', async () => (await standby.state()) === 'Active', { intervalMs: 10 });
    expect(Date.now() - t0).toBeLessThan(5000);
    await active.start();
    await waitFor('the old Active back as Standby over TLS', async () => (await active.state()) === 'Standby' && (await active.info()).link === 'up');
    const back = await waitFor('its peer certificate', async () => (await security(active)).tls?.peerCertificate);
    expect(back.subject).toBe(active === a ? 'CN=bravo.srp' : 'CN=alpha.srp');
    for (const n of [a, b]) expect(Object.keys((await n.statistics()).refusedConnections).filter((r) => r.startsWith('tls'))).toEqual([]);
  });

  it('refuses a peer certificate from another CA and counts it; the link never comes up', async () => {
    const { a, b } = await pair(certs.cert('alpha'), certs.wrongCa('bravo'));
    await waitFor('the refusals', async () => ((await a.statistics()).refusedConnections['tls-untrusted'] ?? 0) >= 2);
    expect((await a.info()).link).toBe('down');
    expect((await b.info()).link).toBe('down');
  });

  it('refuses an expired peer certificate', async () => {
    const { a, b } = await pair(certs.cert('alpha'), certs.expired('bravo'));
    await waitFor('the refusal', async () => ((await a.statistics()).refusedConnections['tls-expired'] ?? 0) >= 1);
    await sleep(500);
    expect((await b.info()).link).toBe('down');
  });

  it('takes a renewed certificate on SIGHUP; the link stays up and the next connection presents it', async () => {
    const live = { cert: join(certs.dir, 'alpha-live.crt'), key: certs.cert('alpha').key };
    copyFileSync(certs.cert('alpha').cert, live.cert);
    const { a, b } = await pair(live);
    await converged(a, b);
    const before = (await security(a)).tls!.certificate.serialNumber;
    copyFileSync(certs.renew('alpha').cert, live.cert);
    a.signal('SIGHUP');
    const info = await waitFor('the reload', async () => {
      const s = await security(a);
      return s.tls && s.tls.certificate.serialNumber !== before ? s : null;
    });
    expect(info.lastReload?.ok ?? info.tls?.reloads).toBeTruthy();
    expect((await a.info()).link).toBe('up');
    // bravo reconnects (restart): it sees the renewed certificate.
    await b.kill();
    await b.start();
    await waitFor('bravo sees the renewed certificate', async () => {
      const s = await security(b);
      return s.tls?.peerCertificate && s.tls.peerCertificate.serialNumber !== before ? s : null;
    });
    const reload = await a.request<SecurityReload>('POST', '/v1/srp/security/reload');
    expect(reload.status).toBe(200);
    expect(reload.body.tls?.changed).toBe(false);
  });
});
