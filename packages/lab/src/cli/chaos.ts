#!/usr/bin/env node
// The chaos suite: `npm run chaos -- [--repeat N] [--scenario NAME ...] [--json FILE]`.
// Runs each scenario against a fresh pair of real srpd processes, prints one table row per run
// and writes the same as JSON. Exit status 1 when a run FAILs (an eligible session lost, the
// pair not ending with exactly one Active, a step that did not complete), 2 on bad arguments.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_OPTIONS, runScenario, type ChaosOptions } from '../chaos/harness.js';
import { formatTable, type ScenarioResult } from '../chaos/result.js';
import { findScenarios, SCENARIOS } from '../chaos/scenarios.js';
import { SESSIONS_NA } from '../chaos/sessions.js';
import { repoRoot, srpdPath } from '../pair.js';

const USAGE = `usage: chaos [--scenario NAME]... [--repeat N] [--json FILE] [--hello MS] [--dead MS]
             [--sessions N] [--switchovers N] [--strict] [--keep] [--quiet] [--list]

  --scenario NAME   run only these (repeat the flag or use commas); default: all
  --repeat N        run each scenario N times (default 1, at most 100)
  --json FILE       where to write the results (default results/chaos.json)
  --hello MS        hello-interval of the pair (default ${DEFAULT_OPTIONS.helloIntervalMs})
  --dead MS         dead-interval of the pair (default ${DEFAULT_OPTIONS.deadIntervalMs})
  --sessions N      sessions loaded before each fault when srpd has a session API (default ${DEFAULT_OPTIONS.sessions})
  --switchovers N   switchovers in switchover-storm (default ${DEFAULT_OPTIONS.switchovers})
  --strict          WARN counts as failure too
  --keep            keep configs and logs of every pair (their directory is printed)
  --quiet           only the table
  --list            list the scenarios and exit`;

function int(v: string | undefined, name: string, min: number, max: number, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    process.stderr.write(`chaos: --${name} must be an integer ${min}..${max}, got "${v}"\n${USAGE}\n`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        scenario: { type: 'string', multiple: true },
        repeat: { type: 'string' },
        json: { type: 'string' },
        hello: { type: 'string' },
        dead: { type: 'string' },
        sessions: { type: 'string' },
        switchovers: { type: 'string' },
        strict: { type: 'boolean', default: false },
        keep: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        list: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: false,
    }).values;
  } catch (err) {
    process.stderr.write(`chaos: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (args.list) {
    for (const s of SCENARIOS) process.stdout.write(`${s.name.padEnd(30)} ${s.summary}\n`);
    return 0;
  }
  let scenarios;
  try {
    scenarios = findScenarios((args.scenario ?? []).flatMap((s) => s.split(',')).filter((s) => s !== ''));
  } catch (err) {
    process.stderr.write(`chaos: ${(err as Error).message}\n`);
    return 2;
  }
  const repeat = int(args.repeat, 'repeat', 1, 100, 1);
  const hello = int(args.hello, 'hello', 10, 60_000, DEFAULT_OPTIONS.helloIntervalMs);
  const opts: ChaosOptions = {
    helloIntervalMs: hello,
    deadIntervalMs: int(args.dead, 'dead', 3 * hello, 300_000, Math.max(DEFAULT_OPTIONS.deadIntervalMs, 3 * hello)),
    sessions: int(args.sessions, 'sessions', 0, 1_000_000, DEFAULT_OPTIONS.sessions),
    switchovers: int(args.switchovers, 'switchovers', 1, 1000, DEFAULT_OPTIONS.switchovers),
    srpd: srpdPath(),
    keepDir: args.keep,
    log: args.quiet ? () => {} : (line) => process.stderr.write(line + '\n'),
  };
  const jsonPath = resolve(args.json ?? join(repoRoot(), 'results', 'chaos.json'));

  process.stderr.write(
    `chaos: ${scenarios.length} scenario(s) x ${repeat}, hello ${opts.helloIntervalMs} ms, dead ${opts.deadIntervalMs} ms, srpd ${opts.srpd}\n`,
  );
  const startedAt = new Date().toISOString();
  const results: ScenarioResult[] = [];
  for (let run = 1; run <= repeat; run++) {
    for (const s of scenarios) {
      const r = await runScenario(s, run, opts);
      results.push(r);
      if (!args.quiet) process.stderr.write(`  => ${r.verdict}${r.notes.length ? ': ' + r.notes.filter((n) => !n.startsWith('seen ')).join('; ') : ''}\n`);
    }
  }

  const counts = { PASS: 0, WARN: 0, FAIL: 0, SKIP: 0 };
  for (const r of results) counts[r.verdict]++;
  const sessionsNa = results.some((r) => r.sessionsNote === SESSIONS_NA);
  process.stdout.write('\n' + formatTable(results) + '\n\n');
  for (const r of results) {
    const notes = [
      ...(r.sessionsNote !== null && r.sessionsNote !== SESSIONS_NA ? [`sessions ${r.sessionsNote}`] : []),
      ...r.notes.filter((n) => !n.startsWith('seen ') && !n.includes('log tail')),
    ];
    if (notes.length > 0) process.stdout.write(`${r.scenario} #${r.run}: ${notes.join('; ')}\n`);
  }
  if (sessionsNa) process.stdout.write(`sessions: ${SESSIONS_NA}\n`);
  process.stdout.write(
    `\n${counts.PASS} passed, ${counts.WARN} warned, ${counts.FAIL} failed, ${counts.SKIP} skipped` +
      ` (takeover = fault to peer seen Active from outside; two Actives = ${results.some((r) => r.dualActiveSource === 'routing-domain') ? 'both advertising Active to the routing domain' : 'both seen Active at once by polling'})\n`,
  );

  mkdirSync(dirname(jsonPath), { recursive: true });
  writeFileSync(
    jsonPath,
    JSON.stringify(
      {
        startedAt,
        finishedAt: new Date().toISOString(),
        options: { helloIntervalMs: opts.helloIntervalMs, deadIntervalMs: opts.deadIntervalMs, sessions: opts.sessions, switchovers: opts.switchovers, repeat, srpd: opts.srpd },
        summary: counts,
        results,
      },
      null,
      2,
    ) + '\n',
  );
  process.stdout.write(`results: ${jsonPath}\n`);
  const failed = counts.FAIL > 0 || (args.strict && counts.WARN > 0);
  return failed ? 1 : 0;
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  // The pair module kills its children on exit.
  process.once(sig, () => {
    process.stderr.write(`chaos: ${sig}, stopping\n`);
    process.exit(130);
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`chaos: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
