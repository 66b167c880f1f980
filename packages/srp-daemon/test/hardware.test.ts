// The hardware plane on its own: hw-sim on a manual clock, the real management HTTP server on
// 127.0.0.1:0 with a small ManagedDaemon, srpctl's main() with the hardware commands.
import { ManualClock, type SessionOp } from '@srp-ha/hw-sim';
import { tmpdir } from 'node:os';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { main as srpctl } from '../src/cli/srpctl.js';
import { ConfigError, loadConfigText } from '../src/config/config.js';
import type { SrpEvent } from '../src/api/contract.js';
import { SRPCTL_COMMANDS } from '../src/cli/commands.js';
import { SrpClient } from '../src/client/client.js';
import { createHardwarePlane, noHardwareRoutes, wireHardware, type HardwarePlane } from '../src/hardware/index.js';
import { startManagementServer, type ManagementServer } from '../src/management/server.js';
import { FakeDaemon } from './management-fake-daemon.js';

const logger = pino({ level: 'silent' });
const MACS = ['00-02-43-03-1C-2B', '00-02-43-03-1C-2C'];

interface Rig {
  clock: ManualClock;
  plane: HardwarePlane;
  daemon: FakeDaemon;
  events: SrpEvent[];
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function rig(section: Record<string, unknown> = {}): Promise<Rig> {
  const clock = new ManualClock(1_000_000);
  const daemon = new FakeDaemon();
  const events: SrpEvent[] = [];
  const plane = createHardwarePlane({
    config: { 'cf-macs': MACS, ...section },
    chassisId: 'chassis-a',
    logger,
    registry: daemon.registry,
    emit: (e) => events.push(e),
    clock,
  });
  cleanups.push(() => plane.dispose());
  const started = plane.start();
  await clock.advanceAsync(10_000); // boot, negotiate, bulk sync to STANDBY HOT
  await started;
  return { clock, plane, daemon, events };
}

async function serve(r: Rig): Promise<ManagementServer> {
  const server = await startManagementServer(r.daemon, { listen: '127.0.0.1:0', logger, extraRoutes: r.plane.routes });
  cleanups.push(() => server.close());
  return server;
}

async function ctl(server: ManagementServer, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await srpctl(['--api', server.url, ...argv], { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {} }, SRPCTL_COMMANDS);
  return { code, out, err };
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('hardware plane: what the runner is composed with', () => {
  it('gives the active CF MAC and keeps Hellos allowed through an SSO CF switchover', async () => {
    const { clock, plane, events } = await rig();
    expect(hex(plane.hardware.cfMac())).toBe('000243031c2b');
    plane.chassis.crashCard(1);
    // Every step of the switchover: a CF is in charge, so Hellos keep flowing.
    for (let t = 0; t < 5_000; t += 100) {
      expect(plane.hardware.helloAllowed()).toBe(true);
      await clock.advanceAsync(100);
    }
    expect(hex(plane.hardware.cfMac())).toBe('000243031c2c');
    expect(plane.chassis.inGuardPeriod()).toBe(true);
    const types = events.map((e) => e.type);
    expect(types).toContain('hw-card-fault');
    expect(types).toContain('hw-cf-switchover');
    const changed = events.filter((e) => e.type === 'hw-active-cf-changed');
    expect(changed.map((e) => (e as { mac?: unknown }).mac)).toEqual(['00-02-43-03-1C-2B', '00-02-43-03-1C-2C']);
    for (const e of events) expect(typeof e.at === 'string' && typeof e.cause === 'string').toBe(true);
  });

  it('stops Hellos when no CF is active (both CFs down), and resumes when a CF is back', async () => {
    const { clock, plane, events } = await rig();
    plane.chassis.crashCard(2); // the standby first: no ready standby left
    plane.chassis.crashCard(1); // then the active: chassis reset
    expect(plane.hardware.helloAllowed()).toBe(false);
    expect(events.some((e) => e.type === 'hw-chassis-reset')).toBe(true);
    expect(hex(plane.hardware.cfMac())).toBe('000243031c2b'); // the last one known
    await clock.advanceAsync(10_000);
    expect(plane.hardware.helloAllowed()).toBe(true);
  });

  it('runs subscriber traffic only while SRP Active and feeds the session sink', async () => {
    const { clock, plane } = await rig({ traffic: { rate: 100, tick: 0.1, seed: 7 } });
    await clock.advanceAsync(2_000);
    expect(plane.chassis.traffic?.stats().ops).toBe(0); // not Active yet
    plane.listener.stateChanged?.({ from: 'Init', to: 'Pending-Active', reason: 'no-peer-at-start' });
    plane.listener.stateChanged?.({ from: 'Pending-Active', to: 'Active', reason: 'no-peer-at-start' });
    await clock.advanceAsync(1_000);
    const withheld = plane.sinkCounters().withheld;
    expect(withheld).toBeGreaterThan(50); // no sink yet: counted only
    const got: SessionOp[] = [];
    plane.setSessionSink((op) => got.push(op));
    await clock.advanceAsync(1_000);
    expect(got.length).toBeGreaterThan(50);
    expect(got[0].id.startsWith('chassis-a-')).toBe(true);
    expect(plane.sinkCounters()).toEqual({ applied: got.length, failed: 0, withheld });
    plane.listener.stateChanged?.({ from: 'Active', to: 'Standby', reason: 'manual' });
    const ops = plane.chassis.traffic!.stats().ops;
    await clock.advanceAsync(1_000);
    expect(plane.chassis.traffic!.stats().ops).toBe(ops);
    expect(plane.status().traffic).toEqual({ configured: true, wanted: true, running: false });
  });

  it('refuses a bad hardware section with the hw-sim reason', () => {
    expect(() => createHardwarePlane({ config: { 'redundancy-mode': 'XYZ' }, chassisId: 'a', logger })).toThrow(/redundancy-mode/);
    expect(() => createHardwarePlane({ config: { 'cf-macs': ['nope', 'x'] }, chassisId: 'a', logger })).toThrow();
  });
});

describe('hardware plane: management API and srpctl', () => {
  it('serves show redundancy [states|clients|history|counters] and show card table, text and --json', async () => {
    const r = await rig();
    const server = await serve(r);
    const states = await ctl(server, 'show', 'redundancy', 'states');
    expect(states.code).toBe(0);
    expect(states.out).toContain('my state = 13 -ACTIVE');
    expect(states.out).toContain('peer state = 8 -STANDBY HOT');
    expect(states.out).toContain('Mode = Duplex');
    expect(states.out).toContain('Unit = Primary');
    expect(states.out).toMatch(/Communications = Up/);
    expect(states.out).toMatch(/client count = \d+/);
    const json = await ctl(server, '--json', 'show', 'redundancy', 'states');
    expect(JSON.parse(json.out)).toMatchObject({ myState: 13, peerState: 8, redundancyModeConfigured: 'SSO' });
    const red = await ctl(server, 'show', 'redundancy');
    expect(red.out).toContain('CF MAC address = 00-02-43-03-1C-2B');
    for (const what of ['clients', 'history', 'counters']) {
      const res = await ctl(server, 'show', 'redundancy', what);
      expect(res.code, what).toBe(0);
      expect(res.out.length, what).toBeGreaterThan(10);
    }
    const cards = await ctl(server, 'show', 'card', 'table');
    expect(cards.out).toMatch(/1: CFC\s+Control Function Virtual Card\s+Active\s+No\s+13 -ACTIVE/);
    expect(cards.out).toMatch(/3: LC/);
    const cj = await ctl(server, '--json', 'show', 'card', 'table');
    expect((JSON.parse(cj.out) as unknown[]).length).toBe(4);
  });

  it('without a hardware: section, hardware commands say so (404 with the reason), srpctl exits 1', async () => {
    const server = await startManagementServer(new FakeDaemon(), { listen: '127.0.0.1:0', logger, extraRoutes: noHardwareRoutes() });
    cleanups.push(() => server.close());
    for (const argv of [['show', 'redundancy', 'states'], ['show', 'card', 'table'], ['hw', 'crash-card', '1']]) {
      const res = await ctl(server, ...argv);
      expect(res.code, argv.join(' ')).toBe(1);
      expect(res.err, argv.join(' ')).toContain('runs without simulated hardware: add a hardware: section');
    }
    const raw = await new SrpClient(server.url).request('POST', '/v1/hw/cards/1/crash');
    expect(raw).toMatchObject({ status: 404, body: { code: 'SRP_ERR_NOT_FOUND' } });
  });

  it('injects faults over POST; refusals are 409 with the HwSimError code, srpctl exits 1 with one line', async () => {
    const r = await rig();
    const server = await serve(r);
    const ok = await ctl(server, 'hw', 'crash-card', '1');
    expect(ok).toMatchObject({ code: 0, err: '' });
    expect(ok.out).toContain('crash slot 1: done');
    await r.clock.advanceAsync(100);
    expect(r.plane.chassis.activeCf()?.slot).toBe(2);

    const api = new SrpClient(server.url);
    expect(await api.request('POST', '/v1/hw/cards/9/crash')).toMatchObject({ status: 409, body: { accepted: false, code: 'HW_ERR_NO_SUCH_CARD' } });
    const refused = await ctl(server, 'hw', 'crash-card', '9');
    expect(refused.code).toBe(1);
    expect(refused.err.trim().split('\n')).toHaveLength(1);
    expect(refused.err).toContain('HW_ERR_NO_SUCH_CARD');

    // Mid-switchover: a forced switchover is refused with the reason.
    const forced = await ctl(server, 'hw', 'force-switchover');
    expect(forced.code).toBe(1);
    expect(forced.err).toMatch(/HW_ERR_SWITCHOVER_REFUSED/);
    const insert = await ctl(server, 'hw', 'insert-card', '2');
    expect(insert.code).toBe(1);
    expect(insert.err).toContain('HW_ERR_CARD_STATE');
    expect(await api.request('POST', '/v1/hw/cards/x/crash')).toMatchObject({ status: 400, body: { code: 'SRP_ERR_BAD_REQUEST' } });
  });

  it('force-switchover answers once accepted; remove/insert and line-card crash work', async () => {
    const r = await rig();
    const server = await serve(r);
    const forced = await ctl(server, 'hw', 'force-switchover');
    expect(forced.code).toBe(0);
    await r.clock.advanceAsync(20_000);
    expect(r.plane.chassis.activeCf()?.slot).toBe(2);
    const ch = r.plane.chassis;
    expect((await ctl(server, 'hw', 'crash-linecard', '3')).code).toBe(0);
    expect(ch.lineCard(3)).toMatchObject({ state: 'down', alarm: 'crashed' });
    expect((await ctl(server, 'hw', 'remove-card', '4')).code).toBe(0);
    expect(ch.lineCard(4)).toMatchObject({ state: 'removed' });
    expect((await ctl(server, 'hw', 'insert-card', '4')).code).toBe(0);
    expect(ch.lineCard(4)).toMatchObject({ state: 'booting' });
    await r.clock.advanceAsync(20_000);
    // The crashed card reloaded by itself and the inserted one booted: both forward again.
    expect([ch.lineCard(3).state, ch.lineCard(4).state]).toEqual(['up', 'up']);
    expect((await ctl(server, 'hw', 'hang-card', '1')).code).toBe(0);
    const hist = await ctl(server, 'show', 'redundancy', 'history');
    expect(hist.out).toContain('fault injected');
  });

  it('advertises SRP Active + active CF and the route modifier for the routing domain; forwards packets', async () => {
    const r = await rig();
    const server = await serve(r);
    const api = new SrpClient(server.url);
    const adv = await api.call('GET /v1/hw/routing');
    expect(adv).toEqual({ chassisId: 'chassis-a', active: true, routeModifier: 32, srpState: 'Active', activeCf: { slot: 1, mac: MACS[0] } });
    r.daemon.state = 'Standby';
    expect(await api.call('GET /v1/hw/routing')).toMatchObject({ active: false });
    expect(await api.call('POST /v1/hw/forward', { body: { packets: 100 } })).toMatchObject({ forwarded: 100, dropped: 0 });
    await expect(api.call('POST /v1/hw/forward', { body: { packets: -1 } })).rejects.toMatchObject({ status: 400, code: 'SRP_ERR_BAD_REQUEST' });
  });

  it('show support details bundles the hardware show commands', async () => {
    const r = await rig();
    const server = await serve(r);
    const j = await ctl(server, '--json', 'show', 'support', 'details');
    const keys = Object.keys(JSON.parse(j.out) as object);
    expect(keys).toEqual(expect.arrayContaining(['show srp info', 'show redundancy', 'show redundancy states', 'show redundancy counters', 'show card table', 'show hw routing']));
  });

  it('exposes srp_hw_* metrics from the snapshot', async () => {
    const r = await rig({ traffic: { rate: 50 } });
    r.plane.chassis.forward(10);
    r.plane.chassis.crashCard(1);
    await r.clock.advanceAsync(5_000);
    const text = await r.daemon.registry.metrics();
    expect(text).toContain('srp_hw_card_state{slot="2",kind="cf",state="active"} 1');
    expect(text).toContain('srp_hw_card_state{slot="3",kind="lc",state="up"} 1');
    expect(text).toContain('srp_hw_rf_state{slot="2"} 13');
    expect(text).toContain('srp_hw_packets_forwarded_total 10');
    expect(text).toContain('srp_hw_cf_switchovers_total{cause="crash"} 1');
    expect(text).toContain('# TYPE srp_hw_sessions_generated_total counter');
    expect(text).toContain('srp_hw_packets_dropped_total{reason="no-route"} 0');
  });
});

describe('hardware plane: wiring to a daemon', () => {
  it('merges hw-* events into the event stream and reboots the SRP instance only after a chassis lost every CF', async () => {
    const r = await rig();
    const restarts: string[] = [];
    const host = Object.assign(r.daemon, { restartAfterChassisReset: (cause: string) => restarts.push(cause) });
    const wired = wireHardware(r.plane, host);
    cleanups.push(() => wired.detach());
    const seen: string[] = [];
    const off = wired.managed.onEvent((e) => seen.push(e.type));
    r.daemon.emit({ type: 'link', at: new Date().toISOString(), status: 'up', remote: 'x', cause: 'test' });
    r.plane.chassis.crashCard(1); // SSO switchover: a CF stays in charge
    await r.clock.advanceAsync(10_000);
    expect(restarts).toEqual([]);
    r.plane.chassis.crashCard(2);
    r.plane.chassis.crashCard(1); // now the standby is not ready: chassis reset
    await r.clock.advanceAsync(10_000);
    expect(restarts).toHaveLength(1);
    expect(restarts[0]).toMatch(/chassis reset/);
    off();
    expect(seen).toEqual(expect.arrayContaining(['link', 'hw-card-fault', 'hw-cf-switchover', 'hw-chassis-reset']));
    expect(await r.daemon.registry.metrics()).toContain('srp_hw_chassis_resets_total 1');
  });

  it('an HSA cold-restart switchover (a CF takes charge at once) does not reboot the SRP instance', async () => {
    const r = await rig({ 'redundancy-mode': 'HSA', timers: { switchover: { hsa: 1 } } });
    const restarts: string[] = [];
    const wired = wireHardware(r.plane, Object.assign(r.daemon, { restartAfterChassisReset: (c: string) => restarts.push(c) }));
    cleanups.push(() => wired.detach());
    r.plane.chassis.crashCard(1);
    await r.clock.advanceAsync(10_000);
    expect(r.plane.chassis.snapshot().counters.switchovers).toBe(1);
    expect(restarts).toEqual([]);
  });
});

describe('hardware: section of the srpd config', () => {
  const base = ['chassis-id: east', 'mode: primary', 'priority: 10', 'bind: 127.0.0.1:5701', 'peer: 127.0.0.1:5702', 'auth-key: 0123456789abcdef0123'].join('\n');
  const issues = (yaml: string): string[] => {
    try {
      loadConfigText(yaml, tmpdir());
      return [];
    } catch (err) {
      if (err instanceof ConfigError) return err.issues.map((i) => `${i.key}: ${i.reason}`);
      throw err;
    }
  };

  it('takes the CF MAC from hardware.cf-macs when cf-mac is left out', () => {
    const c = loadConfigText(`${base}\nhardware:\n  cf-macs: ["00:02:43:03:01:3b", "00-02-43-03-01-3C"]\n`, tmpdir());
    expect(c.cfMac).toBe('00-02-43-03-01-3B');
    expect(loadConfigText(`${base}\nhardware: {}\n`, tmpdir()).cfMac).toBe('00-02-43-03-1C-2B'); // hw-sim default
  });

  it('refuses a cf-mac that is not one of the CFs, and a bad hardware section with the hw-sim reason', () => {
    expect(issues(`${base}\ncf-mac: 00-02-43-03-1C-2C\nhardware: {}\n`)).toEqual([]);
    expect(issues(`${base}\ncf-mac: 00-02-43-03-AA-AA\nhardware: {}\n`)[0]).toMatch(/^cf-mac: must be one of hardware.cf-macs/);
    expect(issues(`${base}\nhardware:\n  redundancy-mode: XYZ\n`)[0]).toMatch(/^hardware: .*redundancy-mode/);
    expect(issues(`${base}\nhardware:\n  bogus: 1\n`)[0]).toMatch(/^hardware: .*bogus/);
    expect(issues(base)).toEqual(['cf-mac: missing (required)']);
  });
});
