// Guard and damping timers (seed 003 "SRP Redundancy, AAA and Diameter Guard Timers"), as a
// pure decision: when a monitor group goes down at `now`, how long must the switchover wait?
//   - srp-redundancy-timers.{aaa,diam,bgp}: within `guard-period` of a local failure (a CF
//     switchover, a card reboot or crash, a chassis reset, an srpd start) or while the
//     simulated chassis's own guard timer runs, the switchover is damped by `damping-period`;
//   - {aaa,diameter}-switchover-timers: within `guard-period` of this chassis's last
//     interchassis switchover, likewise (no back-to-back switchovers while the network converges).
// Outside every guard period the switchover goes at once. When several apply, the longest
// damping wins.
import type { GuardConfig, GuardFamily } from '../config/monitoring.js';

export interface GuardInputs {
  now: number;
  /** The latest local failure (clock ms) and what it was; null: none since start. */
  localFailure: { at: number; cause: string } | null;
  /** The simulated chassis's guard timer is running (hw-sim `inGuardPeriod()`). */
  hardwareGuard: { active: boolean; remainingMs: number };
  /** This chassis's last interchassis switchover (clock ms), null: none. */
  lastSwitchoverAt: number | null;
}

export interface GuardDecision {
  /** 0: switch over now. */
  dampingMs: number;
  /** The guard periods that apply, readable ("within guard-period 60 s of ..."). */
  reasons: string[];
}

const s = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

export function guardDecision(cfg: GuardConfig, family: GuardFamily, i: GuardInputs): GuardDecision {
  const reasons: string[] = [];
  let dampingMs = 0;
  const red = cfg.srpRedundancy[family];
  const local = i.localFailure && i.now < i.localFailure.at + red.guardPeriodMs ? i.localFailure : null;
  if (local || i.hardwareGuard.active) {
    dampingMs = Math.max(dampingMs, red.dampingPeriodMs);
    reasons.push(
      local
        ? `within srp-redundancy-timers ${family} guard-period ${s(red.guardPeriodMs)} of a local failure (${local.cause}, ${s(i.now - local.at)} ago)`
        : `the chassis guard timer is running (${s(i.hardwareGuard.remainingMs)} left)`,
    );
  }
  if (family !== 'bgp' && i.lastSwitchoverAt !== null) {
    const sw = cfg.switchover[family];
    if (i.now < i.lastSwitchoverAt + sw.guardPeriodMs) {
      dampingMs = Math.max(dampingMs, sw.dampingPeriodMs);
      const name = family === 'aaa' ? 'aaa-switchover-timers' : 'diameter-switchover-timers';
      reasons.push(`within ${name} guard-period ${s(sw.guardPeriodMs)} of the last switchover (${s(i.now - i.lastSwitchoverAt)} ago)`);
    }
  }
  return { dampingMs, reasons };
}

/** "damped 20 s (within ...)" or "outside every guard period". */
export function describeGuard(d: GuardDecision): string {
  return d.dampingMs > 0 ? `damped ${s(d.dampingMs)} (${d.reasons.join('; ')})` : 'outside every guard period: at once';
}
