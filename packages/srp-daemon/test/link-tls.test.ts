// TLS on the SRP link, in one process over real TCP: both chassis present certificates from the
// configured CA and check each other's name; a certificate from another CA, an expired one or
// one with another name is refused with its reason; a renewed certificate is picked up without
// a restart. Certificates are made with openssl (helpers/certs.ts).
import { copyFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TlsConfig } from '../src/config/security.js';
import { sleep, waitFor } from './helpers/cluster.js';
import { makeCerts, opensslUnavailable, type CertFiles } from './helpers/certs.js';
import { end, pair, startPair, stopLinks } from './helpers/links.js';
import { play } from '../src/testing/attacks.js';

const why = opensslUnavailable();
if (why !== null) process.stderr.write(`[link TLS tests] skipping: ${why}\n`);

describe.skipIf(why !== null)('SRP link over TLS 1.3', () => {
  let certs: CertFiles;
  beforeAll(() => {
    certs = makeCerts(['east', 'west', 'mallory']);
  });
  afterAll(() => certs.cleanup());
  afterEach(stopLinks);

  const tls = (name: string, files = certs.cert(name), ca = certs.ca): TlsConfig => ({ ...files, ca, peerName: name === 'east' ? 'west.srp' : 'east.srp' });

  it('comes up with mutual certificates; each side sees the other certificate', async () => {
    const { east, west } = await pair({ tls: tls('east') }, { tls: tls('west') });
    const info = east.link.securityInfo().tls;
    expect(info?.peerCertificate?.subject).toBe('CN=west.srp');
    expect(info?.certificate.subject).toBe('CN=east.srp');
    expect(west.link.securityInfo().tls?.peerCertificate?.subject).toBe('CN=east.srp');
    expect(east.rec.refusals).toEqual([]);
  });

  it('refuses a certificate from another CA, both ways, and counts it', async () => {
    const { east, west } = await startPair({ tls: tls('east') }, { tls: tls('west', certs.wrongCa('west')) });
    await waitFor('east refusing west', () => east.rec.refusals.filter((r) => r === 'tls-untrusted').length >= 2);
    expect(east.link.up || west.link.up).toBe(false);
  });

  it('refuses an expired certificate', async () => {
    const { east, west } = await startPair({ tls: tls('east') }, { tls: tls('west', certs.expired('west')) });
    await waitFor('the expiry refusal', () => east.rec.refusals.includes('tls-expired'));
    expect(east.link.up || west.link.up).toBe(false);
  });

  it('refuses a valid certificate that does not name the configured peer', async () => {
    const { east } = await startPair({ tls: tls('east') }, { tls: { ...tls('west', certs.cert('mallory')) } });
    await waitFor('the peer-name refusal', () => east.rec.refusals.includes('tls-peer-name'));
    expect(east.link.up).toBe(false);
  });

  it('refuses plain SRP on a TLS port', async () => {
    const { east } = await startPair({ tls: tls('east') }, { tls: tls('west') });
    await play({ host: '127.0.0.1', port: east.port }, Buffer.from('SR\x02\x02 plain bytes, no TLS here'), { holdMs: 50, from: '127.0.0.2' });
    await waitFor('the TLS refusal', () => east.rec.refusals.includes('tls-handshake'));
  });

  it('picks up a renewed certificate when its file changes; new connections present it', async () => {
    // West's certificate lives in a file of its own that the renewal overwrites.
    const live = `${certs.dir}/west-live.crt`;
    copyFileSync(certs.cert('west').cert, live);
    const { east, west } = await pair({ tls: tls('east') }, { tls: { ...tls('west'), cert: live } });
    const before = west.link.securityInfo().tls!.certificate.serialNumber;
    expect(east.link.securityInfo().tls?.peerCertificate?.serialNumber).toBe(before);
    await sleep(1100); // a different mtime second
    copyFileSync(certs.renew('west').cert, live);
    await waitFor('the reload', () => west.link.securityInfo().tls!.certificate.serialNumber !== before, { timeoutMs: 10_000 });
    expect(west.link.securityInfo().tls?.reloads).toBe(1);
    expect(east.link.up && west.link.up).toBe(true); // the connection up keeps its session
    // A new connection (east restarts) sees the renewed certificate.
    await east.link.stop();
    const east2 = await end('east', 9, '127.0.0.1', east.port, { host: '127.0.0.2', port: west.port }, {
      tls: tls('east'),
      peerAllow: { kind: 'list', entries: ['127.0.0.2'], from: 'peer' },
    });
    east2.link.start();
    await waitFor('the link up again', () => east2.link.up && west.link.up);
    expect(east2.link.securityInfo().tls?.peerCertificate?.serialNumber).not.toBe(before);
  });
});
