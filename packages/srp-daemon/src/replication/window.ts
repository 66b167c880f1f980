// A measurement window for `show srp checkpoint statistics` and the bench: replication-lag
// samples (ring buffer, exact percentiles) and the event-loop delay (perf_hooks), both since
// the window was last reset (POST /v1/debug/checkpoint/window).
import { systemClock, toWallMs } from '@srp-ha/common';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

const RING = 1 << 16;

export interface WindowFigures {
  since: string;
  seconds: number;
  replicationLagMs: { samples: number; p50: number | null; p99: number | null; max: number | null };
  eventLoopDelayMs: { p50: number; p99: number; max: number };
}

function percentile(sorted: Float64Array, p: number): number | null {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

const round = (n: number | null): number | null => (n === null ? null : Math.round(n * 1000) / 1000);

export class MeasurementWindow {
  private readonly lag = new Float64Array(RING);
  private count = 0;
  private startedAt = systemClock.now();
  private readonly loop: IntervalHistogram;

  constructor() {
    this.loop = monitorEventLoopDelay({ resolution: 2 });
    this.loop.enable();
  }

  addLagMs(ms: number): void {
    this.lag[this.count % RING] = ms;
    this.count++;
  }

  figures(): WindowFigures {
    const n = Math.min(this.count, RING);
    const sorted = this.lag.slice(0, n).sort();
    const ns = (v: number): number => Math.round(v / 1e4) / 100; // ns -> ms, 2 decimals
    return {
      since: new Date(toWallMs(this.startedAt)).toISOString(),
      seconds: Math.round((systemClock.now() - this.startedAt) / 100) / 10,
      replicationLagMs: {
        samples: this.count,
        p50: round(percentile(sorted, 50)),
        p99: round(percentile(sorted, 99)),
        max: n > 0 ? round(sorted[n - 1]) : null,
      },
      eventLoopDelayMs: {
        p50: this.loop.count > 0 ? ns(this.loop.percentile(50)) : 0,
        p99: this.loop.count > 0 ? ns(this.loop.percentile(99)) : 0,
        max: this.loop.count > 0 ? ns(this.loop.max) : 0,
      },
    };
  }

  /** Returns the figures of the window that ends now and starts a new one. */
  reset(): WindowFigures {
    const f = this.figures();
    this.count = 0;
    this.startedAt = systemClock.now();
    this.loop.reset();
    return f;
  }

  dispose(): void {
    this.loop.disable();
  }
}
