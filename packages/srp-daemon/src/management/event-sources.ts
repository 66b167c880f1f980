// The daemon as the management server sees it, with the event streams of the planes joined in
// (replication, hardware): one `GET /v1/events` for all of them.
import type { ManagedDaemon } from '../api/contract.js';

/** The daemon as the management server sees it, its event stream joined by more sources. */
export function withEventSources(daemon: ManagedDaemon, ...sources: Array<Pick<ManagedDaemon, 'onEvent'>>): ManagedDaemon {
  return {
    get registry() {
      return daemon.registry;
    },
    info: () => daemon.info(),
    statistics: () => daemon.statistics(),
    initiateSwitchover: (force) => daemon.initiateSwitchover(force),
    validateSwitchover: () => daemon.validateSwitchover(),
    validateConfiguration: () => daemon.validateConfiguration(),
    onEvent(listener) {
      const offs = [daemon.onEvent(listener), ...sources.map((s) => s.onEvent(listener))];
      return () => {
        for (const off of offs) off();
      };
    },
  };
}
