// One srpd child process, started through the public `srpd --config FILE` command with a YAML
// config and a log file of its own: start, signals (kill, SIGSTOP/SIGCONT), its API, waits.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { SRPD_NODE_ARGS } from '@srp-ha/srp-daemon/client';
import { SrpApi, type ChassisState, type Info } from './api.js';
import { waitForState, type ChaosNode } from './chassis.js';
import { now } from './poller.js';

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

export class SrpNode implements ChaosNode {
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

  get chassisId(): string {
    return this.spec.chassisId;
  }

  get srp(): { host: string; port: number } {
    return { host: this.spec.host, port: this.spec.srpPort };
  }

  /** For the log: the process a fault acts on. */
  get where(): string {
    return `pid ${this.pid ?? '-'}`;
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
    const cmd = [...this.spec.wrap, process.execPath, ...SRPD_NODE_ARGS, this.spec.srpd, '--config', this.configPath];
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
  waitForState(state: ChassisState | ChassisState[], timeoutMs = 20_000): Promise<Info> {
    return waitForState(this.name, this.api, state, timeoutMs, () => this.logTail());
  }

  logTail(lines = 15): string {
    try {
      return readFileSync(this.logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}
