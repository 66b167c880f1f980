// What a transition of the state machine leaves behind outside it: the log line, the public
// state-change and switchover events, the switchover record and counts, the takeover time for
// the metrics, and the notify hooks.
import type { Logger } from 'pino';
import { hookName, type SrpConfig } from '../config/config.js';
import { SERVICE_SWITCHOVER_REASONS } from '../api/contract.js';
import type { DaemonObserver, SrpEvent, SwitchoverReason, SwitchoverRecord } from '../api/contract.js';
import type { Effect } from '../fsm/chassis.js';
import type { Clock } from '../fsm/clock.js';
import { HookQueue } from './hooks.js';

export type TransitionEffect = Extract<Effect, { type: 'transition' }>;

/** Reasons whose arrival in Active is a takeover (timed for srp_takeover_seconds). */
const TAKEOVER_REASONS: ReadonlySet<SwitchoverReason> = new Set([
  'peer-dead',
  'peer-goodbye',
  'manual',
  'manual-force',
  'preemption',
  ...SERVICE_SWITCHOVER_REASONS,
]);

export class TransitionReporter {
  lastSwitchover: SwitchoverRecord | null = null;
  readonly switchovers: Record<string, number> = {};
  private readonly hooks: HookQueue;

  constructor(
    private readonly config: SrpConfig,
    private readonly log: Logger,
    private readonly clock: Clock,
    private readonly emit: (e: SrpEvent) => void,
    private readonly observer: () => DaemonObserver | null,
    hookLogger: Logger,
  ) {
    this.hooks = new HookQueue(config.notifyHooks, hookLogger, (run) =>
      emit({
        type: 'hook',
        at: new Date().toISOString(),
        transition: run.transition,
        command: run.command,
        exitCode: run.exitCode,
        durationMs: run.durationMs,
        cause: run.error ?? (run.signal ? `killed by ${run.signal}` : `exit ${run.exitCode ?? '?'}`),
      }),
    );
  }

  report(e: TransitionEffect, routeModifier: number): void {
    const at = new Date().toISOString();
    this.log.info({ from: e.from, to: e.to, reason: e.reason, cause: e.cause, routeModifier }, `chassis ${e.from} -> ${e.to}: ${e.cause}`);
    this.emit({ type: 'state-change', at, from: e.from, to: e.to, cause: e.cause });
    const isSwitchover = e.reason !== null && (e.to === 'Active' || (e.to === 'Standby' && (e.from === 'Active' || e.from === 'Pending-Standby')));
    if (isSwitchover && e.reason) {
      this.lastSwitchover = { at, reason: e.reason, from: e.from, to: e.to };
      this.switchovers[e.reason] = (this.switchovers[e.reason] ?? 0) + 1;
      this.emit({ type: 'switchover', at, reason: e.reason, from: e.from, to: e.to, cause: e.cause });
      if (e.to === 'Active' && e.takeoverSince !== undefined && TAKEOVER_REASONS.has(e.reason)) {
        this.observer()?.takeover((this.clock.now() - e.takeoverSince) / 1000, e.reason);
      }
    }
    this.hooks.enqueue({
      transition: hookName(e.from, e.to),
      args: [e.from, e.to, e.reason ?? ''],
      env: {
        SRP_FROM: e.from,
        SRP_TO: e.to,
        SRP_REASON: e.reason ?? '',
        SRP_CAUSE: e.cause,
        SRP_CHASSIS_ID: this.config.chassisId,
        SRP_ROUTE_MODIFIER: String(routeModifier),
      },
    });
  }

  /** Waits (at most `ms`) for the queued hooks to finish. */
  drainHooks(ms: number): Promise<unknown> {
    return Promise.race([this.hooks.drain(), new Promise((r) => setTimeout(r, ms).unref())]);
  }
}
