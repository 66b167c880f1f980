// The security keys of srpd's config: the shared keys of the SRP link (`auth-key`,
// `auth-key-file`, `auth-keys`), TLS on the link (`tls`), the addresses the SRP listener accepts
// connections from (`peer-allow`). Parsed here, validated like the rest of the config: every
// problem names its key.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { BlockList, isIP } from 'node:net';
import { createSecureContext } from 'node:tls';
import { isMapping, resolvePath, type Fail } from './fields.js';

export const MIN_AUTH_KEY_BYTES = 16;
/** More than a rotation needs (old, new, and one spare). */
export const MAX_AUTH_KEYS = 4;

/** Where the keys came from: `auth-key-file` is reread on SIGHUP along with the rest. */
export type AuthKeySource = 'auth-key' | 'auth-key-file' | 'auth-keys';

export interface TlsConfig {
  cert: string;
  key: string;
  ca: string;
  /** The name the peer's certificate must carry (DNS or IP subjectAltName, or its CN). */
  peerName: string;
}

/** `peer-allow`: the sources the SRP listener accepts; `any` turns the filter off. */
export type PeerAllow = { kind: 'any' } | { kind: 'list'; entries: string[]; from: 'peer-allow' | 'peer' };

/**
 * A key file holds one key per line: the first signs, every one is accepted. Blank lines and
 * lines starting with `#` are ignored; spaces around a key are not part of it.
 */
export function parseKeyFile(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** The link keys, first the signing one. Exactly one of auth-key, auth-key-file, auth-keys. */
export function parseAuthKeys(raw: Record<string, unknown>, baseDir: string, fail: Fail): { keys: string[]; source: AuthKeySource } {
  const given = (['auth-key', 'auth-key-file', 'auth-keys'] as const).filter((k) => raw[k] !== undefined);
  if (given.length === 0) {
    fail('auth-key', 'missing (required: auth-key, auth-key-file or auth-keys)');
    return { keys: [], source: 'auth-key' };
  }
  if (given.length > 1) {
    fail(given[1], `give one of auth-key, auth-key-file and auth-keys, not ${given.join(' and ')}`);
    return { keys: [], source: given[0] };
  }
  const source = given[0];
  const value = raw[source];
  let keys: string[] = [];
  if (source === 'auth-key') {
    if (typeof value !== 'string') fail(source, 'must be a string');
    else keys = [value];
  } else if (source === 'auth-keys') {
    if (!Array.isArray(value) || value.length === 0 || value.some((k) => typeof k !== 'string')) {
      fail(source, 'must be a non-empty list of keys (the first signs, all are accepted)');
    } else keys = value as string[];
  } else if (typeof value !== 'string') fail(source, 'must be a file path');
  else {
    const path = resolvePath(baseDir, value);
    try {
      keys = parseKeyFile(readFileSync(path, 'utf8'));
      if (keys.length === 0) fail(source, `${path} holds no key (one key per line; # starts a comment)`);
    } catch (err) {
      fail(source, `cannot read ${path}: ${(err as Error).message}`);
    }
  }
  if (keys.length > MAX_AUTH_KEYS) fail(source, `at most ${MAX_AUTH_KEYS} keys, got ${keys.length}`);
  keys.forEach((k, i) => {
    if (Buffer.byteLength(k) < MIN_AUTH_KEY_BYTES) fail(source, `key ${i + 1} is shorter than ${MIN_AUTH_KEY_BYTES} bytes`);
  });
  if (new Set(keys).size !== keys.length) fail(source, 'lists the same key twice');
  return { keys, source };
}

const TLS_KEYS = ['cert', 'key', 'ca', 'peer-name'] as const;

/** `tls: { cert, key, ca, peer-name }`: files read and checked now, so --check reports them. */
export function parseTls(value: unknown, baseDir: string, fail: Fail): TlsConfig | null {
  if (value === undefined || value === null) return null;
  if (!isMapping(value)) {
    fail('tls', 'must be a mapping with cert, key, ca and peer-name');
    return null;
  }
  let ok = true;
  for (const k of Object.keys(value)) {
    if (!(TLS_KEYS as readonly string[]).includes(k)) {
      fail(`tls.${k}`, `unknown key (tls takes ${TLS_KEYS.join(', ')})`);
      ok = false;
    }
  }
  const str = (k: (typeof TLS_KEYS)[number]): string => {
    const v = value[k];
    if (typeof v !== 'string' || v === '') {
      fail(`tls.${k}`, k === 'peer-name' ? 'missing: the name the peer certificate must carry' : 'missing: a PEM file path');
      ok = false;
      return '';
    }
    return k === 'peer-name' ? v : resolvePath(baseDir, v);
  };
  const cfg: TlsConfig = { cert: str('cert'), key: str('key'), ca: str('ca'), peerName: str('peer-name') };
  if (!ok) return null;
  const problem = checkTlsFiles(cfg);
  if (problem) {
    fail(`tls.${problem.key}`, problem.reason);
    return null;
  }
  return cfg;
}

/** Reads the three PEM files and builds a context from them; the first problem, or null. */
export function checkTlsFiles(cfg: TlsConfig): { key: 'cert' | 'key' | 'ca'; reason: string } | null {
  const pem: Partial<Record<'cert' | 'key' | 'ca', Buffer>> = {};
  for (const k of ['cert', 'key', 'ca'] as const) {
    try {
      pem[k] = readFileSync(cfg[k]);
    } catch (err) {
      return { key: k, reason: `cannot read ${cfg[k]}: ${(err as Error).message}` };
    }
  }
  for (const k of ['cert', 'ca'] as const) {
    try {
      new X509Certificate(pem[k]!);
    } catch (err) {
      return { key: k, reason: `${cfg[k]} is not a PEM certificate: ${(err as Error).message}` };
    }
  }
  try {
    createSecureContext({ cert: pem.cert, key: pem.key, ca: pem.ca, minVersion: 'TLSv1.3' });
  } catch (err) {
    return { key: 'key', reason: `${cfg.key} does not go with ${cfg.cert}: ${(err as Error).message}` };
  }
  return null;
}

/** A literal address or a CIDR (`198.18.0.0/30`, `fd00::/64`). */
function checkAllowEntry(entry: string): string | null {
  const [addr, prefix, extra] = entry.split('/');
  const family = isIP(addr ?? '');
  if (family === 0 || extra !== undefined) return `'${entry}' is not an IP address or CIDR`;
  if (prefix === undefined) return null;
  const bits = Number(prefix);
  if (!/^\d{1,3}$/.test(prefix) || bits > (family === 4 ? 32 : 128)) return `'${entry}' has a bad prefix length`;
  return null;
}

/**
 * `peer-allow`: `any`, or a list of addresses / CIDRs. Default: the `peer` host when it is a
 * literal address (the peer dials from its `bind` address, see link.ts), else no filter.
 */
export function parsePeerAllow(value: unknown, peerHost: string | null, fail: Fail): PeerAllow {
  if (value === undefined || value === null) {
    return peerHost !== null && isIP(peerHost) !== 0 ? { kind: 'list', entries: [peerHost], from: 'peer' } : { kind: 'any' };
  }
  if (value === 'any') return { kind: 'any' };
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || list.some((e) => typeof e !== 'string')) {
    fail('peer-allow', "must be 'any' or a list of addresses and CIDRs (e.g. [198.18.0.2, 10.1.0.0/24])");
    return { kind: 'any' };
  }
  for (const e of list as string[]) {
    const why = checkAllowEntry(e);
    if (why) fail('peer-allow', why);
  }
  return { kind: 'list', entries: list as string[], from: 'peer-allow' };
}

/** The sources a parsed `peer-allow` admits: exact addresses by a Set lookup, CIDRs by a BlockList. */
export class AllowList {
  private readonly exact = new Set<string>();
  private readonly subnets = new BlockList();
  private hasSubnets = false;

  constructor(entries: readonly string[]) {
    for (const e of entries) {
      const [addr = '', prefix] = e.split('/');
      if (prefix === undefined) this.exact.add(addr);
      else {
        this.subnets.addSubnet(addr, Number(prefix), isIP(addr) === 6 ? 'ipv6' : 'ipv4');
        this.hasSubnets = true;
      }
    }
  }

  has(address: string): boolean {
    if (this.exact.has(address)) return true;
    const family = isIP(address);
    return this.hasSubnets && family !== 0 && this.subnets.check(address, family === 6 ? 'ipv6' : 'ipv4');
  }
}

/** The allow list of a parsed `peer-allow`; null for `any`. */
export function allowListOf(allow: PeerAllow): AllowList | null {
  return allow.kind === 'any' ? null : new AllowList(allow.entries);
}
