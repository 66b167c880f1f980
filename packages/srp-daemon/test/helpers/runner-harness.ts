// Two real SrpDaemon runners on one manual clock: the SRP link in memory (testing/memory-link.ts),
// the Hellos as in-memory datagrams judged by the real liveness engine on the runner's thread
// (testing/in-thread-liveness.ts), and optionally the real replication plane on each. Time moves
// only when the test advances it, so the runner's behaviour (elections, takeover on a killed or
// frozen peer, switchovers, one-way faults, a failing state machine) is checked to the
// millisecond without flaking.
import { ManualClock, type Clock, type TimerHandle } from '@srp-ha/common';
import { resolveCheckpointConfig } from '@srp-ha/checkpoint';
import { tmpdir } from 'node:os';
import { pino } from 'pino';
import { loadConfigText, type SrpConfig } from '../../src/config/config.js';
import type { SrpEvent } from '../../src/api/contract.js';
import { createReplicationPlane, type ReplicationPlane } from '../../src/replication/plane.js';
import { SrpDaemon, type DaemonOptions } from '../../src/runtime/daemon.js';
import { InThreadLivenessChannel, MemoryDatagrams } from '../../src/testing/in-thread-liveness.js';
import { MemoryLink, type Later } from '../../src/testing/memory-link.js';

const logger = pino({ level: process.env.SRP_TEST_LOG ?? 'silent' });

interface NodeTimer {
  cancelled: boolean;
  inner: TimerHandle | null;
}

/**
 * One node's view of the shared manual clock. A frozen node (SIGSTOP) runs nothing: what comes
 * due meanwhile runs, in order, when it is thawed (SIGCONT). A killed node (kill -9) never runs
 * anything again.
 */
export class NodeClock implements Clock {
  private mode: 'running' | 'frozen' | 'dead' = 'running';
  private deferred: (() => void)[] = [];

  constructor(private readonly shared: ManualClock) {}

  now(): number {
    return this.shared.now();
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const t: NodeTimer = { cancelled: false, inner: null };
    t.inner = this.shared.setTimeout(() => this.run(() => !t.cancelled && fn()), ms);
    return t;
  }

  clearTimeout(handle: unknown): void {
    const t = handle as NodeTimer;
    t.cancelled = true;
    if (t.inner) this.shared.clearTimeout(t.inner);
  }

  /** Runs `fn` on a later turn of this node. */
  readonly later: Later = (fn) => {
    this.shared.setTimeout(() => this.run(fn), 0);
  };

  get frozen(): boolean {
    return this.mode === 'frozen';
  }

  freeze(): void {
    if (this.mode === 'running') this.mode = 'frozen';
  }

  thaw(): void {
    if (this.mode !== 'frozen') return;
    this.mode = 'running';
    const due = this.deferred.splice(0);
    this.shared.setTimeout(() => {
      for (const fn of due) this.run(fn);
    }, 0);
  }

  kill(): void {
    this.mode = 'dead';
    this.deferred = [];
  }

  private run(fn: () => void): void {
    if (this.mode === 'dead') return;
    if (this.mode === 'frozen') this.deferred.push(fn);
    else fn();
  }
}

export interface HarnessNode {
  name: 'a' | 'b';
  config: SrpConfig;
  clock: NodeClock;
  daemon: SrpDaemon;
  plane: ReplicationPlane | null;
  events: SrpEvent[];
  /** What onFatal was given. */
  fatal: Error[];
}

export interface HarnessOptions {
  /** Extra YAML for each node (after the base keys). */
  yamlA?: string;
  yamlB?: string;
  helloMs?: number;
  deadMs?: number;
  /** A real replication plane (checkpoint engine) on each runner. */
  replication?: boolean;
  /** Per node: DaemonOptions to add (e.g. a failing `step`). */
  optionsA?: Partial<DaemonOptions>;
  optionsB?: Partial<DaemonOptions>;
}

const KEY = 'runner-harness-shared-key-0123456789';

function nodeYaml(name: 'a' | 'b', o: HarnessOptions): string {
  const me = name === 'a' ? '198.18.0.1' : '198.18.0.2';
  const peer = name === 'a' ? '198.18.0.2' : '198.18.0.1';
  return [
    `chassis-id: ${name === 'a' ? 'east' : 'west'}`,
    `mode: ${name === 'a' ? 'primary' : 'backup'}`,
    'priority: 10',
    `cf-mac: 00-02-43-00-00-0${name === 'a' ? 1 : 2}`,
    `bind: ${me}:5701`,
    `peer: ${peer}:5701`,
    `auth-key: ${KEY}`,
    `hello-interval: ${o.helloMs ?? 100}ms`,
    `dead-interval: ${o.deadMs ?? 300}ms`,
    (name === 'a' ? o.yamlA : o.yamlB) ?? '',
  ].join('\n');
}

export class RunnerPair {
  readonly clock = new ManualClock(1_000_000);
  readonly a: HarnessNode;
  readonly b: HarnessNode;
  readonly link: MemoryLink;
  readonly datagrams: MemoryDatagrams;

  constructor(private readonly o: HarnessOptions = {}) {
    const clocks = { a: new NodeClock(this.clock), b: new NodeClock(this.clock) };
    const later = { a: clocks.a.later, b: clocks.b.later };
    const configs = { a: loadConfigText(nodeYaml('a', o), tmpdir()), b: loadConfigText(nodeYaml('b', o), tmpdir()) };
    this.link = new MemoryLink({ a: configs.a.bind, b: configs.b.bind }, { logger, later });
    this.datagrams = new MemoryDatagrams(
      { a: { address: configs.a.bind.host, port: configs.a.bind.port }, b: { address: configs.b.bind.host, port: configs.b.bind.port } },
      later,
    );
    this.a = this.node('a', configs.a, clocks.a);
    this.b = this.node('b', configs.b, clocks.b);
  }

  private node(name: 'a' | 'b', config: SrpConfig, clock: NodeClock): HarnessNode {
    const plane = this.o.replication
      ? createReplicationPlane({ config: resolveCheckpointConfig({ auditEnabled: false, sessionDurationMs: 0 }), logger, clock })
      : null;
    const fatal: Error[] = [];
    const daemon = new SrpDaemon(config, {
      logger,
      clock,
      liveness: (settings) => new InThreadLivenessChannel(settings, clock, this.datagrams[name]),
      link: () => this.link[name],
      onFatal: (err) => {
        fatal.push(err);
        void daemon.stop('fatal error');
      },
      ...(plane ? { parts: { sessions: plane.sessions, listeners: [plane.listener] } } : {}),
      ...(name === 'a' ? this.o.optionsA : this.o.optionsB),
    });
    plane?.attach(daemon);
    const events: SrpEvent[] = [];
    daemon.onEvent((e) => events.push(e));
    return { name, config, clock, daemon, plane, events, fatal };
  }

  async start(): Promise<void> {
    await Promise.all([this.a.daemon.start(), this.b.daemon.start()]);
  }

  /**
   * Moves the shared clock `ms` forward in steps of `stepMs`, letting promise work run between
   * timers and one turn of the event loop (setImmediate work: the checkpoint engine yields so) after each step.
   */
  async advance(ms: number, stepMs = 5): Promise<void> {
    for (let left = ms; left > 0; left -= stepMs) await this.tick(Math.min(stepMs, left));
  }

  private async tick(ms: number): Promise<void> {
    await this.clock.advanceAsync(ms);
    await new Promise((r) => setImmediate(r));
  }

  /** Advances until `pred` holds; returns the ms it took, or throws after `maxMs`. */
  async until(what: string, pred: () => boolean, maxMs: number, stepMs = 5): Promise<number> {
    const start = this.clock.now();
    while (!pred()) {
      if (this.clock.now() - start > maxMs) throw new Error(`not within ${maxMs} ms: ${what} (states ${this.states()})`);
      await this.tick(stepMs);
    }
    return this.clock.now() - start;
  }

  states(): string {
    return `${this.a.daemon.state}/${this.b.daemon.state}`;
  }

  /** kill -9 of a node: it runs nothing again, and its SRP connection resets. */
  kill(n: HarnessNode): void {
    n.clock.kill();
    this.link[n.name].stopped = true;
    this.link.cut('connection reset by peer');
  }

  /** Stops what is still running (timers of the planes included). */
  async stop(): Promise<void> {
    for (const n of [this.a, this.b]) {
      n.clock.thaw();
      const stopping = n.daemon.stop('test over');
      await this.clock.advanceAsync(0);
      await stopping;
      n.plane?.dispose();
    }
  }
}
