#!/usr/bin/env node
// Runs the whole vitest suite and ends with one plain summary line:
//   tests: N passed, N failed, N skipped
// so that the last thing a CI log shows is the verdict.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'node_modules', '.srp-test');
mkdirSync(outDir, { recursive: true });
const jsonFile = join(outDir, 'results.json');
rmSync(jsonFile, { force: true });

const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const r = spawnSync(
  process.execPath,
  [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${jsonFile}`, ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(jsonFile)) {
  const res = JSON.parse(readFileSync(jsonFile, 'utf8'));
  passed = res.numPassedTests ?? 0;
  failed = (res.numFailedTests ?? 0) + (res.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0).length;
  skipped = (res.numPendingTests ?? 0) + (res.numTodoTests ?? 0);
} else {
  failed = 1;
}
const status = r.status === 0 && failed === 0 ? 0 : r.status || 1;
process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(status);
