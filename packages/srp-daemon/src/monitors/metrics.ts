// Prometheus metrics of service monitoring, on the daemon's registry: `srp_monitor_*` (members,
// groups, probes, round trips, failure flags, damped switchovers) and `srp_track_*` (tracked
// objects, configured and effective priority, failover threshold). Label values are member,
// group and object names from the config: bounded. Point-in-time values come from one
// `show()` per scrape.
import { Counter, exponentialBuckets, Gauge, Histogram, type Registry } from 'prom-client';
import type { MonitorShow } from './plane.js';
import type { GroupVerdict, MemberState, ProbeObserver } from './source.js';

const tri = (s: MemberState | GroupVerdict): number => (s === 'up' ? 1 : s === 'down' ? 0 : -1);

export function registerMonitorMetrics(registry: Registry, o: { show: () => MonitorShow; observers: ProbeObserver[] }): void {
  const registers = [registry];
  let cached: { at: number; show: MonitorShow } | null = null;
  const show = (): MonitorShow => {
    const now = Date.now();
    if (!cached || now - cached.at > 50) cached = { at: now, show: o.show() };
    return cached.show;
  };

  const member: Gauge<'kind' | 'member'> = new Gauge({
    name: 'srp_monitor_member_up',
    help: 'Each monitored server or peer: 1 up, 0 down, -1 unknown (not probed: probing runs on the Active only)',
    labelNames: ['kind', 'member'],
    registers,
    collect() {
      for (const m of show().monitors) for (const x of m.members) member.set({ kind: m.kind, member: x.name }, tri(x.state));
    },
  });
  const group: Gauge<'kind' | 'group'> = new Gauge({
    name: 'srp_monitor_group_up',
    help: 'Each monitor group: 1 up (a member answers), 0 down (none does: a switchover reason), -1 unknown',
    labelNames: ['kind', 'group'],
    registers,
    collect() {
      for (const m of show().monitors) for (const g of m.groups) group.set({ kind: m.kind, group: g.name }, tri(g.verdict));
    },
  });
  const flag: Gauge<'kind'> = new Gauge({
    name: 'srp_monitor_failure_flag',
    help: 'The non-reversible monitor failure flag is set (cleared by srp reset-auth-probe-fail / reset-diameter-fail): 1 yes, 0 no',
    labelNames: ['kind'],
    registers,
    collect() {
      for (const m of show().monitors) flag.set({ kind: m.kind }, m.failureFlag ? 1 : 0);
    },
  });
  const pending: Gauge<'kind'> = new Gauge({
    name: 'srp_monitor_switchover_pending',
    help: 'A group is down and its switchover waits out a damping period or for the peer: 1 yes, 0 no',
    labelNames: ['kind'],
    registers,
    collect() {
      for (const m of show().monitors) pending.set({ kind: m.kind }, m.failing ? 1 : 0);
    },
  });
  const guard = new Gauge({
    name: 'srp_monitor_local_failure_age_seconds',
    help: 'Time since the last local failure (CF switchover, card fault, chassis reset, srpd start) that opens the guard periods',
    registers,
    collect() {
      const at = show().guard.localFailure?.at;
      guard.set(at ? Math.max(0, (Date.now() - Date.parse(at)) / 1000) : -1);
    },
  });
  const probes: Counter<'kind' | 'member' | 'outcome'> = new Counter({
    name: 'srp_monitor_probes_total',
    help: 'Probe outcomes per member: answer (valid), failure (timeout, refused, error answer), bad-answer (failed a check: dropped)',
    labelNames: ['kind', 'member', 'outcome'],
    registers,
  });
  const rtt: Histogram<'kind'> = new Histogram({
    name: 'srp_monitor_probe_rtt_seconds',
    help: 'Round trip of answered probes (Access-Request to answer, CER/DWR to CEA/DWA)',
    labelNames: ['kind'],
    buckets: exponentialBuckets(0.0005, 2, 14),
    registers,
  });
  for (const m of show().monitors) {
    for (const x of m.members) for (const outcome of ['answer', 'failure', 'bad-answer']) probes.inc({ kind: m.kind, member: x.name, outcome }, 0);
  }
  o.observers.push({
    probe(kind, name, outcome, seconds) {
      probes.inc({ kind, member: name, outcome });
      if (seconds !== null) rtt.observe({ kind }, seconds);
    },
  });

  const object: Gauge<'object' | 'type'> = new Gauge({
    name: 'srp_track_object_up',
    help: 'Each tracked object: 1 up, 0 down (its decrement lowers the priority), -1 unknown',
    labelNames: ['object', 'type'],
    registers,
    collect() {
      for (const t of show().tracking.objects) object.set({ object: t.name, type: t.type }, tri(t.state));
    },
  });
  const decrement: Gauge<'object'> = new Gauge({
    name: 'srp_track_object_decrement',
    help: 'What each tracked object takes off the priority while down',
    labelNames: ['object'],
    registers,
    collect() {
      for (const t of show().tracking.objects) decrement.set({ object: t.name }, t.decrement);
    },
  });
  const point = (name: string, help: string, read: (s: MonitorShow) => number): void => {
    const g: Gauge = new Gauge({ name, help, registers, collect: () => g.set(read(show())) });
  };
  point('srp_track_priority_configured', 'Configured chassis priority (a lower number wins)', (s) => s.tracking.configuredPriority);
  point('srp_track_priority_effective', 'Effective chassis priority: configured plus the decrement of every tracked object down', (s) => s.tracking.effectivePriority);
  point('srp_track_failover_threshold', 'failover-threshold: the chassis fails over when its effective priority number exceeds it (-1: none)', (s) => s.tracking.failoverThreshold ?? -1);
  point('srp_track_below_threshold', 'The effective priority is below the failover threshold: 1 yes, 0 no', (s) => (s.tracking.belowThreshold ? 1 : 0));
  point('srp_track_preempt_allowed', 'This chassis may preempt now (preemption on, healthy for preemption-delay, no monitor flag): 1 yes, 0 no', (s) =>
    s.tracking.preemption && s.tracking.preemptAllowed ? 1 : 0,
  );
}
