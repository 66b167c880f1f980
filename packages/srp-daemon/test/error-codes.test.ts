// The README's table of error-code namespaces against the code: every code string in any
// package's src is listed in exactly one row, under the package that owns it (every other
// package using the code depends on that one: two packages that do not depend on each other
// cannot mean the same thing by one code), no row lists a code that no longer exists, and no
// row's codes fall in another row's narrower namespace.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const PACKAGES = join(ROOT, 'packages');
/** A code string literal: SRP_... or HW_..., in quotes or backticks. */
const CODE_LITERAL = /['"`]((?:SRP|HW)_[A-Z0-9_]+)['"`]/g;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'generated' && e.name !== 'node_modules') out.push(...sourceFiles(p));
    } else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

interface Pkg {
  name: string;
  deps: Set<string>;
}

function packages(): Pkg[] {
  return readdirSync(PACKAGES, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => {
      const json = JSON.parse(readFileSync(join(PACKAGES, e.name, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
      const deps = Object.keys({ ...json.dependencies, ...json.devDependencies })
        .filter((d) => d.startsWith('@srp-ha/'))
        .map((d) => d.slice('@srp-ha/'.length));
      return { name: e.name, deps: new Set(deps) };
    });
}

/** code -> the packages whose src holds it (and one file of each, for messages). */
function codesInSource(pkgs: readonly Pkg[]): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const p of pkgs) {
    let files: string[];
    try {
      files = sourceFiles(join(PACKAGES, p.name, 'src'));
    } catch {
      continue; // a package without src
    }
    for (const f of files) {
      for (const m of readFileSync(f, 'utf8').matchAll(CODE_LITERAL)) {
        const users = out.get(m[1]) ?? new Map<string, string>();
        if (!users.has(p.name)) users.set(p.name, f.slice(ROOT.length + 1));
        out.set(m[1], users);
      }
    }
  }
  return out;
}

interface Row {
  line: string;
  /** The namespace's prefix (`SRP_ERR_CHECKPOINT_` for `SRP_ERR_CHECKPOINT_*`). */
  prefix: string;
  pkg: string;
  codes: string[];
}

/** The rows of the README's "## Error codes" table. */
function readmeRows(): Row[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Error codes\n'));
  if (section === undefined) throw new Error('README.md has no section "## Error codes"');
  const rows: Row[] = [];
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    // | namespace | family | package | error class | codes |
    if (cells.length < 7 || !cells[1].startsWith('`')) continue;
    const prefix = /^`([A-Z_]+)\*`/.exec(cells[1])?.[1];
    const pkg = /^`@srp-ha\/([a-z-]+)`/.exec(cells[3])?.[1];
    if (prefix === undefined || pkg === undefined) throw new Error(`README error-code row not understood: ${line}`);
    const codes = [...cells[5].matchAll(/`([A-Z0-9_]+)`/g)].map((m) => prefix + m[1]);
    rows.push({ line, prefix, pkg, codes });
  }
  return rows;
}

describe('error codes: one table of namespaces in the README, no code owned twice', () => {
  const pkgs = packages();
  const used = codesInSource(pkgs);
  const rows = readmeRows();
  const byName = new Map(pkgs.map((p) => [p.name, p]));

  it('finds the codes of every family it checks', () => {
    for (const code of ['SRP_ERR_BAD_MAC', 'SRP_ERR_CHECKPOINT_BAD_PAYLOAD', 'HW_ERR_BAD_MAC', 'SRP_ERR_FENCED', 'SRP_ERR_CONFIG', 'SRP_LAB_SKIP']) {
      expect(used.has(code), code).toBe(true);
    }
    expect(rows.length).toBeGreaterThanOrEqual(8);
  });

  it('lists every code of the source in exactly one row, under the package that owns it', () => {
    const problems: string[] = [];
    for (const [code, users] of used) {
      const where = [...users].map(([p, f]) => `${p} (${f})`).join(', ');
      const inRows = rows.filter((r) => r.codes.includes(code));
      if (inRows.length !== 1) {
        problems.push(`${code}: in ${inRows.length} rows of the README table (used by ${where})`);
        continue;
      }
      const owner = inRows[0].pkg;
      if (!users.has(owner)) problems.push(`${code}: the README says ${owner}, which does not use it (used by ${where})`);
      for (const p of users.keys()) {
        if (p !== owner && !byName.get(p)?.deps.has(owner)) {
          problems.push(`${code}: used by ${p} and ${owner}, and ${p} does not depend on ${owner}: two meanings of one code (${where})`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('lists no code that the source does not have, and no code twice', () => {
    const listed = rows.flatMap((r) => r.codes);
    expect(listed.filter((c) => !used.has(c))).toEqual([]);
    expect(listed.filter((c, i) => listed.indexOf(c) !== i)).toEqual([]);
  });

  it('keeps each row inside its namespace: no code falls in another row\'s narrower one', () => {
    const problems: string[] = [];
    for (const r of rows) {
      for (const code of r.codes) {
        for (const o of rows) {
          if (o.prefix.length > r.prefix.length && code.startsWith(o.prefix)) problems.push(`${code} (${r.pkg}, ${r.prefix}*) is in ${o.prefix}* (${o.pkg})`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
