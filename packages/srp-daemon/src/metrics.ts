// Prometheus metrics of one daemon, registered on the daemon's own registry (tests run two
// daemons in one process). Point-in-time values are read from info()/statistics() at scrape
// time; counters are prom-client Counters advanced in collect() by the growth of the daemon's
// own counters, so the exposition TYPE is counter and the value never goes down. Histograms are
// fed by the core through the returned DaemonObserver.
import {
  collectDefaultMetrics,
  Counter,
  exponentialBuckets,
  Gauge,
  Histogram,
  type Registry,
} from 'prom-client';
import { CounterMirror } from './util/counter-mirror.js';
import {
  CHASSIS_STATES,
  type DaemonObserver,
  type ManagedDaemon,
  type SrpInfo,
  type SrpStatistics,
  type SwitchoverReason,
} from './api/contract.js';

// Every SwitchoverReason, checked for completeness by the compiler, so each label value exists
// from the first scrape (a series that appears only after its first increment defeats rate()).
const SWITCHOVER_REASON_SET: Record<SwitchoverReason, true> = {
  'peer-dead': true,
  'peer-goodbye': true,
  manual: true,
  'manual-force': true,
  'split-brain': true,
  'no-peer-at-start': true,
  election: true,
  preemption: true,
  'monitor-aaa': true,
  'monitor-diameter': true,
  'monitor-bgp': true,
  tracking: true,
};
export const SWITCHOVER_REASONS = Object.keys(SWITCHOVER_REASON_SET) as SwitchoverReason[];

/** Refused-connection reasons come from the core; keep the label set bounded whatever it sends. */
const MAX_REFUSED_REASONS = 32;
const OTHER = 'other';

export const HELLO_RTT_BUCKETS = exponentialBuckets(0.0005, 2, 12); // 0.5 ms .. ~1 s
export const TAKEOVER_BUCKETS = exponentialBuckets(0.01, 2, 14); // 10 ms .. ~82 s

export function createMetrics(daemon: ManagedDaemon, registry: Registry): DaemonObserver {
  collectDefaultMetrics({ register: registry });
  // prom-client also exports these three as gauges named *_total, which promtool (rightly)
  // flags; the same values stay available as nodejs_active_{handles,requests,resources}.
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
    registry.removeSingleMetric(name);
  }
  const registers = [registry];
  const mirror = new CounterMirror();

  // Read at scrape time. Both calls are cheap in-memory reads of the core's state.
  const info = (): SrpInfo => daemon.info();
  const stats = (): SrpStatistics => daemon.statistics();

  const chassisState = new Gauge({
    name: 'srp_chassis_state',
    help: 'Chassis state: 1 for the current state, 0 for the others',
    labelNames: ['state'],
    registers,
    collect() {
      const current = info().state;
      for (const s of CHASSIS_STATES) chassisState.set({ state: s }, s === current ? 1 : 0);
    },
  });
  const chassisInfo = new Gauge({
    name: 'srp_chassis_info',
    help: 'Identity of this chassis (always 1)',
    labelNames: ['chassis_id', 'mode'],
    registers,
    collect() {
      const i = info();
      chassisInfo.reset();
      chassisInfo.set({ chassis_id: i.chassisId, mode: i.mode }, 1);
    },
  });
  const peerState = new Gauge({
    name: 'srp_peer_chassis_state',
    help: 'Peer chassis state as last heard: 1 for that state, 0 for the others (all 0 when no peer is known)',
    labelNames: ['state'],
    registers,
    collect() {
      const current = info().peer?.state;
      for (const s of CHASSIS_STATES) peerState.set({ state: s }, s === current ? 1 : 0);
    },
  });

  const pointGauge = (name: string, help: string, read: () => number): void => {
    const g: Gauge = new Gauge({
      name,
      help,
      registers,
      collect() {
        g.set(read());
      },
    });
  };
  pointGauge('srp_link_up', 'SRP link to the peer: 1 up, 0 down', () => (info().link === 'up' ? 1 : 0));
  pointGauge('srp_route_modifier', 'Route modifier this chassis advertises', () => info().routeModifier);
  pointGauge('srp_peer_route_modifier', 'Route modifier the peer advertises (-1 when no peer is known)', () => info().peer?.routeModifier ?? -1);
  pointGauge('srp_standby_ready', 'This chassis is Standby with its bulk sync applied: 1 yes, 0 no', () => (info().standbyReady ? 1 : 0));
  pointGauge('srp_peer_standby_ready', 'The peer reports Standby and ready: 1 yes, 0 no', () => (info().peer?.standbyReady ? 1 : 0));
  pointGauge('srp_chassis_priority', 'Configured chassis priority (lower wins)', () => info().priority);
  pointGauge('srp_sessions', 'Sessions held by this chassis', () => info().sessions);
  pointGauge('srp_peer_sessions', 'Sessions the peer reports (0 when no peer is known)', () => info().peer?.sessions ?? 0);
  pointGauge('srp_hello_interval_seconds', 'Configured hello interval', () => info().helloIntervalMs / 1000);
  pointGauge('srp_dead_interval_seconds', 'Configured dead interval', () => info().deadIntervalMs / 1000);
  pointGauge('srp_delay_interval_seconds', 'Configured delay interval', () => info().delayIntervalMs / 1000);
  pointGauge('srp_config_match', 'Last configuration validation against the peer: 1 match, 0 mismatch, -1 unknown', () => {
    const r = stats().configValidation.lastResult;
    return r === 'match' ? 1 : r === 'mismatch' ? 0 : -1;
  });
  pointGauge('srp_epoch', 'Takeover epoch of the table this chassis holds (0: none yet)', () => info().epoch);
  pointGauge('srp_witness_held', 'This chassis holds the witness lease: 1 yes, 0 no, -1 no witness configured', () => {
    const w = info().witness;
    return w ? (w.held ? 1 : 0) : -1;
  });
  pointGauge('srp_witness_reachable', 'The witness answers: 1 yes, 0 no (an alarm while the SRP link is up), -1 no witness configured', () => {
    const w = info().witness;
    return w ? (w.reachable ? 1 : 0) : -1;
  });
  pointGauge('srp_fenced', 'This chassis refuses writes until it hears its peer (stalled, or unheard): 1 yes, 0 no', () => (info().fenced ? 1 : 0));
  pointGauge('srp_liveness_hearing_peer', 'A believed Hello of the peer within the dead interval: 1 yes, 0 no', () => (info().liveness.hearing ? 1 : 0));
  pointGauge('srp_liveness_heard_by_peer', "The peer's Hellos say it hears us: 1 yes, 0 no", () => (info().liveness.heardByPeer ? 1 : 0));
  pointGauge('srp_liveness_vouching', 'The liveness worker sends Hellos (the main thread answers its watchdog): 1 yes, 0 no', () => (info().liveness.vouching ? 1 : 0));
  const linkFault = new Gauge({
    name: 'srp_link_fault',
    help: 'One-way state of the Hello path: 1 for the current fault (none, peer-does-not-hear-us, we-do-not-hear-peer), 0 for the others',
    labelNames: ['fault'],
    registers,
    collect() {
      const f = info().liveness.linkFault;
      for (const k of ['none', 'peer-does-not-hear-us', 'we-do-not-hear-peer'] as const) linkFault.set({ fault: k }, k === f ? 1 : 0);
    },
  });
  pointGauge('srp_last_switchover_timestamp_seconds', 'Unix time of the last switchover (0 when none)', () => {
    const at = info().lastSwitchover?.at;
    const ms = at ? Date.parse(at) : NaN;
    return Number.isFinite(ms) ? ms / 1000 : 0;
  });

  const mirroredCounter = (name: string, help: string, read: () => number): void => void mirror.counter(name, help, registers, read);
  mirroredCounter('srp_hellos_sent_total', 'Hellos sent to the peer', () => stats().hellos.sent);
  mirroredCounter('srp_hellos_received_total', 'Hellos received from the peer', () => stats().hellos.received);
  mirroredCounter('srp_hellos_missed_total', 'Hello intervals that passed without a Hello from the peer', () => stats().hellos.missed);
  mirroredCounter('srp_config_validation_checks_total', 'Configuration validations against the peer', () => stats().configValidation.checks);
  mirroredCounter('srp_config_validation_mismatches_total', 'Configuration validations that found a mismatch', () => stats().configValidation.mismatches);
  mirroredCounter('srp_link_connects_total', 'SRP link connections established', () => stats().link.connects);
  mirroredCounter('srp_link_disconnects_total', 'SRP link connections lost or closed', () => stats().link.disconnects);
  mirroredCounter('srp_link_frames_received_total', 'Frames received on the SRP link', () => stats().link.framesIn);
  mirroredCounter('srp_link_frames_sent_total', 'Frames sent on the SRP link', () => stats().link.framesOut);
  mirroredCounter('srp_link_received_bytes_total', 'Bytes received on the SRP link', () => stats().link.bytesIn);
  mirroredCounter('srp_link_sent_bytes_total', 'Bytes sent on the SRP link', () => stats().link.bytesOut);
  mirroredCounter('srp_liveness_stalls_total', 'Stalls of this process long enough for the peer to judge it dead (it fenced itself if Active)', () => stats().liveness.stalls);
  mirroredCounter('srp_fences_total', 'Times this chassis fenced itself (refused writes until it heard its peer)', () => stats().liveness.fences);
  mirroredCounter('srp_watchdog_trips_total', 'Times the main thread missed its watchdog and Hellos stopped', () => stats().liveness.watchdogTrips);
  mirroredCounter('srp_link_faults_total', 'One-way faults of the Hello path seen (peer-does-not-hear-us or we-do-not-hear-peer)', () => stats().liveness.linkFaults);

  const switchovers: Counter<'reason'> = new Counter({
    name: 'srp_switchovers_total',
    help: 'State changes of this chassis counted as switchovers, by reason',
    labelNames: ['reason'],
    registers,
    collect() {
      const by = stats().switchovers;
      for (const r of SWITCHOVER_REASONS) mirror.sync(switchovers, by[r] ?? 0, { reason: r });
    },
  });

  const refusedReasons = new Set<string>();
  const refusedLabel = (reason: string): string => {
    if (refusedReasons.has(reason)) return reason;
    if (!/^[a-z0-9][a-z0-9_-]{0,31}$/.test(reason) || refusedReasons.size >= MAX_REFUSED_REASONS) return OTHER;
    refusedReasons.add(reason);
    return reason;
  };
  const refused: Counter<'reason'> = new Counter({
    name: 'srp_refused_connections_total',
    help: 'SRP link connections or frames refused, by reason (bad-mac, bad-version, garbage, ...)',
    labelNames: ['reason'],
    registers,
    collect() {
      const totals = new Map<string, number>();
      for (const [reason, n] of Object.entries(stats().refusedConnections)) {
        const label = refusedLabel(reason);
        totals.set(label, (totals.get(label) ?? 0) + n);
      }
      for (const [label, n] of totals) mirror.sync(refused, n, { reason: label });
    },
  });

  const refusedDatagrams: Counter<'reason'> = new Counter({
    name: 'srp_refused_datagrams_total',
    help: 'Hello datagrams refused, by reason (bad-mac, replay, stale-boot, not-peer-address, ...)',
    labelNames: ['reason'],
    registers,
    collect() {
      for (const [reason, n] of Object.entries(stats().refusedDatagrams)) mirror.sync(refusedDatagrams, n, { reason: refusedLabel(reason) });
    },
  });
  const helloRtt = new Histogram({
    name: 'srp_hello_rtt_seconds',
    help: 'Round-trip time of Hellos on the SRP link',
    buckets: HELLO_RTT_BUCKETS,
    registers,
  });
  const takeover = new Histogram({
    name: 'srp_takeover_duration_seconds',
    help: 'Time from losing the Active peer (or starting a switchover) to this chassis serving as Active, by reason',
    labelNames: ['reason'],
    buckets: TAKEOVER_BUCKETS,
    registers,
  });
  // The histogram answers "how long do takeovers take"; a rate over it is empty a few minutes
  // after the last one. This gauge keeps the last one's duration for as long as the daemon runs
  // (one series, labelled with that takeover's reason; no sample before the first takeover).
  const lastTakeover = new Gauge({
    name: 'srp_last_takeover_duration_seconds',
    help: 'Duration of the last takeover of this chassis, labelled with its reason (absent before the first)',
    labelNames: ['reason'],
    registers,
  });

  return {
    helloRtt(seconds) {
      if (Number.isFinite(seconds) && seconds >= 0) helloRtt.observe(seconds);
    },
    takeover(seconds, reason) {
      if (!Number.isFinite(seconds) || seconds < 0) return;
      const label = { reason: reason in SWITCHOVER_REASON_SET ? reason : OTHER };
      takeover.observe(label, seconds);
      lastTakeover.reset();
      lastTakeover.set(label, seconds);
    },
  };
}
