import { NACK_WINDOW_MS } from '../config.js';
import type { EngineContext } from '../context.js';
import { NackKind, type MicroCheckpoint } from '../messages.js';
import type { NackKind as WireNackKind } from '@srp-ha/wire';

/**
 * NACK budget of the Standby: at most `maxResponse` NACKs per 10-minute window. The window
 * opens with the first NACK and is reset when a macro checkpoint is applied.
 */
export class NackLimiter {
  private count = 0;
  private windowStart = 0;

  constructor(public maxResponse: number) {}

  /** True when a NACK may be sent now (and counts it). */
  tryConsume(now: number): boolean {
    if (this.count > 0 && now - this.windowStart >= NACK_WINDOW_MS) this.count = 0;
    if (this.count >= this.maxResponse) return false;
    if (this.count === 0) this.windowStart = now;
    this.count++;
    return true;
  }

  reset(): void {
    this.count = 0;
  }

  get used(): number {
    return this.count;
  }
}

/**
 * The Standby's NACKs: the config's nack micro|macro switches, the command ids an operator
 * disabled (`srp disable nack micro-chkpt-cmd N`), and the max-response budget.
 */
export class NackSender {
  private readonly limiter: NackLimiter;
  private readonly disabled = new Set<number>();

  constructor(private readonly ctx: EngineContext) {
    this.limiter = new NackLimiter(ctx.config.nackMaxResponse);
  }

  get disabledCommands(): number[] {
    return [...this.disabled].sort((a, b) => a - b);
  }

  setEnabled(commandId: number, enabled: boolean): void {
    if (enabled) this.disabled.delete(commandId);
    else this.disabled.add(commandId);
  }

  /** A macro was applied: the budget starts over. */
  resetBudget(): void {
    this.limiter.reset();
  }

  /** A micro item failed to apply: NACKed, unless micro NACKs or its command id are disabled. */
  microFailed(it: MicroCheckpoint, reason: string, sequence: number): void {
    if (this.ctx.config.nackMicro && !this.disabled.has(it.commandId)) {
      this.send(NackKind.Micro, it.commandId, it.sessionId, reason, sequence);
    } else {
      this.ctx.stats.nacks.suppressed++;
      this.ctx.emit({ type: 'checkpoint-nack-suppressed', at: this.ctx.clock.now(), kind: 'micro', commandId: it.commandId, cause: `nack disabled: ${reason}` });
    }
  }

  /** A macro (or the receiver itself) failed: NACKed, unless macro NACKs are disabled. */
  macroFailed(reason: string, sequence: number): void {
    this.send(NackKind.Macro, 0, '', reason, sequence);
  }

  private send(kind: WireNackKind, commandId: number, sessionId: string, reason: string, sequence: number): void {
    const now = this.ctx.clock.now();
    const kindName = kind === NackKind.Macro ? 'macro' : 'micro';
    if (kind === NackKind.Macro && !this.ctx.config.nackMacro) {
      this.ctx.stats.nacks.suppressed++;
      return;
    }
    if (!this.limiter.tryConsume(now)) {
      this.ctx.stats.nacks.suppressed++;
      this.ctx.emit({ type: 'checkpoint-nack-suppressed', at: now, kind: kindName, commandId, cause: `max-response reached: ${reason}` });
      return;
    }
    this.ctx.stats.nacks.sent++;
    this.ctx.transport.send({ kind: 'nack', body: { kind, commandId, sessionId, reason, sequence } });
    this.ctx.emit({ type: 'checkpoint-nack-sent', at: now, kind: kindName, commandId, sessionId, cause: reason });
  }
}
