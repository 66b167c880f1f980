// The README's library example, read from the README and run as written: the ```ts block of
// "## As a library", with the package's own name resolved to its source (as its exports say).
// A `console.log(x); // value` line in it is a claim: x must equal that value.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect, it, vi } from 'vitest';

const PKG = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The code block of a README section, by the section's title. */
function readmeExample(title: string): string {
  const readme = readFileSync(join(PKG, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith(`${title}\n`));
  if (section === undefined) throw new Error(`README.md has no section "## ${title}"`);
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (code === undefined) throw new Error(`README.md section "## ${title}" has no \`\`\`ts block`);
  return code;
}

/** `@srp-ha/checkpoint[/sub]` imports pointed at the source files the package exports. */
function resolveOwnImports(code: string): string {
  const pkg = JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8')) as { name: string; exports: Record<string, Record<string, string>> };
  return code.replace(/(from\s+')([^']+)(')/g, (all, open: string, spec: string, close: string) => {
    if (spec !== pkg.name && !spec.startsWith(`${pkg.name}/`)) return all;
    const target = pkg.exports[`.${spec.slice(pkg.name.length)}`]?.['@srp/source'];
    if (target === undefined) throw new Error(`README imports ${spec}, which package.json does not export`);
    return `${open}${join(PKG, target)}${close}`;
  });
}

/** Each `console.log(x); // value` line also records x and the value it claims. */
function recordClaims(code: string): { code: string; claims: number } {
  let claims = 0;
  const out = code.replace(/^(\s*)console\.log\((.*)\);\s*\/\/\s*(.+)$/gm, (_all, indent: string, expr: string, claim: string) => {
    claims++;
    return `${indent}console.log(${expr});\n${indent}(globalThis as any).__readmeClaims.push({ line: ${JSON.stringify(expr)}, got: ${expr}, want: (${claim}) });`;
  });
  return { code: out, claims };
}

it('the README library example runs as written, and prints what its comments say', async () => {
  const { code, claims } = recordClaims(resolveOwnImports(readmeExample('As a library')));
  expect(claims).toBeGreaterThan(0);
  const dir = mkdtempSync(join(tmpdir(), 'checkpoint-readme-'));
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const said: { line: string; got: unknown; want: unknown }[] = [];
  (globalThis as { __readmeClaims?: unknown }).__readmeClaims = said;
  try {
    const file = join(dir, 'example.ts');
    writeFileSync(file, `${code}\nexport {};\n`);
    await import(pathToFileURL(file).href);
    expect(said).toHaveLength(claims);
    for (const c of said) expect(c.got, c.line).toEqual(c.want);
    // "The primary dies: the backup takes over with the same sessions."
    expect(log).toHaveBeenCalledWith('backup is now', 'active');
    const recovered = log.mock.calls.find((c) => c[0] === 'recovered');
    expect(recovered?.[1]).toBe(1);
  } finally {
    log.mockRestore();
    delete (globalThis as { __readmeClaims?: unknown }).__readmeClaims;
    rmSync(dir, { recursive: true, force: true });
  }
});
