import type { Clock } from '../clock.js';
import type { Session } from '../table/session.js';
import type { SessionStore } from '../table/store.js';

const EXPIRY_SCAN_PER_TICK = 50_000;

/** Expiry on the Active: one sweep timer, a bounded slice of the table per tick. */
export class ExpirySweeper {
  private timer: unknown = null;
  private iter: Iterator<Session> | null = null;

  /**
   * `remove`: deletes an expired session (a replicated change); `running`: whether sweeps go on
   * (the engine is Active and open).
   */
  constructor(
    private readonly store: SessionStore,
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly remove: (s: Session) => void,
    private readonly running: () => boolean,
  ) {}

  /** Arms the next sweep (one at a time, while running). */
  arm(): void {
    if (this.timer !== null || !this.running()) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.sweep();
      this.arm();
    }, this.intervalMs);
  }

  stop(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.iter = null;
  }

  private sweep(): void {
    const now = this.clock.now();
    this.iter ??= this.store.values();
    for (let i = 0; i < EXPIRY_SCAN_PER_TICK; i++) {
      const r = this.iter.next();
      if (r.done) {
        this.iter = null;
        return;
      }
      if (r.value.expiresAt <= now) this.remove(r.value);
    }
  }
}
