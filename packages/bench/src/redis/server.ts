// redis-server processes of our own on loopback ports from the kernel: a primary, and a replica
// started later (so its full sync can be timed). Debian's redis-server; when it is missing and
// we are root with apt-get, it is installed first (and the system service it starts, stopped).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from '../pair.js';
import { RedisConnection } from './resp.js';

const have = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

/** The redis-server binary, installing Debian's when possible; null with the reason when there is none. */
export function findRedis(): { bin: string } | { missing: string } {
  if (have('redis-server')) return { bin: 'redis-server' };
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !have('apt-get')) return { missing: 'redis-server is not installed (apt-get install redis-server; needs root)' };
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const r = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'redis-server'], { env, stdio: 'ignore' });
  if (r.status !== 0) spawnSync('apt-get', ['update', '-qq'], { env, stdio: 'ignore' });
  if (r.status !== 0) spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'redis-server'], { env, stdio: 'ignore' });
  if (have('systemctl')) spawnSync('systemctl', ['stop', 'redis-server'], { stdio: 'ignore' });
  return have('redis-server') ? { bin: 'redis-server' } : { missing: 'redis-server is not installed and apt-get install redis-server failed' };
}

export class RedisServer {
  private constructor(
    readonly port: number,
    readonly proc: ChildProcess,
    private readonly dir: string,
  ) {}

  /** Starts redis-server without persistence; `replicaOf` makes it a replica of that port. */
  static async start(bin: string, replicaOf?: number): Promise<RedisServer> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'srp-bench-redis-'));
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'no', '--loglevel', 'warning', '--repl-diskless-sync-delay', '0'];
    if (replicaOf !== undefined) args.push('--replicaof', '127.0.0.1', String(replicaOf), '--notify-keyspace-events', 'Kh');
    const proc = spawn(bin, args, { stdio: 'ignore' });
    process.once('exit', () => proc.kill('SIGKILL'));
    const s = new RedisServer(port, proc, dir);
    await waitFor(`redis-server on port ${port}`, async () => {
      const c = await RedisConnection.open(port);
      const r = await c.call('PING');
      c.close();
      return r === 'PONG';
    }, 20_000);
    return s;
  }

  get pid(): number | null {
    return this.proc.pid ?? null;
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      const exited = new Promise((r) => this.proc.once('exit', r));
      this.proc.kill('SIGKILL');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
