import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CHASSIS_STATES } from '../src/api/contract.js';
import { createMetrics, SWITCHOVER_REASONS } from '../src/metrics.js';
import { CheckpointEngine } from '@srp-ha/checkpoint';
import { MemoryLink } from '@srp-ha/checkpoint/testing';
import { registerReplicationMetrics } from '../src/replication/metrics.js';
import { FakeDaemon } from './management-fake-daemon.js';
import { createHardwarePlane } from '../src/hardware/index.js';
import { ManualClock } from '@srp-ha/hw-sim';
import { pino } from 'pino';
import { have, skipTestLocally } from './helpers/tools.js';

function setup(): { daemon: FakeDaemon; observer: ReturnType<typeof createMetrics> } {
  const daemon = new FakeDaemon();
  return { daemon, observer: createMetrics(daemon, daemon.registry) };
}

async function sample(daemon: FakeDaemon, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const metric = (await daemon.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const values = (metric as { values?: Array<{ value: number; labels: Record<string, unknown>; metricName?: string }> } | undefined)?.values ?? [];
  const hit = values.find(
    (v) => (v.metricName === undefined || v.metricName === name) && Object.entries(labels).every(([k, x]) => v.labels[k] === x),
  );
  return hit?.value;
}

/** promtool is there; else the test is skipped (a failure under CI=true). */
function havePromtool(ctx: { skip: () => void }): boolean {
  const why = have('promtool') ? null : 'promtool not found (Debian package "prometheus"; npm test installs it when run as root)';
  return !skipTestLocally(ctx, why, 'the promtool check');
}

describe('metrics', () => {
  it('reports the chassis state as one 1 among the five states, and identity as labels', async () => {
    const { daemon } = setup();
    const text = await daemon.registry.metrics();
    for (const s of CHASSIS_STATES) expect(text).toContain(`srp_chassis_state{state="${s}"} ${s === 'Active' ? 1 : 0}`);
    expect(text).toContain('srp_chassis_info{chassis_id="chassis-a",mode="primary"} 1');
    expect(text).toContain('srp_peer_chassis_state{state="Standby"} 1');
    daemon.state = 'Standby';
    daemon.link = 'down';
    const after = await daemon.registry.metrics();
    expect(after).toContain('srp_chassis_state{state="Standby"} 1');
    expect(after).toContain('srp_chassis_state{state="Active"} 0');
    expect(after).toContain('srp_link_up 0');
    expect(after).toContain('srp_peer_standby_ready 0');
  });

  it('exposes the configured timers and point-in-time values in base units', async () => {
    const { daemon } = setup();
    expect(await sample(daemon, 'srp_hello_interval_seconds')).toBe(3);
    expect(await sample(daemon, 'srp_dead_interval_seconds')).toBe(10);
    expect(await sample(daemon, 'srp_route_modifier')).toBe(32);
    expect(await sample(daemon, 'srp_peer_standby_ready')).toBe(1);
    expect(await sample(daemon, 'srp_link_up')).toBe(1);
    expect(await sample(daemon, 'srp_sessions')).toBe(1200);
  });

  it('mirrors statistics into counters of TYPE counter that never go down', async () => {
    const { daemon } = setup();
    const text = await daemon.registry.metrics();
    for (const name of ['srp_hellos_sent_total', 'srp_hellos_received_total', 'srp_hellos_missed_total', 'srp_switchovers_total', 'srp_refused_connections_total', 'srp_config_validation_mismatches_total']) {
      expect(text).toContain(`# TYPE ${name} counter`);
    }
    expect(await sample(daemon, 'srp_hellos_sent_total')).toBe(10);
    daemon.stats.hellos.sent = 25;
    expect(await sample(daemon, 'srp_hellos_sent_total')).toBe(25);
    // Scraping twice without change adds nothing.
    expect(await sample(daemon, 'srp_hellos_sent_total')).toBe(25);
    // A source that restarts from zero (say, a restarted link component) keeps the counter rising.
    daemon.stats.hellos.sent = 4;
    expect(await sample(daemon, 'srp_hellos_sent_total')).toBe(29);
    daemon.stats.configValidation.mismatches = 2;
    expect(await sample(daemon, 'srp_config_validation_mismatches_total')).toBe(2);
  });

  it('exposes the liveness path: epoch, fence, one-way state, stalls and refused datagrams', async () => {
    const { daemon } = setup();
    expect(await sample(daemon, 'srp_epoch')).toBe(4);
    expect(await sample(daemon, 'srp_fenced')).toBe(0);
    expect(await sample(daemon, 'srp_link_fault', { fault: 'none' })).toBe(1);
    expect(await sample(daemon, 'srp_link_fault', { fault: 'peer-does-not-hear-us' })).toBe(0);
    expect(await sample(daemon, 'srp_liveness_vouching')).toBe(1);
    expect(await sample(daemon, 'srp_liveness_stalls_total')).toBe(1);
    expect(await sample(daemon, 'srp_refused_datagrams_total', { reason: 'replay' })).toBe(3);
    daemon.link = 'down';
    expect(await sample(daemon, 'srp_link_fault', { fault: 'we-do-not-hear-peer' })).toBe(1);
    expect(await sample(daemon, 'srp_liveness_hearing_peer')).toBe(0);
  });

  it('has a series for every switchover reason from the start, and counts them', async () => {
    const { daemon } = setup();
    for (const r of SWITCHOVER_REASONS) {
      expect(await sample(daemon, 'srp_switchovers_total', { reason: r })).toBe(r === 'no-peer-at-start' ? 1 : 0);
    }
    daemon.stats.switchovers.manual = 3;
    expect(await sample(daemon, 'srp_switchovers_total', { reason: 'manual' })).toBe(3);
  });

  it('keeps refused-connection reasons bounded', async () => {
    const { daemon } = setup();
    for (let i = 0; i < 50; i++) daemon.stats.refusedConnections[`reason-${i}`] = 1;
    daemon.stats.refusedConnections['Weird Reason From Peer'] = 5;
    const metric = (await daemon.registry.getMetricsAsJSON()).find((m) => m.name === 'srp_refused_connections_total')!;
    const labels = (metric as unknown as { values: Array<{ labels: { reason: string }; value: number }> }).values;
    expect(labels.length).toBeLessThanOrEqual(33);
    expect(labels.find((v) => v.labels.reason === 'bad-mac')?.value).toBe(2);
    expect(labels.find((v) => v.labels.reason === 'other')?.value).toBe(50 - 31 + 5);
  });

  it('records hello RTT and takeover samples from the observer in fine buckets', async () => {
    const { daemon, observer } = setup();
    observer.helloRtt(0.0007);
    observer.helloRtt(0.003);
    observer.helloRtt(Number.NaN); // ignored
    observer.takeover(2.5, 'peer-dead');
    const text = await daemon.registry.metrics();
    expect(text).toContain('srp_hello_rtt_seconds_bucket{le="0.0005"} 0');
    expect(text).toContain('srp_hello_rtt_seconds_bucket{le="0.001"} 1');
    expect(text).toContain('srp_hello_rtt_seconds_count 2');
    expect(text).toContain('srp_takeover_duration_seconds_count{reason="peer-dead"} 1');
  });

  it('keeps the last takeover duration as a gauge, one series, until the next takeover', async () => {
    const { daemon, observer } = setup();
    const before = await daemon.registry.metrics();
    expect(before).toContain('# TYPE srp_last_takeover_duration_seconds gauge');
    expect(before).not.toMatch(/^srp_last_takeover_duration_seconds\{/m);
    observer.takeover(2.75, 'peer-dead');
    expect(await sample(daemon, 'srp_last_takeover_duration_seconds', { reason: 'peer-dead' })).toBe(2.75);
    // Scraping again (any time later) still shows it: nothing decays.
    expect(await sample(daemon, 'srp_last_takeover_duration_seconds', { reason: 'peer-dead' })).toBe(2.75);
    observer.takeover(0.04, 'manual');
    observer.takeover(-1, 'manual'); // ignored, like the histogram
    const text = await daemon.registry.metrics();
    const series = text.split('\n').filter((l) => l.startsWith('srp_last_takeover_duration_seconds{'));
    expect(series).toEqual(['srp_last_takeover_duration_seconds{reason="manual"} 0.04']);
  });

  it('gives each daemon its own registry (two daemons in one process)', async () => {
    const a = setup();
    const b = setup();
    b.daemon.state = 'Standby';
    expect(await a.daemon.registry.metrics()).toContain('srp_chassis_state{state="Active"} 1');
    expect(await b.daemon.registry.metrics()).toContain('srp_chassis_state{state="Standby"} 1');
    expect(await a.daemon.registry.metrics()).toContain('process_cpu_seconds_total');
  });

  it('passes promtool check metrics with the simulated hardware too', async (ctx) => {
    if (!havePromtool(ctx)) return;
    const { daemon } = setup();
    const clock = new ManualClock(0);
    const plane = createHardwarePlane({ config: { traffic: { rate: 50 } }, chassisId: 'chassis-a', logger: pino({ level: 'silent' }), registry: daemon.registry, clock });
    const started = plane.start();
    await clock.advanceAsync(10_000);
    await started;
    plane.chassis.forward(100);
    plane.chassis.crashCard(1);
    await clock.advanceAsync(5_000);
    const text = await daemon.registry.metrics();
    expect(text).toContain('srp_hw_cf_switchovers_total{cause="crash"} 1');
    const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 30_000 });
    expect(`${r.stdout}${r.stderr}`.trim()).toBe('');
    expect(r.status).toBe(0);
    plane.dispose();
  });

  it('passes promtool check metrics', async (ctx) => {
    if (!havePromtool(ctx)) return;
    const { daemon, observer } = setup();
    observer.helloRtt(0.001);
    observer.takeover(1.2, 'manual');
    daemon.stats.refusedConnections.garbage = 3;
    // The checkpoint plane's metrics live on the same registry.
    const engine = new CheckpointEngine({ transport: new MemoryLink().a, config: { sessionDurationMs: 0, auditEnabled: false } });
    await engine.becomeActive();
    engine.create({ id: 's1', lifetimeMs: 60_000 });
    engine.recordCompression(1000, 400);
    const ckpt = registerReplicationMetrics(engine, daemon.registry);
    ckpt.replicationLag(0.004);
    ckpt.macroCompleted(1.5, 'bulk-sync');
    const text = await daemon.registry.metrics();
    engine.close();
    for (const name of ['srp_checkpoint_micro_sent_total', 'srp_checkpoint_nacks_received_total', 'srp_checkpoint_bytes_after_compression_total', 'srp_call_loss_sessions_total']) {
      expect(text).toContain(`# TYPE ${name} counter`);
    }
    expect(text).toContain('srp_checkpoint_sessions{role="active"} 1');
    expect(text).toContain('srp_checkpoint_bytes_before_compression_total 1000');
    expect(text).toContain('srp_checkpoint_replication_lag_seconds_bucket{le="0.004"} 1');
    expect(text).toContain('srp_checkpoint_macro_duration_seconds_count{reason="bulk-sync"} 1');
    expect(text).toContain('srp_call_loss_sessions_total{kind="young"} 0');
    const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 30_000 });
    expect(`${r.stdout}${r.stderr}`.trim()).toBe('');
    expect(r.status).toBe(0);
  });
});
