// The Diameter monitor with two real srpd processes and real Diameter peers (freeDiameter's
// daemon): capabilities exchange and watchdog over TCP. Every peer of the group stopped
// (SIGSTOP, then kill): the Active hands over and the new Active stays until
// srp reset-diameter-fail. A peer answering with an error (CEA DIAMETER_UNKNOWN_PEER: it does
// not know the Active's identity) is Down at once and the Active hands over to the chassis the
// peer does know.
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SrpEvent } from '../src/api/contract.js';
import { startFreeDiameter, type FreeDiameter } from '../src/monitors/servers/index.js';
import { aaaMissing, tempDir } from './helpers/aaa.js';
import { checkBuilt, sleep, waitFor, type SrpdProcess } from './helpers/cluster.js';
import { api, eventsOf, loadReplicated, monitor, servicePair, sessionSummary } from './helpers/service.js';

const cleanups: Array<() => unknown> = [];
beforeAll(() => checkBuilt());
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const TIMING = { helloInterval: '300ms', deadInterval: '3s' };
const noGuard = { 'srp-redundancy-timers': { diam: { 'guard-period': '0s' } }, 'diameter-switchover-timers': { 'guard-period': '0s' } };

async function peers(allowed: string[][]): Promise<FreeDiameter[]> {
  const t = tempDir('srp-diam-it-');
  cleanups.push(() => t.remove());
  const out: FreeDiameter[] = [];
  for (const [i, ids] of allowed.entries()) {
    const d = await startFreeDiameter({ dir: join(t.dir, `d${i + 1}`), identity: `dra${i + 1}.test`, realm: 'test', peers: ids });
    cleanups.push(() => d.stop());
    out.push(d);
  }
  return out;
}

function diameterMonitor(list: FreeDiameter[]): Record<string, unknown> {
  return {
    diameter: {
      'origin-realm': 'srp.test',
      'watchdog-interval': '500ms',
      timeout: '400ms',
      'max-retries': 3,
      peers: Object.fromEntries(list.map((d, i) => [`dra${i + 1}`, { address: '127.0.0.1', port: d.port, host: d.identity, realm: d.realm }])),
      groups: { '1': list.map((_, i) => `dra${i + 1}`) },
    },
  };
}

async function verdict(p: SrpdProcess): Promise<string | undefined> {
  return (await monitor(p)).monitors.find((m) => m.kind === 'diameter')?.groups[0]?.verdict;
}

async function events(p: SrpdProcess): Promise<SrpEvent[]> {
  const e = await p.events();
  cleanups.push(() => e.close());
  return e.list;
}

describe.skipIf(aaaMissing('diameter') !== null)('Diameter monitor: two srpd processes and real freeDiameter peers', () => {
  it('every peer of the group stopped: the Active hands over, no session lost, the new Active stays until reset-diameter-fail', async () => {
    // Origin-Host defaults to <chassis-id>.srpd: both peers know both chassis.
    const list = await peers([
      ['alpha.srpd', 'bravo.srpd'],
      ['alpha.srpd', 'bravo.srpd'],
    ]);
    const { active, standby } = await servicePair(
      () => ({ monitor: diameterMonitor(list), 'guard-timer': noGuard, checkpoint: { 'session-duration': '0s', 'session-duration-ims': '0s' } }),
      cleanups,
      TIMING,
    );
    await waitFor('the group Up', async () => (await verdict(active)) === 'up', { timeoutMs: 20_000 });
    const m = (await monitor(active)).monitors[0];
    expect(m?.members.every((x) => x.detail?.connection === 'open' && /DIAMETER_SUCCESS/.test(x.lastResult ?? ''))).toBe(true);
    expect(m?.members.map((x) => x.detail?.peerHost).sort()).toEqual(['dra1.test', 'dra2.test']);
    const digest = await loadReplicated(active, standby, 1000, 'diam');
    const eb = await events(standby);

    for (const d of list) d.pause();
    await waitFor('the takeover', async () => (await standby.state()) === 'Active', { timeoutMs: 30_000, intervalMs: 25 });
    for (const d of list) await d.stop();
    expect((await standby.info()).lastSwitchover?.reason).toBe('monitor-diameter');
    expect((await sessionSummary(standby)).versionDigest).toBe(digest);
    expect(eventsOf(eb, 'switchover', { reason: 'monitor-diameter', to: 'Active' }).length).toBe(1);

    // The peers are gone for the new Active too (connection refused): held by the flag.
    await waitFor('the group Down on the new Active', async () => (await verdict(standby)) === 'down', { timeoutMs: 20_000 });
    await sleep(2000);
    expect(await standby.state()).toBe('Active');
    expect((await monitor(standby)).monitors[0]?.failureFlag).toBe('took-over');
    const r = await api<{ accepted: boolean }>(standby, 'POST', '/v1/srp/reset-diameter-fail', {});
    expect(r.body.accepted).toBe(true);
    await waitFor('handed back after the reset', async () => (await active.state()) === 'Active', { timeoutMs: 30_000 });
    // The AAA reset of a chassis without an AAA monitor is refused with the reason.
    const aaa = await api<{ accepted: boolean; reasons: string[] }>(active, 'POST', '/v1/srp/reset-auth-probe-fail', {});
    expect(aaa.status).toBe(409);
    expect(aaa.body.reasons[0]).toMatch(/not configured/);
  });

  it('a peer answering with an error (CEA DIAMETER_UNKNOWN_PEER for the Active): Down at once, the chassis it knows takes over', async () => {
    const [peer] = await peers([['bravo.srpd']]);
    if (!peer) throw new Error('no peer');
    const { a, b } = await servicePair(() => ({ monitor: diameterMonitor([peer]), 'guard-timer': noGuard }), cleanups, TIMING);
    await waitFor('bravo Active', async () => (await b.state()) === 'Active' && (await a.state()) === 'Standby', { timeoutMs: 40_000 });
    expect((await b.info()).lastSwitchover?.reason).toBe('monitor-diameter');
    await waitFor('the peer Up from bravo', async () => (await verdict(b)) === 'up', { timeoutMs: 20_000 });
    const member = (await monitor(b)).monitors[0]?.members[0];
    expect(member?.state).toBe('up');
    // alpha logged the error answer as the cause of the peer going Down.
    expect(a.lines.some((l) => l.includes('"monitor-member"') && l.includes('CEA with DIAMETER_UNKNOWN_PEER'))).toBe(true);
    expect((await monitor(a)).monitors[0]?.failureFlag).toBe('switched-away');
    const text = (await b.metrics()).split('\n');
    expect(text).toContain('srp_monitor_member_up{kind="diameter",member="dra1"} 1');
    expect(text.some((l) => l.startsWith('srp_monitor_probe_rtt_seconds_count{kind="diameter"}'))).toBe(true);
  });
});
