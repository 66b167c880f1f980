#!/usr/bin/env node
// npm run bench:readme [-- FILE...]: fills the bench markers of the READMEs (the root README and
// every packages/*/README.md by default) from the newest full results under results/.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../machine.js';
import { readResults, updateReadmes } from '../readme.js';
import { resultsDir } from '../result.js';

const root = repoRoot();
const args = process.argv.slice(2).filter((a) => a !== '--');
if (args.includes('--help') || args.includes('-h')) {
  console.log('usage: readme-tables [FILE...]   (default: README.md and packages/*/README.md; results from BENCH_RESULTS_DIR or results/)');
  process.exit(0);
}
const files =
  args.length > 0
    ? args
    : [join(root, 'README.md'), ...readdirSync(join(root, 'packages')).map((p) => join(root, 'packages', p, 'README.md'))].filter((f) => existsSync(f));
const { results, bad } = readResults(resultsDir());
for (const b of bad) console.error(`skipped ${b}`);
const { changed, missing } = updateReadmes(files, results);
for (const f of changed) console.log(`updated ${f}`);
for (const m of missing) console.error(`no full result of bench '${m}' under ${resultsDir()}: its tables were left as they are (run: npm run bench -- ${m})`);
if (changed.length === 0 && missing.length === 0) console.log('the README tables are up to date');
process.exitCode = missing.length > 0 ? 1 : 0;
