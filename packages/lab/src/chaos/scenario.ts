// What a chaos scenario is, and the suite's options. A scenario is one object; registering it
// is one line in registry.ts.
import type { ChaosNode } from '../chassis.js';
import type { LinkFaultKind } from '../faults/driver.js';
import type { NetnsPlan } from '../lab/netns.js';
import type { PairOptions } from '../pair.js';
import type { ChaosBackend } from './backend.js';
import type { RunContext } from './context.js';
import type { TimerName, Timers } from './timers.js';
import type { WriterOptions } from './writer.js';

export interface ChaosOptions extends Timers {
  timers: TimerName;
  /** Sessions to load before the fault (a scenario may use more, see Scenario.sessions). */
  sessions: number;
  /** Switchovers in the back-and-forth scenario. */
  switchovers: number;
  /** Short versions: durations, rates and sizes scaled down (the test suite). */
  short: boolean;
  /** Where link faults are injected: the kernel when it can (auto), or as told. */
  link: 'auto' | 'kernel' | 'proxy';
  srpd?: string;
  keepDir?: boolean;
  /** Extra srpd config keys for both nodes (checkpoint tuning, ...). */
  extraConfig?: Record<string, unknown>;
  /**
   * Give each srpd a simulated chassis (`hardware:`, no traffic generator unless a scenario
   * adds one) and run a routing domain over both (default true).
   */
  hardware?: boolean;
  /** What runs the pairs: srpd child processes (default) or the compose lab's containers. */
  backend?: ChaosBackend;
  log: (line: string) => void;
}

/** Where a run's chassis will live, for a scenario's setup() (before they start). */
export interface FixtureEnv {
  /** The run's directory (configs, logs): a fixture may put its files here. */
  dir: string;
  /** The chassis' network namespaces (kernel link), or null: both on loopback. */
  netns: NetnsPlan | null;
  log: (line: string) => void;
}

/** What a scenario's setup() made for one run: config for the chassis, and its undoing. */
export interface Fixture {
  /** srpd config keys for chassis `name` ('a' | 'b'), merged over the suite's. */
  config?(name: string): Record<string, unknown>;
  /** Stops what setup() started; called once the pair has stopped. */
  close(): Promise<void>;
}

export interface Scenario<F extends Fixture = Fixture> {
  name: string;
  /** What it injects (one line; the README's table says the same). */
  summary: string;
  /** What it judges, beyond what every scenario judges (acked writes, protected at the end). */
  judges: string;
  pair?: Partial<PairOptions>;
  /** Extra srpd config keys for this scenario (merged over the suite's). */
  extra?: (name: string) => Record<string, unknown>;
  /**
   * Runs before the pair starts, knowing where the chassis will live (servers they need,
   * addresses): its fixture's config goes into theirs, `ctx.fixture` is it during run(), and it
   * is closed after the pair stops. Process pairs only.
   */
  setup?: (env: FixtureEnv) => Promise<F>;
  /**
   * Also runs against the compose lab (`--engine docker`), its faults done as this says (the
   * README's table shows it); only for scenarios whose faults the docker driver injects and that
   * pin no timers, modes or config (the lab's configs are deploy/config's). Absent: process pairs only.
   */
  containers?: string;
  /** Wait for Active + ready Standby before run() (default true). */
  settle?: boolean;
  /** Timers this scenario pins, whatever --timers says. */
  timers?: (opts: ChaosOptions) => Timers | undefined;
  /** Sessions to load (default opts.sessions). */
  sessions?: (opts: ChaosOptions) => number;
  /** Link faults it injects: skipped when the link cannot. */
  needs?: LinkFaultKind[];
  /** Needs wall-clock steps (libfaketime): skipped without. */
  clock?: boolean;
  /** Needs a daemon feature; probe returns a reason to skip, or null. */
  requires?: (active: ChaosNode) => Promise<string | null>;
  /** A paced update load during the whole run (updates per second). */
  load?: (opts: ChaosOptions) => number;
  /** Writer settings (false: no writer). */
  writer?: Partial<WriterOptions> | false;
  /** The bound for "protected again" (default: 3 x dead-interval + bulk sync of the table). */
  protectBoundMs?(ctx: RunContext<F>, tableSize: number): number;
  timeoutMs?: (opts: ChaosOptions) => number;
  run(ctx: RunContext<F>): Promise<void>;
}
