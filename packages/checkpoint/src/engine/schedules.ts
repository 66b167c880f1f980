import { nextAuditTime } from '../audit.js';
import type { Clock } from '../clock.js';
import type { CheckpointConfig } from '../config.js';
import type { CheckpointSender } from '../sender/sender.js';
import type { AuditStatistics } from '../stats.js';

const AUDIT_RETRY_MS = 60_000;

/** What the schedules need from the engine. */
export interface SchedulesHost {
  readonly clock: Clock;
  readonly config: CheckpointConfig;
  readonly sender: CheckpointSender;
  readonly auditStats: AuditStatistics;
  /** The engine is Active. */
  active(): boolean;
  closed(): boolean;
  /** Runs a periodic audit with sync (its failure is the audit's own). */
  audit(): void;
}

/**
 * The Active's timed work on the link: a periodic macro every `periodicIntervalMin` while a
 * Standby is attached, and the periodic audit from `auditDailyStartTime` (UTC) every
 * `auditPeriodicityMin`.
 */
export class Schedules {
  private periodicTimer: unknown = null;
  private auditTimer: unknown = null;

  constructor(private readonly host: SchedulesHost) {}

  armPeriodic(): void {
    const { clock, config, sender } = this.host;
    if (this.periodicTimer !== null) clock.clearTimeout(this.periodicTimer);
    this.periodicTimer = clock.setTimeout(() => {
      this.periodicTimer = null;
      if (!this.host.active() || !sender.isAttached) return;
      if (!sender.macroInProgress) sender.requestMacro('periodic');
      this.armPeriodic();
    }, config.periodicIntervalMin * 60_000);
  }

  stopPeriodic(): void {
    if (this.periodicTimer !== null) this.host.clock.clearTimeout(this.periodicTimer);
    this.periodicTimer = null;
  }

  armAudit(delayMs?: number): void {
    const { clock, config, sender, auditStats } = this.host;
    if (!config.auditEnabled || this.host.closed()) return;
    const now = clock.now();
    const at = delayMs === undefined ? nextAuditTime(now, config.auditDailyStartTime, config.auditPeriodicityMin) : now + delayMs;
    auditStats.nextRunAt = at;
    if (this.auditTimer !== null) clock.clearTimeout(this.auditTimer);
    this.auditTimer = clock.setTimeout(() => {
      this.auditTimer = null;
      if (!this.host.active()) return;
      if (sender.isAttached && sender.macroInProgress) {
        // Comparing a table that a macro is rewriting would report noise: try again shortly.
        this.armAudit(AUDIT_RETRY_MS);
        return;
      }
      if (sender.isAttached) this.host.audit();
      this.armAudit();
    }, at - now);
  }

  stop(): void {
    this.stopPeriodic();
    if (this.auditTimer !== null) this.host.clock.clearTimeout(this.auditTimer);
    this.auditTimer = null;
  }
}
