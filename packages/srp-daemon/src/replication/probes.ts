// Apply times of probe sessions on a Standby, for measuring replication lag per update from
// outside (the bench's lag probe). A driver arms the log with an id prefix
// (POST /v1/debug/checkpoint/probes), writes updates of sessions with that prefix on the
// Active, and reads here when each was first applied (GET /v1/debug/checkpoint/probes); the
// Active's session API answers each write with the time it received it. Both times are
// CLOCK_MONOTONIC in ms (process.hrtime), comparable between processes on one host.
// Disarmed (the default) it costs one comparison per received message.
import type { CheckpointMessage } from '@srp-ha/checkpoint';

/** At most this many probe ids are kept per arming; later ones are counted as dropped. */
export const MAX_PROBES = 100_000;

export const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6;

export class ProbeLog {
  private prefix: string | null = null;
  private applied = new Map<string, number>();
  private dropped = 0;

  /** Starts a new log of ids starting with `prefix` (null: stop recording). */
  arm(prefix: string | null): void {
    this.prefix = prefix;
    this.applied = new Map();
    this.dropped = 0;
  }

  /** A received message is applied (the checkpoint receiver is done with it). */
  record(msg: CheckpointMessage): void {
    const prefix = this.prefix;
    if (prefix === null || msg.kind !== 'microCheckpointBatch') return;
    let at = 0;
    for (const it of msg.body.items) {
      if (!it.sessionId.startsWith(prefix) || this.applied.has(it.sessionId)) continue;
      if (this.applied.size >= MAX_PROBES) {
        this.dropped++;
        continue;
      }
      if (at === 0) at = monotonicMs();
      this.applied.set(it.sessionId, at);
    }
  }

  figures(): { prefix: string | null; count: number; dropped: number; applied: Record<string, number> } {
    return { prefix: this.prefix, count: this.applied.size, dropped: this.dropped, applied: Object.fromEntries(this.applied) };
  }
}
