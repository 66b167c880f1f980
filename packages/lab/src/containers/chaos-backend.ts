// The chaos suite against the compose lab (`npm run chaos -- --engine docker`): one lab for the
// whole suite, a fresh pair for each run all the same (both chassis on the SRP network, killed
// and started again: empty tables, as the process engine's new pair; nothing a run left, such as
// its sessions, reaches the next), the faults through the docker driver, everything judged
// through the published API ports with the lab's token. Timers and the session duration are
// those of deploy/config/*.yaml; only the scenarios marked `containers` run here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { ChassisState, Info, SrpApi } from '../api.js';
import { statesOf, waitForSettled, waitForState, type ChaosNode, type ChaosPair } from '../chassis.js';
import type { ChaosBackend, RunPair } from '../chaos/backend.js';
import type { Scenario } from '../chaos/scenario.js';
import type { Timers } from '../chaos/timers.js';
import { StatePoller } from '../poller.js';
import { SRP_ADDRESS, type ComposeLab } from './compose.js';
import { CONTAINER_OF, DockerDriver, type NodeName } from './docker-driver.js';
import { inspect, thaw } from './faults.js';
import { ContainerError } from './run.js';

/** The SRP port of deploy/config/*.yaml (bind 198.18.0.x:7700). */
const SRP_PORT = 7700;

/** A duration of srpd's YAML ("3s", "500ms", "2m"), in ms. */
function durationMs(v: unknown, key: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(String(v));
  if (!m) throw new ContainerError('SRP_CTR_BAD_ARGUMENT', `deploy/config: ${key} is not a duration I can read: ${JSON.stringify(v)}`);
  return Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : 60_000);
}

/** What the suite needs from deploy/config/{primary,backup}.yaml. */
export interface LabConfig {
  chassisId: Record<NodeName, string>;
  timers: Timers;
  sessionDurationMs: number;
}

export function readLabConfig(root: string): LabConfig {
  const read = (f: string): Record<string, unknown> => parse(readFileSync(join(root, 'deploy', 'config', f), 'utf8')) as Record<string, unknown>;
  const [p, b] = [read('primary.yaml'), read('backup.yaml')];
  const checkpoint = (p.checkpoint ?? {}) as Record<string, unknown>;
  return {
    chassisId: { a: String(p['chassis-id']), b: String(b['chassis-id']) },
    timers: { helloIntervalMs: durationMs(p['hello-interval'], 'hello-interval'), deadIntervalMs: durationMs(p['dead-interval'], 'dead-interval') },
    sessionDurationMs: durationMs(checkpoint['session-duration'] ?? '60s', 'checkpoint.session-duration'),
  };
}

/** One chassis of the compose lab, seen through its published API port (the lab's token goes with every call). */
export class ContainerNode implements ChaosNode {
  readonly api: SrpApi;
  readonly container: string;

  constructor(
    private readonly lab: ComposeLab,
    readonly name: NodeName,
    readonly chassisId: string,
  ) {
    this.container = CONTAINER_OF[name];
    this.api = lab.api(CONTAINER_OF[name], { timeoutMs: 1500 });
  }

  get where(): string {
    return `container ${this.container}`;
  }

  get srp(): { host: string; port: number } {
    return { host: SRP_ADDRESS[CONTAINER_OF[this.name]], port: SRP_PORT };
  }

  info(timeoutMs?: number): Promise<Info> {
    return this.api.info(timeoutMs);
  }

  waitForState(state: ChassisState | ChassisState[], timeoutMs = 30_000): Promise<Info> {
    return waitForState(this.name, this.api, state, timeoutMs, () => this.logTail());
  }

  logTail(lines = 15): Promise<string> {
    return this.lab.logs(this.container, lines);
  }
}

export class ContainerPair implements ChaosPair {
  readonly a: ContainerNode;
  readonly b: ContainerNode;
  readonly poller: StatePoller;

  constructor(lab: ComposeLab, cfg: LabConfig) {
    this.a = new ContainerNode(lab, 'a', cfg.chassisId.a);
    this.b = new ContainerNode(lab, 'b', cfg.chassisId.b);
    this.poller = new StatePoller(this.nodes.map((n) => ({ name: n.name, api: () => n.api })), 50, Math.min(1000, 2 * cfg.timers.helloIntervalMs));
  }

  get nodes(): [ContainerNode, ContainerNode] {
    return [this.a, this.b];
  }

  peerOf(n: ChaosNode): ContainerNode {
    return n.name === 'a' ? this.b : this.a;
  }

  states(timeoutMs = 1000): Promise<[ChassisState | null, ChassisState | null]> {
    return statesOf(this.nodes, timeoutMs);
  }

  waitForSettled(timeoutMs = 60_000, requireReady = false): Promise<[ContainerNode, ContainerNode]> {
    return waitForSettled(this.nodes, timeoutMs, requireReady);
  }
}

export class DockerBackend implements ChaosBackend {
  readonly engine = 'docker' as const;
  readonly driver: DockerDriver;
  private readonly cfg: LabConfig;

  constructor(
    private readonly lab: ComposeLab,
    root: string,
  ) {
    this.driver = new DockerDriver(lab);
    this.cfg = readLabConfig(root);
  }

  get timers(): Timers {
    return this.cfg.timers;
  }

  get sessionDurationMs(): number {
    return this.cfg.sessionDurationMs;
  }

  unsupported(s: Scenario): string | null {
    if (s.containers === undefined) return 'not a compose-lab scenario (its faults, timers or configs need srpd child processes: --engine process)';
    for (const f of s.needs ?? []) {
      const why = this.driver.link.unsupported(f);
      if (why !== null) return why;
    }
    return null;
  }

  /** Both chassis started afresh on the SRP network (the primary first, so it is elected). */
  async start(): Promise<RunPair> {
    await this.whole();
    for (const name of ['a', 'b'] as const) await this.driver.kill(name, 'SIGKILL');
    for (const name of ['a', 'b'] as const) await this.driver.start(name);
    const pair = new ContainerPair(this.lab, this.cfg);
    pair.poller.start();
    return {
      pair,
      link: this.driver.link,
      driver: this.driver,
      fallback: null,
      fixture: null,
      close: async () => {
        await pair.poller.stop();
        await this.whole();
      },
    };
  }

  /** Undoes what a run may have left: a paused or stopped chassis, the link cut. */
  private async whole(): Promise<void> {
    for (const name of ['a', 'b'] as const) {
      const st = await inspect(this.lab.engine, CONTAINER_OF[name]);
      if (st.paused) await thaw(this.lab.engine, CONTAINER_OF[name]);
      else if (!st.running) await this.driver.start(name);
    }
    await this.driver.link.heal();
  }
}
