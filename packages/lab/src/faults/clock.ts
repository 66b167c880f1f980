// Wall-clock steps for srpd children, with libfaketime (Debian package `faketime`): each node
// is started with LD_PRELOAD=libfaketime.so.1 and its own timestamp file, read on every call
// (FAKETIME_NO_CACHE=1), holding an offset from real time ("+0", "+3600", "-3600"). Writing the
// file steps that node's wall clock at once. FAKETIME_DONT_FAKE_MONOTONIC=1 leaves
// CLOCK_MONOTONIC alone, so only the wall clock steps, as an NTP step or an operator's `date -s`
// would. The file is replaced atomically (write, then rename), so no read sees half of it.
import { existsSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The libfaketime shared object, or null when it is not installed. */
export function libfaketimePath(): string | null {
  const env = process.env.SRP_LAB_LIBFAKETIME;
  if (env !== undefined) return existsSync(env) ? env : null;
  const roots = ['/usr/lib', '/usr/local/lib'];
  for (const root of roots) {
    const direct = join(root, 'faketime', 'libfaketime.so.1');
    if (existsSync(direct)) return direct;
    let subdirs: string[] = [];
    try {
      subdirs = readdirSync(root);
    } catch {
      continue;
    }
    for (const d of subdirs) {
      const p = join(root, d, 'faketime', 'libfaketime.so.1');
      if (existsSync(p)) return p;
    }
  }
  return null;
}

export const FAKETIME_MISSING = 'libfaketime is not installed (Debian: apt-get install faketime)';

/** Renders an offset for libfaketime: seconds with a sign ("+3600", "-0.5"). */
export function faketimeOffset(offsetMs: number): string {
  const s = offsetMs / 1000;
  const text = Number.isInteger(s) ? String(Math.abs(s)) : Math.abs(s).toFixed(3);
  return `${s < 0 ? '-' : '+'}${text}`;
}

export class FakeClocks {
  constructor(
    private readonly dir: string,
    readonly lib: string,
  ) {}

  fileOf(node: string): string {
    return join(this.dir, `${node}.faketime`);
  }

  /** The environment a node starts with; its clock starts at real time. */
  envFor(node: string): Record<string, string> {
    const file = this.fileOf(node);
    if (!existsSync(file)) this.write(node, 0);
    return {
      LD_PRELOAD: this.lib,
      FAKETIME_TIMESTAMP_FILE: file,
      FAKETIME_NO_CACHE: '1',
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
    };
  }

  /** Steps `node`'s wall clock to real time + `offsetMs`. */
  step(node: string, offsetMs: number): void {
    this.write(node, offsetMs);
  }

  private write(node: string, offsetMs: number): void {
    const file = this.fileOf(node);
    writeFileSync(`${file}.tmp`, `${faketimeOffset(offsetMs)}\n`);
    renameSync(`${file}.tmp`, file);
  }
}
