// The images the compose lab needs, made without a container registry when none is reachable:
//   - a Debian base from debootstrap (the mirror apt already uses), imported with docker import;
//   - a Node image laid out like node:20-slim (a "node" user, uid 1000) with the host's Node 20,
//     npm and corepack, and the host's CA bundle (builds reach the npm registry through it);
//   - Prometheus from Debian's `prometheus` package (binary as entrypoint, data in /prometheus);
//   - the project's image from deploy/Dockerfile, with those as its base.
// The base rootfs and the Prometheus image are cached as tar files between runs on the same
// machine (SRP_HA_CONTAINER_CACHE, default ~/.cache/srp-ha/containers); a missing or unreadable
// cache only costs time.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { DockerEngine } from './engine.js';
import { ContainerError, must, run, which } from './run.js';

export const LOCAL_BASE = 'srp-ha-local/debian';
export const LOCAL_NODE = 'srp-ha-local/node:20-slim';
export const LOCAL_PROMETHEUS = 'srp-ha-local/prometheus:debian';
/** What deploy/docker-compose.yml uses when a registry is reachable. */
export const REGISTRY_NODE = 'node:20-slim';
export const REGISTRY_PROMETHEUS = 'prom/prometheus:v2.55.1';

type Log = (line: string) => void;

export function cacheDir(): string {
  return process.env.SRP_HA_CONTAINER_CACHE ?? join(homedir(), '.cache', 'srp-ha', 'containers');
}

/** Whether Docker Hub answers (401 without a token is an answer) within `timeoutMs`. */
export async function registryReachable(timeoutMs = 5000): Promise<boolean> {
  try {
    const r = await fetch('https://registry-1.docker.io/v2/', { signal: AbortSignal.timeout(timeoutMs) });
    return r.status === 401 || r.status === 200;
  } catch {
    return false;
  }
}

/** The Debian mirror apt uses on this host (not the security one), and the host's suite. */
export function debianSource(): { mirror: string; suite: string } {
  const files = ['/etc/apt/sources.list', ...listDir('/etc/apt/sources.list.d').map((f) => join('/etc/apt/sources.list.d', f))];
  let mirror: string | null = null;
  for (const f of files) {
    const text = existsSync(f) ? readFileSync(f, 'utf8') : '';
    for (const line of text.split('\n')) {
      if (!/^\s*(URIs:|deb\s)/.test(line)) continue;
      const m = /(https?:\/\/\S+\/debian)\/?(\s|$)/.exec(line);
      if (m?.[1] && !m[1].includes('security')) {
        mirror = m[1];
        break;
      }
    }
    if (mirror) break;
  }
  const osRelease = existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '';
  const suite = /^VERSION_CODENAME=(\w+)/m.exec(osRelease)?.[1] ?? 'bookworm';
  return { mirror: mirror ?? 'http://deb.debian.org/debian', suite };
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

const short = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 12);

/** Moves a finished `tmp` file to `file` in the cache and removes older files of the same kind. */
function storeInCache(tmp: string, file: string, kind: string): void {
  renameSync(tmp, file);
  for (const f of listDir(dirname(file))) {
    const path = join(dirname(file), f);
    if (f.startsWith(kind) && path !== file && !f.endsWith('.tmp')) rmSync(path, { force: true });
  }
}

/** A minimal Debian image from debootstrap (about 1 min the first time, seconds from the cache). */
export async function ensureBaseImage(engine: DockerEngine, log: Log = () => {}): Promise<{ ref: string; made: boolean }> {
  const { mirror, suite } = debianSource();
  const ref = `${LOCAL_BASE}:${suite}`;
  if (await engine.hasImage(ref)) return { ref, made: false };
  const dir = cacheDir();
  const kind = `debian-${suite}-minbase-`;
  const cached = join(dir, `${kind}${short(mirror)}.tar`);
  if (!existsSync(cached)) {
    if (which('debootstrap') === null) throw new ContainerError('SRP_CTR_NOT_FOUND', 'debootstrap is not installed (Debian package debootstrap)');
    const work = mkdtempSync(join(tmpdir(), 'srp-rootfs-'));
    try {
      const rootfs = join(work, 'rootfs');
      log(`debootstrap --variant=minbase ${suite} from ${mirror}`);
      await must('debootstrap', ['--variant=minbase', suite, rootfs, mirror], { timeoutMs: 600_000 });
      rmSync(join(rootfs, 'var/cache/apt/archives'), { recursive: true, force: true });
      rmSync(join(rootfs, 'var/lib/apt/lists'), { recursive: true, force: true });
      mkdirSync(join(rootfs, 'var/lib/apt/lists/partial'), { recursive: true });
      mkdirSync(join(rootfs, 'var/cache/apt/archives/partial'), { recursive: true });
      writeFileSync(
        join(rootfs, 'etc/apt/sources.list'),
        `deb ${mirror} ${suite} main\ndeb ${mirror} ${suite}-updates main\ndeb ${mirror}-security ${suite}-security main\n`,
      );
      mkdirSync(dir, { recursive: true });
      const tmp = `${cached}.${process.pid}.tmp`;
      await must('tar', ['-C', rootfs, '--numeric-owner', '-cf', tmp, '.'], { timeoutMs: 300_000 });
      storeInCache(tmp, cached, kind);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  } else {
    log(`base rootfs from the cache: ${cached}`);
  }
  await engine.docker(['import', '-c', 'CMD ["bash"]', cached, ref], { timeoutMs: 300_000 });
  return { ref, made: true };
}

/** A build context holding `files` (name -> content); the caller removes it. */
function contextDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'srp-imgctx-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** The host's Node (20.19+ as package.json's engines asks) on the base image, like node:20-slim. */
export async function ensureNodeImage(engine: DockerEngine, base: string, log: Log = () => {}): Promise<{ ref: string; made: boolean }> {
  if (await engine.hasImage(LOCAL_NODE)) return { ref: LOCAL_NODE, made: false };
  const [maj, min] = process.versions.node.split('.').map(Number);
  if (maj !== 20 || (min ?? 0) < 19) throw new ContainerError('SRP_CTR_BAD_ARGUMENT', `the host's Node is ${process.versions.node}; the image needs 20.19 or later 20.x`);
  const node = realpathSync(process.execPath);
  const modules = join(dirname(dirname(node)), 'lib', 'node_modules');
  for (const m of ['npm', 'corepack']) {
    if (!existsSync(join(modules, m))) throw new ContainerError('SRP_CTR_NOT_FOUND', `${join(modules, m)} not found next to ${node}`);
  }
  const ctx = contextDir({
    Dockerfile: [
      `FROM ${base}`,
      'COPY node /usr/local/bin/node',
      'COPY npm /usr/local/lib/node_modules/npm',
      'COPY corepack /usr/local/lib/node_modules/corepack',
      'COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt',
      'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt',
      'RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\',
      ' && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \\',
      ' && ln -s ../lib/node_modules/corepack/dist/corepack.js /usr/local/bin/corepack \\',
      ' && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \\',
      ' && node --version',
      'CMD ["node"]',
      '',
    ].join('\n'),
  });
  try {
    await must('cp', ['-a', node, join(ctx, 'node')]);
    await must('cp', ['-a', join(modules, 'npm'), join(modules, 'corepack'), ctx]);
    const bundle = '/etc/ssl/certs/ca-certificates.crt';
    writeFileSync(join(ctx, 'ca-certificates.crt'), existsSync(bundle) ? readFileSync(bundle) : '');
    log(`${LOCAL_NODE}: Node ${process.versions.node} from ${node}`);
    await engine.docker(['build', '-q', '--network', 'none', '-t', LOCAL_NODE, ctx], { timeoutMs: 300_000 });
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
  return { ref: LOCAL_NODE, made: true };
}

const prometheusDockerfile = (base: string): string =>
  [
    `FROM ${base}`,
    'RUN apt-get update \\',
    ' && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus \\',
    // The classic UI reads moment-timezone-with-data.min.js, not the 210 MB of zone data beside
    // it; promtool is not needed in the image.
    ' && rm -rf /var/lib/apt/lists/* /usr/share/javascript/moment-timezone/data /usr/bin/promtool /usr/share/doc /usr/share/man \\',
    ' && mkdir -p /prometheus && chown prometheus:prometheus /prometheus',
    'USER prometheus',
    'WORKDIR /prometheus',
    'EXPOSE 9090',
    'ENTRYPOINT ["/usr/bin/prometheus"]',
    'CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]',
    '',
  ].join('\n');

/** Prometheus from Debian's package on the base image (docker save'd to the cache once made). */
export async function ensurePrometheusImage(engine: DockerEngine, base: string, log: Log = () => {}): Promise<{ ref: string; made: boolean }> {
  if (await engine.hasImage(LOCAL_PROMETHEUS)) return { ref: LOCAL_PROMETHEUS, made: false };
  const dockerfile = prometheusDockerfile(base);
  const cached = join(cacheDir(), `prometheus-debian-${short(debianSource().mirror + dockerfile)}.tar`);
  if (existsSync(cached)) {
    log(`${LOCAL_PROMETHEUS} from the cache: ${cached}`);
    const r = await engine.tryDocker(['load', '-q', '-i', cached], { timeoutMs: 300_000 });
    if (r.status === 0 && (await engine.hasImage(LOCAL_PROMETHEUS))) return { ref: LOCAL_PROMETHEUS, made: true };
    log(`cache unusable (${r.stderr.trim().split('\n').pop() ?? ''}); building`);
    rmSync(cached, { force: true });
  }
  const ctx = contextDir({ Dockerfile: dockerfile });
  try {
    log(`${LOCAL_PROMETHEUS}: Debian's prometheus package on ${base}`);
    await engine.docker(['build', '-q', '--network', 'host', '-t', LOCAL_PROMETHEUS, ctx], { timeoutMs: 600_000 });
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
  mkdirSync(dirname(cached), { recursive: true });
  const tmp = `${cached}.${process.pid}.tmp`;
  const saved = await engine.tryDocker(['save', '-o', tmp, LOCAL_PROMETHEUS], { timeoutMs: 300_000 });
  if (saved.status === 0) storeInCache(tmp, cached, 'prometheus-debian-');
  else rmSync(tmp, { force: true });
  return { ref: LOCAL_PROMETHEUS, made: true };
}

/**
 * Whether corepack must be told to skip its signature check to fetch the pinned pnpm from the
 * npm registry as this host sees it (a mirror without signatures): the same question
 * scripts/bootstrap.mjs answers by trying. A non-empty COREPACK_INTEGRITY_KEYS wins.
 */
export async function corepackKeysArg(root: string): Promise<string | null> {
  // Set but empty is as unset (the Dockerfile drops an empty value): probe.
  const given = process.env.COREPACK_INTEGRITY_KEYS;
  if (given !== undefined && given !== '') return given;
  const home = mkdtempSync(join(tmpdir(), 'srp-corepack-'));
  try {
    const r = await run('corepack', ['pnpm', '--version'], {
      cwd: root,
      env: { COREPACK_HOME: home, COREPACK_ENABLE_DOWNLOAD_PROMPT: '0', COREPACK_ENABLE_STRICT: '0' },
      timeoutMs: 120_000,
    });
    return r.status !== 0 && /signature/i.test(r.stderr + r.stdout) ? '0' : null;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

export interface ProjectBuild {
  ref: string;
  seconds: number;
  bytes: number;
}

/** docker build -f deploy/Dockerfile, on the host network (the npm registry), from the repository root. */
export async function buildProjectImage(
  engine: DockerEngine,
  opts: { root: string; ref: string; nodeImage: string; corepackKeys: string | null; log?: Log; output?: (chunk: string) => void },
): Promise<ProjectBuild> {
  const args = ['build', '--progress=plain', '--network', 'host', '-f', join(opts.root, 'deploy', 'Dockerfile'), '-t', opts.ref];
  args.push('--build-arg', `NODE_IMAGE=${opts.nodeImage}`);
  if (opts.corepackKeys !== null) args.push('--build-arg', `COREPACK_INTEGRITY_KEYS=${opts.corepackKeys}`);
  const t0 = Date.now();
  opts.log?.(`docker ${args.join(' ')} ${opts.root}`);
  await engine.docker([...args, opts.root], { timeoutMs: 900_000, ...(opts.output ? { onOutput: opts.output } : {}) });
  const seconds = (Date.now() - t0) / 1000;
  return { ref: opts.ref, seconds, bytes: await engine.imageSize(opts.ref) };
}
