// Where and when a figure was taken: the commit, the machine, the load average. Every result
// file carries these, so a figure is never read without its conditions.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
}

export interface Commit {
  /** Short hash of HEAD, or null outside a git checkout. */
  hash: string | null;
  /** Uncommitted changes to tracked files were present. */
  dirty: boolean;
}

/** The load average as `os.loadavg()` gives it: 1, 5 and 15 minutes, two decimals. */
export type LoadAverage = [number, number, number];

export function machine(): Machine {
  const c = cpus();
  return {
    cpu: c[0]?.model.trim() ?? 'unknown CPU',
    cores: c.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}/${process.arch}`,
  };
}

export function load(): LoadAverage {
  const [a, b, c] = loadavg();
  const r = (n: number | undefined): number => Math.round((n ?? 0) * 100) / 100;
  return [r(a), r(b), r(c)];
}

/** The repository root: the directory holding pnpm-workspace.yaml above this file. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    dir = dirname(dir);
  }
  throw new Error(`cannot find the repository root (pnpm-workspace.yaml) above ${fileURLToPath(import.meta.url)}`);
}

export function commit(root = repoRoot()): Commit {
  const git = (...args: string[]): string | null => {
    try {
      return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return null;
    }
  };
  const hash = git('rev-parse', '--short', 'HEAD');
  const status = git('status', '--porcelain', '--untracked-files=no');
  return { hash, dirty: status !== null && status !== '' };
}
