// The management API and srpctl commands of the SRP link's security: what keys, certificates
// and admission the link runs with, and a reload of them (the same as SIGHUP).
import type { CommandSpec } from '../management/commands.js';
import { heading, keyValues, type Row } from '../management/format.js';
import { Reply, type Route } from '../management/router.js';
import type { CertificateInfo } from './tls.js';
import type { SecurityInfo, SecurityReload } from './security.js';

export interface SecuritySource {
  security(): SecurityInfo;
  reloadSecurity(): SecurityReload;
}

export function securityRoutes(source: SecuritySource): Route[] {
  return [
    { method: 'GET', path: '/v1/srp/security', handler: () => source.security() },
    {
      method: 'POST',
      path: '/v1/srp/security/reload',
      handler: () => {
        const r = source.reloadSecurity();
        return Reply.json(r.ok ? 200 : 409, r);
      },
    },
  ];
}

const cert = (c: CertificateInfo | null | undefined): string | null =>
  c ? `${c.subject} (serial ${c.serialNumber}, valid to ${c.validTo}, sha256 ${c.fingerprint256.slice(0, 23)}...)` : null;

export function renderSecurity(s: SecurityInfo): string {
  const rows: Row[] = [
    ['Protocol Version', s.protocolVersion],
    ['Signing Key', s.auth.signing],
    ['Accepted Keys', s.auth.accepted.join(', ')],
    ['Peer Signs With', s.auth.peerKey ?? 'n/a (link down)'],
    ['', ''],
    ['TLS', s.tls ? `TLS 1.3, peer must be ${s.tls.peerName}` : 'off'],
  ];
  if (s.tls) {
    rows.push(
      ['Certificate', cert(s.tls.certificate)],
      ['CA', cert(s.tls.ca)],
      ['Peer Certificate', cert(s.tls.peerCertificate) ?? 'n/a (link down)'],
      ['Loaded At', s.tls.loadedAt],
      ['Reloads / Errors', `${s.tls.reloads} / ${s.tls.reloadErrors}`],
    );
    if (s.tls.lastError) rows.push(['Last Reload Error', s.tls.lastError]);
  }
  rows.push(
    ['', ''],
    ['Peer Allow', s.peerAllow === 'any' ? 'any source' : s.peerAllow.join(', ')],
    ['Handshake Deadline', `${s.handshakeTimeoutMs} ms to authenticate, ${s.confirmTimeoutMs} ms more to answer our nonce`],
    ['Unproven Connections', `${s.admission.unproven} (at most ${s.admission.limits.pending}, ${s.admission.limits.perSource} per source)`],
    ['Authenticated, Unconfirmed', `${s.admission.authenticated} (at most ${s.admission.limits.authenticated})`],
    ['Last Reload', s.lastReload ? `${s.lastReload.at} ${s.lastReload.ok ? 'ok' : `failed: ${s.lastReload.errors.join('; ')}`}` : 'never'],
  );
  return [heading('SRP Link Security'), keyValues(rows)].join('\n');
}

function renderReload(r: SecurityReload): string {
  if (!r.ok) return `security not reloaded: ${r.errors.join('; ')}`;
  const tls = r.tls ? `; TLS ${r.tls.changed ? 'material changed' : 'unchanged'}` : '';
  return `security reloaded at ${r.at}: keys ${r.keys.changed ? 'changed' : 'unchanged'} (signing ${r.keys.signing}, accepted ${r.keys.accepted.join(', ')})${tls}`;
}

export const SECURITY_COMMANDS: CommandSpec[] = [
  {
    words: ['show', 'srp', 'security'],
    summary: 'SRP link keys (fingerprints), TLS certificates, peer-allow, connections in handshake',
    method: 'GET',
    path: '/v1/srp/security',
    render: (d: SecurityInfo) => renderSecurity(d),
  },
  {
    words: ['srp', 'reload-security'],
    summary: 'read the keys, TLS files and peer-allow of the config file again (as SIGHUP does)',
    method: 'POST',
    path: '/v1/srp/security/reload',
    render: (d: SecurityReload) => renderReload(d),
    refusal: (d: SecurityReload) => `security not reloaded: ${d.errors.join('; ')}`,
  },
];
