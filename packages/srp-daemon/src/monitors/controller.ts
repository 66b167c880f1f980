// The monitor side of service monitoring: groups of every MonitorSource, their verdicts, the
// guard and damping timers, the non-reversible failure flag, and the planned switchover a
// group entirely down asks for (seed 003 "AAA Monitor"). Probing runs on the Active only.
//
// Failure flag, per monitor kind (AAA, Diameter): set on the chassis that took over because of
// that kind ("took-over": it stays Active even though it cannot reach the servers either) and
// on the one that handed over ("switched-away": it does not preempt back). Cleared by
// `srp reset-auth-probe-fail` / `reset-diameter-fail`, by a manual switchover, or by a
// switchover for any other reason.
import type { Chassis } from '@srp-ha/hw-sim';
import type { ChassisStateName, ServiceSwitchoverReason, SrpEvent, SwitchoverReason } from '../api/contract.js';
import type { GuardConfig, MonitorKind } from '../config/monitoring.js';
import type { Clock } from '../fsm/clock.js';
import { describeGuard, guardDecision } from './guard.js';
import { GUARD_FAMILY, groupVerdict, type GroupVerdict, type MemberStatus, type MonitorSource } from './source.js';
import type { SwitchoverRequester } from './requester.js';

export const MONITOR_REASON: Readonly<Record<MonitorKind, ServiceSwitchoverReason>> = {
  'authentication-probe': 'monitor-aaa',
  diameter: 'monitor-diameter',
  bgp: 'monitor-bgp',
};

export type FailureFlag = 'took-over' | 'switched-away';

interface KindState {
  source: MonitorSource;
  verdicts: Map<string, GroupVerdict>;
  failing: { since: number; deadline: number; decision: string; sinceIso: string; deadlineIso: string } | null;
  flag: FailureFlag | null;
  flagCause: string | null;
  suppressedNoted: boolean;
}

export interface MonitorKindView {
  kind: MonitorKind;
  probing: boolean;
  failureFlag: FailureFlag | null;
  failureFlagCause: string | null;
  groups: Array<{ name: string; members: string[]; verdict: GroupVerdict }>;
  members: MemberStatus[];
  /** A group is down: since when, when the switchover may go, and why then. */
  failing: { since: string; switchoverAt: string; decision: string } | null;
}

export interface MonitorControllerOptions {
  sources: MonitorSource[];
  guard: GuardConfig;
  clock: Clock;
  chassis: Chassis | null;
  requester: SwitchoverRequester;
  emit: (e: SrpEvent) => void;
  state: () => ChassisStateName;
}

/** Reasons of a chassis becoming Active that are not a switchover (start-up). */
const NOT_SWITCHOVERS: ReadonlySet<string> = new Set(['election', 'no-peer-at-start']);

export class MonitorController {
  private readonly kinds = new Map<MonitorKind, KindState>();
  private localFailure: { at: number; cause: string; atIso: string } | null = null;
  private lastSwitchoverAt: number | null = null;
  private readonly offs: Array<() => void> = [];

  constructor(private readonly o: MonitorControllerOptions) {
    for (const source of o.sources) {
      this.kinds.set(source.kind, { source, verdicts: new Map([...source.groups.keys()].map((g) => [g, 'unknown'])), failing: null, flag: null, flagCause: null, suppressedNoted: false });
      this.offs.push(
        source.onChange((c) =>
          o.emit({ type: 'monitor-member', at: new Date().toISOString(), kind: c.kind, member: c.member, from: c.from, to: c.to, cause: c.cause }),
        ),
      );
    }
  }

  /** srpd started: a (re)start is a local failure for the guard timers. */
  start(): void {
    this.noteLocalFailure('srpd started');
    const hw = this.o.chassis;
    if (hw) {
      this.offs.push(
        hw.on('card-fault', (e) => this.noteLocalFailure(`${e.cardType === 'cf' ? 'CF' : 'line card'} in slot ${e.card}: ${e.kind}`)),
        hw.on('cf-switchover', (e) => this.noteLocalFailure(`CF switchover slot ${e.from} -> ${e.to} (${e.cause})`)),
        hw.on('chassis-reset', (e) => this.noteLocalFailure(`chassis reset (${e.cause})`)),
      );
    }
    if (this.o.state() === 'Active') this.startProbing();
  }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
    for (const k of this.kinds.values()) k.source.dispose();
  }

  private noteLocalFailure(cause: string): void {
    this.localFailure = { at: this.o.clock.now(), cause, atIso: new Date().toISOString() };
  }

  private startProbing(): void {
    for (const k of this.kinds.values()) k.source.start();
  }

  private stopProbing(): void {
    for (const k of this.kinds.values()) {
      k.source.stop();
      k.failing = null;
    }
  }

  /** Every chassis state change (the daemon's onStateChange seam). */
  onStateChange(from: ChassisStateName, to: ChassisStateName, reason: SwitchoverReason | null): void {
    if (to === 'Active') this.startProbing();
    else if (from === 'Active' || to === 'Init') this.stopProbing();
    if (to === 'Init') this.noteLocalFailure('chassis reset: srpd restarted in Init');
    const switchover = reason !== null && !NOT_SWITCHOVERS.has(reason) && (to === 'Active' || (to === 'Standby' && from === 'Pending-Standby'));
    if (!switchover) return;
    if (to === 'Active') this.lastSwitchoverAt = this.o.clock.now();
    for (const [kind, k] of this.kinds) {
      if (reason === MONITOR_REASON[kind]) {
        this.setFlag(kind, k, to === 'Active' ? 'took-over' : 'switched-away', to === 'Active' ? 'became Active by a switchover for this monitor' : 'handed over for this monitor');
      } else if (k.flag) this.setFlag(kind, k, null, `cleared by a ${reason} switchover`);
    }
  }

  private setFlag(kind: MonitorKind, k: KindState, flag: FailureFlag | null, cause: string): void {
    if (k.flag === flag) return;
    k.flag = flag;
    k.flagCause = flag ? cause : null;
    k.suppressedNoted = false;
    this.o.emit({ type: 'monitor-failure-flag', at: new Date().toISOString(), kind, flag, cause });
  }

  /** `srp reset-auth-probe-fail` / `srp reset-diameter-fail`. False when that monitor is not configured. */
  reset(kind: MonitorKind): boolean {
    const k = this.kinds.get(kind);
    if (!k) return false;
    k.source.resetFailures();
    k.failing = null;
    this.setFlag(kind, k, null, `cleared by srp reset-${kind === 'diameter' ? 'diameter' : 'auth-probe'}-fail`);
    return true;
  }

  /** Some monitor flag says this chassis must not preempt back. */
  preemptBlocker(): string | null {
    for (const [kind, k] of this.kinds) if (k.flag === 'switched-away') return `monitor.${kind} failure flag (${k.flagCause ?? ''}): srp reset-${kind === 'diameter' ? 'diameter' : 'auth-probe'}-fail clears it`;
    return null;
  }

  verdict(kind: string, group: string): GroupVerdict {
    return this.kinds.get(kind as MonitorKind)?.verdicts.get(group) ?? 'unknown';
  }

  /** Re-judges every group and asks for a switchover when one is down and no guard holds it. */
  tick(): void {
    const now = this.o.clock.now();
    for (const [kind, k] of this.kinds) {
      const members = new Map(k.source.members().map((m) => [m.name, m.state]));
      for (const [group, names] of k.source.groups) {
        const v = groupVerdict(names.map((n) => members.get(n) ?? 'unknown'));
        const was = k.verdicts.get(group) ?? 'unknown';
        if (v === was) continue;
        k.verdicts.set(group, v);
        const cause = v === 'down' ? `no member of group ${group} answers (${names.join(', ')})` : v === 'up' ? `a member of group ${group} answers` : 'not probed';
        this.o.emit({ type: 'monitor-group', at: new Date().toISOString(), kind, group, from: was, verdict: v, cause });
      }
      const down = [...k.verdicts].filter(([, v]) => v === 'down').map(([g]) => g);
      if (down.length === 0 || !k.source.probing) {
        k.failing = null;
        continue;
      }
      if (!k.failing) {
        const d = guardDecision(this.o.guard, GUARD_FAMILY[kind], {
          now,
          localFailure: this.localFailure,
          hardwareGuard: this.o.chassis ? { active: this.o.chassis.inGuardPeriod(), remainingMs: this.o.chassis.guardRemainingMs() } : { active: false, remainingMs: 0 },
          lastSwitchoverAt: this.lastSwitchoverAt,
        });
        const decision = describeGuard(d);
        k.failing = {
          since: now,
          deadline: now + d.dampingMs,
          decision,
          sinceIso: new Date().toISOString(),
          deadlineIso: new Date(Date.now() + d.dampingMs).toISOString(),
        };
        this.o.emit({ type: 'monitor-switchover', at: k.failing.sinceIso, kind, action: d.dampingMs > 0 ? 'damped' : 'due', groups: down, cause: `group ${down.join(', ')} down: switchover ${decision}` });
      }
      if (now < k.failing.deadline) continue;
      if (k.flag === 'took-over') {
        if (!k.suppressedNoted) {
          k.suppressedNoted = true;
          this.o.emit({ type: 'monitor-switchover', at: new Date().toISOString(), kind, action: 'suppressed', groups: down, cause: `group ${down.join(', ')} down, but the failure flag holds this chassis Active (non-reversible until srp reset)` });
        }
        continue;
      }
      this.o.requester.request(MONITOR_REASON[kind], `monitor.${kind} group ${down.join(', ')} down (${k.failing.decision})`);
    }
  }

  view(kind?: MonitorKind): MonitorKindView[] {
    return [...this.kinds]
      .filter(([k]) => kind === undefined || k === kind)
      .map(([k, s]) => ({
        kind: k,
        probing: s.source.probing,
        failureFlag: s.flag,
        failureFlagCause: s.flagCause,
        groups: [...s.source.groups].map(([name, members]) => ({ name, members: [...members], verdict: s.verdicts.get(name) ?? 'unknown' })),
        members: s.source.members(),
        failing: s.failing ? { since: s.failing.sinceIso, switchoverAt: s.failing.deadlineIso, decision: s.failing.decision } : null,
      }));
  }

  guardView(): { localFailure: { at: string; cause: string } | null; hardwareGuard: { active: boolean; remainingMs: number } | null } {
    const hw = this.o.chassis;
    return {
      localFailure: this.localFailure ? { at: this.localFailure.atIso, cause: this.localFailure.cause } : null,
      hardwareGuard: hw ? { active: hw.inGuardPeriod(), remainingMs: Math.round(hw.guardRemainingMs()) } : null,
    };
  }

  kindsConfigured(): MonitorKind[] {
    return [...this.kinds.keys()];
  }
}
