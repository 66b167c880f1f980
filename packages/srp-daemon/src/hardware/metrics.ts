// Prometheus metrics of the simulated chassis (`srp_hw_*`), on the daemon's own registry. Every
// value is read from one `chassis.snapshot()` per scrape in collect(); the chassis counters are
// monotonic, so the counters here advance by their growth and never go down. Label values are
// bounded: slots (at most 16), card kinds and states from fixed lists.
import { LC_STATES, type Chassis, type ChassisSnapshot, type SwitchoverCause } from '@srp-ha/hw-sim';
import { Counter, Gauge, type Registry } from 'prom-client';
import { CounterMirror } from '../util/counter-mirror.js';
import type { SinkCounters } from './api.js';

export const CF_ROLES = ['active', 'standby', 'booting', 'offline', 'removed'] as const;
const SWITCHOVER_CAUSES: readonly SwitchoverCause[] = ['crash', 'declared-dead', 'forced', 'removed'];
const DROP_REASONS = ['no-route', 'card-down', 'no-line-card'] as const;

/** Registers the `srp_hw_*` metrics; `sink` reports what the session sink did with generated ops. */
export function registerHardwareMetrics(registry: Registry, chassis: Chassis, sink: () => SinkCounters): void {
  const registers = [registry];
  // One snapshot per scrape: collect() of every metric runs within the same scrape.
  let cached: { snap: ChassisSnapshot; at: number } | null = null;
  const snap = (): ChassisSnapshot => {
    const now = Date.now();
    if (!cached || now - cached.at > 50) cached = { snap: chassis.snapshot(), at: now };
    return cached.snap;
  };
  const mirror = new CounterMirror();
  const counter = (name: string, help: string, read: (s: ChassisSnapshot) => number): void => {
    mirror.counter(name, help, registers, () => read(snap()));
  };
  const gauge = (name: string, help: string, read: (s: ChassisSnapshot) => number): void => {
    const g: Gauge = new Gauge({ name, help, registers, collect: () => g.set(read(snap())) });
  };

  const cardState: Gauge<'slot' | 'kind' | 'state'> = new Gauge({
    name: 'srp_hw_card_state',
    help: 'State of each card: 1 for the current state, 0 for the others (kind cf: active|standby|booting|offline|removed; kind lc: booting|up|down|removed)',
    labelNames: ['slot', 'kind', 'state'],
    registers,
    collect() {
      const s = snap();
      for (const cf of s.cfs) for (const r of CF_ROLES) cardState.set({ slot: String(cf.slot), kind: 'cf', state: r }, cf.role === r ? 1 : 0);
      for (const lc of s.lineCards) for (const st of LC_STATES) cardState.set({ slot: String(lc.slot), kind: 'lc', state: st }, lc.state === st ? 1 : 0);
    },
  });
  const rfState: Gauge<'slot'> = new Gauge({
    name: 'srp_hw_rf_state',
    help: 'RF state number of each CF card (1 DISABLED .. 8 STANDBY HOT .. 13 ACTIVE .. 15 ACTIVE HANDBACK)',
    labelNames: ['slot'],
    registers,
    collect() {
      for (const cf of snap().cfs) rfState.set({ slot: String(cf.slot) }, cf.rfState);
    },
  });
  gauge('srp_hw_active_cf_slot', 'Slot of the CF card in charge (0 when no CF is active: Hellos stop)', (s) => s.activeCf?.slot ?? 0);
  gauge('srp_hw_standby_ready', 'The standby CF is in the state its redundancy mode needs to take over: 1 yes, 0 no', () => (chassis.standbyReady() ? 1 : 0));
  gauge('srp_hw_switchover_in_progress', 'A CF switchover is running: 1 yes, 0 no', (s) => (s.switchoverInProgress ? 1 : 0));
  gauge('srp_hw_guard_active', 'Inside the guard period after a local CF fault, switchover or reset: 1 yes, 0 no', (s) => (s.guard.active ? 1 : 0));
  gauge('srp_hw_guard_remaining_seconds', 'Time left in the guard period', (s) => s.guard.remainingMs / 1000);
  gauge('srp_hw_guard_timer_seconds', 'Configured guard period (guard-timer)', () => chassis.config.guardTimerMs / 1000);
  gauge('srp_hw_sessions_live', 'Subscriber sessions the traffic generator holds now', (s) => s.sessions?.live ?? 0);

  const switchovers: Counter<'cause'> = new Counter({
    name: 'srp_hw_cf_switchovers_total',
    help: 'Intra-chassis CF switchovers, by cause (crash, declared-dead, forced, removed)',
    labelNames: ['cause'],
    registers,
    collect() {
      const by = snap().counters.switchoversByCause;
      for (const c of SWITCHOVER_CAUSES) mirror.sync(switchovers, by[c], { cause: c });
    },
  });
  counter('srp_hw_chassis_resets_total', 'Full chassis resets (both CFs rebooted, line cards reset, sessions lost)', (s) => s.counters.chassisResets);
  counter('srp_hw_standby_failures_total', 'Failures of the standby CF', (s) => s.counters.standbyFailures);
  counter('srp_hw_bulk_syncs_total', 'Completed bulk syncs to the standby CF', (s) => s.counters.bulkSyncs);
  counter('srp_hw_packets_forwarded_total', 'Packets the line cards forwarded', (s) => s.packets.forwarded);
  const dropped: Counter<'reason'> = new Counter({
    name: 'srp_hw_packets_dropped_total',
    help: 'Packets dropped by the chassis, by reason (no-route: FIB not programmed, card-down, no-line-card)',
    labelNames: ['reason'],
    registers,
    collect() {
      const p = snap().packets;
      const values: Record<(typeof DROP_REASONS)[number], number> = {
        'no-route': p.droppedNoRoute,
        'card-down': p.droppedCardDown,
        'no-line-card': p.droppedNoLineCard,
      };
      for (const r of DROP_REASONS) mirror.sync(dropped, values[r], { reason: r });
    },
  });
  counter('srp_hw_sessions_generated_total', 'Subscriber sessions the traffic generator attached', (s) => s.sessions?.generated ?? 0);
  counter('srp_hw_sessions_lost_total', 'Generated sessions lost to a chassis reset or a switchover without state sync', (s) => s.sessions?.lost ?? 0);
  const ops: Counter<'outcome'> = new Counter({
    name: 'srp_hw_session_ops_total',
    help: 'Session operations from the traffic generator, by outcome (applied to the session store, failed: the store refused it, withheld: no store or not SRP Active)',
    labelNames: ['outcome'],
    registers,
    collect() {
      const s = sink();
      mirror.sync(ops, s.applied, { outcome: 'applied' });
      mirror.sync(ops, s.failed, { outcome: 'failed' });
      mirror.sync(ops, s.withheld, { outcome: 'withheld' });
    },
  });
}
