// What the tests need from the machine (Debian tools, a built dist/), and the one policy for
// what is missing: locally the tests skip and say why; under CI=true they fail.
import { spawnSync } from 'node:child_process';

export const CI = process.env.CI === 'true';

/** `cmd` is on the PATH. */
export function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/**
 * For describe.skipIf / it.skipIf: true (skip, with the reason printed) when `reason` says
 * something is missing; under CI=true false, so the tests run and fail (each starts with
 * `expect(reason).toBeNull()`, or fails on the missing tool itself).
 */
export function skipLocally(reason: string | null, what: string): boolean {
  if (reason === null) return false;
  if (CI) {
    console.warn(`${what}: ${reason}; CI=true, so they FAIL`);
    return false;
  }
  console.warn(`skipping ${what}: ${reason}; under CI=true they fail instead`);
  return true;
}

/**
 * Inside a test: skips it (the reason printed) and returns true when `reason` is set; under
 * CI=true throws instead.
 */
export function skipTestLocally(ctx: { skip: () => void }, reason: string | null, what: string): boolean {
  if (reason === null) return false;
  if (CI) throw new Error(`${what}: ${reason}; required under CI=true`);
  console.warn(`skipping ${what}: ${reason}; under CI=true it fails instead`);
  ctx.skip();
  return true;
}
