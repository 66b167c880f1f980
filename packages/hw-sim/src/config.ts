// Configuration of one simulated chassis: the camelCase shape the code uses, its defaults,
// and `hardwareConfigFromYaml` for the kebab-case `hardware:` section of srpd's YAML.
import { formatMac, parseDuration, parseMac } from '@srp-ha/common';
import { HwSimError } from './errors.js';
import { isRedundancyMode, MODE_BEHAVIOUR, type RedundancyMode } from './modes.js';

export interface TrafficConfig {
  /** Session operations per second (attach + update + detach), 0 < rate <= 10000. */
  rate: number;
  /** Upper bound on live sessions (<= 1,000,000). */
  maxSessions: number;
  /** Stop after this long (ms); null: until stopped or `count` is reached. */
  durationMs: number | null;
  /** Stop after this many operations; null: no limit. */
  count: number | null;
  /** PRNG seed: the same seed gives the same sessions and operations. */
  seed: number;
  /** Share of sessions in the 'ims' class (0..1). */
  imsRatio: number;
  minLifetimeMs: number;
  maxLifetimeMs: number;
  /** Generator tick (ms): operations are produced in batches of rate * tick. */
  tickMs: number;
  /** Start generating as soon as the chassis has an active CF. */
  autoStart: boolean;
}

export interface HardwareTimers {
  /** CF image boot: INITIALIZATION to NEGOTIATION. */
  cfBootMs: number;
  /** A crashed or declared-dead CF reloads and comes back as standby after this. */
  cfReloadMs: number;
  /** STANDBY COLD-CONFIG and COLD-FILESYS steps. */
  configSyncMs: number;
  fileSysSyncMs: number;
  /** Floor for STANDBY COLD-BULK (clients' own bulk work comes on top). */
  bulkSyncMs: number;
  /** Switchover time per mode (the seed's figures by default). */
  switchoverMs: Record<RedundancyMode, number>;
  /** A hung active CF is declared dead after this (the seed's switchover timer, 3 s). */
  hangDetectMs: number;
  /** Line card boot / reload. */
  lineCardBootMs: number;
  /** client_notification_TMR. */
  clientNotificationMs: number;
}

export interface HardwareConfig {
  chassisId: string;
  /** MACs of the two CF cards, in slot order. */
  cfMacs: [string, string];
  cfSlots: [number, number];
  /** Line cards, in slots after the CFs. */
  lineCards: { ports: number }[];
  redundancyMode: RedundancyMode;
  /** SRP guard period after a local CF switchover / card reboot (ms). */
  guardTimerMs: number;
  /** Prefixes the active CF programs on every line card. */
  routes: string[];
  timers: HardwareTimers;
  traffic: TrafficConfig | null;
}

export const DEFAULT_TIMERS: HardwareTimers = {
  cfBootMs: 2_000,
  cfReloadMs: 5_000,
  configSyncMs: 500,
  fileSysSyncMs: 500,
  bulkSyncMs: 1_000,
  switchoverMs: {
    HSA: MODE_BEHAVIOUR.HSA.defaultSwitchoverMs,
    RPR: MODE_BEHAVIOUR.RPR.defaultSwitchoverMs,
    'RPR+': MODE_BEHAVIOUR['RPR+'].defaultSwitchoverMs,
    SSO: MODE_BEHAVIOUR.SSO.defaultSwitchoverMs,
  },
  hangDetectMs: 3_000,
  lineCardBootMs: 5_000,
  clientNotificationMs: 30_000,
};

export const DEFAULT_TRAFFIC: TrafficConfig = {
  rate: 50,
  maxSessions: 1_000,
  durationMs: null,
  count: null,
  seed: 1,
  imsRatio: 0.3,
  minLifetimeMs: 10_000,
  maxLifetimeMs: 600_000,
  tickMs: 100,
  autoStart: true,
};

export const MAX_TRAFFIC_RATE = 10_000;
export const MAX_SESSIONS = 1_000_000;
export const MAX_LINE_CARDS = 14;

export type HardwareConfigInput = Partial<Omit<HardwareConfig, 'timers' | 'traffic' | 'lineCards'>> & {
  lineCards?: number | { ports: number }[];
  timers?: Partial<Omit<HardwareTimers, 'switchoverMs'>> & { switchoverMs?: Partial<Record<RedundancyMode, number>> };
  traffic?: Partial<TrafficConfig> | null;
};

function bad(msg: string): never {
  throw new HwSimError('HW_ERR_BAD_CONFIG', `hardware config: ${msg}`);
}

function checkInt(name: string, v: number, min: number, max: number): number {
  if (!Number.isInteger(v) || v < min || v > max) bad(`${name} must be an integer in ${min}..${max}, got ${String(v)}`);
  return v;
}

function cfMac(i: number, text: unknown): string {
  const mac = parseMac(text);
  if (typeof mac === 'string') throw new HwSimError('HW_ERR_BAD_MAC', `hardware config: cf-macs[${i}] ${mac}`);
  return formatMac(mac);
}

/** Fill defaults and validate; throws HwSimError HW_ERR_BAD_CONFIG / HW_ERR_BAD_MAC. */
export function resolveHardwareConfig(input: HardwareConfigInput = {}): HardwareConfig {
  const chassisId = input.chassisId ?? 'chassis-1';
  const macs = input.cfMacs ?? ['00-02-43-03-1C-2B', '00-02-43-03-1C-2C'];
  if (!Array.isArray(macs) || macs.length !== 2) bad('cf-macs must list exactly two MAC addresses');
  const cfMacs: [string, string] = [cfMac(0, macs[0]), cfMac(1, macs[1])];
  if (cfMacs[0] === cfMacs[1]) bad(`the two CF MACs must differ (both ${cfMacs[0]})`);
  const cfSlots = input.cfSlots ?? [1, 2];
  if (cfSlots[0] === cfSlots[1]) bad('the two CF slots must differ');
  const lcIn = input.lineCards ?? 2;
  const lineCards = typeof lcIn === 'number' ? Array.from({ length: checkInt('line-cards', lcIn, 0, MAX_LINE_CARDS) }, () => ({ ports: 4 })) : lcIn;
  if (lineCards.length > MAX_LINE_CARDS) bad(`at most ${MAX_LINE_CARDS} line cards`);
  lineCards.forEach((lc, i) => checkInt(`line-cards[${i}].ports`, lc.ports, 1, 64));
  const redundancyMode = input.redundancyMode ?? 'SSO';
  if (!isRedundancyMode(redundancyMode)) bad(`redundancy-mode must be one of HSA, RPR, RPR+, SSO, got ${String(redundancyMode)}`);
  const guardTimerMs = checkInt('guard-timer (ms)', input.guardTimerMs ?? 60_000, 0, 3_600_000);
  const timers: HardwareTimers = {
    ...DEFAULT_TIMERS,
    ...input.timers,
    switchoverMs: { ...DEFAULT_TIMERS.switchoverMs, ...input.timers?.switchoverMs },
  };
  for (const [k, v] of Object.entries(timers)) {
    if (k === 'switchoverMs') continue;
    checkInt(`timers.${k}`, v as number, 0, 3_600_000);
  }
  for (const [k, v] of Object.entries(timers.switchoverMs)) checkInt(`timers.switchoverMs.${k}`, v, 0, 3_600_000);
  let traffic: TrafficConfig | null = null;
  if (input.traffic !== null && input.traffic !== undefined) {
    traffic = { ...DEFAULT_TRAFFIC, ...input.traffic };
    if (!(traffic.rate > 0 && traffic.rate <= MAX_TRAFFIC_RATE)) bad(`traffic.rate must be in (0, ${MAX_TRAFFIC_RATE}] ops/s`);
    checkInt('traffic.max-sessions', traffic.maxSessions, 1, MAX_SESSIONS);
    if (traffic.durationMs !== null) checkInt('traffic.duration (ms)', traffic.durationMs, 1, 7 * 86_400_000);
    if (traffic.count !== null) checkInt('traffic.count', traffic.count, 1, Number.MAX_SAFE_INTEGER);
    checkInt('traffic.seed', traffic.seed, 0, 0xffffffff);
    if (!(traffic.imsRatio >= 0 && traffic.imsRatio <= 1)) bad('traffic.ims-ratio must be in 0..1');
    checkInt('traffic.min-lifetime (ms)', traffic.minLifetimeMs, 1, 86_400_000);
    checkInt('traffic.max-lifetime (ms)', traffic.maxLifetimeMs, traffic.minLifetimeMs, 86_400_000);
    checkInt('traffic.tick (ms)', traffic.tickMs, 1, 60_000);
  }
  const routes = input.routes ?? ['0.0.0.0/0'];
  return { chassisId, cfMacs, cfSlots, lineCards, redundancyMode, guardTimerMs, routes, timers, traffic };
}

/** A duration from YAML (a number is seconds, as the seed's CLI takes them; "250ms", "3s", "2m", "1h"). */
function durationMs(name: string, v: unknown): number {
  const ms = parseDuration(v);
  return typeof ms === 'string' ? bad(`${name} ${ms}`) : ms;
}

const YAML_KEYS = new Set(['chassis-id', 'cf-macs', 'cf-slots', 'line-cards', 'redundancy-mode', 'guard-timer', 'routes', 'timers', 'traffic']);
const TRAFFIC_KEYS = new Set(['rate', 'max-sessions', 'duration', 'count', 'seed', 'ims-ratio', 'min-lifetime', 'max-lifetime', 'tick', 'auto-start']);
const TIMER_KEYS: Record<string, keyof Omit<HardwareTimers, 'switchoverMs'>> = {
  'cf-boot': 'cfBootMs',
  'cf-reload': 'cfReloadMs',
  'config-sync': 'configSyncMs',
  'filesys-sync': 'fileSysSyncMs',
  'bulk-sync': 'bulkSyncMs',
  'hang-detect': 'hangDetectMs',
  'line-card-boot': 'lineCardBootMs',
  'client-notification': 'clientNotificationMs',
};

function asObject(name: string, v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad(`${name} must be a mapping`);
  return v as Record<string, unknown>;
}

function unknownKeys(name: string, obj: Record<string, unknown>, known: Iterable<string>): void {
  const k = new Set(known);
  const extra = Object.keys(obj).filter((x) => !k.has(x));
  if (extra.length) bad(`unknown key(s) in ${name}: ${extra.join(', ')}`);
}

/**
 * Map the `hardware:` section of srpd's YAML (already parsed to plain data) to a config.
 * `chassisId` defaults to the daemon's own chassis id. Unknown keys are refused.
 */
export function hardwareConfigFromYaml(section: unknown, chassisId?: string): HardwareConfig {
  const s = section === undefined || section === null ? {} : asObject('hardware', section);
  unknownKeys('hardware', s, YAML_KEYS);
  const input: HardwareConfigInput = {};
  const id = s['chassis-id'] ?? chassisId;
  if (id !== undefined) {
    if (typeof id !== 'string' && typeof id !== 'number') bad('chassis-id must be a string');
    input.chassisId = String(id);
  }
  if (s['cf-macs'] !== undefined) {
    const m = s['cf-macs'];
    if (!Array.isArray(m) || m.length !== 2 || !m.every((x) => typeof x === 'string')) bad('cf-macs must be a list of two MAC strings');
    input.cfMacs = [m[0], m[1]];
  }
  if (s['cf-slots'] !== undefined) {
    const m = s['cf-slots'];
    if (!Array.isArray(m) || m.length !== 2 || !m.every((x) => Number.isInteger(x))) bad('cf-slots must be a list of two integers');
    input.cfSlots = [m[0] as number, m[1] as number];
  }
  const lc = s['line-cards'];
  if (lc !== undefined) {
    if (typeof lc === 'number') input.lineCards = lc;
    else if (Array.isArray(lc)) input.lineCards = lc.map((x, i) => ({ ports: Number(asObject(`line-cards[${i}]`, x)['ports'] ?? 4) }));
    else bad('line-cards must be a count or a list of {ports}');
  }
  if (s['redundancy-mode'] !== undefined) {
    const raw = s['redundancy-mode'];
    const m = typeof raw === 'string' ? raw.toUpperCase() : '';
    if (!isRedundancyMode(m)) bad(`redundancy-mode must be one of HSA, RPR, RPR+, SSO, got ${JSON.stringify(raw)}`);
    input.redundancyMode = m;
  }
  if (s['guard-timer'] !== undefined) input.guardTimerMs = durationMs('guard-timer', s['guard-timer']);
  if (s['routes'] !== undefined) {
    if (!Array.isArray(s['routes'])) bad('routes must be a list of prefixes');
    input.routes = (s['routes'] as unknown[]).map(String);
  }
  if (s['timers'] !== undefined) {
    const t = asObject('timers', s['timers']);
    unknownKeys('timers', t, [...Object.keys(TIMER_KEYS), 'switchover']);
    const timers: NonNullable<HardwareConfigInput['timers']> = {};
    for (const [yk, ck] of Object.entries(TIMER_KEYS)) if (t[yk] !== undefined) timers[ck] = durationMs(`timers.${yk}`, t[yk]);
    if (t['switchover'] !== undefined) {
      const sw = asObject('timers.switchover', t['switchover']);
      const out: Partial<Record<RedundancyMode, number>> = {};
      for (const [k, v] of Object.entries(sw)) {
        const mode = k.toUpperCase();
        if (!isRedundancyMode(mode)) bad(`timers.switchover: unknown mode ${k}`);
        out[mode] = durationMs(`timers.switchover.${k}`, v);
      }
      timers.switchoverMs = out;
    }
    input.timers = timers;
  }
  if (s['traffic'] !== undefined && s['traffic'] !== false) {
    const t = s['traffic'] === true ? {} : asObject('traffic', s['traffic']);
    unknownKeys('traffic', t, TRAFFIC_KEYS);
    const tr: Partial<TrafficConfig> = {};
    if (t['rate'] !== undefined) tr.rate = Number(t['rate']);
    if (t['max-sessions'] !== undefined) tr.maxSessions = Number(t['max-sessions']);
    if (t['duration'] !== undefined) tr.durationMs = t['duration'] === null ? null : durationMs('traffic.duration', t['duration']);
    if (t['count'] !== undefined) tr.count = t['count'] === null ? null : Number(t['count']);
    if (t['seed'] !== undefined) tr.seed = Number(t['seed']);
    if (t['ims-ratio'] !== undefined) tr.imsRatio = Number(t['ims-ratio']);
    if (t['min-lifetime'] !== undefined) tr.minLifetimeMs = durationMs('traffic.min-lifetime', t['min-lifetime']);
    if (t['max-lifetime'] !== undefined) tr.maxLifetimeMs = durationMs('traffic.max-lifetime', t['max-lifetime']);
    if (t['tick'] !== undefined) tr.tickMs = durationMs('traffic.tick', t['tick']);
    if (t['auto-start'] !== undefined) tr.autoStart = t['auto-start'] === true;
    input.traffic = tr;
  }
  return resolveHardwareConfig(input);
}
