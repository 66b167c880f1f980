// A pair of real srpd child processes, started through the public `srpd --config FILE` command
// with YAML configs written to a temporary directory, each with its own log file. Optionally a
// FaultProxy sits in front of each SRP port so the link can be cut or silenced from outside.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { SrpApi, type ChassisState, type Info } from './api.js';
import { StatePoller, now } from './poller.js';
import { freePorts } from './ports.js';
import { LinkFault } from './faults/proxy-link.js';
import { wrapFor, type NetnsPlan } from './lab/netns.js';
import { FaultProxy } from './proxy.js';

export type Mode = 'primary' | 'backup';

/** The repository root (the directory holding pnpm-workspace.yaml), found from this file. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 10; i++) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('cannot find the repository root (pnpm-workspace.yaml) above ' + fileURLToPath(import.meta.url));
}

/** The built srpd entry point; SRPD_BIN overrides it. */
export function srpdPath(): string {
  return process.env.SRPD_BIN ?? join(repoRoot(), 'packages', 'srp-daemon', 'dist', 'src', 'cli', 'srpd.js');
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// Children still running when this process exits are killed, whatever the exit path.
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of liveChildren) {
        try {
          c.kill('SIGKILL');
        } catch {
          /* already gone */
        }
      }
    });
  }
}

export interface NodeSpec {
  name: string;
  chassisId: string;
  mode: Mode;
  priority: number;
  cfMac: string;
  /** Host srpd binds its SRP port on. */
  host: string;
  /** Host its management API listens on (usually the same). */
  mgmtHost: string;
  srpPort: number;
  mgmtPort: number;
  /** host:port this node dials for its peer (the peer's SRP port, or a proxy in front of it). */
  peer: string;
  helloIntervalMs: number;
  deadIntervalMs: number;
  delayIntervalMs: number;
  authKey: string;
  token?: string;
  logLevel: string;
  /** More config keys (checkpoint, hardware, compression, ...), merged last. */
  extra: Record<string, unknown>;
  /** Command prefix, e.g. ['ip', 'netns', 'exec', 'srp-a']. */
  wrap: string[];
  /** Environment added to the lab's own (LD_PRELOAD of libfaketime, ...). */
  env?: Record<string, string>;
  /** The srpd entry point to run with node. */
  srpd: string;
}

export function renderConfig(spec: NodeSpec): string {
  const doc: Record<string, unknown> = {
    'chassis-id': spec.chassisId,
    mode: spec.mode,
    priority: spec.priority,
    'cf-mac': spec.cfMac,
    bind: `${spec.host}:${spec.srpPort}`,
    peer: spec.peer,
    'hello-interval': `${spec.helloIntervalMs}ms`,
    'dead-interval': `${spec.deadIntervalMs}ms`,
    'delay-interval': `${spec.delayIntervalMs}ms`,
    'auth-key': spec.authKey,
    management: { listen: `${spec.mgmtHost}:${spec.mgmtPort}`, ...(spec.token !== undefined ? { token: spec.token } : {}) },
    'log-level': spec.logLevel,
    ...spec.extra,
  };
  return stringify(doc);
}

export class SrpNode {
  readonly configPath: string;
  readonly logPath: string;
  readonly url: string;
  readonly api: SrpApi;
  private child: ChildProcess | null = null;
  private exitPromise: Promise<void> = Promise.resolve();
  private frozenFlag = false;
  /** Exit codes/signals of earlier runs, for reports. */
  readonly exits: { code: number | null; signal: string | null; at: number }[] = [];

  constructor(
    readonly spec: NodeSpec,
    dir: string,
  ) {
    this.configPath = join(dir, `${spec.name}.yaml`);
    this.logPath = join(dir, `${spec.name}.log`);
    this.url = `http://${spec.mgmtHost}:${spec.mgmtPort}`;
    this.api = new SrpApi(this.url, spec.token !== undefined ? { token: spec.token } : {});
    writeFileSync(this.configPath, renderConfig(spec));
  }

  get name(): string {
    return this.spec.name;
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  get running(): boolean {
    return this.child !== null;
  }

  get frozen(): boolean {
    return this.frozenFlag;
  }

  get eventsUrl(): string {
    return this.url.replace(/^http/, 'ws') + '/v1/events';
  }

  get metricsUrl(): string {
    return this.url + '/metrics';
  }

  /** Spawns srpd; resolves once its management API answers (or rejects with the log tail). */
  async start(readyTimeoutMs = 20_000): Promise<void> {
    if (this.child) throw new Error(`${this.name} is already running`);
    const fd = openSync(this.logPath, 'a');
    writeSync(fd, `# lab: starting ${this.name} at ${new Date().toISOString()}\n`);
    const cmd = [...this.spec.wrap, process.execPath, this.spec.srpd, '--config', this.configPath];
    const env = this.spec.env ? { ...process.env, ...this.spec.env } : process.env;
    const child = spawn(cmd[0] ?? process.execPath, cmd.slice(1), { stdio: ['ignore', fd, fd], env });
    closeSync(fd);
    track(child);
    this.child = child;
    this.frozenFlag = false;
    this.exitPromise = new Promise<void>((resolveExit) => {
      child.once('exit', (code, signal) => {
        this.exits.push({ code, signal, at: now() });
        if (this.child === child) this.child = null;
        resolveExit();
      });
      child.once('error', () => {
        if (this.child === child) this.child = null;
        resolveExit();
      });
    });
    const deadline = now() + readyTimeoutMs;
    while (now() < deadline) {
      if (this.child !== child) throw new Error(`srpd ${this.name} exited during start-up:\n${this.logTail()}`);
      try {
        await this.api.info(500);
        return;
      } catch {
        await sleep(50);
      }
    }
    throw new Error(`srpd ${this.name} did not answer on ${this.url} within ${readyTimeoutMs} ms:\n${this.logTail()}`);
  }

  /** Sends a signal; for SIGKILL/SIGTERM waits for the exit (bounded). */
  async kill(signal: NodeJS.Signals = 'SIGKILL', waitMs = 10_000): Promise<void> {
    const child = this.child;
    if (!child) return;
    if (this.frozenFlag && signal !== 'SIGKILL') child.kill('SIGCONT');
    this.frozenFlag = false;
    child.kill(signal);
    const timedOut = await Promise.race([this.exitPromise.then(() => false), sleep(waitMs).then(() => true)]);
    if (timedOut && this.child === child) {
      child.kill('SIGKILL');
      await this.exitPromise;
    }
  }

  /** Graceful stop: SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs = 3000): Promise<void> {
    return this.kill('SIGTERM', graceMs);
  }

  async restart(): Promise<void> {
    await this.kill('SIGKILL');
    await this.start();
  }

  freeze(): void {
    if (!this.child || this.frozenFlag) return;
    this.child.kill('SIGSTOP');
    this.frozenFlag = true;
  }

  thaw(): void {
    if (!this.child || !this.frozenFlag) return;
    this.child.kill('SIGCONT');
    this.frozenFlag = false;
  }

  info(timeoutMs?: number): Promise<Info> {
    return this.api.info(timeoutMs);
  }

  /** Polls until the node reports `state` (bounded); returns the last info. */
  async waitForState(state: ChassisState | ChassisState[], timeoutMs = 20_000): Promise<Info> {
    const want = Array.isArray(state) ? state : [state];
    const deadline = now() + timeoutMs;
    let last: Info | null = null;
    let lastErr = '';
    while (now() < deadline) {
      try {
        last = await this.api.info(500);
        if (want.includes(last.state)) return last;
      } catch (err) {
        lastErr = (err as Error).message;
      }
      await sleep(50);
    }
    throw new Error(
      `${this.name} did not reach ${want.join('|')} within ${timeoutMs} ms (last: ${last?.state ?? lastErr})\n${this.logTail()}`,
    );
  }

  logTail(lines = 15): string {
    try {
      return readFileSync(this.logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}

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

export class Pair {
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
    if (opts.fixedPorts) ports = { a: { ...opts.fixedPorts }, b: { ...opts.fixedPorts } };
    else {
      const [srpA, mgmtA, srpB, mgmtB] = await freePorts(4, hosts[0]);
      ports = { a: { srp: srpA ?? 0, mgmt: mgmtA ?? 0 }, b: { srp: srpB ?? 0, mgmt: mgmtB ?? 0 } };
    }
    let link: LinkFault | null = null;
    let peerOfA = `${hosts[1]}:${ports.b.srp}`;
    let peerOfB = `${hosts[0]}:${ports.a.srp}`;
    if (opts.proxy ?? true) {
      // B dials A through proxyA; A dials B through proxyB.
      const proxyA = await FaultProxy.start({ target: { host: hosts[0], port: ports.a.srp }, name: 'to-a' });
      const proxyB = await FaultProxy.start({ target: { host: hosts[1], port: ports.b.srp }, name: 'to-b' });
      link = new LinkFault([proxyA, proxyB]);
      peerOfA = proxyB.address;
      peerOfB = proxyA.address;
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
  async states(timeoutMs = 1000): Promise<[ChassisState | null, ChassisState | null]> {
    const one = (n: SrpNode): Promise<ChassisState | null> => n.info(timeoutMs).then((i) => i.state, () => null);
    return Promise.all([one(this.a), one(this.b)]);
  }

  /** Waits until exactly one node is Active and the other Standby; returns [active, standby]. */
  async waitForSettled(timeoutMs = 30_000, requireReady = false): Promise<[SrpNode, SrpNode]> {
    const deadline = now() + timeoutMs;
    let last = '';
    while (now() < deadline) {
      const infos = await Promise.all(this.nodes.map((n) => n.info(1000).catch(() => null)));
      const [ia, ib] = infos;
      last = `a=${ia?.state ?? 'down'} b=${ib?.state ?? 'down'}`;
      if (ia && ib) {
        // Ready as both see it: the Standby's own flag, and the Active's view of its peer (from
        // the Standby's last Hello), which is what a switchover request is judged on; the two
        // differ for up to one hello interval after the bulk sync.
        const ready = (active: Info, standby: Info): boolean => !requireReady || (standby.standbyReady && active.peer?.standbyReady === true);
        if (ia.state === 'Active' && ib.state === 'Standby' && ready(ia, ib)) return [this.a, this.b];
        if (ib.state === 'Active' && ia.state === 'Standby' && ready(ib, ia)) return [this.b, this.a];
      }
      await sleep(100);
    }
    throw new Error(`pair did not settle to one Active and one Standby within ${timeoutMs} ms (last: ${last})`);
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
