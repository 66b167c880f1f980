// Shared by the lab's tests: tools and builds they need, with an honest skip (or, under
// CI=true, a failure) when something is missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, srpdPath } from '../src/pair.js';

export const root = repoRoot();
export const CI = process.env.CI === 'true';

export function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/**
 * null when everything is there; else the reason. Under CI=true a missing prerequisite is a
 * failure, so callers turn the reason into a failing test instead of a skip.
 */
export function missing(tools: string[], files: string[] = []): string | null {
  const t = tools.filter((x) => !have(x));
  const f = files.filter((x) => !existsSync(x));
  if (t.length === 0 && f.length === 0) return null;
  const parts = [];
  if (t.length) parts.push(`missing tool(s): ${t.join(', ')}`);
  if (f.length) parts.push(`not built: ${f.map((x) => x.replace(root + '/', '')).join(', ')} (run tsc -b at the root)`);
  return parts.join('; ');
}

/** For describe.skipIf: skip locally with a printed reason; never under CI. */
export function skipReason(reason: string | null, what: string): boolean {
  if (reason === null) return false;
  if (CI) return false;
  process.stderr.write(`[lab tests] skipping ${what}: ${reason}\n`);
  return true;
}

export const SRPD = srpdPath();
export const LAB_CLI = join(root, 'packages', 'lab', 'dist', 'src', 'cli', 'lab.js');
