import { NACK_WINDOW_MS } from './config.js';

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
