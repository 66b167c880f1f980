// What the container lab needs on the host, and installing it from Debian (root, apt-get):
// docker.io (dockerd, containerd, runc and a CLI with BuildKit), docker-compose, debootstrap
// (base image without a registry), chromium (the dashboard screenshot).
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dockerCli, privateEngineMissing } from './engine.js';
import { ContainerError, run, which } from './run.js';

/** Command -> Debian package. */
export const LAB_TOOLS: Record<string, string> = {
  dockerd: 'docker.io',
  'docker-compose': 'docker-compose',
  debootstrap: 'debootstrap',
  chromium: 'chromium',
};

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/** Debian packages of the tools that are not installed. */
export function missingPackages(tools: readonly string[] = Object.keys(LAB_TOOLS)): string[] {
  return [...new Set(tools.filter((t) => which(t) === null).map((t) => LAB_TOOLS[t] ?? t))];
}

/**
 * Why the container lab cannot run here, or null. With DOCKER_HOST set, the engine is someone
 * else's and root is not needed (the base image still needs debootstrap when no registry is
 * reachable); without it, dockerd is started here, which needs root.
 */
export function containerLabMissing(): string | null {
  const external = (process.env.DOCKER_HOST ?? '') !== '';
  const tools = external ? ['docker-compose'] : ['dockerd', 'docker-compose', 'debootstrap'];
  const pkgs = missingPackages(tools);
  if (external && dockerCli() === null) pkgs.unshift('docker.io');
  if (!external) {
    const engine = privateEngineMissing();
    if (engine === 'starting dockerd needs root') return 'starting a private dockerd needs root (or set DOCKER_HOST to a running engine)';
  }
  return pkgs.length ? `missing Debian package(s): ${pkgs.join(', ')} (apt-get install ${pkgs.join(' ')}; under CI=true as root the test installs them)` : null;
}

function aptListsPresent(): boolean {
  try {
    return readdirSync('/var/lib/apt/lists').some((f) => f.endsWith('_Packages'));
  } catch {
    return false;
  }
}

/**
 * apt-get install of the missing packages (root only). The packages' init scripts must not
 * start a system dockerd (it would touch the host firewall): when the host has no
 * /usr/sbin/policy-rc.d, one that forbids starting services is in place for the install.
 */
export async function installPackages(pkgs: readonly string[], log: (line: string) => void = () => {}): Promise<void> {
  if (pkgs.length === 0) return;
  if (!isRoot() || which('apt-get') === null) throw new ContainerError('SRP_CTR_NOT_FOUND', `cannot install ${pkgs.join(', ')}: needs root and apt-get`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const lock = ['-o', 'DPkg::Lock::Timeout=300'];
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !existsSync(policy);
  if (ownPolicy) writeFileSync(policy, '#!/bin/sh\n# srp-ha container test: no services started by package installs\nexit 101\n', { mode: 0o755 });
  try {
    if (!aptListsPresent()) {
      log('apt-get update');
      await run('apt-get', [...lock, 'update', '-qq'], { env, timeoutMs: 300_000 });
    }
    log(`apt-get install ${pkgs.join(' ')}`);
    let r = await run('apt-get', [...lock, 'install', '-y', '-qq', '--no-install-recommends', ...pkgs], { env, timeoutMs: 600_000 });
    if (r.status !== 0) {
      // Stale package lists (a package version gone from the mirror): refresh once and retry.
      await run('apt-get', [...lock, 'update', '-qq'], { env, timeoutMs: 300_000 });
      r = await run('apt-get', [...lock, 'install', '-y', '-qq', '--no-install-recommends', ...pkgs], { env, timeoutMs: 600_000 });
    }
    if (r.status !== 0) throw new ContainerError('SRP_CTR_COMMAND_FAILED', `apt-get install ${pkgs.join(' ')} exited ${r.status}:\n${r.stderr.trim().split('\n').slice(-10).join('\n')}`);
  } finally {
    if (ownPolicy) rmSync(policy, { force: true });
  }
}
