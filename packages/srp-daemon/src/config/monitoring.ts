// The service-monitoring keys of srpd's YAML: `monitor` (authentication-probe, diameter),
// `track`, `failover-threshold`, `preemption-delay` and `guard-timer` (seed 003's monitors and
// guard timers, seed 002's tracked objects). config.ts calls parseMonitoringConfig once and
// reports its issues with the rest.
import { isIP } from 'node:net';
import { executable, Fields, isMapping, type Issue } from './fields.js';

export type MonitorKind = 'authentication-probe' | 'diameter' | 'bgp';
/** The guard-timer family of a monitor kind (`srp-redundancy-timers.{aaa,diam,bgp}`). */
export type GuardFamily = 'aaa' | 'diam' | 'bgp';

export interface RadiusServerConfig {
  name: string;
  address: string;
  port: number;
  secret: Buffer;
  user: string;
  password: string;
  intervalMs: number;
  timeoutMs: number;
  maxRetries: number;
}

export interface AuthProbeConfig {
  servers: RadiusServerConfig[];
  /** Group name -> server names. */
  groups: Map<string, string[]>;
  nasIdentifier: string;
}

export interface DiameterPeerConfig {
  name: string;
  address: string;
  port: number;
  /** The peer's expected Diameter identity (checked against the CEA's Origin-Host), or null. */
  host: string | null;
  realm: string | null;
}

export interface DiameterConfig {
  originHost: string;
  originRealm: string;
  /** Host-IP-Address in our CER. */
  hostIp: string;
  watchdogIntervalMs: number;
  timeoutMs: number;
  maxRetries: number;
  peers: DiameterPeerConfig[];
  groups: Map<string, string[]>;
}

export const MONITORING_KEYS = ['monitor', 'track', 'failover-threshold', 'preemption-delay', 'guard-timer'] as const;

export interface GuardTimers {
  guardPeriodMs: number;
  dampingPeriodMs: number;
}

export interface GuardConfig {
  /** After a local failure (CF switchover, card reboot, chassis reset, srpd start). */
  srpRedundancy: Record<GuardFamily, GuardTimers>;
  /** After an interchassis switchover: no back-to-back monitor switchovers while converging. */
  switchover: Record<'aaa' | 'diam', GuardTimers>;
}

export type TrackObjectConfig = { name: string; decrement: number } & (
  | { type: 'line-cards'; down: 'all' | number }
  | { type: 'monitor-group'; monitor: MonitorKind; group: string }
  | { type: 'interface'; interface: string; intervalMs: number }
  | { type: 'script'; command: string; args: string[]; intervalMs: number; timeoutMs: number }
  | { type: 'weight-file'; path: string; intervalMs: number }
);

export interface MonitoringConfig {
  authProbe: AuthProbeConfig | null;
  diameter: DiameterConfig | null;
  track: TrackObjectConfig[];
  /** Below it (an effective priority number above it) the chassis fails over; null: never. */
  failoverThreshold: number | null;
  preemptionDelayMs: number;
  guard: GuardConfig;
}

export const MONITOR_DEFAULTS = {
  probeIntervalMs: 5_000,
  probeTimeoutMs: 2_000,
  maxRetries: 3,
  radiusPort: 1812,
  diameterPort: 3868,
  watchdogIntervalMs: 30_000, // RFC 3539's Tw
  watchdogTimeoutMs: 10_000,
  guardPeriodMs: 60_000,
  dampingPeriodMs: 20_000,
  trackIntervalMs: 5_000,
};

const DAY = 86_400_000;
const NAME = /^[A-Za-z0-9._-]{1,64}$/;
const NAME_WHAT = '1..64 letters, digits, ".", "_" or "-"';
const IDENTITY = /^[A-Za-z0-9.-]{1,255}$/;
const TRACK_TYPES = ['line-cards', 'monitor-group', 'interface', 'script', 'weight-file'] as const;

interface Context {
  chassisId: string;
  hasHardware: boolean;
  /** The configured `priority` (when valid): failover-threshold must not be below it. */
  priority: number | null;
}

/** Members by name, and groups that list them: unknown members, empty groups and orphans refused. */
function readGroups(f: Fields, members: readonly string[], what: string): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  const g = f.section('groups');
  if (!g) {
    f.fail('groups', `missing (required: group name -> list of ${what}s)`);
    return groups;
  }
  for (const [name, list] of Object.entries(g.raw)) {
    if (!NAME.test(name)) g.fail(name, `a group name must be ${NAME_WHAT}`);
    const items = typeof list === 'string' ? [list] : list;
    if (!Array.isArray(items) || items.length === 0) {
      g.fail(name, `group without members: list at least one ${what}`);
      continue;
    }
    const names = items.map(String);
    for (const m of names) if (!members.includes(m)) g.fail(name, `unknown ${what} '${m}' (${what}s: ${members.join(', ') || 'none'})`);
    if (new Set(names).size !== names.length) g.fail(name, `lists a ${what} twice`);
    groups.set(name, names);
  }
  for (const m of members) if (![...groups.values()].some((l) => l.includes(m))) f.fail(`${what === 'server' ? 'servers' : 'peers'}.${m}`, 'is in no group: add it to one under groups');
  return groups;
}

function address(f: Fields): string {
  const a = f.string('address', '', undefined);
  if (a && isIP(a) === 0) f.fail('address', `must be an IP address, got ${JSON.stringify(a)}`);
  if (!f.has('address')) f.fail('address', 'missing (required)');
  return a ?? '';
}

function parseAuthProbe(f: Fields, ctx: Context): AuthProbeConfig {
  f.only(['interval', 'timeout', 'max-retries', 'user', 'password', 'password-file', 'nas-identifier', 'servers', 'groups']);
  const intervalMs = f.durationMs('interval', MONITOR_DEFAULTS.probeIntervalMs, 100, DAY);
  const timeoutMs = f.durationMs('timeout', MONITOR_DEFAULTS.probeTimeoutMs, 10, DAY);
  const maxRetries = f.int('max-retries', MONITOR_DEFAULTS.maxRetries, 1, 100);
  const user = f.string('user', null);
  const password = f.has('password') || f.has('password-file') ? f.secret('password', false) : null;
  const servers: RadiusServerConfig[] = [];
  const s = f.section('servers');
  if (!s || Object.keys(s.raw).length === 0) f.fail('servers', 'missing (required: server name -> address, port, secret-file)');
  for (const [name, raw] of Object.entries(s?.raw ?? {})) {
    if (!s) break;
    if (!NAME.test(name)) s.fail(name, `a server name must be ${NAME_WHAT}`);
    if (!isMapping(raw)) {
      s.fail(name, 'must be a mapping with address, port, secret-file');
      continue;
    }
    const e = new Fields(s.key(name), raw, f.issues, f.baseDir);
    e.only(['address', 'port', 'secret-file', 'secret', 'user', 'password', 'password-file', 'interval', 'timeout', 'max-retries']);
    const server: RadiusServerConfig = {
      name,
      address: address(e),
      port: e.int('port', MONITOR_DEFAULTS.radiusPort, 1, 65535),
      secret: Buffer.from(e.secret('secret', true, false) ?? '', 'utf8'),
      user: e.string('user', user) ?? '',
      password: (e.has('password') || e.has('password-file') ? e.secret('password', false) : password) ?? '',
      intervalMs: e.durationMs('interval', intervalMs, 100, DAY),
      timeoutMs: e.durationMs('timeout', timeoutMs, 10, DAY),
      maxRetries: e.int('max-retries', maxRetries, 1, 100),
    };
    if (server.user === '') e.fail('user', 'missing (required here or under monitor.authentication-probe: the probe user)');
    if (server.password === '' && !e.has('password') && !e.has('password-file') && password === null)
      e.fail('password-file', 'missing (required here or under monitor.authentication-probe: the probe password)');
    if (server.timeoutMs > server.intervalMs) e.fail('timeout', `must not exceed interval (${server.intervalMs} ms)`);
    servers.push(server);
  }
  const groups = readGroups(f, servers.map((x) => x.name), 'server');
  const nasIdentifier = f.string('nas-identifier', ctx.chassisId) ?? ctx.chassisId;
  return { servers, groups, nasIdentifier };
}

function parseDiameter(f: Fields, ctx: Context): DiameterConfig {
  f.only(['origin-host', 'origin-realm', 'host-ip', 'watchdog-interval', 'timeout', 'max-retries', 'peers', 'groups']);
  const originHost = f.string('origin-host', `${ctx.chassisId}.srpd`, IDENTITY, 'a Diameter identity (letters, digits, "." and "-")') ?? '';
  const originRealm = f.string('origin-realm', 'srpd', IDENTITY, 'a realm (letters, digits, "." and "-")') ?? '';
  const hostIp = f.string('host-ip', '127.0.0.1') ?? '127.0.0.1';
  if (isIP(hostIp) === 0) f.fail('host-ip', `must be an IP address, got ${JSON.stringify(hostIp)}`);
  const watchdogIntervalMs = f.durationMs('watchdog-interval', MONITOR_DEFAULTS.watchdogIntervalMs, 100, DAY);
  const timeoutMs = f.durationMs('timeout', Math.min(MONITOR_DEFAULTS.watchdogTimeoutMs, watchdogIntervalMs), 10, DAY);
  if (timeoutMs > watchdogIntervalMs) f.fail('timeout', `must not exceed watchdog-interval (${watchdogIntervalMs} ms)`);
  const maxRetries = f.int('max-retries', MONITOR_DEFAULTS.maxRetries, 1, 100);
  const peers: DiameterPeerConfig[] = [];
  const p = f.section('peers');
  if (!p || Object.keys(p.raw).length === 0) f.fail('peers', 'missing (required: peer name -> address, port, host, realm)');
  for (const [name, raw] of Object.entries(p?.raw ?? {})) {
    if (!p) break;
    if (!NAME.test(name)) p.fail(name, `a peer name must be ${NAME_WHAT}`);
    if (!isMapping(raw)) {
      p.fail(name, 'must be a mapping with address, port, host, realm');
      continue;
    }
    const e = new Fields(p.key(name), raw, f.issues, f.baseDir);
    e.only(['address', 'port', 'host', 'realm']);
    peers.push({
      name,
      address: address(e),
      port: e.int('port', MONITOR_DEFAULTS.diameterPort, 1, 65535),
      host: e.string('host', null, IDENTITY, 'a Diameter identity'),
      realm: e.string('realm', null, IDENTITY, 'a realm'),
    });
  }
  const groups = readGroups(f, peers.map((x) => x.name), 'peer');
  return { originHost, originRealm, hostIp, watchdogIntervalMs, timeoutMs, maxRetries, peers, groups };
}

function guardTimers(f: Fields | null): GuardTimers {
  f?.only(['guard-period', 'damping-period']);
  return {
    guardPeriodMs: f?.durationMs('guard-period', MONITOR_DEFAULTS.guardPeriodMs, 0, DAY) ?? MONITOR_DEFAULTS.guardPeriodMs,
    dampingPeriodMs: f?.durationMs('damping-period', MONITOR_DEFAULTS.dampingPeriodMs, 0, DAY) ?? MONITOR_DEFAULTS.dampingPeriodMs,
  };
}

function parseGuard(f: Fields | null): GuardConfig {
  f?.only(['srp-redundancy-timers', 'aaa-switchover-timers', 'diameter-switchover-timers']);
  const r = f?.section('srp-redundancy-timers') ?? null;
  r?.only(['aaa', 'diam', 'bgp']);
  return {
    srpRedundancy: { aaa: guardTimers(r?.section('aaa') ?? null), diam: guardTimers(r?.section('diam') ?? null), bgp: guardTimers(r?.section('bgp') ?? null) },
    switchover: { aaa: guardTimers(f?.section('aaa-switchover-timers') ?? null), diam: guardTimers(f?.section('diameter-switchover-timers') ?? null) },
  };
}

function parseTrack(f: Fields, ctx: Context, monitors: Partial<Record<MonitorKind, AuthProbeConfig | DiameterConfig | null>>): TrackObjectConfig[] {
  const out: TrackObjectConfig[] = [];
  for (const [name, raw] of Object.entries(f.raw)) {
    if (!NAME.test(name)) f.fail(name, `a track object name must be ${NAME_WHAT}`);
    if (!isMapping(raw)) {
      f.fail(name, `must be a mapping with type (${TRACK_TYPES.join(', ')}) and decrement`);
      continue;
    }
    const e = new Fields(f.key(name), raw, f.issues, f.baseDir);
    const type = e.string('type', null);
    const decrement = e.int('decrement', 0, 1, 255);
    if (!e.has('decrement')) e.fail('decrement', 'missing (required: 1..255, how much a failure of this object lowers the priority)');
    const intervalMs = (): number => e.durationMs('interval', MONITOR_DEFAULTS.trackIntervalMs, 100, DAY);
    switch (type) {
      case 'line-cards': {
        e.only(['type', 'decrement', 'down']);
        if (!ctx.hasHardware) e.fail('type', 'line-cards needs the simulated chassis: add a hardware: section');
        const d = e.raw['down'] ?? 'all';
        const down = d === 'all' ? 'all' : typeof d === 'number' && Number.isInteger(d) && d >= 1 && d <= 14 ? d : null;
        if (down === null) e.fail('down', `must be all or a number of line cards 1..14, got ${JSON.stringify(d)}`);
        out.push({ name, decrement, type, down: down ?? 'all' });
        break;
      }
      case 'monitor-group': {
        e.only(['type', 'decrement', 'monitor', 'group']);
        const monitor = e.string('monitor', null);
        const group = e.string('group', null);
        if (monitor !== 'authentication-probe' && monitor !== 'diameter') e.fail('monitor', `must be authentication-probe or diameter, got ${JSON.stringify(monitor)}`);
        else if (!monitors[monitor]) e.fail('monitor', `monitor.${monitor} is not configured`);
        else if (group === null) e.fail('group', 'missing (required)');
        else if (!monitors[monitor].groups.has(group)) e.fail('group', `unknown group '${group}' of monitor.${monitor} (groups: ${[...monitors[monitor].groups.keys()].join(', ')})`);
        out.push({ name, decrement, type, monitor: (monitor ?? 'authentication-probe') as MonitorKind, group: group ?? '' });
        break;
      }
      case 'interface': {
        e.only(['type', 'decrement', 'name', 'interval']);
        const iface = e.string('name', null, /^[A-Za-z0-9_.:@-]{1,15}$/, 'a network interface name');
        if (!e.has('name')) e.fail('name', 'missing (required: the interface, e.g. eth0)');
        out.push({ name, decrement, type, interface: iface ?? '', intervalMs: intervalMs() });
        break;
      }
      case 'script': {
        e.only(['type', 'decrement', 'command', 'args', 'interval', 'timeout']);
        const command = e.path('command');
        if (command === null) e.fail('command', 'missing (required: an executable; exit 0 = up)');
        else if (!executable(command)) e.fail('command', `${command} does not exist or is not executable`);
        const args = e.raw['args'] ?? [];
        if (!Array.isArray(args) || args.some((a) => typeof a !== 'string')) e.fail('args', 'must be a list of strings');
        const interval = intervalMs();
        const timeoutMs = e.durationMs('timeout', Math.min(interval, 10_000), 10, DAY);
        if (timeoutMs > interval) e.fail('timeout', `must not exceed interval (${interval} ms)`);
        out.push({ name, decrement, type, command: command ?? '', args: Array.isArray(args) ? args.map(String) : [], intervalMs: interval, timeoutMs });
        break;
      }
      case 'weight-file': {
        e.only(['type', 'decrement', 'path', 'interval']);
        const path = e.path('path');
        if (path === null) e.fail('path', 'missing (required: a file holding a weight 0..255)');
        out.push({ name, decrement, type, path: path ?? '', intervalMs: intervalMs() });
        break;
      }
      default:
        e.fail('type', `must be one of ${TRACK_TYPES.join(', ')}, got ${JSON.stringify(type)}`);
    }
  }
  return out;
}

/** Reads the monitoring keys of the root mapping `raw`; never throws, issues carry the keys. */
export function parseMonitoringConfig(raw: Record<string, unknown>, baseDir: string, ctx: Context): { config: MonitoringConfig; issues: Issue[] } {
  const issues: Issue[] = [];
  const root = new Fields('', raw, issues, baseDir);
  const m = root.section('monitor');
  m?.only(['authentication-probe', 'diameter']);
  const ap = m?.section('authentication-probe') ?? null;
  const dm = m?.section('diameter') ?? null;
  const authProbe = ap ? parseAuthProbe(ap, ctx) : null;
  const diameter = dm ? parseDiameter(dm, ctx) : null;
  const t = root.section('track');
  const track = t ? parseTrack(t, ctx, { 'authentication-probe': authProbe, diameter }) : [];
  const failoverThreshold = root.has('failover-threshold') ? root.int('failover-threshold', 255, 1, 255) : null;
  if (failoverThreshold !== null && ctx.priority !== null && ctx.priority > failoverThreshold)
    root.fail('failover-threshold', `must be at least priority (${ctx.priority}): a lower number is a higher priority, and a chassis fails over when its priority number exceeds the threshold`);
  const preemptionDelayMs = root.durationMs('preemption-delay', 0, 0, DAY);
  const guard = parseGuard(root.section('guard-timer'));
  return { config: { authProbe, diameter, track, failoverThreshold, preemptionDelayMs, guard }, issues };
}
