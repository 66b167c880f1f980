// TLS 1.3 on the SRP link, with mutual certificate authentication: both chassis present a
// certificate from the configured CA and each checks that the other's names `peer-name`. The
// certificate, key and CA files are read again on reload() (SIGHUP, or a change of any of the
// files): new connections use the new material, connections already up keep theirs.
//
// The SRP handshake and frame tags run inside TLS unchanged (README, Security): TLS adds
// confidentiality and certificate identity; the shared key still decides who may speak SRP.
import { X509Certificate } from 'node:crypto';
import { readFileSync, unwatchFile, watchFile, type Stats } from 'node:fs';
import { isIP, type Socket } from 'node:net';
import { checkServerIdentity, connect, createSecureContext, createServer, type SecureContext, type Server, type TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import type { TlsConfig } from '../config/security.js';
import type { RefusalReason } from './refusal.js';

export interface CertificateInfo {
  subject: string;
  issuer: string;
  serialNumber: string;
  fingerprint256: string;
  validFrom: string;
  validTo: string;
}

export function certificateInfo(cert: X509Certificate | undefined): CertificateInfo | null {
  if (!cert) return null;
  const flat = (s: string): string => s.split('\n').filter(Boolean).join(', ');
  return {
    subject: flat(cert.subject),
    issuer: flat(cert.issuer),
    serialNumber: cert.serialNumber,
    fingerprint256: cert.fingerprint256,
    validFrom: new Date(cert.validFrom).toISOString(),
    validTo: new Date(cert.validTo).toISOString(),
  };
}

/** The refusal reason of a certificate check's error code (OpenSSL's or Node's); null if not TLS. */
export function tlsRefusalOf(code: string | undefined): RefusalReason | null {
  if (code === undefined) return null;
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return 'tls-expired';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'tls-peer-name';
  if (
    /^(UNABLE_TO_|SELF_SIGNED_CERT|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_SIGNATURE_FAILURE|CERT_UNTRUSTED|CERT_REJECTED|INVALID_CA|PATH_LENGTH_EXCEEDED|INVALID_PURPOSE)/.test(code)
  ) {
    return 'tls-untrusted';
  }
  if (/^ERR_(SSL|TLS)_/.test(code) || code === 'EPROTO') return 'tls-handshake';
  return null;
}

interface Material {
  pem: { cert: Buffer; key: Buffer; ca: Buffer };
  context: SecureContext;
  certificate: CertificateInfo;
  ca: CertificateInfo;
}

function loadMaterial(cfg: TlsConfig): Material {
  const pem = { cert: readFileSync(cfg.cert), key: readFileSync(cfg.key), ca: readFileSync(cfg.ca) };
  const context = createSecureContext({ ...pem, minVersion: 'TLSv1.3' });
  return { pem, context, certificate: certificateInfo(new X509Certificate(pem.cert))!, ca: certificateInfo(new X509Certificate(pem.ca))! };
}

export type Accepted = { socket: TLSSocket } | { reason: RefusalReason; cause: string };

export interface TlsReload {
  ok: boolean;
  changed: boolean;
  error?: string;
}

export interface TlsInfo {
  peerName: string;
  certificate: CertificateInfo;
  ca: CertificateInfo;
  loadedAt: string;
  reloads: number;
  reloadErrors: number;
  lastError: string | null;
}

const key = (s: { remoteAddress?: string | undefined; remotePort?: number | undefined }): string => `${s.remoteAddress ?? '?'}:${s.remotePort ?? 0}`;

export class LinkTls {
  private cfg: TlsConfig;
  private material: Material;
  private readonly server: Server;
  /** Inbound sockets in their TLS handshake, by remote address:port. */
  private readonly pending = new Map<string, (result: Accepted) => void>();
  private lastClientError: string | null = null;
  private loadedAt = new Date().toISOString();
  private reloads = 0;
  private reloadErrors = 0;
  private lastError: string | null = null;
  private watched: string[] = [];
  private debounce: NodeJS.Timeout | null = null;
  private readonly onFileChange = (curr: Stats, prev: Stats): void => {
    if (curr.mtimeMs === prev.mtimeMs && curr.size === prev.size) return;
    if (this.debounce) clearTimeout(this.debounce);
    // A renewal writes two or three files: wait for the last one.
    this.debounce = setTimeout(() => {
      this.debounce = null;
      this.reload();
    }, 300);
    this.debounce.unref();
  };

  constructor(
    cfg: TlsConfig,
    private readonly opts: { handshakeTimeoutMs: number; logger: Logger },
  ) {
    this.cfg = cfg;
    this.material = loadMaterial(cfg);
    // The server does not refuse an unverified client itself: it lets the handshake finish and
    // secureConnection says why (authorizationError), so every refusal has its reason.
    this.server = createServer({
      ...this.material.pem,
      minVersion: 'TLSv1.3',
      requestCert: true,
      rejectUnauthorized: false,
      handshakeTimeout: opts.handshakeTimeoutMs,
    });
    this.server.on('secureConnection', (s: TLSSocket) => this.onSecure(s));
    this.server.on('tlsClientError', (err: Error & { code?: string }) => {
      this.lastClientError = `${err.code ?? 'error'}: ${err.message}`;
    });
  }

  get peerName(): string {
    return this.cfg.peerName;
  }

  /** Runs the server side of the TLS handshake on an accepted socket; `done` is called once. */
  accept(raw: Socket, done: (result: Accepted) => void): void {
    const k = key(raw);
    this.pending.set(k, done);
    raw.once('close', () => {
      // tlsClientError comes after the raw socket's close: read it a turn later.
      setImmediate(() => {
        if (this.pending.get(k) !== done) return;
        this.pending.delete(k);
        done({ reason: 'tls-handshake', cause: `TLS handshake did not complete (${this.lastClientError ?? 'the client left'})` });
      });
    });
    this.server.emit('connection', raw);
  }

  private onSecure(s: TLSSocket): void {
    const k = key(s);
    const done = this.pending.get(k);
    this.pending.delete(k);
    if (!done) {
      s.destroy();
      return;
    }
    if (!s.authorized) {
      const raw = s.authorizationError as unknown;
      const code = typeof raw === 'string' ? raw : (raw as { code?: string } | null)?.code;
      s.destroy();
      done({ reason: tlsRefusalOf(code) ?? 'tls-untrusted', cause: `client certificate not trusted: ${code ?? 'no certificate'}` });
      return;
    }
    const wrongName = checkServerIdentity(this.cfg.peerName, s.getPeerCertificate());
    if (wrongName) {
      s.destroy();
      done({ reason: 'tls-peer-name', cause: `client certificate does not name ${this.cfg.peerName}: ${wrongName.message}` });
      return;
    }
    done({ socket: s });
  }

  /** The client side: a TLS connection to the peer (emits 'secureConnect' once verified). */
  connect(host: string, port: number, localAddress?: string): TLSSocket {
    const name = this.cfg.peerName;
    return connect({
      host,
      port,
      ...(localAddress ? { localAddress } : {}),
      ...(isIP(name) === 0 ? { servername: name } : {}),
      secureContext: this.material.context,
      minVersion: 'TLSv1.3',
      rejectUnauthorized: true,
      checkServerIdentity: (_host, cert) => checkServerIdentity(name, cert),
    });
  }

  /** Reads the files again (or those of `next`); on any problem keeps what it had. */
  reload(next: TlsConfig = this.cfg): TlsReload {
    let m: Material;
    try {
      m = loadMaterial(next);
    } catch (err) {
      this.reloadErrors++;
      this.lastError = `${new Date().toISOString()}: ${(err as Error).message}`;
      this.opts.logger.error({ err: (err as Error).message, cert: next.cert }, 'TLS material not reloaded: keeping the current certificate');
      return { ok: false, changed: false, error: (err as Error).message };
    }
    const changed =
      m.certificate.fingerprint256 !== this.material.certificate.fingerprint256 ||
      m.ca.fingerprint256 !== this.material.ca.fingerprint256 ||
      !m.pem.key.equals(this.material.pem.key) ||
      next.peerName !== this.cfg.peerName;
    const pathsChanged = next.cert !== this.cfg.cert || next.key !== this.cfg.key || next.ca !== this.cfg.ca;
    this.cfg = next;
    this.material = m;
    this.server.setSecureContext({ ...m.pem, minVersion: 'TLSv1.3' });
    this.reloads++;
    this.loadedAt = new Date().toISOString();
    if (pathsChanged && this.watched.length > 0) this.watch();
    this.opts.logger.info(
      { changed, subject: m.certificate.subject, fingerprint256: m.certificate.fingerprint256, validTo: m.certificate.validTo },
      'TLS material reloaded',
    );
    return { ok: true, changed };
  }

  /** Reloads when any of the three files changes (polled once a second). */
  watch(): void {
    this.unwatch();
    this.watched = [this.cfg.cert, this.cfg.key, this.cfg.ca];
    for (const f of this.watched) watchFile(f, { interval: 1000, persistent: false }, this.onFileChange);
  }

  private unwatch(): void {
    for (const f of this.watched) unwatchFile(f, this.onFileChange);
    this.watched = [];
  }

  close(): void {
    this.unwatch();
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = null;
    for (const [k, done] of [...this.pending]) {
      this.pending.delete(k);
      done({ reason: 'tls-handshake', cause: 'shutting down' });
    }
  }

  info(): TlsInfo {
    return {
      peerName: this.cfg.peerName,
      certificate: this.material.certificate,
      ca: this.material.ca,
      loadedAt: this.loadedAt,
      reloads: this.reloads,
      reloadErrors: this.reloadErrors,
      lastError: this.lastError,
    };
  }
}
