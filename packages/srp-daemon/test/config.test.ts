import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configDigest, differingKeys, loadConfigText, matchingValues } from '../src/config/config.js';
import { BASE_CONFIG, configIssues } from './helpers/config.js';

const BASE = BASE_CONFIG;
const issues = configIssues;

describe('config', () => {
  it('loads a minimal config with the seed defaults', () => {
    const c = loadConfigText(BASE, tmpdir());
    expect(c).toMatchObject({
      chassisId: 'east',
      mode: 'primary',
      priority: 10,
      cfMac: '00-02-43-03-1C-2B',
      bind: { host: '127.0.0.1', port: 5701 },
      helloIntervalMs: 3000,
      deadIntervalMs: 15000,
      delayIntervalMs: 0,
      preemption: false,
      compression: ['zlib'],
      routeModifier: { initial: 1, threshold: 16 },
      management: { listen: { host: '127.0.0.1', port: 7800 }, token: null },
    });
  });

  it('accepts 100ms, 3s and bare seconds', () => {
    const c = loadConfigText(`${BASE}hello-interval: 50ms\ndead-interval: 150ms\ndelay-interval: 1\n`, tmpdir());
    expect([c.helloIntervalMs, c.deadIntervalMs, c.delayIntervalMs]).toEqual([50, 150, 1000]);
  });

  it('refuses dead-interval below 3 x hello-interval, naming the key', () => {
    expect(issues(`${BASE}hello-interval: 1s\ndead-interval: 2s\n`)).toEqual([
      { key: 'dead-interval', reason: 'must be at least 3 x hello-interval (3s), got 2s' },
    ]);
  });

  it('liveness.realtime-priority: auto (SCHED_RR 50 where allowed) by default, off, 1-99 taken, anything else refused naming the key', () => {
    const auto = { realtimePriority: 50, realtimeAuto: true };
    expect(loadConfigText(BASE, tmpdir()).liveness).toMatchObject(auto);
    expect(loadConfigText(`${BASE}liveness:\n  realtime-priority: auto\n`, tmpdir()).liveness).toMatchObject(auto);
    expect(loadConfigText(`${BASE}liveness:\n  realtime-priority: off\n`, tmpdir()).liveness).toMatchObject({ realtimePriority: null, realtimeAuto: false });
    expect(loadConfigText(`${BASE}liveness:\n  realtime-priority: 20\n`, tmpdir()).liveness).toMatchObject({ realtimePriority: 20, realtimeAuto: false });
    for (const bad of ['0', '100', '2.5', 'high', 'true']) {
      expect(issues(`${BASE}liveness:\n  realtime-priority: ${bad}\n`)).toEqual([
        { key: 'liveness.realtime-priority', reason: expect.stringMatching(/^must be auto, off or an integer 1-99 \(a SCHED_RR priority\), got /) as string },
      ]);
    }
  });

  it('liveness.hello-path: process by default, thread taken, anything else refused naming the key', () => {
    expect(loadConfigText(BASE, tmpdir()).liveness.helloPath).toBe('process');
    expect(loadConfigText(`${BASE}liveness:\n  hello-path: thread\n`, tmpdir()).liveness.helloPath).toBe('thread');
    expect(loadConfigText(`${BASE}liveness:\n  hello-path: process\n`, tmpdir()).liveness.helloPath).toBe('process');
    for (const bad of ['worker', '1', 'true', '[process]']) {
      expect(issues(`${BASE}liveness:\n  hello-path: ${bad}\n`)).toEqual([
        { key: 'liveness.hello-path', reason: expect.stringMatching(/^must be process or thread, got /) as string },
      ]);
    }
  });

  it('refuses the same port twice', () => {
    expect(issues(`${BASE}management:\n  listen: 127.0.0.1:5701\n`)[0]).toMatchObject({
      key: 'management.listen',
      reason: expect.stringContaining('already used by bind') as unknown,
    });
    expect(issues(BASE.replace('127.0.0.1:5702', '127.0.0.1:5701'))[0]?.key).toBe('peer');
  });

  it('refuses a malformed MAC', () => {
    expect(issues(BASE.replace('00-02-43-03-1C-2B', '00-02-43-03-1C'))[0]?.key).toBe('cf-mac');
    expect(issues(BASE.replace('00-02-43-03-1C-2B', 'zz:02:43:03:1C:2B'))[0]?.key).toBe('cf-mac');
  });

  it('refuses a missing key and an unknown key', () => {
    expect(issues(BASE.replace('mode: primary\n', ''))).toEqual([{ key: 'mode', reason: 'missing (required)' }]);
    expect(issues(`${BASE}hello-intervall: 1s\n`)).toEqual([
      { key: 'hello-intervall', reason: "unknown key (did you mean 'hello-interval'?)" },
    ]);
    expect(issues(BASE.replace('auth-key: 0123456789abcdef0123\n', ''))[0]?.key).toBe('auth-key');
    expect(issues(`${BASE}route-modifier:\n  initial: 1\n  limit: 3\n`)[0]?.key).toBe('route-modifier.limit');
  });

  it('reads auth-key-file relative to the config file and refuses short keys', () => {
    const dir = mkdtempSync(join(tmpdir(), 'srpd-cfg-'));
    writeFileSync(join(dir, 'key'), 'a-long-enough-shared-key\n');
    const text = BASE.replace('auth-key: 0123456789abcdef0123', 'auth-key-file: key');
    expect(loadConfigText(text, dir).authKey).toBe('a-long-enough-shared-key');
    expect(issues(BASE.replace('0123456789abcdef0123', 'short'))[0]?.key).toBe('auth-key');
  });

  it('checks notify hooks, compression, management token and log level', () => {
    expect(issues(`${BASE}notify-hooks:\n  standby-to-active: /bin/true\n`)[0]?.key).toBe('notify-hooks.standby-to-active');
    expect(issues(`${BASE}notify-hooks:\n  any: /nonexistent/hook\n`)[0]?.reason).toContain('not executable');
    expect(loadConfigText(`${BASE}notify-hooks:\n  any: /bin/true\n`, tmpdir()).notifyHooks).toEqual([
      { transition: 'any', command: '/bin/true' },
    ]);
    expect(issues(`${BASE}compression: [lz4, gzip]\n`)[0]?.key).toBe('compression');
    expect(loadConfigText(`${BASE}compression: [lz4, zlib]\n`, tmpdir()).compression).toEqual(['lz4', 'zlib']);
    expect(issues(`${BASE}management:\n  listen: 0.0.0.0:7000\n`)[0]?.key).toBe('management.token');
    expect(issues(`${BASE}log-level: loud\n`)[0]?.key).toBe('log-level');
  });

  it('accepts checkpoint and hardware sections as objects', () => {
    const c = loadConfigText(`${BASE}checkpoint:\n  session-duration: 60s\nhardware:\n  line-cards: 2\n`, tmpdir());
    expect(c.checkpoint).toEqual({ 'session-duration': '60s' });
    expect(c.hardware).toEqual({ 'line-cards': 2 });
  });

  it('digests only the keys that must match on both chassis', () => {
    const a = loadConfigText(BASE, tmpdir());
    const b = loadConfigText(BASE.replace('mode: primary', 'mode: backup').replace('priority: 10', 'priority: 20'), tmpdir());
    expect(configDigest(matchingValues(a))).toEqual(configDigest(matchingValues(b)));
    const c = loadConfigText(`${BASE}hello-interval: 1s\n`, tmpdir());
    expect(configDigest(matchingValues(c))).not.toEqual(configDigest(matchingValues(a)));
    // The fence rule for a stall with the peer down takes the peer's hold to be ours.
    const d = loadConfigText(`${BASE}delay-interval: 2\nliveness:\n  startup-hold: 20s\n`, tmpdir());
    expect(differingKeys(matchingValues(a), matchingValues(d))).toEqual(['delay-interval', 'liveness.startup-hold']);
  });
});
