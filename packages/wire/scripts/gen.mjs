// Regenerates the static protobufjs code from proto/srp.proto.
//   node scripts/gen.mjs [outDir]      (default: src/generated)
// The output is committed; test/generated.test.ts regenerates into a temp dir and compares.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(process.argv[2] ?? join(pkgDir, 'src/generated'));
const require = createRequire(join(pkgDir, 'package.json'));
const cliDir = dirname(require.resolve('protobufjs-cli/package.json'));

mkdirSync(outDir, { recursive: true });
const js = join(outDir, 'srp.js');
const dts = join(outDir, 'srp.d.ts');
// Only encode/decode are used (the message layer maps to wire's own plain types), so the
// reflection helpers (create, verify, fromObject/toObject, delimited, typeUrl) are left out.
const pbjsArgs = [
  '-t', 'static-module', '-w', 'es6', '--es6',
  '--no-create', '--no-verify', '--no-convert', '--no-delimited', '--no-typeurl', '--no-service',
  '-o', js, 'proto/srp.proto',
];
execFileSync(process.execPath, [join(cliDir, 'bin/pbjs'), ...pbjsArgs], { cwd: pkgDir, stdio: 'inherit' });
execFileSync(process.execPath, [join(cliDir, 'bin/pbts'), '-o', dts, js], { cwd: pkgDir, stdio: 'inherit' });
