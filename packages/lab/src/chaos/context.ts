// What a scenario sees while it runs: the pair, the fault driver (every call recorded with its
// time, so the fault window and the moments the judge needs come from what was really done),
// the writer and the helpers that judge transitions.
import type { ChaosNode, ChaosPair } from '../chassis.js';
import type { FaultDriver, NodeName } from '../faults/driver.js';
import { now } from '../poller.js';
import type { RoutingDriver } from '../routing.js';
import type { Ledger } from './ledger.js';
import type { RateLoad } from './load.js';
import type { Protection } from './protected.js';
import { mark, type ScenarioResult } from './result.js';
import type { Fixture } from './scenario.js';
import type { Timers } from './timers.js';
import type { AckedWriter } from './writer.js';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface RunOptions extends Timers {
  /** Sessions loaded before the fault (this scenario's figure). */
  sessions: number;
  switchovers: number;
  /** Short versions (the test suite): scenarios that scale down do. */
  short: boolean;
  log: (line: string) => void;
}

/** One recorded fault action. */
export interface FaultEvent {
  at: number;
  /** When the action had completed (a start resolves once the API answers). */
  done: number;
  what: string;
}

export class RunContext<F extends Fixture = Fixture> {
  /** Time of the fault injection that the takeover is measured from. */
  faultAt: number | null = null;
  /** From when two Actives count against the scenario. */
  watchFrom: number;
  /** Set by scenarios where two Actives are part of the fault (split link, frozen node). */
  dualExpected = false;
  /** Every driver action and marked moment, in order. */
  readonly events: FaultEvent[] = [];
  /** Set by endWindow(): the fault is over, protection is measured from here. */
  windowEnd: number | null = null;
  /** Sessions the Standby did not hold when the Active died (bulk sync cut short). */
  readonly unsynced = new Set<string>();
  sessionApi = false;
  routing: RoutingDriver | null = null;
  writer: AckedWriter | null = null;
  load: RateLoad | null = null;
  /** Recorded faults, by node. */
  readonly f: RecordedFaults;
  /** The watch for "protected again", started by endWindow() (or at the end of run()). */
  protection: Promise<Protection> | null = null;
  /** Set by the harness: starts that watch from a time. */
  watchProtection: ((from: number) => Promise<Protection>) | null = null;

  constructor(
    readonly pair: ChaosPair,
    readonly active: ChaosNode,
    readonly standby: ChaosNode,
    readonly driver: FaultDriver,
    readonly ledger: Ledger,
    readonly opts: RunOptions,
    readonly result: ScenarioResult,
    /** What the scenario's setup() made for this run (null: it has none). */
    readonly fixture: F | null = null,
  ) {
    this.watchFrom = now();
    this.f = new RecordedFaults(driver, this);
  }

  get dead(): number {
    return this.opts.deadIntervalMs;
  }

  get hello(): number {
    return this.opts.helloIntervalMs;
  }

  /** A bound for anything that should happen within a few dead intervals. */
  get bound(): number {
    return 5 * this.opts.deadIntervalMs + 15_000;
  }

  log(line: string): void {
    this.opts.log(`  [${this.result.scenario}] ${line}`);
  }

  note(line: string): void {
    this.result.notes.push(line);
  }

  /** Marks the fault (the takeover is timed from here) with a label for the log. */
  fault(label: string): number {
    this.faultAt = now();
    this.log(label);
    return this.faultAt;
  }

  /** Records a moment that is not a driver call (a switchover request, ...). */
  moment(what: string): void {
    const t = now();
    this.events.push({ at: t, done: t, what });
  }

  /** The fault is over: protection is timed (and watched for) from now. */
  endWindow(): void {
    this.windowEnd = now();
    this.protection ??= this.watchProtection?.(this.windowEnd) ?? null;
  }

  /** From the first fault action to the last (or endWindow()). */
  get window(): { from: number; to: number } | null {
    const first = this.events[0];
    if (!first) return null;
    const last = this.events[this.events.length - 1] ?? first;
    return { from: first.at, to: Math.max(last.done, this.windowEnd ?? 0) };
  }

  /** Waits for `node` to become Active and records the takeover time seen from outside. */
  async takeover(node: ChaosNode, from = this.faultAt): Promise<number> {
    await node.waitForState('Active', this.bound);
    await this.pair.poller.waitFor((l) => l.get(node.name)?.state === 'Active', 5000);
    const t0 = from ?? now();
    const seen = this.pair.poller.firstSeen(node.name, 'Active', t0) ?? now();
    const ms = seen - t0;
    this.result.takeoverMs = Math.round(ms);
    this.log(`${node.name} Active after ${Math.round(ms)} ms`);
    const soft = this.dead + 3 * this.hello + 1500;
    if (ms > soft) mark(this.result, 'WARN', `takeover took ${Math.round(ms)} ms (> dead-interval + 3 hellos + 1.5 s = ${soft} ms)`);
    return ms;
  }

  /** States `node` was seen in since `t0` (from the poller), 'down' (no answer) left out. */
  seenSince(node: ChaosNode, t0: number): string[] {
    return this.pair.poller.changes.filter((o) => o.node === node.name && o.t >= t0 && o.state !== 'down').map((o) => o.state);
  }

  /** `severity` if `node` was seen in anything but `state` since `t0` (not answering is no transition). */
  expectStayed(node: ChaosNode, state: string, t0: number, severity: 'WARN' | 'FAIL'): boolean {
    const other = this.seenSince(node, t0).filter((s) => s !== state);
    if (other.length === 0) return true;
    mark(this.result, severity, `${node.name} was expected to stay ${state} but was seen ${[...new Set(other)].join(', ')}`);
    return false;
  }

  /** Restarts a killed node and waits for it to answer as Standby or Active. */
  async returnAsStandby(node: ChaosNode): Promise<void> {
    await this.f.start(node);
    const info = await node.waitForState(['Standby', 'Active'], this.bound);
    this.log(info.state === 'Active' ? `${node.name} came back Active` : `${node.name} back as Standby`);
  }

  /** Waits (bounded) until exactly one chassis is seen Active; false if not. */
  async oneActive(boundMs = this.bound): Promise<boolean> {
    return this.pair.poller.waitFor((l) => [...l.values()].filter((o) => o.state === 'Active').length === 1, boundMs);
  }

  /**
   * Ids among `ids` that `node` holds now as they were created (POST /v1/sessions/lookup). A
   * session without the create's `born` mark does not count: an update made it afresh on
   * `node` (ledger.ts). Read while a Standby takes over, the lookup of thousands of ids can
   * outlast the takeover, and the writer's first writes to the new Active then make sessions
   * it was never sent: by id alone they looked held, and their create lost.
   */
  async held(node: ChaosNode, ids: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < ids.length; i += 5000) {
      const chunk = ids.slice(i, i + 5000);
      const r = await node.api.json<{ sessions: Array<{ id: string; attrs?: Record<string, string> } | null> }>('POST', '/v1/sessions/lookup', { ids: chunk }, 30_000);
      r.sessions.forEach((s, j) => {
        if (s !== null && s.attrs?.born !== undefined) out.add(chunk[j] ?? '');
      });
    }
    return out;
  }
}

/** The driver by node, each call recorded in the context's events. */
export class RecordedFaults {
  constructor(
    private readonly d: FaultDriver,
    private readonly ctx: RunContext<Fixture>,
  ) {}

  private async rec(what: string, p: () => Promise<void>): Promise<void> {
    const at = now();
    const ev: FaultEvent = { at, done: at, what };
    this.ctx.events.push(ev);
    try {
      await p();
    } finally {
      ev.done = now();
    }
  }

  private n(node: ChaosNode): NodeName {
    return node.name === 'a' ? 'a' : 'b';
  }

  kill(node: ChaosNode, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    return this.rec(`${signal} ${node.name}`, () => this.d.kill(this.n(node), signal));
  }
  start(node: ChaosNode): Promise<void> {
    return this.rec(`start ${node.name}`, () => this.d.start(this.n(node)));
  }
  restart(node: ChaosNode): Promise<void> {
    return this.rec(`restart ${node.name}`, () => this.d.restart(this.n(node)));
  }
  freeze(node: ChaosNode): Promise<void> {
    return this.rec(`SIGSTOP ${node.name}`, () => this.d.freeze(this.n(node)));
  }
  thaw(node: ChaosNode): Promise<void> {
    return this.rec(`SIGCONT ${node.name}`, () => this.d.thaw(this.n(node)));
  }
  stepClock(node: ChaosNode, offsetMs: number): Promise<void> {
    return this.rec(`clock ${node.name} ${offsetMs} ms`, () => this.d.stepClock(this.n(node), offsetMs));
  }
  cut(): Promise<void> {
    return this.rec('cut', () => this.d.link.cut());
  }
  blackhole(): Promise<void> {
    return this.rec('blackhole', () => this.d.link.blackhole());
  }
  oneWay(from: ChaosNode): Promise<void> {
    return this.rec(`one-way from ${from.name}`, () => this.d.link.oneWay(this.n(from)));
  }
  synDrop(): Promise<void> {
    return this.rec('syn-drop', () => this.d.link.synDrop());
  }
  loss(percent: number): Promise<void> {
    return this.rec(`loss ${percent}%`, () => this.d.link.loss(percent));
  }
  delay(ms: number, jitterMs = 0): Promise<void> {
    return this.rec(`delay ${ms} ms`, () => this.d.link.delay(ms, jitterMs));
  }
  reset(): Promise<void> {
    return this.rec('reset TCP connections', () => this.d.link.reset());
  }
  heal(): Promise<void> {
    return this.rec('heal', () => this.d.link.heal());
  }
}
