// The core keys of srpd's config, one reader per concern: who this chassis is, where it
// listens and dials, its timers, the management API, the route modifier, compression, notify
// hooks and the simulated hardware's CF MACs. Each reports its problems through `fail` with the
// full key and returns defaults for the keys in error; config.ts calls them in a fixed order.
import { hardwareConfigFromYaml } from '@srp-ha/hw-sim';
import { formatDuration, formatHostPort, formatMac, isLoopbackHost, isWildcardHost, parseDuration, parseHostPort, parseMac, type HostPort } from '@srp-ha/common';
import { executable, isMapping, resolvePath, unknownKeyReason, type Fail } from './fields.js';
import { DEFAULTS, HOOK_TRANSITIONS, MAX_INTERVAL_MS, MIN_INTERVAL_MS, type CompressionName, type NotifyHook, type SrpConfig } from './schema.js';

type Raw = Record<string, unknown>;

/** chassis-id, mode, priority and cf-mac (`''` when absent: the hardware may give it). */
export function readIdentity(raw: Raw, fail: Fail): { chassisId: unknown; mode: unknown; priority: unknown; cfMac: string } {
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
    const mac = parseMac(raw['cf-mac']);
    if (typeof mac === 'string') fail('cf-mac', mac);
    else cfMac = formatMac(mac);
  }
  return { chassisId, mode, priority, cfMac };
}

/** A host:port key (null when absent or wrong, the latter reported). */
export function readHostPort(fail: Fail, key: string, value: unknown, allowZero: boolean): HostPort | null {
  if (value === undefined || value === null) return null;
  const hp = parseHostPort(value, { allowZero });
  if (typeof hp === 'string') {
    fail(key, hp);
    return null;
  }
  return hp;
}

/** hello-interval, dead-interval (at least 3 x hello) and delay-interval. */
export function readTimers(raw: Raw, fail: Fail): { helloIntervalMs: number; deadIntervalMs: number; delayIntervalMs: number } {
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
  return { helloIntervalMs, deadIntervalMs, delayIntervalMs };
}

/** management.listen / token / open-reads, and the listening ports that must differ. */
export function readManagement(raw: Raw, bind: HostPort | null, peer: HostPort | null, fail: Fail): SrpConfig['management'] {
  let management = { listen: parseHostPort(DEFAULTS.managementListen, { allowZero: true }) as HostPort, token: null as string | null, openReads: false };
  const mgmt = raw['management'];
  if (mgmt !== undefined && mgmt !== null) {
    const mgmtKeys = ['listen', 'token', 'open-reads'];
    if (!isMapping(mgmt)) fail('management', 'must be a mapping with listen, token and open-reads');
    else {
      for (const k of Object.keys(mgmt)) if (!mgmtKeys.includes(k)) fail(`management.${k}`, unknownKeyReason(k, mgmtKeys));
      const listen = readHostPort(fail, 'management.listen', mgmt['listen'], true) ?? management.listen;
      const token = mgmt['token'];
      if (token !== undefined && token !== null && typeof token !== 'string') fail('management.token', 'must be a string');
      const openReads = mgmt['open-reads'] ?? false;
      if (typeof openReads !== 'boolean') fail('management.open-reads', 'must be true or false');
      management = { listen, token: typeof token === 'string' ? token : null, openReads: openReads === true };
    }
  }
  if (!isLoopbackHost(management.listen.host) && !management.token)
    fail('management.token', 'required when management.listen is not on loopback');

  // The same port twice: the SRP link and the management API cannot share a listening port.
  if (bind && management.listen.port !== 0 && bind.port === management.listen.port) {
    const sameHost = bind.host === management.listen.host || isWildcardHost(bind.host) || isWildcardHost(management.listen.host);
    if (sameHost) fail('management.listen', `port ${bind.port} is already used by bind`);
  }
  if (bind && peer && bind.port === peer.port && bind.host === peer.host)
    fail('peer', `is the same address as bind (${formatHostPort(bind)})`);
  return management;
}

export function readRouteModifier(raw: Raw, fail: Fail): { initial: number; threshold: number } {
  const routeModifier = { ...DEFAULTS.routeModifier };
  const rm = raw['route-modifier'];
  if (rm === undefined || rm === null) return routeModifier;
  if (!isMapping(rm)) {
    fail('route-modifier', 'must be a mapping with initial and threshold');
    return routeModifier;
  }
  for (const k of Object.keys(rm))
    if (k !== 'initial' && k !== 'threshold') fail(`route-modifier.${k}`, unknownKeyReason(k, ['initial', 'threshold']));
  for (const k of ['initial', 'threshold'] as const) {
    const v = rm[k];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffff) fail(`route-modifier.${k}`, 'must be an integer 0..65535');
    else routeModifier[k] = v;
  }
  if (routeModifier.threshold <= routeModifier.initial)
    fail('route-modifier.threshold', `must be greater than route-modifier.initial (${routeModifier.initial})`);
  return routeModifier;
}

export function readCompression(raw: Raw, fail: Fail): CompressionName[] {
  const comp = raw['compression'];
  if (comp === undefined || comp === null) return [...DEFAULTS.compression];
  const list = typeof comp === 'string' ? [comp] : comp;
  if (!Array.isArray(list) || list.length === 0) fail('compression', 'must be a non-empty list of zlib and/or lz4');
  else if (list.some((c) => c !== 'zlib' && c !== 'lz4')) fail('compression', `only zlib and lz4 are supported, got ${JSON.stringify(list)}`);
  else if (new Set(list).size !== list.length) fail('compression', 'lists the same algorithm twice');
  else return list as CompressionName[];
  return [...DEFAULTS.compression];
}

/** notify-hooks: transition -> an executable (resolved against the config's directory). */
export function readNotifyHooks(raw: Raw, baseDir: string, fail: Fail): NotifyHook[] {
  const notifyHooks: NotifyHook[] = [];
  const hooks = raw['notify-hooks'];
  if (hooks === undefined || hooks === null) return notifyHooks;
  if (!isMapping(hooks)) {
    fail('notify-hooks', 'must be a mapping of transition to executable');
    return notifyHooks;
  }
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
    const path = resolvePath(baseDir, command);
    if (!executable(path)) {
      fail(key, `${path} does not exist or is not executable`);
      continue;
    }
    notifyHooks.push({ transition, command: path });
  }
  return notifyHooks;
}

/**
 * The `hardware:` section (validated by hw-sim) and the CF MAC it implies: `cf-mac` may be left
 * out (the first of hardware.cf-macs), and when given must be one of them. Returns the CF MAC.
 */
export function readHardware(raw: Raw, chassisId: unknown, cfMac: string, fail: Fail): { hardware: Record<string, unknown> | null; cfMac: string } {
  const hardware = raw['hardware'] ?? null;
  if (hardware === null) return { hardware, cfMac };
  if (!isMapping(hardware)) {
    fail('hardware', 'must be a mapping');
    return { hardware: null, cfMac };
  }
  try {
    const hw = hardwareConfigFromYaml(hardware, typeof chassisId === 'string' || typeof chassisId === 'number' ? String(chassisId) : undefined);
    // hw-sim has parsed them: canonical already.
    const macs = hw.cfMacs;
    if (cfMac === '') cfMac = macs[0] ?? '';
    else if (!macs.includes(cfMac)) {
      fail('cf-mac', `must be one of hardware.cf-macs (${macs.join(', ')}): the Hello carries the active CF's MAC; or leave cf-mac out`);
    }
  } catch (err) {
    fail('hardware', (err as Error).message);
  }
  return { hardware, cfMac };
}
