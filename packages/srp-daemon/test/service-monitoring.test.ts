// Service monitoring without sockets: the monitoring config (every bad key named), the guard and
// damping decision, the state machine's service-health event and monitor-reasoned switchovers,
// and `srpd --check` refusing a bad monitor config. (The monitors against real servers are in
// the *.integration.test.ts files.)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../src/config/config.js';
import type { GuardConfig } from '../src/config/monitoring.js';
import { initialState, step, type FsmConfig, type FsmState, type PeerHello } from '../src/fsm/chassis.js';
import { guardDecision } from '../src/monitors/guard.js';
import { groupVerdict } from '../src/monitors/source.js';
import { belowThreshold, effectivePriority } from '../src/monitors/track-objects.js';
import { SRPD } from './helpers/cluster.js';
import { configIssues } from './helpers/config.js';
import { peerHello } from './helpers/fsm-sim.js';

const dir = mkdtempSync(join(tmpdir(), 'srp-mon-cfg-'));
const secret = join(dir, 'radius.secret');
writeFileSync(secret, 'a-shared-secret\n');

const BASE = `
chassis-id: east
mode: primary
priority: 10
cf-mac: 00-02-43-03-1C-2B
bind: 127.0.0.1:5701
peer: 127.0.0.1:5702
auth-key: 0123456789abcdef0123
`;

function aaa(servers: string, groups: string): string {
  return `${BASE}monitor:\n  authentication-probe:\n    user: probe\n    password: pw\n    servers:\n${servers}\n    groups:\n${groups}\n`;
}

function issues(yaml: string): { key: string; reason: string }[] {
  return configIssues(yaml, dir);
}

describe('monitoring config', () => {
  it('loads servers, groups, peers, track objects and guard timers with their defaults', () => {
    const c = loadConfigText(
      `${aaa(`      a1: { address: 127.0.0.2, secret-file: radius.secret }`, `      "1": [a1]`)}  diameter:\n    peers:\n      d1: { address: 127.0.0.3, host: dra.test }\n    groups:\n      core: [d1]\ntrack:\n  aaa: { type: monitor-group, monitor: authentication-probe, group: "1", decrement: 20 }\nfailover-threshold: 25\npreemption-delay: 10s\nguard-timer:\n  srp-redundancy-timers:\n    aaa: { guard-period: 30s }\n`,
      dir,
    );
    const m = c.monitoring;
    expect(m.authProbe?.servers[0]).toMatchObject({ name: 'a1', address: '127.0.0.2', port: 1812, user: 'probe', password: 'pw', intervalMs: 5000, timeoutMs: 2000, maxRetries: 3 });
    expect(m.authProbe?.servers[0]?.secret.toString()).toBe('a-shared-secret');
    expect(m.authProbe?.nasIdentifier).toBe('east');
    expect(m.diameter).toMatchObject({ originHost: 'east.srpd', originRealm: 'srpd', watchdogIntervalMs: 30_000, peers: [{ name: 'd1', port: 3868, host: 'dra.test', realm: null }] });
    expect([...(m.diameter?.groups ?? [])]).toEqual([['core', ['d1']]]);
    expect(m.track).toEqual([{ name: 'aaa', type: 'monitor-group', monitor: 'authentication-probe', group: '1', decrement: 20 }]);
    expect([m.failoverThreshold, m.preemptionDelayMs]).toEqual([25, 10_000]);
    expect(m.guard.srpRedundancy.aaa).toEqual({ guardPeriodMs: 30_000, dampingPeriodMs: 20_000 });
    expect(m.guard.switchover.diam).toEqual({ guardPeriodMs: 60_000, dampingPeriodMs: 20_000 });
  });

  it('refuses an unknown server, a missing secret file and a group without members, naming each key', () => {
    const got = issues(aaa(`      a1: { address: 127.0.0.2, secret-file: no-such.secret }\n      a2: { address: 127.0.0.4, secret-file: radius.secret }`, `      "1": [a1, a9]\n      "2": []\n      "3": [a2]`));
    expect(got).toContainEqual({ key: 'monitor.authentication-probe.servers.a1.secret-file', reason: expect.stringMatching(/cannot read .*no-such\.secret: ENOENT/) as string });
    expect(got).toContainEqual({ key: 'monitor.authentication-probe.groups.1', reason: "unknown server 'a9' (servers: a1, a2)" });
    expect(got).toContainEqual({ key: 'monitor.authentication-probe.groups.2', reason: 'group without members: list at least one server' });
  });

  it('refuses an inline secret, a bad address, a server in no group, unknown keys and a timeout above the interval', () => {
    const got = issues(aaa(`      a1: { address: not-an-ip, secret: inline, timeout: 9s, interval: 1s, colour: red }\n      a2: { address: 127.0.0.5, secret-file: radius.secret }`, `      "1": [a1]`)).map((i) => i.key);
    expect(got).toEqual(
      expect.arrayContaining([
        'monitor.authentication-probe.servers.a1.address',
        'monitor.authentication-probe.servers.a1.secret',
        'monitor.authentication-probe.servers.a1.timeout',
        'monitor.authentication-probe.servers.a1.colour',
        'monitor.authentication-probe.servers.a2',
      ]),
    );
  });

  it('refuses track objects that point nowhere, a threshold below the priority, a script that cannot run', () => {
    const got = issues(
      `${BASE}failover-threshold: 5\ntrack:\n  g: { type: monitor-group, monitor: diameter, group: x, decrement: 5 }\n  lc: { type: line-cards, decrement: 5 }\n  s: { type: script, command: ./missing.sh, decrement: 5 }\n  w: { type: weight-file, path: w }\n  t: { type: temperature, decrement: 1 }\n`,
    );
    expect(got).toEqual(
      expect.arrayContaining([
        { key: 'track.g.monitor', reason: 'monitor.diameter is not configured' },
        { key: 'track.lc.type', reason: 'line-cards needs the simulated chassis: add a hardware: section' },
        { key: 'track.s.command', reason: expect.stringMatching(/missing\.sh does not exist or is not executable/) as string },
        { key: 'track.w.decrement', reason: expect.stringMatching(/missing/) as string },
        { key: 'track.t.type', reason: expect.stringMatching(/must be one of line-cards, monitor-group/) as string },
        { key: 'failover-threshold', reason: expect.stringMatching(/must be at least priority \(10\)/) as string },
      ]),
    );
  });

  it('srpd --check refuses a bad monitor config with the key named (exit 2)', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, aaa(`      a1: { address: 127.0.0.2, secret-file: gone.secret }`, `      "1": [a1, ghost]\n      "2": []`));
    const r = spawnSync(process.execPath, [SRPD, '--config', file, '--check'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/monitor\.authentication-probe\.servers\.a1\.secret-file: cannot read/);
    expect(r.stderr).toMatch(/monitor\.authentication-probe\.groups\.1: unknown server 'ghost'/);
    expect(r.stderr).toMatch(/monitor\.authentication-probe\.groups\.2: group without members/);
  });
});

describe('guard and damping', () => {
  const cfg: GuardConfig = {
    srpRedundancy: { aaa: { guardPeriodMs: 60_000, dampingPeriodMs: 20_000 }, diam: { guardPeriodMs: 30_000, dampingPeriodMs: 5_000 }, bgp: { guardPeriodMs: 10_000, dampingPeriodMs: 1_000 } },
    switchover: { aaa: { guardPeriodMs: 120_000, dampingPeriodMs: 40_000 }, diam: { guardPeriodMs: 0, dampingPeriodMs: 0 } },
  };
  const none = { active: false, remainingMs: 0 };

  it('outside every guard period: at once', () => {
    expect(guardDecision(cfg, 'aaa', { now: 100_000, localFailure: { at: 0, cause: 'x' }, hardwareGuard: none, lastSwitchoverAt: null }).dampingMs).toBe(0);
  });

  it('within the guard period of a local failure, or while the chassis guard timer runs: the damping period', () => {
    const d = guardDecision(cfg, 'aaa', { now: 59_000, localFailure: { at: 0, cause: 'CF in slot 1: crash' }, hardwareGuard: none, lastSwitchoverAt: null });
    expect(d.dampingMs).toBe(20_000);
    expect(d.reasons[0]).toMatch(/guard-period 60 s of a local failure \(CF in slot 1: crash/);
    expect(guardDecision(cfg, 'diam', { now: 1e9, localFailure: null, hardwareGuard: { active: true, remainingMs: 900 }, lastSwitchoverAt: null }).dampingMs).toBe(5_000);
  });

  it('after a switchover: the aaa-switchover-timers; the longest damping wins; BGP has no switchover timers', () => {
    const i = { now: 10_000, localFailure: { at: 5_000, cause: 'x' }, hardwareGuard: none, lastSwitchoverAt: 0 };
    expect(guardDecision(cfg, 'aaa', i).dampingMs).toBe(40_000);
    expect(guardDecision(cfg, 'aaa', i).reasons).toHaveLength(2);
    expect(guardDecision(cfg, 'diam', i).dampingMs).toBe(5_000);
    expect(guardDecision(cfg, 'bgp', i).dampingMs).toBe(1_000);
  });

  it('group verdicts and the effective priority', () => {
    expect(groupVerdict(['down', 'down'])).toBe('down');
    expect(groupVerdict(['down', 'up'])).toBe('up');
    expect(groupVerdict(['down', 'unknown'])).toBe('unknown');
    const objs = [
      { name: 'a', type: 'script' as const, state: 'down' as const, decrement: 30, cause: '', since: null },
      { name: 'b', type: 'script' as const, state: 'up' as const, decrement: 99, cause: '', since: null },
      { name: 'c', type: 'script' as const, state: 'down' as const, decrement: 250, cause: '', since: null },
    ];
    expect(effectivePriority(10, objs.slice(0, 2))).toBe(40);
    expect(effectivePriority(10, objs)).toBe(255);
    expect([belowThreshold(40, 50), belowThreshold(51, 50), belowThreshold(255, null)]).toEqual([false, true, false]);
  });
});

describe('state machine: service health and monitor switchovers', () => {
  const config = (over: Partial<FsmConfig> = {}): FsmConfig => ({
    chassisId: 'east',
    mode: 'primary',
    priority: 10,
    cfMac: new Uint8Array([0, 2, 0x43, 3, 0x1c, 0x2b]),
    deadIntervalMs: 1000,
    delayIntervalMs: 0,
    startupHoldMs: 1000,
    preemption: true,
    routeModifier: { initial: 1, threshold: 16 },
    switchoverTimeoutMs: 5000,
    ...over,
  });
  const hello = (h: Partial<Omit<PeerHello, 'cfMac'>>): PeerHello =>
    peerHello({ chassisId: 'west', mode: 'primary', state: 'Active', priority: 20, cfMac: '00-02-43-03-01-3B', routeModifier: 2, standbyReady: false, bootId: 'b1', ...h });
  const run = (s: FsmState, events: Parameters<typeof step>[1][], now = 0): { s: FsmState; effects: ReturnType<typeof step>['effects'] } => {
    let cur = s;
    const effects: ReturnType<typeof step>['effects'] = [];
    for (const e of events) {
      const r = step(cur, e, now);
      cur = r.state;
      effects.push(...r.effects);
    }
    return { s: cur, effects };
  };

  it('a Standby preempts only once service monitoring allows it, with its effective priority', () => {
    const standby = run(initialState(config()), [{ type: 'start' }, { type: 'hello', hello: hello({}) }, { type: 'readiness', ready: true }]);
    // Same mode, 10 beats 20: it would preempt at once; this one waits for service-health.
    expect(standby.effects.some((e) => e.type === 'send-switchover-request')).toBe(true);
    const held = run(initialState(config()), [{ type: 'start' }, { type: 'service-health', priority: 10, preemptAllowed: false }, { type: 'hello', hello: hello({}) }, { type: 'readiness', ready: true }]);
    expect(held.s.name).toBe('Standby');
    expect(held.effects.some((e) => e.type === 'send-switchover-request')).toBe(false);
    // Degraded to 30 (worse than the peer's 20): allowed, but it no longer wins.
    const worse = run(held.s, [{ type: 'service-health', priority: 30, preemptAllowed: true }]);
    expect(worse.effects.some((e) => e.type === 'send-switchover-request')).toBe(false);
    expect(worse.effects.some((e) => e.type === 'send-hello')).toBe(true);
    const back = run(worse.s, [{ type: 'service-health', priority: 10, preemptAllowed: true }]);
    expect(back.effects).toContainEqual(expect.objectContaining({ type: 'send-switchover-request', reason: 'preemption' }));
  });

  it('a monitor switchover carries its reason into the transition and the request; the Standby takes over with it', () => {
    const started = run(initialState(config()), [{ type: 'start' }]);
    const active = run(started.s, [{ type: 'timer', timer: 'startup' }, { type: 'before-active-done' }, { type: 'link-up' }, { type: 'hello', hello: hello({ state: 'Standby', standbyReady: true }) }], 2000);
    expect(active.s.name).toBe('Active');
    const sw = run(active.s, [{ type: 'manual-switchover', force: false, requestId: 7, reason: 'monitor-aaa', cause: 'monitor.authentication-probe group 1 down' }, { type: 'flush-done', requestId: 7, flushedUpTo: 3 }], 2000);
    expect(sw.effects).toContainEqual(expect.objectContaining({ type: 'transition', to: 'Pending-Standby', reason: 'monitor-aaa', cause: 'monitor.authentication-probe group 1 down' }));
    expect(sw.effects).toContainEqual(expect.objectContaining({ type: 'send-switchover-request', reason: 'monitor-aaa' }));
    const standby = run(initialState(config({ chassisId: 'west', mode: 'backup', priority: 20 })), [{ type: 'start' }, { type: 'hello', hello: hello({ chassisId: 'east', priority: 10 }) }, { type: 'readiness', ready: true }]);
    const took = run(standby.s, [{ type: 'switchover-request', requestId: 7, force: false, reason: 'tracking', flushedUpTo: 3 }]);
    expect(took.effects).toContainEqual(expect.objectContaining({ type: 'transition', to: 'Pending-Active', reason: 'tracking' }));
  });
});
