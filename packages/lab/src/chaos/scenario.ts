// What a chaos scenario is, and the suite's options. A scenario is one object; registering it
// is one line in registry.ts.
import type { LinkFaultKind } from '../faults/driver.js';
import type { PairOptions, SrpNode } from '../pair.js';
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
  log: (line: string) => void;
}

export interface Scenario {
  name: string;
  /** What it injects (one line; the README's table says the same). */
  summary: string;
  /** What it judges, beyond what every scenario judges (acked writes, protected at the end). */
  judges: string;
  pair?: Partial<PairOptions>;
  /** Extra srpd config keys for this scenario (merged over the suite's). */
  extra?: (name: string) => Record<string, unknown>;
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
  requires?: (active: SrpNode) => Promise<string | null>;
  /** A paced update load during the whole run (updates per second). */
  load?: (opts: ChaosOptions) => number;
  /** Writer settings (false: no writer). */
  writer?: Partial<WriterOptions> | false;
  /** The bound for "protected again" (default: 3 x dead-interval + bulk sync of the table). */
  protectBoundMs?: (ctx: RunContext, tableSize: number) => number;
  timeoutMs?: (opts: ChaosOptions) => number;
  run(ctx: RunContext): Promise<void>;
}
