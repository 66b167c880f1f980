// A real etcd server for tests (Debian `etcd-server`, which `npm test` installs as root): one
// member on 127.0.0.1 with ports from the kernel and a temp data dir. stop()/kill() keep the
// data dir and the ports, so start() brings the same server back; freeze()/thaw() are
// SIGSTOP/SIGCONT; dispose() stops it and removes the data dir.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from './cluster.js';
import { skipLocally } from './tools.js';

/** The etcd binary, or null when it is not installed. */
export function etcdBinary(): string | null {
  const r = spawnSync('sh', ['-c', 'command -v etcd'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** For describe.skipIf: the tests skip locally without etcd and fail under CI=true (helpers/tools.ts). */
export function skipWithoutEtcd(what: string): boolean {
  return skipLocally(etcdBinary() === null ? 'etcd not found (Debian package etcd-server; `npm test` installs it when run as root)' : null, what);
}

export class EtcdServer {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private log = '';

  private constructor(
    readonly dataDir: string,
    readonly clientPort: number,
    private readonly peerPort: number,
  ) {}

  /** A fresh server, started and healthy. */
  static async create(): Promise<EtcdServer> {
    const s = new EtcdServer(mkdtempSync(join(tmpdir(), 'srp-etcd-')), await freePort(), await freePort());
    try {
      await s.start();
    } catch (err) {
      await s.dispose();
      throw err;
    }
    return s;
  }

  /** host:port, as `witness.etcd.endpoints` takes it. */
  get endpoint(): string {
    return `127.0.0.1:${this.clientPort}`;
  }

  get clientUrl(): string {
    return `http://${this.endpoint}`;
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** The last lines etcd wrote (warnings and errors), for a failing test's message. */
  get output(): string {
    return this.log.slice(-4000);
  }

  async start(): Promise<void> {
    if (this.child) return;
    const bin = etcdBinary();
    if (!bin) throw new Error('etcd not found: apt-get install -y etcd-server');
    const peerUrl = `http://127.0.0.1:${this.peerPort}`;
    const child = spawn(
      bin,
      [
        '--name=srp-test',
        `--data-dir=${join(this.dataDir, 'member-data')}`,
        `--listen-client-urls=${this.clientUrl}`,
        `--advertise-client-urls=${this.clientUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=srp-test=${peerUrl}`,
        '--logger=zap',
        '--log-level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    const keep = (b: Buffer): void => {
      this.log = (this.log + b.toString()).slice(-16_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      child.once('exit', () => {
        if (this.child === child) this.child = null;
        resolve();
      });
    });
    try {
      await waitFor(
        `etcd healthy on ${this.clientUrl}`,
        async () => {
          if (this.child !== child) throw new Error(`etcd exited: ${this.output}`);
          const r = await fetch(`${this.clientUrl}/health`, { signal: AbortSignal.timeout(1000) });
          return r.ok && ((await r.json()) as { health?: string }).health === 'true';
        },
        { timeoutMs: 30_000, intervalMs: 50 },
      );
    } catch (err) {
      await this.kill();
      throw err;
    }
  }

  /** SIGTERM and wait for the exit; the data survives for start(). */
  async stop(): Promise<void> {
    await this.signalAndWait('SIGTERM');
  }

  /** SIGKILL (a crash) and wait for the exit; the data survives for start(). */
  async kill(): Promise<void> {
    await this.signalAndWait('SIGKILL');
  }

  /** SIGSTOP: the process and its sockets stay, nothing answers. */
  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  /** Stops the server (thawing it first if frozen) and removes its data dir. */
  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async signalAndWait(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill(signal);
    if (signal !== 'SIGKILL') child.kill('SIGCONT'); // a frozen process handles SIGTERM only once thawed
    await this.exited;
  }
}
