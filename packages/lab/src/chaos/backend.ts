// What runs the pairs of the chaos suite: a backend starts (or takes over) the pair one run
// needs, with the fault driver for it, and undoes it after the run. Two exist: srpd child
// processes, a fresh pair per run (setup.ts, the default), and the compose lab's containers,
// one lab for the whole suite (containers/chaos-backend.ts, `--engine docker`).
import type { ChaosPair } from '../chassis.js';
import type { FaultDriver, LinkFaults } from '../faults/driver.js';
import type { PairOptions } from '../pair.js';
import type { ChaosOptions, Fixture, Scenario } from './scenario.js';
import type { Timers } from './timers.js';

export interface RunPair {
  pair: ChaosPair;
  link: LinkFaults;
  driver: FaultDriver;
  /** Why the pair runs on the proxy although the kernel link was asked for (auto), or null. */
  fallback: string | null;
  /** What the scenario's setup() made (null: nothing). */
  fixture: Fixture | null;
  close(): Promise<void>;
}

export interface ChaosBackend {
  readonly engine: 'process' | 'docker';
  /** checkpoint.session-duration of its chassis: sessions younger than this are not replicated. */
  readonly sessionDurationMs: number;
  /** Timers fixed by the backend's own configs (null: the suite's options decide). */
  readonly timers: Timers | null;
  /** null when `s` can run here, else why not (the run is a SKIP). */
  unsupported(s: Scenario): string | null;
  /** The pair for one run of `s`; `base` is the process pair's options (timers, config). */
  start(s: Scenario, opts: ChaosOptions, base: PairOptions): Promise<RunPair>;
}
