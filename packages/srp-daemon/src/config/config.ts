// srpd configuration: YAML with the seed's key names, validated up front. Every problem names
// the key and the reason; `srpd` prints them all and exits 2.
//
// Validation is written out by hand rather than with a schema library: the rules that matter
// here are cross-key (dead >= 3 x hello, the same port twice, auth-key vs auth-key-file) and the
// messages must read like the seed's CLI ("dead-interval: must be at least 3 x hello-interval").
// This file reads the document and calls each section's reader in a fixed order; the shape is
// in schema.ts, the readers in sections.ts and the files named after their section.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { HostPort } from '@srp-ha/common';
import { isMapping, unknownKeyReason } from './fields.js';
import { parseLivenessConfig } from './liveness.js';
import { parseMonitoringConfig } from './monitoring.js';
import { parseReplicationConfig } from './replication.js';
import { ConfigError, DEFAULTS, KNOWN_KEYS, LOG_LEVELS, REQUIRED_KEYS, type ConfigIssue, type LogLevel, type SrpConfig } from './schema.js';
import { readCompression, readHardware, readHostPort, readIdentity, readManagement, readNotifyHooks, readRouteModifier, readTimers } from './sections.js';
import { parseAuthKeys, parsePeerAllow, parseTls } from './security.js';
import { parseWitnessConfig } from './witness.js';

export { configDigest, differingKeys, matchingValues } from './matching.js';
export { ConfigError, DEFAULTS, HOOK_TRANSITIONS, hookName } from './schema.js';
export type { CompressionName, ConfigIssue, LogLevel, NotifyHook, SrpConfig } from './schema.js';

/** Validates an already parsed YAML document. `baseDir` resolves relative file paths. */
export function validateConfig(raw: unknown, baseDir: string, source: string | null = null): SrpConfig {
  const issues: ConfigIssue[] = [];
  const fail = (key: string, reason: string): void => {
    issues.push({ key, reason });
  };
  if (!isMapping(raw)) throw new ConfigError([{ key: '(root)', reason: 'the config must be a YAML mapping' }]);

  for (const key of Object.keys(raw)) {
    if (!(KNOWN_KEYS as readonly string[]).includes(key)) fail(key, unknownKeyReason(key, KNOWN_KEYS));
  }
  for (const key of REQUIRED_KEYS) {
    // With simulated hardware the CF MAC comes from hardware.cf-macs (the active CF's).
    if (key === 'cf-mac' && isMapping(raw['hardware'])) continue;
    if (raw[key] === undefined || raw[key] === null) fail(key, 'missing (required)');
  }

  const identity = readIdentity(raw, fail);
  const { chassisId, mode, priority } = identity;
  const bind = readHostPort(fail, 'bind', raw['bind'], true);
  const peer = readHostPort(fail, 'peer', raw['peer'], false);
  const timers = readTimers(raw, fail);

  const auth = parseAuthKeys(raw, baseDir, fail);
  const tls = parseTls(raw['tls'], baseDir, fail);
  const peerAllow = parsePeerAllow(raw['peer-allow'], peer?.host ?? null, fail);
  const management = readManagement(raw, bind, peer, fail);

  const logLevel = raw['log-level'] ?? DEFAULTS.logLevel;
  if (!LOG_LEVELS.includes(logLevel as LogLevel)) fail('log-level', `must be one of ${LOG_LEVELS.join(', ')}`);

  const checkpoint = raw['checkpoint'] ?? {};
  if (!isMapping(checkpoint)) fail('checkpoint', 'must be a mapping');
  const replication = parseReplicationConfig({ checkpoint, standby: raw['standby'], audit: raw['audit'] });
  for (const i of replication.issues) fail(i.key, i.reason);

  const preemption = raw['preemption'] ?? false;
  if (typeof preemption !== 'boolean') fail('preemption', 'must be true or false');

  const routeModifier = readRouteModifier(raw, fail);
  const compression = readCompression(raw, fail);
  const notifyHooks = readNotifyHooks(raw, baseDir, fail);
  const { hardware, cfMac } = readHardware(raw, chassisId, identity.cfMac, fail);

  const liveness = parseLivenessConfig(raw['liveness'], timers.deadIntervalMs, fail);
  const witness = parseWitnessConfig(raw['witness'], timers.deadIntervalMs, fail);
  const debug = raw['debug'] ?? false;
  if (typeof debug !== 'boolean') fail('debug', 'must be true or false');
  const monitoring = parseMonitoringConfig(raw, baseDir, { chassisId: String(chassisId), hasHardware: hardware !== null, priority: typeof priority === 'number' ? priority : null });
  for (const i of monitoring.issues) fail(i.key, i.reason);

  // Keys are checked in a fixed order above; report them the same way every time.
  if (issues.length > 0) throw new ConfigError(issues);
  return {
    chassisId: String(chassisId),
    mode: mode as SrpConfig['mode'],
    priority: priority as number,
    cfMac,
    bind: bind as HostPort,
    peer: peer as HostPort,
    ...timers,
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
    hardware,
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
