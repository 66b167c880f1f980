// Joining a hardware plane to a running daemon (srpd does this; an embedding program may too):
//   - the `srp_hw_*` metrics on the daemon's registry;
//   - the `hw-*` events in the daemon's event stream (the management server is given `managed`);
//   - a chassis that lost every CF (chassis reset) comes back as a rebooted chassis would: the
//     daemon starts over in Init with a new boot id (`restartAfterChassisReset`), so a peer that
//     took over keeps the Active role and a Standby peer takes over at once (the sessions of
//     this chassis died with it).
import type { ManagedDaemon } from '../api/contract.js';
import { withEventSources } from '../management/event-sources.js';
import { registerHardwareMetrics } from './metrics.js';
import type { HardwarePlane } from './plane.js';

/** What the wiring needs from the daemon: the management contract, and the reboot hook if it has one. */
export interface HardwareHost extends ManagedDaemon {
  restartAfterChassisReset?(cause: string): void;
}

export interface WiredHardware {
  /** The daemon as the management server should see it: its events plus the hw-* events. */
  managed: ManagedDaemon;
  detach(): void;
}

export function wireHardware(plane: HardwarePlane, daemon: HardwareHost): WiredHardware {
  // (Unless the plane was created with this registry already.)
  if (!daemon.registry.getSingleMetric('srp_hw_card_state')) registerHardwareMetrics(daemon.registry, plane.chassis, () => plane.sinkCounters());
  // Only a chassis left with no CF in charge at all reboots its SRP instance: hw-sim reports
  // that as `active-cf-changed` with slot null (a chassis reset). An HSA cold-restart switchover
  // also emits `chassis-reset`, but the other CF takes charge without a gap (inside the guard).
  let lastResetCause = 'no active CF';
  let lostAllCfs = false;
  const offs = [
    plane.chassis.on('chassis-reset', (e) => {
      lastResetCause = e.cause;
    }),
    plane.chassis.on('active-cf-changed', (e) => {
      if (e.slot === null) {
        lostAllCfs = true;
        return;
      }
      if (!lostAllCfs) return;
      lostAllCfs = false;
      daemon.restartAfterChassisReset?.(`chassis reset (${lastResetCause}); CF in slot ${e.slot} is active again`);
    }),
  ];
  const managed = withEventSources(daemon, plane);
  return {
    managed,
    detach() {
      for (const off of offs) off();
    },
  };
}
