// Tracked objects and the chassis priority (seed 002): every Down object lowers the priority by
// its decrement (here a higher number: a lower number is a higher priority). The effective
// priority goes into every Hello and decides elections and preemption. An Active chassis
// below `failover-threshold` (its effective priority number above it) hands over to a Standby
// peer that advertises a better priority, through the planned switchover path (reason
// `tracking`). A Standby preempts only when `preemption` is on, it is not below the threshold,
// `preemption-delay` has passed since its priority last improved, and no monitor flag holds it.
import type { Chassis } from '@srp-ha/hw-sim';
import type { SrpEvent, SrpInfo } from '../api/contract.js';
import type { TrackObjectConfig } from '../config/monitoring.js';
import type { Clock } from '../fsm/clock.js';
import type { SwitchoverRequester } from './requester.js';
import type { GroupVerdict } from './source.js';
import { belowThreshold, createTrackedObject, effectivePriority, type TrackedObject, type TrackStatus } from './track-objects.js';

export interface TrackingHost {
  info(): SrpInfo;
  setServiceHealth(priority: number, preemptAllowed: boolean): void;
}

export interface TrackerOptions {
  configuredPriority: number;
  failoverThreshold: number | null;
  preemption: boolean;
  preemptionDelayMs: number;
  objects: TrackObjectConfig[];
  clock: Clock;
  chassis: Chassis | null;
  groupVerdict: (monitor: string, group: string) => GroupVerdict;
  /** Why preemption is held back by a monitor (its failure flag), or null. */
  preemptBlocker: () => string | null;
  requester: SwitchoverRequester;
  host: TrackingHost;
  emit: (e: SrpEvent) => void;
}

export interface TrackingView {
  configuredPriority: number;
  effectivePriority: number;
  failoverThreshold: number | null;
  belowThreshold: boolean;
  preemption: boolean;
  preemptionDelayMs: number;
  preemptAllowed: boolean;
  /** Why this chassis may not preempt now (null: it may, or preemption is off). */
  preemptHeldBy: string | null;
  objects: TrackStatus[];
}

export class Tracker {
  private readonly objects: TrackedObject[];
  private effective: number;
  private recoveredAt: number;
  private pushed: { priority: number; allowed: boolean } | null = null;
  private heldBy: string | null = null;

  constructor(private readonly o: TrackerOptions) {
    this.effective = o.configuredPriority;
    this.recoveredAt = o.clock.now();
    this.objects = o.objects.map((cfg) =>
      createTrackedObject(cfg, {
        clock: o.clock,
        chassis: o.chassis,
        groupVerdict: o.groupVerdict,
        changed: (name, from, st) =>
          o.emit({ type: 'track', at: new Date().toISOString(), object: name, objectType: st.type, from, state: st.state, decrement: st.decrement, cause: st.cause }),
      }),
    );
  }

  start(): void {
    this.recoveredAt = this.o.clock.now();
    for (const obj of this.objects) obj.start();
    this.tick();
  }

  stop(): void {
    for (const obj of this.objects) obj.stop();
  }

  private statuses(): TrackStatus[] {
    return this.objects.map((obj) => obj.status());
  }

  tick(): void {
    const now = this.o.clock.now();
    const statuses = this.statuses();
    const effective = effectivePriority(this.o.configuredPriority, statuses);
    const threshold = this.o.failoverThreshold;
    if (effective !== this.effective) {
      const from = this.effective;
      if (effective < from) this.recoveredAt = now;
      this.effective = effective;
      const down = statuses.filter((s) => s.state === 'down').map((s) => `${s.name} -${s.decrement}`);
      this.o.emit({
        type: 'priority',
        at: new Date().toISOString(),
        configured: this.o.configuredPriority,
        from,
        effective,
        failoverThreshold: threshold,
        belowThreshold: belowThreshold(effective, threshold),
        cause: down.length ? `tracked objects down: ${down.join(', ')}` : 'every tracked object is up',
      });
    }
    const below = belowThreshold(effective, threshold);
    const heldBy = below
      ? `below failover-threshold ${threshold ?? ''} (effective priority ${effective})`
      : now < this.recoveredAt + this.o.preemptionDelayMs
        ? `preemption-delay: ${Math.ceil((this.recoveredAt + this.o.preemptionDelayMs - now) / 1000)} s left since the priority last improved`
        : this.o.preemptBlocker();
    this.heldBy = heldBy;
    const allowed = heldBy === null;
    if (!this.pushed || this.pushed.priority !== effective || this.pushed.allowed !== allowed) {
      this.pushed = { priority: effective, allowed };
      this.o.host.setServiceHealth(effective, allowed);
    }
    if (!below) return;
    const info = this.o.host.info();
    const peer = info.peer;
    if (info.state !== 'Active' || !peer || peer.state !== 'Standby' || peer.priority >= effective) return;
    this.o.requester.request(
      'tracking',
      `effective priority ${effective} is below failover-threshold ${threshold ?? ''}; peer ${peer.chassisId} advertises ${peer.priority}`,
    );
  }

  view(): TrackingView {
    return {
      configuredPriority: this.o.configuredPriority,
      effectivePriority: this.effective,
      failoverThreshold: this.o.failoverThreshold,
      belowThreshold: belowThreshold(this.effective, this.o.failoverThreshold),
      preemption: this.o.preemption,
      preemptionDelayMs: this.o.preemptionDelayMs,
      preemptAllowed: this.heldBy === null,
      preemptHeldBy: this.o.preemption ? this.heldBy : null,
      objects: this.statuses(),
    };
  }
}
