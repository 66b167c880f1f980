// Test certificates made with the Debian `openssl` command: a CA, chassis certificates signed by
// it (with a DNS subjectAltName each), a second, unrelated CA, and an expired certificate.
// When openssl is missing it is installed with apt-get (as root); otherwise the TLS tests skip
// and say why, and under CI=true they fail instead.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CI, have } from './tools.js';


/** Null when openssl can be used; else why not (after trying apt-get as root). */
export function opensslUnavailable(): string | null {
  if (have('openssl')) return null;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root && have('apt-get')) {
    spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'openssl'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (have('openssl')) return null;
  }
  const why = 'openssl is not installed (apt-get install openssl)';
  if (CI) throw new Error(`${why}; CI=true makes this a failure`);
  return why;
}

export interface CertFiles {
  dir: string;
  ca: string;
  /** A CA that signed nothing we trust. */
  otherCa: string;
  cert(name: string): { cert: string; key: string };
  /** `name`'s key with a certificate from the other CA. */
  wrongCa(name: string): { cert: string; key: string };
  /** `name`'s key with a certificate that expired yesterday. */
  expired(name: string): { cert: string; key: string };
  /** A fresh certificate for `name` (same key, new serial): a renewal. */
  renew(name: string): { cert: string; key: string };
  cleanup(): void;
}

const ossl = (dir: string, args: string[]): void => {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
};

function makeCa(dir: string, name: string): void {
  ossl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '30', '-subj', `/CN=${name}`]);
}

/** Makes the CAs and, for each name, a key and a certificate for `<name>.srp`. */
export function makeCerts(names: string[]): CertFiles {
  const dir = mkdtempSync(join(tmpdir(), 'srpd-certs-'));
  makeCa(dir, 'ca');
  makeCa(dir, 'other-ca');
  let serial = 0;
  const sign = (name: string, ca: string, out: string, days: string): void => {
    const ext = join(dir, `${name}.ext`);
    writeFileSync(ext, `subjectAltName=DNS:${name}.srp\nextendedKeyUsage=serverAuth,clientAuth\n`);
    ossl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-set_serial', String(1000 + ++serial), '-out', out, '-days', days, '-extfile', ext]);
  };
  for (const n of names) {
    ossl(dir, ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${n}.key`, '-out', `${n}.csr`, '-subj', `/CN=${n}.srp`]);
    sign(n, 'ca', `${n}.crt`, '30');
  }
  const pair = (crt: string, n: string): { cert: string; key: string } => ({ cert: join(dir, crt), key: join(dir, `${n}.key`) });
  return {
    dir,
    ca: join(dir, 'ca.crt'),
    otherCa: join(dir, 'other-ca.crt'),
    cert: (n) => pair(`${n}.crt`, n),
    wrongCa: (n) => {
      sign(n, 'other-ca', `${n}-wrong-ca.crt`, '30');
      return pair(`${n}-wrong-ca.crt`, n);
    },
    expired: (n) => {
      // Valid from now until a day ago: expired as soon as it is made.
      sign(n, 'ca', `${n}-expired.crt`, '-1');
      return pair(`${n}-expired.crt`, n);
    },
    renew: (n) => {
      sign(n, 'ca', `${n}-renewed.crt`, '30');
      return pair(`${n}-renewed.crt`, n);
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
