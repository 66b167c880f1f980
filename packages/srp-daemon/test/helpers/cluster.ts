// Real srpd processes for integration tests: temp configs, ports from
// the kernel (never a fixed list), the management URL from --ready-file, state and the event
// stream through the API client (SrpClient).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SrpClient, type ApiReply } from '../../src/client/client.js';
import { SRPD_NODE_ARGS } from '../../src/util/node-args.js';
import type { SrpEvent, SrpInfo, SrpStatistics } from '../../src/api/contract.js';
import { relay, type Relay } from './relay.js';

/** packages/srp-daemon, whether this runs from test/ (vitest) or dist/test/ (the bench). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6 && !existsSync(join(dir, 'package.json')); i++) dir = dirname(dir);
  return dir;
}
export const PACKAGE_ROOT = packageRoot();
export const SRPD = join(PACKAGE_ROOT, 'dist/src/cli/srpd.js');
export const SRPCTL = join(PACKAGE_ROOT, 'bin/srpctl.js');

/** Throws when dist/ is missing; warns when a core source file is newer than its build. */
export function checkBuilt(): void {
  if (!existsSync(SRPD)) throw new Error(`${SRPD} is missing: run 'corepack pnpm exec tsc -b' first`);
  for (const f of ['runtime/daemon', 'fsm/chassis', 'link/link', 'link/connection', 'config/config', 'cli/srpd']) {
    const js = join(PACKAGE_ROOT, `dist/src/${f}.js`);
    const ts = join(PACKAGE_ROOT, `src/${f}.ts`);
    if (!existsSync(js) || statSync(ts).mtimeMs > statSync(js).mtimeMs) {
      console.warn(`warning: dist/src/${f}.js is missing or older than its source: run 'corepack pnpm exec tsc -b'`);
    }
  }
}

/** A free TCP port on 127.0.0.1, from the kernel (bound, read, released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = a && typeof a === 'object' ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  { timeoutMs = 20_000, intervalMs = 25 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: string | null = null;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err instanceof Error ? err.message : JSON.stringify(err);
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last})` : ''}`);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface NodeSpec {
  chassisId: string;
  mode: 'primary' | 'backup';
  priority: number;
  cfMac: string;
  srpPort: number;
  peerPort: number;
  helloInterval: string;
  deadInterval: string;
  /** null: no auth-key line (the key comes from `extra`, e.g. auth-key-file). */
  authKey?: string | null;
  extra?: string;
  /** More environment for the srpd process (LD_PRELOAD of libfaketime, say). */
  env?: Record<string, string>;
}

export class SrpdProcess {
  proc: ChildProcess | null = null;
  url = '';
  /** The API client of the running srpd (a new one after each start). */
  client = new SrpClient('http://127.0.0.1:0');
  readonly lines: string[] = [];
  private exit: Promise<number | null> = Promise.resolve(null);
  private readonly configPath: string;
  private readonly readyFile: string;

  constructor(
    readonly spec: NodeSpec,
    readonly dir: string,
  ) {
    this.configPath = join(dir, `${spec.chassisId}.yaml`);
    this.readyFile = join(dir, `${spec.chassisId}.ready.json`);
    writeFileSync(
      this.configPath,
      [
        `chassis-id: ${spec.chassisId}`,
        `mode: ${spec.mode}`,
        `priority: ${spec.priority}`,
        `cf-mac: ${spec.cfMac}`,
        `bind: 127.0.0.1:${spec.srpPort}`,
        `peer: 127.0.0.1:${spec.peerPort}`,
        `hello-interval: ${spec.helloInterval}`,
        `dead-interval: ${spec.deadInterval}`,
        spec.authKey === null ? '' : `auth-key: ${spec.authKey ?? 'integration-test-shared-key'}`,
        'management:',
        '  listen: 127.0.0.1:0',
        // SRPD_TEST_LOG=debug shows the link's connection by connection log in the daemons' lines.
        `log-level: ${process.env.SRPD_TEST_LOG ?? 'info'}`,
        spec.extra ?? '',
      ].join('\n'),
    );
  }

  get pid(): number {
    return this.proc?.pid ?? 0;
  }

  async start(): Promise<this> {
    rmSync(this.readyFile, { force: true });
    const proc = spawn(process.execPath, [...SRPD_NODE_ARGS, SRPD, '--config', this.configPath, '--ready-file', this.readyFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(this.spec.env ? { env: { ...process.env, ...this.spec.env } } : {}),
    });
    this.proc = proc;
    this.exit = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
    let buf = '';
    const take = (chunk: Buffer): void => {
      buf += chunk.toString('utf8');
      const parts = buf.split('\n');
      buf = parts.pop() ?? '';
      for (const l of parts) {
        this.lines.push(l);
        if (this.lines.length > 20_000) this.lines.shift();
      }
    };
    proc.stdout?.on('data', take);
    proc.stderr?.on('data', take);
    const ready = await waitFor(
      `${this.spec.chassisId} to write its ready file`,
      () => {
        if (proc.exitCode !== null) throw new Error(`srpd exited ${proc.exitCode}: ${this.lines.slice(-5).join('\n')}`);
        return existsSync(this.readyFile) ? (JSON.parse(readFileSync(this.readyFile, 'utf8')) as { managementUrl: string }) : null;
      },
      { timeoutMs: 30_000 },
    );
    this.url = ready.managementUrl;
    this.client.close();
    this.client = new SrpClient(this.url);
    return this;
  }

  get running(): boolean {
    return this.proc !== null && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  signal(sig: NodeJS.Signals): void {
    if (this.running) process.kill(this.pid, sig);
  }

  waitExit(): Promise<number | null> {
    return this.exit;
  }

  info(timeoutMs = 2000): Promise<SrpInfo> {
    return this.client.info(timeoutMs);
  }

  /** One API call with a JSON body (or none), whatever its status: the status and the parsed answer. */
  request<T>(method: string, path: string, body?: unknown, timeoutMs = 10_000): Promise<ApiReply<T>> {
    return this.client.request<T>(method, path, body, timeoutMs);
  }

  statistics(): Promise<SrpStatistics> {
    return this.client.statistics();
  }

  /** The Prometheus text of /metrics. */
  metrics(): Promise<string> {
    return this.client.metricsText();
  }

  async state(): Promise<string> {
    return (await this.info()).state;
  }

  /** Subscribes to /v1/events (only `types` when given); the returned list fills as events arrive. */
  async events(types?: string[]): Promise<{ list: SrpEvent[]; close: () => void }> {
    const list: SrpEvent[] = [];
    const stop = new AbortController();
    await new Promise<void>((resolve, reject) => {
      this.client.followEvents({ types, signal: stop.signal, onOpen: resolve, onEvent: (e) => list.push(e) }).catch(reject);
    });
    return { list, close: () => stop.abort() };
  }

  async kill(): Promise<void> {
    if (this.running) {
      this.signal('SIGCONT');
      this.signal('SIGKILL');
      await this.exit;
    }
  }
}

export interface PairOptions {
  helloInterval?: string;
  deadInterval?: string;
  extraA?: string;
  extraB?: string;
  /** Each side reaches its peer (TCP and Hellos) through a cuttable relay (`toA`, `toB`). */
  relays?: boolean;
  envA?: Record<string, string>;
  envB?: Record<string, string>;
  /** No auth-key line (the keys come from extraA / extraB). */
  noAuthKey?: boolean;
}

/** A primary (a) and a backup (b) on 127.0.0.1, with kernel-chosen ports. Not started. */
export interface Pair {
  a: SrpdProcess;
  b: SrpdProcess;
  dir: string;
  toA: Relay | null;
  toB: Relay | null;
  cleanup: () => Promise<void>;
}

export async function makePair(opts: PairOptions = {}): Promise<Pair> {
  const dir = mkdtempSync(join(tmpdir(), 'srpd-it-'));
  const [pa, pb] = [await freePort(), await freePort()];
  const toA = opts.relays ? await relay(pa) : null;
  const toB = opts.relays ? await relay(pb) : null;
  const common = {
    helloInterval: opts.helloInterval ?? '200ms',
    deadInterval: opts.deadInterval ?? '1s',
    ...(opts.noAuthKey ? { authKey: null } : {}),
  };
  const a = new SrpdProcess(
    { chassisId: 'alpha', mode: 'primary', priority: 10, cfMac: '00-02-43-03-1C-2B', srpPort: pa, peerPort: toB?.port ?? pb, ...common, ...(opts.extraA ? { extra: opts.extraA } : {}), ...(opts.envA ? { env: opts.envA } : {}) },
    dir,
  );
  const b = new SrpdProcess(
    { chassisId: 'bravo', mode: 'backup', priority: 20, cfMac: '00-02-43-03-01-3B', srpPort: pb, peerPort: toA?.port ?? pa, ...common, ...(opts.extraB ? { extra: opts.extraB } : {}), ...(opts.envB ? { env: opts.envB } : {}) },
    dir,
  );
  return {
    a,
    b,
    dir,
    toA,
    toB,
    cleanup: async () => {
      await Promise.all([a.kill(), b.kill()]);
      await Promise.all([toA?.close(), toB?.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves with [active, standby] once the pair has converged. */
export async function converged(a: SrpdProcess, b: SrpdProcess, timeoutMs = 20_000): Promise<[SrpdProcess, SrpdProcess]> {
  return waitFor(
    'one Active and one Standby',
    async () => {
      const [sa, sb] = [await a.state(), await b.state()];
      if (sa === 'Active' && sb === 'Standby') return [a, b] as [SrpdProcess, SrpdProcess];
      if (sb === 'Active' && sa === 'Standby') return [b, a] as [SrpdProcess, SrpdProcess];
      return null;
    },
    { timeoutMs },
  );
}
