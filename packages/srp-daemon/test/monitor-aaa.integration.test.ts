// The AAA monitor with two real srpd processes and real FreeRADIUS servers (two in the group,
// each on its own loopback address). Stopping every server of the group (SIGSTOP, then kill)
// makes the Active hand over through the planned path: no session lost, and the new Active
// stays Active although it cannot reach the servers either, until srp reset-auth-probe-fail.
// One server of two down changes nothing. The guard timers: a CF crash on the Active chassis
// opens the guard period, and a group failure inside it waits out the damping period;
// outside it, the switchover goes at once. Bounds are generous (2 shared cores).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SrpEvent } from '../src/api/contract.js';
import { startFreeRadius, type FreeRadius } from '../src/monitors/servers/index.js';
import { aaaMissing, loopbackAddress, tempDir } from './helpers/aaa.js';
import { checkBuilt, sleep, SRPCTL, waitFor, type SrpdProcess } from './helpers/cluster.js';
import { api, at, eventsOf, fastHardware, loadReplicated, MACS, monitor, servicePair, sessionSummary } from './helpers/service.js';

const cleanups: Array<() => unknown> = [];
beforeAll(() => checkBuilt());
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const SECRET = 'radius-shared-secret-1';
const INTERVAL_MS = 300;
const RETRIES = 3;
// Generous next to the 1 s of the other tests: a stall of the busy machine must not look like a dead peer.
const DEAD_MS = 3000;
const TIMING = { helloInterval: '300ms', deadInterval: `${DEAD_MS}ms` };

/** Two FreeRADIUS servers and the shared-secret file srpd reads. */
async function radius(): Promise<{ servers: FreeRadius[]; secretFile: string }> {
  const t = tempDir('srp-aaa-it-');
  cleanups.push(() => t.remove());
  const secretFile = join(t.dir, 'radius.secret');
  writeFileSync(secretFile, `${SECRET}\n`);
  const servers: FreeRadius[] = [];
  for (let i = 0; i < 2; i++) {
    const s = await startFreeRadius({ dir: join(t.dir, `r${i + 1}`), address: loopbackAddress(), secret: SECRET, users: [{ name: 'srp-probe', password: 'probe-password-1' }] });
    cleanups.push(() => s.stop());
    servers.push(s);
  }
  return { servers, secretFile };
}

function aaaMonitor(servers: FreeRadius[], secretFile: string): Record<string, unknown> {
  return {
    'authentication-probe': {
      interval: `${INTERVAL_MS}ms`,
      timeout: '250ms',
      'max-retries': RETRIES,
      user: 'srp-probe',
      password: 'probe-password-1',
      servers: Object.fromEntries(servers.map((s, i) => [`r${i + 1}`, { address: s.address, port: s.port, 'secret-file': secretFile }])),
      groups: { '1': servers.map((_, i) => `r${i + 1}`) },
    },
  };
}

const guardTimers = (guardS: number, dampingS: number): Record<string, unknown> => ({
  'srp-redundancy-timers': { aaa: { 'guard-period': `${guardS}s`, 'damping-period': `${dampingS}s` } },
  'aaa-switchover-timers': { 'guard-period': '0s', 'damping-period': '0s' },
});

const zeroDuration = { 'session-duration': '0s', 'session-duration-ims': '0s' };

async function groupVerdict(p: SrpdProcess): Promise<string | undefined> {
  return (await monitor(p)).monitors.find((m) => m.kind === 'authentication-probe')?.groups[0]?.verdict;
}

async function events(p: SrpdProcess): Promise<SrpEvent[]> {
  const e = await p.events();
  cleanups.push(() => e.close());
  return e.list;
}

describe.skipIf(aaaMissing('radius') !== null)('AAA monitor: two srpd processes and real FreeRADIUS', () => {
  it('every server of the group stopped: switchover within interval x max-retries + dead interval, no session lost, the new Active stays until reset-auth-probe-fail', async () => {
    const { servers, secretFile } = await radius();
    const { active, standby } = await servicePair(
      () => ({ monitor: aaaMonitor(servers, secretFile), 'guard-timer': guardTimers(0, 0), checkpoint: zeroDuration }),
      cleanups,
      TIMING,
    );
    await waitFor('the group Up on the Active', async () => (await groupVerdict(active)) === 'up', { timeoutMs: 15_000 });
    // The Standby does not probe.
    const sb = (await monitor(standby)).monitors[0];
    expect(sb?.probing).toBe(false);
    expect(sb?.members.every((m) => m.state === 'unknown')).toBe(true);
    const digest = await loadReplicated(active, standby, 2000, 'aaa');
    const [ea, eb] = [await events(active), await events(standby)];

    const t0 = Date.now();
    for (const s of servers) s.pause();
    await waitFor('the Standby to take over', async () => (await standby.state()) === 'Active', { timeoutMs: 30_000, intervalMs: 20 });
    const took = Date.now() - t0;
    for (const s of servers) await s.stop();
    // interval x max-retries + dead interval, and a planned handover on top (generous: busy box).
    expect(took).toBeLessThan(INTERVAL_MS * RETRIES + DEAD_MS + 6000);
    expect(await active.state()).toBe('Standby');
    const info = await standby.info();
    expect(info.lastSwitchover?.reason).toBe('monitor-aaa');
    expect((await standby.statistics()).switchovers['monitor-aaa']).toBe(1);
    const after = await sessionSummary(standby);
    expect(after.count).toBe(2000);
    expect(after.versionDigest).toBe(digest);
    expect(eventsOf(ea, 'monitor-group', { verdict: 'down' }).length).toBeGreaterThanOrEqual(1);
    expect(eventsOf(ea, 'service-switchover', { reason: 'monitor-aaa', accepted: true }).length).toBe(1);
    expect(eventsOf(eb, 'switchover', { reason: 'monitor-aaa', to: 'Active' }).length).toBe(1);
    const metrics = await standby.metrics();
    expect(metrics).toMatch(/srp_switchovers_total\{reason="monitor-aaa"\} 1/);

    // The new Active cannot reach the servers either: Down, but the failure flag holds it Active.
    await waitFor('the group Down on the new Active', async () => (await groupVerdict(standby)) === 'down', { timeoutMs: 15_000 });
    await sleep(3 * INTERVAL_MS * RETRIES);
    expect(await standby.state()).toBe('Active');
    const held = (await monitor(standby)).monitors[0];
    expect(held?.failureFlag).toBe('took-over');
    expect(eventsOf(eb, 'monitor-switchover', { action: 'suppressed' }).length).toBe(1);
    expect(await metricValue(standby, 'srp_monitor_failure_flag{kind="authentication-probe"}')).toBe(1);
    // The old Active must not preempt back either.
    expect((await monitor(active)).monitors[0]?.failureFlag).toBe('switched-away');

    // srp reset-auth-probe-fail clears the flag: the servers are still down, so it hands back.
    const reset = await api<{ accepted: boolean }>(standby, 'POST', '/v1/srp/reset-auth-probe-fail', {});
    expect(reset.body.accepted).toBe(true);
    await waitFor('the first chassis Active again', async () => (await active.state()) === 'Active', { timeoutMs: 30_000 });
    expect((await active.info()).lastSwitchover?.reason).toBe('monitor-aaa');
    expect((await sessionSummary(active)).versionDigest).toBe(digest);
  });

  it('one server of two down: that server is Down, the group stays Up, no switchover', async () => {
    const { servers, secretFile } = await radius();
    const { active, standby } = await servicePair(
      () => ({ monitor: aaaMonitor(servers, secretFile), 'guard-timer': guardTimers(0, 0) }),
      cleanups,
      TIMING,
    );
    await waitFor('the group Up', async () => (await groupVerdict(active)) === 'up', { timeoutMs: 15_000 });
    const ea = await events(active);
    servers[0]?.pause();
    await waitFor('r1 Down', async () => (await monitor(active)).monitors[0]?.members.find((m) => m.name === 'r1')?.state === 'down', { timeoutMs: 15_000 });
    await sleep(2 * INTERVAL_MS * RETRIES);
    const m = (await monitor(active)).monitors[0];
    expect(m?.groups[0]?.verdict).toBe('up');
    expect(m?.members.find((x) => x.name === 'r2')?.state).toBe('up');
    expect(m?.members.find((x) => x.name === 'r1')?.failures).toBeGreaterThanOrEqual(RETRIES);
    expect([await active.state(), await standby.state()]).toEqual(['Active', 'Standby']);
    expect(eventsOf(ea, 'switchover')).toEqual([]);
    expect(eventsOf(ea, 'monitor-member', { member: 'r1', to: 'down' }).length).toBe(1);

    // srpctl shows it: per-server state, result, failures, the group verdict.
    const out = spawnSync(process.execPath, [SRPCTL, '--api', active.url, 'show', 'srp', 'monitor', 'authentication-probe'], { encoding: 'utf8' });
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/AAA Monitor \(authentication-probe\)/);
    expect(out.stdout).toMatch(/^r1\s+\S+\s+1\s+DOWN\s.*timeout/m);
    expect(out.stdout).toMatch(/^r2\s+\S+\s+1\s+UP\s.*accept/m);
    expect(out.stdout).toMatch(/^1\s+r1, r2\s+UP$/m);
    expect(out.stdout).toMatch(/Effective Priority:\s+10/);
    const json = spawnSync(process.execPath, [SRPCTL, '--api', active.url, '--json', 'show', 'srp', 'monitor'], { encoding: 'utf8' });
    expect((JSON.parse(json.stdout) as { monitors: unknown[] }).monitors).toHaveLength(1);
    // The exposition with monitor series passes promtool when it is there (required under CI).
    const text = await active.metrics();
    expect(text).toMatch(/srp_monitor_member_up\{kind="authentication-probe",member="r1"\} 0/);
    expect(text).toMatch(/srp_monitor_probes_total\{kind="authentication-probe",member="r1",outcome="failure"\} [1-9]/);
    const promtool = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    if (promtool.error && process.env.CI !== 'true') console.warn(`promtool not run: ${promtool.error.message}`);
    else expect(promtool.status, promtool.stdout + promtool.stderr).toBe(0);
  });

  it('guard timers: outside the guard period the switchover goes at once; after a CF crash it waits out the damping period', async () => {
    const GUARD_S = 8;
    const DAMPING_S = 10;
    const { servers, secretFile } = await radius();
    const { active, standby } = await servicePair(
      (name) => ({ monitor: aaaMonitor(servers, secretFile), 'guard-timer': guardTimers(GUARD_S, DAMPING_S), hardware: fastHardware(MACS[name]) }),
      cleanups,
      TIMING,
    );
    // srpd's own start is a local failure: wait until its guard period is over.
    await waitFor('the start-up guard period to pass', async () => {
      const g = (await monitor(active)).guard.localFailure;
      return g !== null && Date.now() - Date.parse(g.at) > GUARD_S * 1000 + 500;
    }, { timeoutMs: 30_000, intervalMs: 200 });
    await waitFor('the group Up', async () => (await groupVerdict(active)) === 'up', { timeoutMs: 15_000 });

    // Outside every guard period: at once.
    const ea = await events(active);
    for (const s of servers) s.pause();
    await waitFor('the takeover', async () => (await standby.state()) === 'Active', { timeoutMs: 30_000, intervalMs: 20 });
    const due = eventsOf(ea, 'monitor-switchover', { action: 'due' })[0];
    expect(due).toBeDefined();
    expect(eventsOf(ea, 'monitor-switchover', { action: 'damped' })).toEqual([]);
    const [newActive, newStandby] = [standby, active];
    const eb = await events(newActive);
    expect(Date.now() - at(due)).toBeLessThan(DAMPING_S * 1000);

    // Servers back, flags cleared on both: the pair is healthy with the roles swapped.
    for (const s of servers) s.resume();
    for (const p of [newActive, newStandby]) expect((await api<{ accepted: boolean }>(p, 'POST', '/v1/srp/reset-auth-probe-fail', {})).body.accepted).toBe(true);
    await waitFor('the group Up on the new Active', async () => (await groupVerdict(newActive)) === 'up', { timeoutMs: 15_000 });
    await waitFor('its Standby ready', async () => (await newStandby.info()).standbyReady, { timeoutMs: 30_000 });

    // Inside the guard period of a CF crash: damped.
    const hw = (await api<{ activeCf: { slot: number } }>(newActive, 'GET', '/v1/hw/status')).body;
    expect((await api(newActive, 'POST', `/v1/hw/cards/${hw.activeCf.slot}/crash`, {})).status).toBe(200);
    for (const s of servers) s.pause();
    await waitFor('the takeover after damping', async () => (await newStandby.state()) === 'Active', { timeoutMs: DAMPING_S * 1000 + 30_000, intervalMs: 50 });
    const damped = eventsOf(eb, 'monitor-switchover', { action: 'damped' })[0];
    expect(damped?.cause).toMatch(/guard-period/);
    const handedOver = await waitFor('the switchover event', () => eventsOf(eb, 'switchover', { reason: 'monitor-aaa' })[0], { timeoutMs: 10_000 });
    expect(at(handedOver) - at(damped)).toBeGreaterThanOrEqual(DAMPING_S * 1000 - 300);
  });
});

async function metricValue(p: SrpdProcess, series: string): Promise<number | null> {
  const text = await p.metrics();
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line ? Number(line.slice(series.length + 1)) : null;
}
