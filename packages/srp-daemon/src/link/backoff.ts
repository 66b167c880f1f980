// Reconnect delays: exponential from `minMs`, capped at `maxMs`, with jitter so that two
// chassis restarting together do not dial in lock-step.

export class Backoff {
  private attempt = 0;

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  /** The next delay: a random value in [half, full] of min * 2^attempt, capped at max. */
  next(): number {
    const full = Math.min(this.maxMs, this.minMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.max(this.minMs / 2, Math.round(full / 2 + (this.random() * full) / 2));
  }

  reset(): void {
    this.attempt = 0;
  }
}
