// The point-in-time views of one chassis: the operating redundancy mode, the redundancy counters
// (the chassis's own plus the RF client registry's) and `snapshot()`, the metrics seam that the
// `show` commands and srpd's metrics read.
import type { ChassisCore } from './chassis-core.js';
import type { CfCard, CfCardView, ChassisSnapshot, RedundancyCounters } from './chassis-types.js';
import type { RedundancyMode } from './modes.js';
import { RF_STATES, isActiveFamily, rfStateName } from './rf-states.js';

/**
 * The mode the pair runs in now: the configured one once the standby is ready; RPR while a
 * stateful standby is still syncing (seed: "during synchronization ... the configured mode
 * will be RPR"); Non-redundant without a standby.
 */
export function operatingMode(core: ChassisCore): RedundancyMode | 'Non-redundant' {
  const a = core.cfs.find((c) => c.present && isActiveFamily(c.rf));
  if (!a) return 'Non-redundant';
  const s = core.peerOf(a);
  if (!s.present || s.rf < RF_STATES.STANDBY_COLD || isActiveFamily(s.rf)) return 'Non-redundant';
  return core.standbyReady() ? core.config.redundancyMode : 'RPR';
}

export function redundancyCounters(core: ChassisCore): RedundancyCounters {
  return {
    ...core.counters,
    switchoversByCause: { ...core.counters.switchoversByCause },
    clientNotifications: core.clients.stats.notifications,
    clientNotificationErrors: core.clients.stats.errors,
    clientNotificationTimeouts: core.clients.stats.timeouts,
  };
}

export function uptimeMs(core: ChassisCore): number {
  return core.started ? core.clock.now() - core.startedAt : 0;
}

/** Point-in-time view for metrics and `show` commands. */
export function snapshot(core: ChassisCore): ChassisSnapshot {
  const now = core.clock.now();
  const active = core.activeCf();
  const duplex = core.cfs.every((c) => c.present && c.rf !== RF_STATES.DISABLED);
  return {
    chassisId: core.config.chassisId,
    at: now,
    uptimeMs: uptimeMs(core),
    configuredMode: core.config.redundancyMode,
    operatingMode: operatingMode(core),
    hardwareMode: duplex ? 'Duplex' : 'Simplex',
    activeCf: active ? { slot: active.slot, mac: active.mac } : null,
    cfs: core.cfs.map((c) => cfView(c, now)),
    lineCards: core.lcs.map((lc) => lc.view()),
    packets: { ...core.packets },
    sessions: core.traffic?.stats() ?? null,
    counters: redundancyCounters(core),
    switchoverInProgress: core.switching !== null,
    lastSwitchover: core.lastSwitchover ? { ...core.lastSwitchover } : null,
    guard: { active: core.inGuardPeriod(), remainingMs: core.guardRemainingMs() },
    rfClients: core.clients.count(),
  };
}

function cfView(c: CfCard, now: number): CfCardView {
  const role: CfCardView['role'] = !c.present
    ? 'removed'
    : isActiveFamily(c.rf)
      ? 'active'
      : c.rf >= RF_STATES.STANDBY_COLD
        ? 'standby'
        : c.rf === RF_STATES.DISABLED
          ? 'offline'
          : 'booting';
  return { slot: c.slot, mac: c.mac, present: c.present, hung: c.hung, rfState: c.rf, rfStateName: rfStateName(c.rf), role, inStateMs: now - c.since };
}
