// The shape of srpd's configuration once validated, its defaults, its top-level keys, and the
// error that lists every problem found (srpd prints them all and exits 2).
import type { CheckpointConfig } from '@srp-ha/checkpoint';
import type { HostPort } from '@srp-ha/common';
import type { ChassisModeName } from '../api/contract.js';
import { DEFAULT_MANAGEMENT_LISTEN } from '../management/address.js';
import type { LivenessConfig } from './liveness.js';
import { MONITORING_KEYS, type MonitoringConfig } from './monitoring.js';
import type { AuthKeySource, PeerAllow, TlsConfig } from './security.js';
import type { WitnessConfig } from './witness.js';

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

export const MIN_INTERVAL_MS = 10;
export const MAX_INTERVAL_MS = 65_535_000; // the seed's 1..65535 s, with millisecond resolution below

export const KNOWN_KEYS = [
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
export const REQUIRED_KEYS = ['chassis-id', 'mode', 'priority', 'cf-mac', 'bind', 'peer'] as const;
export const LOG_LEVELS: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

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
