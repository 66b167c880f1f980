import type { Clock } from './clock.js';
import type { CheckpointConfig } from './config.js';
import type { CheckpointTransport } from './messages.js';
import type { CheckpointEvent, CheckpointObserver, CheckpointStatistics } from './stats.js';
import type { SessionStore } from './table/store.js';

/** What the engine's parts (sender, receiver, audit, ...) share: built once by the engine. */
export interface EngineContext {
  readonly store: SessionStore;
  readonly clock: Clock;
  readonly transport: CheckpointTransport;
  readonly config: CheckpointConfig;
  readonly stats: CheckpointStatistics;
  readonly observer: CheckpointObserver;
  emit(event: CheckpointEvent): void;
}
