// A real Diameter peer: freeDiameter's daemon (Debian package `freediameterd`), configured in a
// directory of its own. It accepts a connection only from the Diameter identities it is told
// about (`peers`), as freeDiameter does without an ACL extension; any other identity gets a
// CEA with DIAMETER_UNKNOWN_PEER, which is how a test makes a peer answer with an error.
// freeDiameter insists on TLS credentials even when no peer uses TLS: a throw-away self-signed
// certificate (owner = its identity, as freeDiameter checks) is made with openssl.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AaaServerError, ensureDebianTool, freeTcpPort, haveCommand, ServerProcess } from './tools.js';

export interface FreeDiameterOptions {
  dir: string;
  /** Its Diameter identity and realm. */
  identity: string;
  realm: string;
  /** Fixed TCP port; default a free one. (freeDiameter listens on every local address.) */
  port?: number;
  /** Identities allowed to connect (our srpd's `origin-host`s). */
  peers: string[];
  /** Tw: how often freeDiameter sends its own DWRs (>= 6 s). Default 6. */
  twTimerS?: number;
}

export interface FreeDiameter {
  readonly identity: string;
  readonly realm: string;
  readonly port: number;
  readonly process: ServerProcess;
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

/** Null when freeDiameterd and openssl are there (installed first when possible), else why not. */
export function freeDiameterMissing(): string | null {
  return ensureDebianTool('freeDiameterd', 'freediameterd') ?? ensureDebianTool('openssl', 'openssl');
}

/** freeDiameter checks that the certificate's owner is its identity: CN = identity. */
function certificate(dir: string, identity: string): { cert: string; key: string } {
  const cert = join(dir, `${identity}.cert.pem`);
  const key = join(dir, `${identity}.key.pem`);
  if (existsSync(cert) && existsSync(key)) return { cert, key };
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-subj', `/CN=${identity}`, '-days', '2'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status !== 0) throw new AaaServerError('SRP_ERR_SERVER_START', `openssl could not make a certificate: ${(r.stderr || '').trim().slice(0, 300)}`);
  return { cert, key };
}

function quote(s: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(s)) throw new AaaServerError('SRP_ERR_SERVER_START', `unsupported Diameter identity ${JSON.stringify(s)}`);
  return `"${s}"`;
}

export async function startFreeDiameter(o: FreeDiameterOptions): Promise<FreeDiameter> {
  if (!haveCommand('freeDiameterd')) throw new AaaServerError('SRP_ERR_TOOL_MISSING', 'freeDiameterd is not installed (Debian package freediameterd)');
  mkdirSync(o.dir, { recursive: true });
  const { cert, key } = certificate(o.dir, quote(o.identity).slice(1, -1));
  for (let attempt = 0; ; attempt++) {
    const port = o.port ?? (await freeTcpPort('127.0.0.1'));
    const conf = [
      `Identity = ${quote(o.identity)};`,
      `Realm = ${quote(o.realm)};`,
      `Port = ${port};`,
      'SecPort = 0;',
      'No_SCTP;',
      'No_IPv6;',
      `TwTimer = ${Math.max(6, o.twTimerS ?? 6)};`,
      `TLS_Cred = "${cert}", "${key}";`,
      `TLS_CA = "${cert}";`,
      'AppServThreads = 1;',
      // freeDiameter dials the peers it knows as well; port 9 on loopback refuses at once.
      ...o.peers.map((p) => `ConnectPeer = ${quote(p)} { ConnectTo = "127.0.0.1"; No_TLS; Port = 9; };`),
      '',
    ].join('\n');
    const file = join(o.dir, 'freeDiameter.conf');
    writeFileSync(file, conf);
    const proc = ServerProcess.spawn(`freeDiameterd ${o.identity} on port ${port}`, 'freeDiameterd', ['-c', file]);
    try {
      await proc.waitFor(/daemon initialized/);
    } catch (err) {
      if (attempt < 3 && o.port === undefined && proc.lines.some((l) => /in use|bind/i.test(l))) continue;
      throw err;
    }
    return { identity: o.identity, realm: o.realm, port, process: proc, pause: () => proc.pause(), resume: () => proc.resume(), stop: () => proc.stop() };
  }
}
