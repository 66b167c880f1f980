// The real AAA servers in tests: skipped locally with the reason when FreeRADIUS or freeDiameter
// cannot be had, a failure under CI=true.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeDiameterMissing, freeRadiusMissing } from '../../src/monitors/servers/index.js';
import { CI } from './tools.js';


/** Why the test cannot run (null: it can). Under CI=true it throws instead. */
export function aaaMissing(which: 'radius' | 'diameter'): string | null {
  const why = which === 'radius' ? freeRadiusMissing() : freeDiameterMissing();
  if (why !== null && CI) throw new Error(`${why}; required under CI=true`);
  if (why !== null) process.stderr.write(`[srp-daemon tests] skipping ${which} tests: ${why}\n`);
  return why;
}

export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A loopback address of its own for one server (127.0.0.0/8 is all loopback on Linux). */
let nextHost = 2 + Math.floor(Math.random() * 200);
export function loopbackAddress(): string {
  nextHost = nextHost >= 250 ? 2 : nextHost + 1;
  return `127.0.${10 + (process.pid % 200)}.${nextHost}`;
}
