// Real AAA servers for tests, the chaos suite and the lab: the Debian packages that carry them,
// installed with apt-get when this runs as root and they are missing, and child processes that
// die with the process that started them.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

export class AaaServerError extends Error {
  override readonly name = 'AaaServerError';
  constructor(
    readonly code: 'SRP_ERR_TOOL_MISSING' | 'SRP_ERR_SERVER_START',
    message: string,
  ) {
    super(message);
  }
}

export function haveCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Null when `cmd` is on PATH (installing Debian package `pkg` first when root with apt-get and
 * it is missing); otherwise why it is not there.
 */
export function ensureDebianTool(cmd: string, pkg: string): string | null {
  if (haveCommand(cmd)) return null;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !haveCommand('apt-get')) return `${cmd} not found (Debian package ${pkg}; npm test installs it when run as root)`;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = (): number | null =>
    spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', pkg], { stdio: 'ignore', env, timeout: 600_000 }).status;
  if (install() !== 0) {
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env, timeout: 600_000 });
    install();
  }
  return haveCommand(cmd) ? null : `${cmd} not found and apt-get install ${pkg} did not provide it`;
}

/** A UDP port that was free on `address` a moment ago (bound, read, released). */
export function freeUdpPort(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createSocket(address.includes(':') ? 'udp6' : 'udp4');
    s.once('error', reject);
    s.bind(0, address, () => {
      const port = s.address().port;
      s.close(() => resolve(port));
    });
  });
}

/** A TCP port that was free on `address` a moment ago. */
export function freeTcpPort(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, address, () => {
      const a = s.address();
      const port = a && typeof a === 'object' ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

const live = new Set<ChildProcess>();
let hooked = false;

/** A server child process; killed when this process exits, whatever the exit path. */
export class ServerProcess {
  readonly lines: string[] = [];
  private readonly exited: Promise<void>;
  private stopped = false;

  constructor(
    readonly what: string,
    readonly proc: ChildProcess,
  ) {
    live.add(proc);
    if (!hooked) {
      hooked = true;
      process.once('exit', () => {
        for (const p of live) p.kill('SIGKILL');
      });
    }
    this.exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    void this.exited.then(() => live.delete(proc));
    const take = (chunk: Buffer): void => {
      for (const l of chunk.toString('utf8').split('\n')) if (l !== '') this.lines.push(l);
      if (this.lines.length > 2000) this.lines.splice(0, this.lines.length - 2000);
    };
    proc.stdout?.on('data', take);
    proc.stderr?.on('data', take);
  }

  static spawn(what: string, cmd: string, args: string[]): ServerProcess {
    return new ServerProcess(what, spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  get pid(): number {
    return this.proc.pid ?? 0;
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Resolves once a line matching `ready` was printed; rejects on exit or after `timeoutMs`. */
  async waitFor(ready: RegExp, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.lines.some((l) => ready.test(l))) return;
      if (!this.running) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const tail = this.lines.slice(-8).join(' | ');
    await this.stop();
    throw new AaaServerError('SRP_ERR_SERVER_START', `${this.what} did not start (${this.running ? 'timeout' : 'exited'}): ${tail}`);
  }

  /** SIGSTOP: the server stays bound but answers nothing. */
  pause(): void {
    if (this.running) this.proc.kill('SIGSTOP');
  }

  resume(): void {
    if (this.running) this.proc.kill('SIGCONT');
  }

  /** SIGCONT + SIGKILL, then wait for the exit. */
  async stop(): Promise<void> {
    if (this.stopped) return this.exited;
    this.stopped = true;
    if (this.running) {
      this.proc.kill('SIGCONT');
      this.proc.kill('SIGKILL');
    }
    return this.exited;
  }
}
