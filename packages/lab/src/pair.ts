// A pair of real srpd child processes, started through the public `srpd --config FILE` command
// with YAML configs written to a temporary directory, each with its own log file. Optionally a
// FaultProxy sits in front of each SRP port so the link can be cut or silenced from outside.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChassisState } from './api.js';
import { statesOf, waitForSettled, type ChaosPair } from './chassis.js';
import { SrpNode, srpdPath, type Mode } from './node.js';
import { StatePoller } from './poller.js';
import { holdPorts } from './ports.js';
import { LinkFault } from './faults/proxy-link.js';
import { wrapFor, type NetnsPlan } from './lab/netns.js';
import { FaultProxy } from './proxy.js';


export { repoRoot, renderConfig, srpdPath, SrpNode, type Mode, type NodeSpec } from './node.js';

export interface PairOptions {
  /** Directory for configs and logs; a fresh temp dir by default. */
  dir?: string;
  helloIntervalMs?: number;
  deadIntervalMs?: number;
  delayIntervalMs?: number;
  /** Put a FaultProxy in front of each SRP port (default true). */
  proxy?: boolean;
  modes?: [Mode, Mode];
  priorities?: [number, number];
  logLevel?: string;
  /** Extra config keys per node name ('a' | 'b'). */
  extra?: (name: string) => Record<string, unknown>;
  /** Per node: SRP bind host (default 127.0.0.1), management host, command prefix (netns). */
  hosts?: [string, string];
  mgmtHosts?: [string, string];
  /** Fixed ports instead of kernel-chosen ones (only in private network namespaces). */
  fixedPorts?: { srp: number; mgmt: number };
  wrap?: [string[], string[]];
  /** Environment per node name, added to the lab's own. */
  env?: (name: string) => Record<string, string> | undefined;
  token?: string;
  pollIntervalMs?: number;
  /** Start the state poller (default true). */
  poll?: boolean;
  /** Keep the directory when stopping (default: keep only if LAB_KEEP is set). */
  keepDir?: boolean;
  /** srpd entry point (default: the built packages/srp-daemon, or SRPD_BIN). */
  srpd?: string;
}

function envOf(opts: PairOptions, name: string): { env?: Record<string, string> } {
  const env = opts.env?.(name);
  return env ? { env } : {};
}

/** The pair options that put a pair into the namespaces of `plan` (fixed ports, no proxy). */
export function netnsPairOptions(plan: NetnsPlan, token: string): Partial<PairOptions> {
  return {
    proxy: false,
    hosts: plan.srpAddr,
    mgmtHosts: plan.mgmtAddr,
    fixedPorts: { srp: 7700, mgmt: 7800 },
    wrap: [wrapFor(plan, 0), wrapFor(plan, 1)],
    // The management API is not on loopback inside the namespaces: srpd requires a token.
    token,
  };
}

export class Pair implements ChaosPair {
  readonly a: SrpNode;
  readonly b: SrpNode;
  readonly link: LinkFault | null;
  readonly poller: StatePoller;
  readonly dir: string;
  private readonly keepDir: boolean;
  private stopped = false;

  private constructor(a: SrpNode, b: SrpNode, link: LinkFault | null, dir: string, opts: PairOptions) {
    this.a = a;
    this.b = b;
    this.link = link;
    this.dir = dir;
    this.keepDir = opts.keepDir ?? process.env.LAB_KEEP !== undefined;
    this.poller = new StatePoller(
      [a, b].map((n) => ({ name: n.name, api: () => n.api })),
      opts.pollIntervalMs ?? 50,
      Math.max(200, Math.min(1000, (opts.helloIntervalMs ?? 200) * 2)),
    );
  }

  /**
   * Writes configs, starts the proxies and both daemons; does not wait for an election. Ports
   * are chosen free but released before srpd binds them, so another process can take one in
   * between: on EADDRINUSE the pair is started again on new ports (at most 3 attempts).
   */
  static async start(opts: PairOptions = {}): Promise<Pair> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await Pair.startOnce(opts);
      } catch (err) {
        const busy = /EADDRINUSE/.test((err as Error).message);
        if (!busy || opts.fixedPorts || attempt >= 3) throw err;
      }
    }
  }

  private static async startOnce(opts: PairOptions): Promise<Pair> {
    const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'srp-lab-'));
    mkdirSync(dir, { recursive: true });
    const hosts = opts.hosts ?? ['127.0.0.1', '127.0.0.1'];
    const mgmtHosts = opts.mgmtHosts ?? hosts;
    let ports: { a: { srp: number; mgmt: number }; b: { srp: number; mgmt: number } };
    // Held until the proxies listen: a proxy's own port 0 could otherwise be one of them (a
    // daemon whose peer is its own bind address refuses to start).
    let held: Awaited<ReturnType<typeof holdPorts>> | null = null;
    if (opts.fixedPorts) ports = { a: { ...opts.fixedPorts }, b: { ...opts.fixedPorts } };
    else {
      held = await holdPorts(4, hosts[0]);
      const [srpA, mgmtA, srpB, mgmtB] = held.ports;
      ports = { a: { srp: srpA ?? 0, mgmt: mgmtA ?? 0 }, b: { srp: srpB ?? 0, mgmt: mgmtB ?? 0 } };
    }
    let link: LinkFault | null = null;
    let peerOfA = `${hosts[1]}:${ports.b.srp}`;
    let peerOfB = `${hosts[0]}:${ports.a.srp}`;
    try {
      if (opts.proxy ?? true) {
        // B dials A through proxyA; A dials B through proxyB.
        const proxyA = await FaultProxy.start({ target: { host: hosts[0], port: ports.a.srp }, name: 'to-a' });
        const proxyB = await FaultProxy.start({ target: { host: hosts[1], port: ports.b.srp }, name: 'to-b' });
        link = new LinkFault([proxyA, proxyB]);
        peerOfA = proxyB.address;
        peerOfB = proxyA.address;
      }
    } finally {
      await held?.release();
    }
    const authKey = randomBytes(24).toString('hex');
    const modes = opts.modes ?? ['primary', 'backup'];
    const priorities = opts.priorities ?? [1, 2];
    const common = {
      helloIntervalMs: opts.helloIntervalMs ?? 200,
      deadIntervalMs: opts.deadIntervalMs ?? 1000,
      delayIntervalMs: opts.delayIntervalMs ?? 0,
      authKey,
      logLevel: opts.logLevel ?? 'info',
      ...(opts.token !== undefined ? { token: opts.token } : {}),
    };
    const mk = (name: 'a' | 'b', i: 0 | 1, peer: string): SrpNode =>
      new SrpNode(
        {
          name,
          chassisId: `lab-${name}`,
          mode: modes[i],
          priority: priorities[i],
          cfMac: i === 0 ? '02-00-5E-00-00-0A' : '02-00-5E-00-00-0B',
          host: hosts[i],
          mgmtHost: mgmtHosts[i],
          srpPort: ports[name].srp,
          mgmtPort: ports[name].mgmt,
          peer,
          extra: opts.extra?.(name) ?? {},
          wrap: opts.wrap?.[i] ?? [],
          ...envOf(opts, name),
          srpd: opts.srpd ?? srpdPath(),
          ...common,
        },
        dir,
      );
    const pair = new Pair(mk('a', 0, peerOfA), mk('b', 1, peerOfB), link, dir, opts);
    try {
      await Promise.all([pair.a.start(), pair.b.start()]);
    } catch (err) {
      await pair.stop();
      throw err;
    }
    if (opts.poll ?? true) pair.poller.start();
    return pair;
  }

  get nodes(): [SrpNode, SrpNode] {
    return [this.a, this.b];
  }

  node(name: string): SrpNode {
    if (name === this.a.name) return this.a;
    if (name === this.b.name) return this.b;
    throw new Error(`no node ${name}`);
  }

  peerOf(n: SrpNode): SrpNode {
    return n === this.a ? this.b : this.a;
  }

  /** Current states (null for a node that does not answer). */
  states(timeoutMs = 1000): Promise<[ChassisState | null, ChassisState | null]> {
    return statesOf(this.nodes, timeoutMs);
  }

  /** Waits until exactly one node is Active and the other Standby; returns [active, standby]. */
  waitForSettled(timeoutMs = 30_000, requireReady = false): Promise<[SrpNode, SrpNode]> {
    return waitForSettled(this.nodes, timeoutMs, requireReady);
  }

  /** The node that reports Active right now, when exactly one does. */
  async active(): Promise<SrpNode | null> {
    const [sa, sb] = await this.states();
    if (sa === 'Active' && sb !== 'Active') return this.a;
    if (sb === 'Active' && sa !== 'Active') return this.b;
    return null;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.poller.stop();
    for (const n of this.nodes) n.thaw();
    await Promise.all(this.nodes.map((n) => n.stop()));
    await this.link?.close();
    if (!this.keepDir) rmSync(this.dir, { recursive: true, force: true });
  }
}
