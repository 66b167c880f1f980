// Typed reads of one YAML mapping for config sections, each problem reported with its full key
// (`monitor.authentication-probe.servers.aaa1.port: ...`). Used by the sections that validate
// themselves (monitoring.ts); `unknownKeyReason` is the "did you mean" of every section.
import { accessSync, constants, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { formatDuration, parseDuration } from '@srp-ha/common';

/** Reports one problem: the full key and why. */
export type Fail = (key: string, reason: string) => void;

export interface Issue {
  key: string;
  reason: string;
}

export function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A path from the config, relative to the config file's directory unless absolute. */
export function resolvePath(baseDir: string, p: string): string {
  return isAbsolute(p) ? p : resolve(baseDir, p);
}

/** The file exists and may be executed by this process. */
export function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] ?? 0;
      prev[j] = Math.min(up + 1, (prev[j - 1] ?? 0) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length] ?? 0;
}

/** `unknown key`, with the nearest known key (at most two edits away) as a hint. */
export function unknownKeyReason(key: string, known: readonly string[]): string {
  const close = known.filter((k) => editDistance(k, key) <= 2);
  return close.length > 0 ? `unknown key (did you mean '${close[0]}'?)` : 'unknown key';
}

export class Fields {
  constructor(
    readonly prefix: string,
    readonly raw: Record<string, unknown>,
    readonly issues: Issue[],
    readonly baseDir: string,
  ) {}

  key(k: string): string {
    return this.prefix ? `${this.prefix}.${k}` : k;
  }

  fail(k: string, reason: string): void {
    this.issues.push({ key: this.key(k), reason });
  }

  has(k: string): boolean {
    return this.raw[k] !== undefined && this.raw[k] !== null;
  }

  /** Refuses keys outside `known` (with the nearest known key as a hint). */
  only(known: readonly string[]): void {
    for (const k of Object.keys(this.raw)) {
      if (known.includes(k)) continue;
      const near = known.find((x) => x.startsWith(k.slice(0, 3)) || k.startsWith(x.slice(0, 3)));
      this.fail(k, `unknown key${near ? ` (did you mean '${near}'?)` : ''}; known: ${known.join(', ')}`);
    }
  }

  /** A nested mapping (null when absent or not a mapping; the latter is reported). */
  section(k: string): Fields | null {
    const v = this.raw[k];
    if (v === undefined || v === null) return null;
    if (!isMapping(v)) {
      this.fail(k, 'must be a mapping');
      return null;
    }
    return new Fields(this.key(k), v, this.issues, this.baseDir);
  }

  string(k: string, fallback: string | null, pattern?: RegExp, what?: string): string | null {
    const v = this.raw[k];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'string' && typeof v !== 'number') {
      this.fail(k, 'must be a string');
      return fallback;
    }
    const s = String(v);
    if (s === '' || (pattern && !pattern.test(s))) {
      this.fail(k, `must be ${what ?? 'a non-empty string'}, got ${JSON.stringify(v)}`);
      return fallback;
    }
    return s;
  }

  int(k: string, fallback: number, min: number, max: number): number {
    const v = this.raw[k];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.fail(k, `must be an integer ${min}..${max}, got ${JSON.stringify(v)}`);
      return fallback;
    }
    return v;
  }

  durationMs(k: string, fallback: number, minMs: number, maxMs: number): number {
    const v = this.raw[k];
    if (v === undefined || v === null) return fallback;
    const ms = parseDuration(v);
    if (typeof ms === 'string') {
      this.fail(k, ms);
      return fallback;
    }
    if (ms < minMs || ms > maxMs) {
      this.fail(k, `must be between ${formatDuration(minMs)} and ${formatDuration(maxMs)}, got ${formatDuration(ms)}`);
      return fallback;
    }
    return ms;
  }

  path(k: string): string | null {
    const p = this.string(k, null);
    return p === null ? null : resolvePath(this.baseDir, p);
  }

  /** The trimmed content of the file named by key `k`; reported when it cannot be read or is empty. */
  fileText(k: string): string | null {
    const path = this.path(k);
    if (path === null) return null;
    try {
      const text = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
      if (text === '') {
        this.fail(k, `${path} is empty`);
        return null;
      }
      return text;
    } catch (err) {
      this.fail(k, `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      return null;
    }
  }

  /**
   * A secret in a file named by `k-file`, or (when `inlineAllowed`) inline as `k`; one of them
   * is required when `required`.
   */
  secret(k: string, required: boolean, inlineAllowed = true): string | null {
    const inline = this.has(k);
    if (inline && !inlineAllowed) {
      this.fail(k, `not allowed inline: put it in a file and give ${k}-file`);
      return null;
    }
    const file = this.has(`${k}-file`);
    if (inline && file) {
      this.fail(k, `give ${k} or ${k}-file, not both`);
      return null;
    }
    if (file) return this.fileText(`${k}-file`);
    if (inline) return this.string(k, null);
    if (required) this.fail(`${k}-file`, `missing (required${inlineAllowed ? `: ${k}-file or ${k}` : ''})`);
    return null;
  }
}
