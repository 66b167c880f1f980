// The security settings of one SRP link: the TLS material, the allow list of the listener,
// how a reload (SIGHUP, POST /v1/srp/security/reload) applies a rewritten config file, and
// what `show srp security` reports.
import { isIP } from 'node:net';
import type { Logger } from 'pino';
import { PROTOCOL_VERSION } from '@srp-ha/wire';
import type { HostPort } from '@srp-ha/common';
import { ConfigError, loadConfigFile } from '../config/config.js';
import { allowListOf, type AllowList, type PeerAllow, type TlsConfig } from '../config/security.js';
import type { AdmissionLimits } from './admission.js';
import type { LinkGate } from './gate.js';
import { KeyRing } from './keys.js';
import { LinkTls, type CertificateInfo, type TlsInfo, type TlsReload } from './tls.js';

/**
 * How long a connection may take to send an authenticated Capabilities (with TLS, the TLS
 * handshake included): twice the dead interval, kept within 1..4 s. The real peer sends its
 * Capabilities at once; the margin is for an event loop slowed down by a flood.
 */
export function handshakeDeadlineMs(deadIntervalMs: number): number {
  return Math.min(4000, Math.max(1000, 2 * deadIntervalMs));
}

/**
 * How long a connection whose Capabilities authenticated may take to answer our nonce: twice
 * the deadline above. Only a key holder or a replay gets here, and the pool of such connections
 * is small (admission.ts), so the real peer gets a generous margin under load.
 */
export function confirmDeadlineMs(deadIntervalMs: number): number {
  return 2 * handshakeDeadlineMs(deadIntervalMs);
}

const isWildcard = (host: string): boolean => host === '0.0.0.0' || host === '::' || host === '';

/**
 * The local address to dial the peer from: our bind address when it is a literal of the
 * peer's family, so that the peer's default peer-allow (its `peer`, our bind) accepts us.
 */
export function dialSource(bind: HostPort, peer: HostPort): string | undefined {
  const family = isIP(bind.host);
  if (family === 0 || isWildcard(bind.host) || isIP(peer.host) !== family) return undefined;
  return bind.host;
}

export interface SecurityReload {
  ok: boolean;
  at: string;
  errors: string[];
  keys: { changed: boolean; signing: string; accepted: string[] };
  tls: TlsReload | null;
}

export interface SecurityInfo {
  protocolVersion: number;
  auth: { signing: string; accepted: string[]; peerKey: string | null };
  tls: (TlsInfo & { peerCertificate: CertificateInfo | null }) | null;
  peerAllow: 'any' | string[];
  admission: { unproven: number; authenticated: number; sources: number; limits: AdmissionLimits };
  handshakeTimeoutMs: number;
  confirmTimeoutMs: number;
  lastReload: SecurityReload | null;
}

export interface LinkSecurity {
  tls: LinkTls | null;
  allow: AllowList | null;
  peerAllow: PeerAllow;
  lastReload: SecurityReload | null;
  info(keys: KeyRing, gate: LinkGate, current: { peerKey: string | null; peerCertificate: CertificateInfo | null } | null): SecurityInfo;
}

export function linkSecurity(
  opts: { tls?: TlsConfig | null; peerAllow?: PeerAllow; deadIntervalMs: number },
  log: Logger,
): LinkSecurity {
  const handshakeTimeoutMs = handshakeDeadlineMs(opts.deadIntervalMs);
  const tls = opts.tls ? new LinkTls(opts.tls, { handshakeTimeoutMs, logger: log.child({ component: 'tls' }) }) : null;
  tls?.watch();
  const peerAllow = opts.peerAllow ?? { kind: 'any' };
  const security: LinkSecurity = {
    tls,
    allow: allowListOf(peerAllow),
    peerAllow,
    lastReload: null,
    info(keys, gate, current) {
      const t = security.tls;
      return {
        protocolVersion: PROTOCOL_VERSION,
        auth: { ...keys.fingerprints(), peerKey: current?.peerKey ?? null },
        tls: t ? { ...t.info(), peerCertificate: current?.peerCertificate ?? null } : null,
        peerAllow: security.peerAllow.kind === 'any' ? 'any' : security.peerAllow.entries,
        admission: gate.stats(),
        handshakeTimeoutMs,
        confirmTimeoutMs: confirmDeadlineMs(opts.deadIntervalMs),
        lastReload: security.lastReload,
      };
    },
  };
  return security;
}

/**
 * Reads the config file again and applies what can change while running: the keys (auth-key,
 * auth-key-file, auth-keys), the TLS files (tls), the allow list (peer-allow). An invalid file
 * changes nothing. Other keys are read at start only.
 */
export function reloadLinkSecurity(security: LinkSecurity, keys: KeyRing, gate: LinkGate, source: string | null, log: Logger): SecurityReload {
  const at = new Date().toISOString();
  const result = (ok: boolean, errors: string[], keysChanged: boolean, tls: TlsReload | null): SecurityReload => {
    const r: SecurityReload = { ok, at, errors, keys: { changed: keysChanged, ...keys.fingerprints() }, tls };
    security.lastReload = r;
    if (ok) log.info({ keysChanged, signing: r.keys.signing, accepted: r.keys.accepted, tls }, 'security reloaded');
    else log.error({ errors }, 'security not reloaded: keeping the current keys and certificates');
    return r;
  };
  if (source === null) {
    // No file to read (a config given as text): only the TLS files can be read again.
    const tls = security.tls?.reload() ?? null;
    return result(tls?.ok ?? true, tls?.error ? [tls.error] : [], false, tls);
  }
  let config;
  try {
    config = loadConfigFile(source);
  } catch (err) {
    const errors = err instanceof ConfigError ? err.issues.map((i) => `${i.key}: ${i.reason}`) : [(err as Error).message];
    return result(false, errors, false, null);
  }
  if ((config.tls === null) !== (security.tls === null)) {
    return result(false, [`tls: switching TLS ${config.tls ? 'on' : 'off'} needs a restart`], false, null);
  }
  const tls = config.tls && security.tls ? security.tls.reload(config.tls) : null;
  if (tls && !tls.ok) return result(false, [`tls: ${tls.error ?? 'not reloaded'}`], false, tls);
  const { changed } = keys.replace(KeyRing.snapshotOf(config.authKeys));
  security.peerAllow = config.peerAllow;
  security.allow = allowListOf(config.peerAllow);
  gate.setAllow(security.allow);
  return result(true, [], changed, tls);
}
