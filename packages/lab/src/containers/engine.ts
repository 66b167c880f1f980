// A Docker engine to run the compose lab in: the one DOCKER_HOST (or the default socket) points
// at when it answers, else a private dockerd started here (root, Debian's docker.io): its own
// data root, exec root, pid file and unix socket in a temporary directory, and no changes to
// the host firewall (--iptables=false, no docker0 bridge). stop() undoes all of it.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerError, must, run, sleep, which, type RunOptions, type RunResult } from './run.js';

export interface EngineOptions {
  /** Refuse registry pulls at once (a dead proxy) instead of letting them hang: nothing is pulled. */
  offline?: boolean;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** Debian's CLI (BuildKit built in) before a newer one earlier in PATH that may lack buildx. */
export function dockerCli(): string | null {
  return existsSync('/usr/bin/docker') ? '/usr/bin/docker' : which('docker');
}

export class DockerEngine {
  private stopped = false;

  constructor(
    /** DOCKER_HOST of the engine. */
    readonly host: string,
    readonly cli: string,
    /** The private dockerd's directory and pid; null for an engine this process did not start. */
    private readonly own: { dir: string; pid: number } | null,
  ) {}

  /** True when this process started the engine (and stop() will stop it). */
  get owned(): boolean {
    return this.own !== null;
  }

  /** Environment for docker and docker-compose talking to this engine. */
  get env(): Record<string, string> {
    return { DOCKER_HOST: this.host, DOCKER_BUILDKIT: '1', COMPOSE_DOCKER_CLI_BUILD: '1' };
  }

  /** `docker args`; a non-zero exit throws. */
  docker(args: readonly string[], opts: RunOptions = {}): Promise<string> {
    return must(this.cli, args, { ...opts, env: { ...this.env, ...opts.env } });
  }

  /** `docker args`, whatever its exit status. */
  tryDocker(args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    return run(this.cli, args, { ...opts, env: { ...this.env, ...opts.env } });
  }

  async answers(): Promise<boolean> {
    const r = await this.tryDocker(['version', '--format', '{{.Server.Version}}'], { timeoutMs: 10_000 }).catch(() => null);
    return r !== null && r.status === 0 && r.stdout.trim() !== '';
  }

  /** "20.10.24 overlay2" */
  async describe(): Promise<string> {
    return (await this.docker(['info', '--format', '{{.ServerVersion}} {{.Driver}}'], { timeoutMs: 20_000 })).trim();
  }

  async hasImage(ref: string): Promise<boolean> {
    return (await this.tryDocker(['image', 'inspect', '--format', '{{.Id}}', ref], { timeoutMs: 20_000 })).status === 0;
  }

  /** Bytes of an image as `docker images` counts them (all its layers). */
  async imageSize(ref: string): Promise<number> {
    return Number((await this.docker(['image', 'inspect', '--format', '{{.Size}}', ref])).trim());
  }

  /** Stops a private dockerd (by its pid) and removes everything it left; no-op for a shared engine. */
  async stop(): Promise<void> {
    if (this.stopped || this.own === null) return;
    this.stopped = true;
    const { dir, pid } = this.own;
    // Networks live in the data root, but their bridges (with the lab's SRP subnet) live in the
    // host's network namespace: remove them while dockerd can, and by name afterwards.
    const nets = await this.tryDocker(['network', 'ls', '-q', '--no-trunc', '--filter', 'driver=bridge'], { timeoutMs: 20_000 }).catch(() => null);
    const ids = (nets?.stdout ?? '').split('\n').filter((x) => /^[0-9a-f]{12,}$/.test(x));
    for (const id of ids) await this.tryDocker(['network', 'rm', id], { timeoutMs: 20_000 }).catch(() => null);
    if (alive(pid)) {
      process.kill(pid, 'SIGTERM');
      for (let i = 0; i < 120 && alive(pid); i++) await sleep(250);
      if (alive(pid)) process.kill(pid, 'SIGKILL');
      for (let i = 0; i < 20 && alive(pid); i++) await sleep(250);
    }
    // dockerd leaves bind mounts (exec-root/netns, overlay layers) when it cannot clean up.
    for (const m of mountsUnder(dir)) await run('umount', ['-l', m], { timeoutMs: 20_000 }).catch(() => null);
    for (const id of ids) {
      const bridge = `br-${id.slice(0, 12)}`;
      if (existsSync(`/sys/class/net/${bridge}`)) await run('ip', ['link', 'del', bridge], { timeoutMs: 20_000 }).catch(() => null);
    }
    // rm(1) in a child: a data root of ~1 GB in small files takes a while on a busy disk, and the
    // caller's event loop keeps running meanwhile.
    await run('rm', ['-rf', '--one-file-system', dir], { timeoutMs: 600_000 }).catch(() => null);
    rmSync(dir, { recursive: true, force: true });
    ownedEngines.delete(pid);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function mountsUnder(dir: string): string[] {
  const prefix = dir.endsWith('/') ? dir : dir + '/';
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => (l.split(' ')[1] ?? '').replace(/\\040/g, ' '))
    .filter((m) => m.startsWith(prefix))
    .sort()
    .reverse();
}

// A private dockerd still running when this process exits gets SIGTERM, whatever the exit path.
const ownedEngines = new Set<number>();
process.once('exit', () => {
  for (const pid of ownedEngines) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      /* gone */
    }
  }
});

/** What keeps a private engine from starting here, or null. */
export function privateEngineMissing(): string | null {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) return 'starting dockerd needs root';
  const gone = ['dockerd', 'containerd', 'runc'].filter((c) => which(c) === null);
  if (dockerCli() === null) gone.unshift('docker');
  return gone.length ? `missing ${gone.join(', ')} (Debian package docker.io)` : null;
}

/** Starts dockerd in a fresh temporary directory and waits until it answers (60 s bound). */
export async function startPrivateEngine(opts: EngineOptions = {}): Promise<DockerEngine> {
  const why = privateEngineMissing();
  if (why !== null) throw new ContainerError('SRP_CTR_ENGINE', `cannot start a private dockerd: ${why}`);
  const cli = dockerCli() ?? 'docker';
  const dir = mkdtempSync(join(tmpdir(), 'srp-dockerd-'));
  const host = `unix://${dir}/docker.sock`;
  const logFile = join(dir, 'dockerd.log');
  const out = openSync(logFile, 'a');
  const args = [
    '--data-root', join(dir, 'data'),
    '--exec-root', join(dir, 'exec'),
    '--pidfile', join(dir, 'dockerd.pid'),
    '-H', host,
    '--storage-driver', process.env.SRP_HA_DOCKER_STORAGE_DRIVER ?? 'overlay2',
    // Leave the host's firewall and forwarding alone; no default bridge either (docker0 may
    // belong to another engine on this host): the lab makes its own networks.
    '--iptables=false', '--ip-forward=false', '--ip-masq=false', '--bridge=none',
  ];
  // Offline, every registry pull fails at once on a dead loopback proxy instead of hanging.
  const env: Record<string, string | undefined> = opts.offline
    ? { HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9', NO_PROXY: '', http_proxy: undefined, https_proxy: undefined }
    : {};
  const child = spawn(which('dockerd') ?? 'dockerd', args, {
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, ...env },
  });
  closeSync(out);
  const pid = child.pid;
  if (pid === undefined) throw new ContainerError('SRP_CTR_ENGINE', 'dockerd did not start');
  child.unref();
  ownedEngines.add(pid);
  const engine = new DockerEngine(host, cli, { dir, pid });
  opts.log?.(`dockerd pid ${pid}, state in ${dir}`);
  for (let i = 0; i < 240; i++) {
    if (await engine.answers()) return engine;
    if (child.exitCode !== null || !alive(pid)) break;
    await sleep(250);
  }
  const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-8).join('\n') : '';
  await engine.stop();
  throw new ContainerError('SRP_CTR_ENGINE', `dockerd did not answer within 60 s:\n${tail}`);
}

/**
 * The engine to use: DOCKER_HOST's when set (it must answer), else the default socket's when
 * it answers, else a private dockerd.
 */
export async function findOrStartEngine(opts: EngineOptions = {}): Promise<DockerEngine> {
  const cli = dockerCli();
  const given = process.env.DOCKER_HOST;
  if (given !== undefined && given !== '') {
    if (cli === null) throw new ContainerError('SRP_CTR_NOT_FOUND', 'DOCKER_HOST is set but there is no docker CLI');
    const e = new DockerEngine(given, cli, null);
    if (!(await e.answers())) throw new ContainerError('SRP_CTR_ENGINE', `DOCKER_HOST=${given} does not answer (docker version)`);
    return e;
  }
  if (cli !== null && existsSync('/var/run/docker.sock')) {
    const e = new DockerEngine('unix:///var/run/docker.sock', cli, null);
    if (await e.answers()) return e;
  }
  return startPrivateEngine(opts);
}
