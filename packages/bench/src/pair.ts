// A pair of real srpd child processes on 127.0.0.1 for the benches: YAML configs in a temp
// directory, ports from the kernel, config overrides per start (timers, compression, hardware,
// anything), and the faults the benches need: kill (any signal), freeze (SIGSTOP), thaw,
// restart. Each daemon is read from outside: its API through SrpClient (kept-alive
// connections, no fetch: the driver shares the cores with the daemons it measures), /metrics,
// /proc for CPU.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { SRPD_NODE_ARGS, SrpClient, type CheckpointStatisticsReply, type DebugMemory, type SrpInfo, type SrpStatistics, type WindowFigures } from '@srp-ha/srp-daemon/client';
import { repoRoot } from './machine.js';
import { eventLoopDelay, parseMetrics, type Samples } from './metrics.js';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The srpd to run: BENCH_SRPD (another build's srpd.js, to compare builds), else this tree's. */
export function srpdPath(): string {
  return process.env.BENCH_SRPD ?? join(repoRoot(), 'packages', 'srp-daemon', 'dist', 'src', 'cli', 'srpd.js');
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(a && typeof a === 'object' ? a.port : 0));
    });
  });
}

export async function waitFor<T>(what: string, probe: () => Promise<T | null | false | undefined>, timeoutMs = 60_000, intervalMs = 25): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let last = '';
  while (performance.now() < deadline) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last})` : ''}`);
}

export type Config = Record<string, unknown>;

/**
 * srpd's liveness section for the benches' --rt-priority (liveness.realtime-priority, not set
 * when 0: srpd's default, auto, SCHED_RR 50 where allowed) and --hello-path (liveness.hello-path).
 */
export function livenessConfig(priority: number, helloPath: string): Config {
  return { liveness: { 'hello-path': helloPath, ...(priority > 0 ? { 'realtime-priority': priority } : {}) } };
}

/** Switchovers a daemon counted since its start, all reasons. */
export async function switchoverCount(d: Srpd): Promise<number> {
  const s = await d.statistics();
  return Object.values(s.switchovers).reduce((x, y) => x + y, 0);
}

/** Deep merge of plain objects (arrays and scalars replace). */
export function mergeConfig(base: Config, over: Config): Config {
  const out: Config = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    const plain = (x: unknown): x is Config => typeof x === 'object' && x !== null && !Array.isArray(x);
    out[k] = plain(b) && plain(v) ? mergeConfig(b, v) : v;
  }
  return out;
}

// Children still running when this process exits are killed, however it exits.
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

/** Whether the srpd in use knows the `debug` key (older builds refuse it; their /v1/debug routes are always on). */
const debugKey = new Map<string, boolean>();

export interface SrpdOptions {
  name: string;
  dir: string;
  config: Config;
  srpd?: string;
  /** Node options before the script (e.g. --cpu-prof); BENCH_SRPD_ARGS adds more. */
  nodeArgs?: string[];
  /** Where the daemon's output goes: a file per start in this directory (null: kept in memory, last lines only). */
  logDir?: string | null;
}

/** A bench waits as long as a million-session bulk sync may take. */
const CALL_TIMEOUT_MS = 120_000;

export class Srpd {
  readonly name: string;
  readonly configPath: string;
  private proc: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private client: SrpClient | null = null;
  private readonly slots = new Map<number, SrpClient>();
  private frozen = false;
  private starts = 0;
  private readonly tail: string[] = [];
  url = '';

  constructor(private readonly opts: SrpdOptions) {
    this.name = opts.name;
    this.configPath = join(opts.dir, `${opts.name}.yaml`);
  }

  get pid(): number | null {
    return this.proc?.pid ?? null;
  }

  get running(): boolean {
    return this.proc !== null;
  }

  get api(): SrpClient {
    if (!this.client) throw new Error(`${this.name} is not running`);
    return this.client;
  }

  /** A client of one kept-alive connection of its own, for a writer's slot (calls on it are applied in order). */
  slot(n: number): SrpClient {
    let c = this.slots.get(n);
    if (!c) {
      c = new SrpClient(this.api.baseUrl, { maxSockets: 1, timeoutMs: CALL_TIMEOUT_MS });
      this.slots.set(n, c);
    }
    return c;
  }

  /** Starts srpd with its config merged with `over`; resolves once it wrote its ready file. */
  async start(over: Config = {}): Promise<void> {
    if (this.proc) throw new Error(`${this.name} is already running`);
    const srpd = this.opts.srpd ?? srpdPath();
    if (!existsSync(srpd)) throw new Error(`${srpd} is missing: build first (corepack pnpm exec tsc -b)`);
    const withDebug = debugKey.get(srpd) ?? true;
    try {
      await this.spawn(srpd, mergeConfig(this.opts.config, withDebug ? { ...over, debug: true } : over));
      debugKey.set(srpd, withDebug);
    } catch (err) {
      if (!withDebug || !/debug.*unknown key/i.test((err as Error).message)) throw err;
      debugKey.set(srpd, false);
      await this.spawn(srpd, mergeConfig(this.opts.config, over));
    }
  }

  private async spawn(srpd: string, config: Config): Promise<void> {
    const ready = join(this.opts.dir, `${this.name}.ready.json`);
    rmSync(ready, { force: true });
    writeFileSync(this.configPath, stringify(config));
    const extra = (process.env.BENCH_SRPD_ARGS ?? '').split(' ').filter((a) => a !== '');
    // srpd's own Node options first: BENCH_SRPD_ARGS may undo or add to them (--parallel-scavenge, --single-threaded-gc).
    const args = [...SRPD_NODE_ARGS, '--max-old-space-size=4096', '--expose-gc', ...(this.opts.nodeArgs ?? []), ...extra, srpd, '--config', this.configPath, '--ready-file', ready];
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    live.add(proc);
    this.exited = new Promise((resolve) =>
      proc.once('exit', () => {
        live.delete(proc);
        if (this.proc === proc) {
          this.proc = null;
          this.client?.close();
          this.client = null;
          for (const c of this.slots.values()) c.close();
          this.slots.clear();
        }
        resolve();
      }),
    );
    this.starts++;
    if (this.opts.logDir) {
      const log = createWriteStream(join(this.opts.logDir, `${this.name}-${this.starts}.log`));
      proc.stdout?.pipe(log);
      proc.stderr?.pipe(log);
    }
    const keep = (c: Buffer): void => {
      for (const l of c.toString('utf8').split('\n')) if (l.trim() !== '') this.tail.push(l);
      if (this.tail.length > 40) this.tail.splice(0, this.tail.length - 40);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    try {
      const r = await waitFor(
        `${this.name} to write its ready file`,
        () => {
          if (this.proc !== proc) return Promise.reject(new Error(`exited: ${this.logTail()}`));
          return Promise.resolve(existsSync(ready) ? (JSON.parse(readFileSync(ready, 'utf8')) as { managementUrl: string }) : null);
        },
        30_000,
      );
      this.url = r.managementUrl;
      this.client = new SrpClient(this.url, { maxSockets: 8, timeoutMs: CALL_TIMEOUT_MS });
    } catch (err) {
      await this.kill();
      throw new Error(`srpd ${this.name} did not start: ${(err as Error).message.includes('exited') ? this.logTail() : (err as Error).message}`);
    }
  }

  logTail(lines = 10): string {
    return this.tail.slice(-lines).join('\n');
  }

  /** Sends `signal` and waits for the exit (SIGKILL after 30 s for other signals). */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const p = this.proc;
    if (!p) return;
    if (this.frozen) p.kill('SIGCONT');
    this.frozen = false;
    p.kill(signal);
    const timer = signal === 'SIGKILL' ? null : setTimeout(() => p.kill('SIGKILL'), 30_000);
    await this.exited;
    if (timer) clearTimeout(timer);
  }

  freeze(): void {
    if (this.proc && !this.frozen) {
      this.proc.kill('SIGSTOP');
      this.frozen = true;
    }
  }

  thaw(): void {
    if (this.proc && this.frozen) {
      this.proc.kill('SIGCONT');
      this.frozen = false;
    }
  }

  async restart(over: Config = {}): Promise<void> {
    await this.kill();
    await this.start(over);
  }

  info(): Promise<SrpInfo> {
    return this.api.info();
  }

  async state(): Promise<string> {
    return (await this.info()).state;
  }

  /** The daemon's measurement window (replication lag, event-loop delay) since its last reset; starts a new one. */
  window(): Promise<WindowFigures> {
    return this.api.call('POST /v1/debug/checkpoint/window', { body: {} });
  }

  checkpoint(): Promise<CheckpointStatisticsReply> {
    return this.api.call('GET /v1/srp/checkpoint/statistics');
  }

  statistics(): Promise<SrpStatistics> {
    return this.api.statistics();
  }

  async metrics(): Promise<Samples> {
    return parseMetrics(await this.api.metricsText());
  }

  /** Event-loop delay since the previous scrape of /metrics (which restarts it). */
  async loopDelay(): Promise<{ p50: number | null; p99: number | null; max: number | null }> {
    return eventLoopDelay(await this.metrics());
  }

  /** Heap and off-heap memory after a full GC (POST /v1/debug/memory). */
  memory(): Promise<DebugMemory> {
    return this.api.call('POST /v1/debug/memory', { body: {} });
  }

  /** Standby: starts recording the apply time of items whose id starts with `prefix` (clears the log). */
  async armProbes(prefix: string): Promise<void> {
    await this.api.call('POST /v1/debug/checkpoint/probes', { body: { prefix } });
  }

  /** Standby: the first apply of each probe id since armProbes (CLOCK_MONOTONIC ms). */
  async probes(): Promise<Record<string, number>> {
    return (await this.api.call('GET /v1/debug/checkpoint/probes')).applied;
  }
}

export interface PairOptions {
  helloInterval?: string;
  deadInterval?: string;
  /** Config for both daemons, merged over the pair's own. */
  config?: Config;
  srpd?: string;
  nodeArgs?: string[];
  logDir?: string | null;
}

/** Pairs made by this process, to name their log folders. */
let pairsMade = 0;

/**
 * How a bench stops a daemon it is done with: SIGKILL, unless BENCH_STOP_SIGNAL names another
 * (SIGTERM, so that a daemon started with --cpu-prof writes its profile).
 */
export function stopSignal(): NodeJS.Signals {
  return (process.env.BENCH_STOP_SIGNAL as NodeJS.Signals | undefined) ?? 'SIGKILL';
}

/** alpha (primary, priority 10) and bravo (backup, priority 20); not started. */
export class DaemonPair {
  readonly a: Srpd;
  readonly b: Srpd;

  private constructor(
    readonly dir: string,
    a: SrpdOptions,
    b: SrpdOptions,
  ) {
    this.a = new Srpd(a);
    this.b = new Srpd(b);
  }

  static async create(opts: PairOptions = {}): Promise<DaemonPair> {
    const dir = mkdtempSync(join(tmpdir(), 'srp-bench-'));
    const [pa, pb] = [await freePort(), await freePort()];
    const common: Config = mergeConfig(
      {
        'hello-interval': opts.helloInterval ?? '200ms',
        'dead-interval': opts.deadInterval ?? '3s',
        'auth-key': 'bench-shared-key-0123456789',
        management: { listen: '127.0.0.1:0' },
        'log-level': process.env.BENCH_LOG_DIR ? 'info' : 'warn',
        checkpoint: { 'session-duration': '0s' },
        audit: { enabled: false },
      },
      opts.config ?? {},
    );
    // Each pair's logs in a folder of its own (pair-1, pair-2, ...), so a bench's later runs do
    // not overwrite its earlier ones.
    const logRoot = opts.logDir ?? (process.env.BENCH_LOG_DIR || null);
    const pairLogDir = logRoot ? join(logRoot, `pair-${++pairsMade}`) : null;
    if (pairLogDir) mkdirSync(pairLogDir, { recursive: true });
    const node = (name: string, mode: string, priority: number, mac: string, port: number, peer: number): SrpdOptions => ({
      name,
      dir,
      config: { 'chassis-id': name, mode, priority, 'cf-mac': mac, bind: `127.0.0.1:${port}`, peer: `127.0.0.1:${peer}`, ...common },
      ...(opts.srpd ? { srpd: opts.srpd } : {}),
      ...(opts.nodeArgs ? { nodeArgs: opts.nodeArgs } : {}),
      logDir: pairLogDir,
    });
    return new DaemonPair(dir, node('alpha', 'primary', 10, '00-02-43-03-1C-2B', pa, pb), node('bravo', 'backup', 20, '00-02-43-03-01-3B', pb, pa));
  }

  /** [active, standby] once exactly one is Active and the other Standby (and ready, when asked). */
  async settled(ready = true, timeoutMs = 120_000): Promise<[Srpd, Srpd]> {
    return waitFor(
      'one Active and one ready Standby',
      async () => {
        const [ia, ib] = await Promise.all([this.a.info(), this.b.info()]);
        const ok = (s: typeof ia): boolean => !ready || (s.standbyReady && s.peer?.state === 'Active');
        if (ia.state === 'Active' && ib.state === 'Standby' && ok(ib)) return [this.a, this.b] as [Srpd, Srpd];
        if (ib.state === 'Active' && ia.state === 'Standby' && ok(ia)) return [this.b, this.a] as [Srpd, Srpd];
        return null;
      },
      timeoutMs,
    );
  }

  /** Stops both (SIGKILL unless BENCH_STOP_SIGNAL names another: see stopSignal()). */
  async stop(signal: NodeJS.Signals = stopSignal()): Promise<void> {
    await Promise.all([this.a.kill(signal), this.b.kill(signal)]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
