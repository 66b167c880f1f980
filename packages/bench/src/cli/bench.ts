#!/usr/bin/env node
// npm run bench [-- NAME... --short --hog --data realistic|sequential --KEY VALUE...]
// Runs the named benches (all of them by default), each writing its JSON under results/.
import { parseArgs } from 'node:util';
import { parseDataShape, runBench, type BenchOptions } from '../bench.js';
import { BENCHES } from '../benches/index.js';

const USAGE = `usage: bench [NAME...] [--short] [--hog] [--data realistic|sequential] [--KEY VALUE...]
  NAME          ${BENCHES.map((b) => b.name).join(', ')} (default: all, in this order)
  --short       small N: each bench in seconds (what the test runs)
  --hog         run each bench twice: alone, then beside one busy process per core
  --data SHAPE  realistic (default: random IMSIs, 15-24 character ids, IPv4/IPv6, 3-8
                attributes, moving counters) or sequential (the first benches' shape)
  --KEY VALUE   a bench's own setting (each bench's README entry lists them), e.g.
                --sessions 1000000 --seconds 8 --rates 50000,100000 --codecs zlib,lz4
benches:
${BENCHES.map((b) => `  ${b.name.padEnd(12)}${b.summary}\n${' '.repeat(14)}settings: ${b.settings.map((k) => `--${k}`).join(' ')}`).join('\n')}`;

function parse(argv: string[]): { names: string[]; opts: BenchOptions } {
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  const { values, positionals, tokens } = parseArgs({
    args,
    strict: false,
    allowPositionals: true,
    tokens: true,
    options: { short: { type: 'boolean' }, hog: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, data: { type: 'string' } },
  });
  if (values.help === true) {
    console.log(USAGE);
    process.exit(0);
  }
  // Bench settings: --key value (or --key=value) pairs other than the common flags.
  const settings: Record<string, string | undefined> = {};
  const names: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t) continue;
    if (t.kind === 'positional') {
      const prev = tokens[i - 1];
      if (prev?.kind === 'option' && !['short', 'hog', 'help', 'data'].includes(prev.name) && prev.value === undefined) settings[prev.name] = t.value;
      else names.push(t.value);
    } else if (t.kind === 'option' && !['short', 'hog', 'help', 'data', 'h'].includes(t.name)) {
      settings[t.name] = t.value;
    }
  }
  void positionals;
  for (const n of names) if (!BENCHES.some((b) => b.name === n)) throw new Error(`unknown bench '${n}' (known: ${BENCHES.map((b) => b.name).join(', ')})`);
  return {
    names,
    opts: { short: values.short === true, hog: values.hog === true, data: parseDataShape(typeof values.data === 'string' ? values.data : undefined), values: settings },
  };
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { names, opts } = parsed;
  const chosen = BENCHES.filter((b) => names.length === 0 || names.includes(b.name));
  const unknown = Object.keys(opts.values).filter((k) => !chosen.some((b) => b.settings.includes(k)));
  if (unknown.length > 0) {
    console.error(`unknown setting(s) for ${chosen.map((b) => b.name).join(', ')}: ${unknown.map((k) => `--${k}`).join(', ')}\n\n${USAGE}`);
    return 2;
  }
  // Every bench's settings are checked before any runs: a typo fails at once, not an hour in.
  for (const b of chosen) {
    try {
      b.params(opts);
    } catch (err) {
      console.error(`${b.name}: ${(err as Error).message}`);
      return 2;
    }
  }
  const command = `bench ${process.argv.slice(2).join(' ')}`.trim();
  let failed = 0;
  for (const b of chosen) {
    console.log(`\n######## ${b.name}: ${b.summary}`);
    try {
      await runBench(b, opts, command);
    } catch (err) {
      failed++;
      console.error(`${b.name} failed: ${(err as Error).stack ?? String(err)}`);
    }
  }
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
