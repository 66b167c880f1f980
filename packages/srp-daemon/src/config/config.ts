// srpd configuration: YAML with the seed's key names, validated up front. Every problem names
// the key and the reason; `srpd` prints them all and exits 2.
//
// Validation is written out by hand rather than with a schema library: the rules that matter
// here are cross-key (dead >= 3 x hello, the same port twice, auth-key vs auth-key-file) and the
// messages must read like the seed's CLI ("dead-interval: must be at least 3 x hello-interval").
import { createHash } from 'node:crypto';
import { accessSync, constants, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { hardwareConfigFromYaml } from '@srp-ha/hw-sim';
import type { CheckpointConfig } from '@srp-ha/checkpoint';
import type { ChassisModeName } from '../contract.js';
import { DEFAULT_MANAGEMENT_LISTEN } from '../management/address.js';
import { formatDuration, parseDuration } from './duration.js';
import { formatMac, parseMac } from './mac.js';
import { parseReplicationConfig } from '../replication/config.js';
import { parseLivenessConfig, type LivenessConfig } from './liveness.js';
import { MONITORING_KEYS, parseMonitoringConfig, type MonitoringConfig } from './monitoring.js';
import { parseWitnessConfig, witnessKey, type WitnessConfig } from './witness.js';
import { parseAuthKeys, parsePeerAllow, parseTls, type AuthKeySource, type PeerAllow, type TlsConfig } from './security.js';

export interface HostPort {
  host: string;
  port: number;
}

export type CompressionName = 'zlib' | 'lz4';
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

export interface NotifyHook {
  /** `from-to-to` in lower case (`standby-to-pending-active`), or `any`. */
  transition: string;
  command: string;
}

export interface SrpConfig {
  chassisId: string;
  mode: ChassisModeName;
  priority: number;
  cfMac: string; // canonical 00-02-43-03-1C-2B
  bind: HostPort;
  peer: HostPort;
  helloIntervalMs: number;
  deadIntervalMs: number;
  delayIntervalMs: number;
  /** The signing key of the SRP link (authKeys[0]). */
  authKey: string;
  /** Every accepted key of the SRP link, the signing one first. */
  authKeys: string[];
  authKeySource: AuthKeySource;
  /** TLS on the SRP link, when configured. */
  tls: TlsConfig | null;
  /** The sources the SRP listener accepts connections from. */
  peerAllow: PeerAllow;
  /** openReads: GET routes and the event stream without the token off loopback. */
  management: { listen: HostPort; token: string | null; openReads: boolean };
  logLevel: LogLevel;
  checkpoint: Record<string, unknown>;
  /** The checkpoint engine's config from the `checkpoint:`, `standby:` and `audit:` sections. */
  replication: CheckpointConfig;
  preemption: boolean;
  routeModifier: { initial: number; threshold: number };
  compression: CompressionName[];
  notifyHooks: NotifyHook[];
  hardware: Record<string, unknown> | null;
  liveness: LivenessConfig;
  /** Mounts the /v1/debug/* routes (fault injection for tests): off unless asked for. */
  debug: boolean;
  /** monitor, track, failover-threshold, preemption-delay, guard-timer (config/monitoring.ts). */
  monitoring: MonitoringConfig;
  /** The etcd witness (`witness.etcd`), or null without one. */
  witness: WitnessConfig | null;
  /** The file it was loaded from, when there is one. */
  source: string | null;
}

export interface ConfigIssue {
  key: string;
  reason: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'SRP_ERR_CONFIG';
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map((i) => `${i.key}: ${i.reason}`).join('; '));
  }
}

export const DEFAULTS = {
  helloIntervalMs: 3_000,
  deadIntervalMs: 15_000,
  delayIntervalMs: 0,
  managementListen: DEFAULT_MANAGEMENT_LISTEN,
  logLevel: 'info' as LogLevel,
  routeModifier: { initial: 1, threshold: 16 },
  compression: ['zlib'] as CompressionName[],
};

const MIN_INTERVAL_MS = 10;
const MAX_INTERVAL_MS = 65_535_000; // the seed's 1..65535 s, with millisecond resolution below

const KNOWN_KEYS = [
  'chassis-id',
  'mode',
  'priority',
  'cf-mac',
  'bind',
  'peer',
  'hello-interval',
  'dead-interval',
  'delay-interval',
  'auth-key',
  'auth-key-file',
  'auth-keys',
  'tls',
  'peer-allow',
  'management',
  'log-level',
  'checkpoint',
  'standby',
  'audit',
  'preemption',
  'route-modifier',
  'compression',
  'notify-hooks',
  'hardware',
  'liveness',
  'debug',
  ...MONITORING_KEYS,
  'witness',
] as const;
const REQUIRED_KEYS = ['chassis-id', 'mode', 'priority', 'cf-mac', 'bind', 'peer'] as const;
const LOG_LEVELS: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** Legal transitions of the chassis state machine, as hook names. */
export const HOOK_TRANSITIONS: readonly string[] = [
  'init-to-pending-active',
  'init-to-standby',
  'pending-active-to-active',
  'active-to-pending-standby',
  'active-to-standby',
  'pending-standby-to-standby',
  'pending-standby-to-active',
  'standby-to-pending-active',
  'any',
];

export function hookName(from: string, to: string): string {
  return `${from.toLowerCase()}-to-${to.toLowerCase()}`;
}

export function parseHostPort(text: unknown, { allowZero }: { allowZero: boolean }): HostPort | string {
  if (typeof text !== 'string') return `must be host:port, got ${typeof text}`;
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text.trim());
  if (!m) return `must be host:port (IPv6 as [::1]:port), got '${text}'`;
  const host = m[1] ?? m[2] ?? '';
  const port = Number(m[3]);
  if (port > 65535) return `port ${port} is out of range 0..65535`;
  if (port === 0 && !allowZero) return 'port 0 is not allowed here: the peer needs a real port';
  return { host, port };
}

export function formatHostPort(hp: HostPort): string {
  return hp.host.includes(':') ? `[${hp.host}]:${hp.port}` : `${hp.host}:${hp.port}`;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] ?? 0;
      prev[j] = Math.min(up + 1, (prev[j - 1] ?? 0) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length] ?? 0;
}

function unknownKeyReason(key: string, known: readonly string[]): string {
  const close = known.filter((k) => editDistance(k, key) <= 2);
  return close.length > 0 ? `unknown key (did you mean '${close[0]}'?)` : 'unknown key';
}

/** Validates an already parsed YAML document. `baseDir` resolves relative file paths. */
export function validateConfig(raw: unknown, baseDir: string, source: string | null = null): SrpConfig {
  const issues: ConfigIssue[] = [];
  const fail = (key: string, reason: string): void => {
    issues.push({ key, reason });
  };
  if (!isPlainObject(raw)) throw new ConfigError([{ key: '(root)', reason: 'the config must be a YAML mapping' }]);

  for (const key of Object.keys(raw)) {
    if (!(KNOWN_KEYS as readonly string[]).includes(key)) fail(key, unknownKeyReason(key, KNOWN_KEYS));
  }
  for (const key of REQUIRED_KEYS) {
    // With simulated hardware the CF MAC comes from hardware.cf-macs (the active CF's).
    if (key === 'cf-mac' && isPlainObject(raw['hardware'])) continue;
    if (raw[key] === undefined || raw[key] === null) fail(key, 'missing (required)');
  }

  const chassisId = raw['chassis-id'];
  if (chassisId !== undefined && chassisId !== null) {
    if (typeof chassisId !== 'string' && typeof chassisId !== 'number') fail('chassis-id', 'must be a string');
    else if (!/^[A-Za-z0-9._-]{1,64}$/.test(String(chassisId)))
      fail('chassis-id', 'must be 1..64 characters of letters, digits, ".", "_" or "-"');
  }

  const mode = raw['mode'];
  if (mode !== undefined && mode !== null && mode !== 'primary' && mode !== 'backup')
    fail('mode', `must be primary or backup, got ${JSON.stringify(mode)}`);

  const priority = raw['priority'];
  if (priority !== undefined && priority !== null) {
    if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 1 || priority > 255)
      fail('priority', `must be an integer 1..255 (a lower number wins), got ${JSON.stringify(priority)}`);
  }

  let cfMac = '';
  if (raw['cf-mac'] !== undefined && raw['cf-mac'] !== null) {
    const mac = typeof raw['cf-mac'] === 'string' ? parseMac(raw['cf-mac']) : null;
    if (!mac) fail('cf-mac', `must be a MAC address such as 00-02-43-03-1C-2B, got ${JSON.stringify(raw['cf-mac'])}`);
    else cfMac = formatMac(mac);
  }

  const hostPort = (key: string, value: unknown, allowZero: boolean): HostPort | null => {
    if (value === undefined || value === null) return null;
    const hp = parseHostPort(value, { allowZero });
    if (typeof hp === 'string') {
      fail(key, hp);
      return null;
    }
    return hp;
  };
  const bind = hostPort('bind', raw['bind'], true);
  const peer = hostPort('peer', raw['peer'], false);

  const duration = (key: string, fallback: number, min: number): number => {
    const v = raw[key];
    if (v === undefined || v === null) return fallback;
    const ms = parseDuration(v);
    if (typeof ms === 'string') {
      fail(key, ms);
      return fallback;
    }
    if (ms < min || ms > MAX_INTERVAL_MS) {
      fail(key, `must be between ${formatDuration(min)} and ${formatDuration(MAX_INTERVAL_MS)}, got ${formatDuration(ms)}`);
      return fallback;
    }
    return ms;
  };
  const helloIntervalMs = duration('hello-interval', DEFAULTS.helloIntervalMs, MIN_INTERVAL_MS);
  const deadIntervalMs = duration('dead-interval', DEFAULTS.deadIntervalMs, MIN_INTERVAL_MS);
  const delayIntervalMs = duration('delay-interval', DEFAULTS.delayIntervalMs, 0);
  if (deadIntervalMs < 3 * helloIntervalMs)
    fail(
      'dead-interval',
      `must be at least 3 x hello-interval (${formatDuration(3 * helloIntervalMs)}), got ${formatDuration(deadIntervalMs)}`,
    );

  const auth = parseAuthKeys(raw, baseDir, fail);
  const tls = parseTls(raw['tls'], baseDir, fail);
  const peerAllow = parsePeerAllow(raw['peer-allow'], peer?.host ?? null, fail);

  let management = { listen: parseHostPort(DEFAULTS.managementListen, { allowZero: true }) as HostPort, token: null as string | null, openReads: false };
  const mgmt = raw['management'];
  if (mgmt !== undefined && mgmt !== null) {
    const mgmtKeys = ['listen', 'token', 'open-reads'];
    if (!isPlainObject(mgmt)) fail('management', 'must be a mapping with listen, token and open-reads');
    else {
      for (const k of Object.keys(mgmt)) if (!mgmtKeys.includes(k)) fail(`management.${k}`, unknownKeyReason(k, mgmtKeys));
      const listen = hostPort('management.listen', mgmt['listen'], true) ?? management.listen;
      const token = mgmt['token'];
      if (token !== undefined && token !== null && typeof token !== 'string') fail('management.token', 'must be a string');
      const openReads = mgmt['open-reads'] ?? false;
      if (typeof openReads !== 'boolean') fail('management.open-reads', 'must be true or false');
      management = { listen, token: typeof token === 'string' ? token : null, openReads: openReads === true };
    }
  }
  if (!isLoopback(management.listen.host) && !management.token)
    fail('management.token', 'required when management.listen is not on loopback');

  // The same port twice: the SRP link and the management API cannot share a listening port.
  if (bind && management.listen.port !== 0 && bind.port === management.listen.port) {
    const sameHost =
      bind.host === management.listen.host || isWildcard(bind.host) || isWildcard(management.listen.host);
    if (sameHost) fail('management.listen', `port ${bind.port} is already used by bind`);
  }
  if (bind && peer && bind.port === peer.port && bind.host === peer.host)
    fail('peer', `is the same address as bind (${formatHostPort(bind)})`);

  const logLevel = raw['log-level'] ?? DEFAULTS.logLevel;
  if (!LOG_LEVELS.includes(logLevel as LogLevel)) fail('log-level', `must be one of ${LOG_LEVELS.join(', ')}`);

  const checkpoint = raw['checkpoint'] ?? {};
  if (!isPlainObject(checkpoint)) fail('checkpoint', 'must be a mapping');
  const replication = parseReplicationConfig({ checkpoint, standby: raw['standby'], audit: raw['audit'] });
  for (const i of replication.issues) fail(i.key, i.reason);

  const preemption = raw['preemption'] ?? false;
  if (typeof preemption !== 'boolean') fail('preemption', 'must be true or false');

  const routeModifier = { ...DEFAULTS.routeModifier };
  const rm = raw['route-modifier'];
  if (rm !== undefined && rm !== null) {
    if (!isPlainObject(rm)) fail('route-modifier', 'must be a mapping with initial and threshold');
    else {
      for (const k of Object.keys(rm))
        if (k !== 'initial' && k !== 'threshold')
          fail(`route-modifier.${k}`, unknownKeyReason(k, ['initial', 'threshold']));
      for (const k of ['initial', 'threshold'] as const) {
        const v = rm[k];
        if (v === undefined) continue;
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffff)
          fail(`route-modifier.${k}`, 'must be an integer 0..65535');
        else routeModifier[k] = v;
      }
      if (routeModifier.threshold <= routeModifier.initial)
        fail('route-modifier.threshold', `must be greater than route-modifier.initial (${routeModifier.initial})`);
    }
  }

  let compression = [...DEFAULTS.compression];
  const comp = raw['compression'];
  if (comp !== undefined && comp !== null) {
    const list = typeof comp === 'string' ? [comp] : comp;
    if (!Array.isArray(list) || list.length === 0) fail('compression', 'must be a non-empty list of zlib and/or lz4');
    else if (list.some((c) => c !== 'zlib' && c !== 'lz4'))
      fail('compression', `only zlib and lz4 are supported, got ${JSON.stringify(list)}`);
    else if (new Set(list).size !== list.length) fail('compression', 'lists the same algorithm twice');
    else compression = list as CompressionName[];
  }

  const notifyHooks: NotifyHook[] = [];
  const hooks = raw['notify-hooks'];
  if (hooks !== undefined && hooks !== null) {
    if (!isPlainObject(hooks)) fail('notify-hooks', 'must be a mapping of transition to executable');
    else {
      for (const [transition, command] of Object.entries(hooks)) {
        const key = `notify-hooks.${transition}`;
        if (!HOOK_TRANSITIONS.includes(transition)) {
          fail(key, `${unknownKeyReason(transition, HOOK_TRANSITIONS)}: transitions are ${HOOK_TRANSITIONS.join(', ')}`);
          continue;
        }
        if (typeof command !== 'string' || command === '') {
          fail(key, 'must be the path of an executable');
          continue;
        }
        const path = isAbsolute(command) ? command : resolve(baseDir, command);
        try {
          accessSync(path, constants.X_OK);
        } catch {
          fail(key, `${path} does not exist or is not executable`);
          continue;
        }
        notifyHooks.push({ transition, command: path });
      }
    }
  }

  const hardware = raw['hardware'] ?? null;
  if (hardware !== null && !isPlainObject(hardware)) fail('hardware', 'must be a mapping');
  else if (hardware !== null) {
    try {
      const hw = hardwareConfigFromYaml(hardware, typeof chassisId === 'string' || typeof chassisId === 'number' ? String(chassisId) : undefined);
      const macs = hw.cfMacs.map((m) => formatMac(parseMac(m) ?? new Uint8Array(6)));
      if (cfMac === '') cfMac = macs[0] ?? '';
      else if (!macs.includes(cfMac)) {
        fail('cf-mac', `must be one of hardware.cf-macs (${macs.join(', ')}): the Hello carries the active CF's MAC; or leave cf-mac out`);
      }
    } catch (err) {
      fail('hardware', (err as Error).message);
    }
  }

  const liveness = parseLivenessConfig(raw['liveness'], deadIntervalMs, fail, unknownKeyReason);
  const witness = parseWitnessConfig(raw['witness'], deadIntervalMs, { fail, unknownKeyReason, parseHostPort });
  const debug = raw['debug'] ?? false;
  if (typeof debug !== 'boolean') fail('debug', 'must be true or false');
  const monitoring = parseMonitoringConfig(raw, baseDir, { chassisId: String(chassisId), hasHardware: isPlainObject(hardware), priority: typeof priority === 'number' ? priority : null });
  for (const i of monitoring.issues) fail(i.key, i.reason);

  // Keys are checked in a fixed order above; report them the same way every time.
  if (issues.length > 0) throw new ConfigError(issues);
  return {
    chassisId: String(chassisId),
    mode: mode as ChassisModeName,
    priority: priority as number,
    cfMac,
    bind: bind as HostPort,
    peer: peer as HostPort,
    helloIntervalMs,
    deadIntervalMs,
    delayIntervalMs,
    authKey: auth.keys[0] ?? '',
    authKeys: auth.keys,
    authKeySource: auth.source,
    tls,
    peerAllow,
    management,
    logLevel: logLevel as LogLevel,
    checkpoint: checkpoint as Record<string, unknown>,
    replication: replication.config,
    preemption: preemption as boolean,
    routeModifier,
    compression,
    notifyHooks,
    hardware: hardware as Record<string, unknown> | null,
    liveness,
    debug: debug as boolean,
    monitoring: monitoring.config,
    witness,
    source,
  };
}

export function loadConfigText(text: string, baseDir: string, source: string | null = null): SrpConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new ConfigError([{ key: '(yaml)', reason: (err as Error).message.split('\n')[0] ?? 'parse error' }]);
  }
  return validateConfig(raw, baseDir, source);
}

export function loadConfigFile(path: string): SrpConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError([{ key: '(file)', reason: `cannot read ${path}: ${(err as Error).message}` }]);
  }
  return loadConfigText(text, dirname(resolve(path)), resolve(path));
}

/**
 * The keys that must agree on both chassis, as canonical strings. The peer compares them key
 * by key (ConfigValidationRequest); the digest of all of them travels in every Hello.
 */
export function matchingValues(config: SrpConfig): Record<string, string> {
  const sorted = (o: Record<string, unknown>): string =>
    JSON.stringify(o, (_k, v: unknown) =>
      isPlainObject(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
    );
  return {
    'hello-interval': String(config.helloIntervalMs),
    'dead-interval': String(config.deadIntervalMs),
    preemption: String(config.preemption),
    'route-modifier.initial': String(config.routeModifier.initial),
    'route-modifier.threshold': String(config.routeModifier.threshold),
    checkpoint: sorted(config.checkpoint),
    // Both chassis must use the same key and lease; endpoints may differ. Absent without a witness.
    ...(config.witness ? { 'witness.etcd.key': witnessKey(config.witness.etcd), 'witness.etcd.lease-ttl': String(config.witness.etcd.leaseTtlMs) } : {}),
  };
}

export function configDigest(values: Record<string, string>): Buffer {
  const h = createHash('sha256');
  for (const k of Object.keys(values).sort()) h.update(`${k}=${values[k] ?? ''}\n`);
  return h.digest();
}

export function differingKeys(a: Record<string, string>, b: Record<string, string>): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => a[k] !== b[k]).sort();
}
