#!/usr/bin/env node
// The chaos suite: `npm run chaos -- [--timers fast|default|slow] [--sessions N] [--repeat N]
// [--scenario NAME ...] [--json FILE] [--engine process|docker]`. Runs each scenario against a
// fresh pair of real srpd processes (or, with --engine docker, against the compose lab's
// containers), prints one table row per run and writes the same as JSON. Exit status 1 when a
// run FAILs, 2 on bad arguments.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DockerBackend } from '../containers/chaos-backend.js';
import { startLab, type LabRun } from '../containers/lab.js';
import { containerLabMissing } from '../containers/prereqs.js';
import { DEFAULT_OPTIONS, runScenario } from '../chaos/harness.js';
import { formatTable, lostLines, type ScenarioResult } from '../chaos/result.js';
import { findScenarios, scenarioTable, SCENARIOS } from '../chaos/registry.js';
import type { ChaosOptions } from '../chaos/scenario.js';
import { SESSIONS_NA } from '../chaos/sessions.js';
import { kernelLinkUnavailable } from '../chaos/setup.js';
import { isTimerName, TIMERS } from '../chaos/timers.js';
import { repoRoot, srpdPath } from '../pair.js';

const USAGE = `usage: chaos [--scenario NAME]... [--timers fast|default|slow] [--sessions N] [--repeat N]
             [--json FILE] [--hello MS] [--dead MS] [--switchovers N] [--short]
             [--link auto|kernel|proxy] [--engine process|docker] [--strict] [--keep] [--quiet]
             [--list [--markdown]]

  --scenario NAME   run only these (repeat the flag or use commas); default: all
  --timers NAME     hello/dead: fast ${TIMERS.fast.helloIntervalMs}/${TIMERS.fast.deadIntervalMs} ms, default ${TIMERS.default.helloIntervalMs}/${TIMERS.default.deadIntervalMs} ms, slow ${TIMERS.slow.helloIntervalMs}/${TIMERS.slow.deadIntervalMs} ms
  --hello MS        hello-interval (overrides --timers)
  --dead MS         dead-interval (overrides --timers; at least 3 x hello)
  --sessions N      sessions loaded before each fault (default ${DEFAULT_OPTIONS.sessions}; load-flap uses its own)
  --repeat N        run each scenario N times (default 1, at most 100)
  --switchovers N   switchovers in switchover-storm (default ${DEFAULT_OPTIONS.switchovers})
  --short           the short versions (slow-host 5 s at 2k/s, load-flap 20k sessions, 2 restarts)
  --link MODE       where link faults happen: kernel (netns + nftables, root), proxy (user
                    space), auto (kernel when it can; default)
  --engine NAME     process: a fresh pair of srpd child processes per run (default);
                    docker: the compose lab (deploy/docker-compose.yml) in a container
                    engine, started here and removed at the end (root, docker.io,
                    docker-compose, debootstrap); only the scenarios marked for it, at the
                    lab's timers (deploy/config: hello 1 s, dead 3 s; no --timers, --hello,
                    --dead, --link)
  --json FILE       where to write the results (default results/chaos.json)
  --strict          WARN counts as failure too
  --keep            keep configs and logs of every pair (their directory is printed)
  --quiet           only the table
  --list            list the scenarios (what each injects and judges) and exit
                    (--list --markdown: as the README's table)`;

function fail(msg: string): never {
  process.stderr.write(`chaos: ${msg}\n${USAGE}\n`);
  process.exit(2);
}

function int(v: string | undefined, name: string, min: number, max: number, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) fail(`--${name} must be an integer ${min}..${max}, got "${v}"`);
  return n;
}

function parse() {
  try {
    return parseArgs({ options: OPTIONS, allowPositionals: false }).values;
  } catch (err) {
    return fail((err as Error).message);
  }
}

const OPTIONS = {
  scenario: { type: 'string', multiple: true },
  repeat: { type: 'string' },
  json: { type: 'string' },
  timers: { type: 'string' },
  hello: { type: 'string' },
  dead: { type: 'string' },
  sessions: { type: 'string' },
  switchovers: { type: 'string' },
  link: { type: 'string' },
  engine: { type: 'string' },
  short: { type: 'boolean', default: false },
  strict: { type: 'boolean', default: false },
  keep: { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
  list: { type: 'boolean', default: false },
  markdown: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function report(results: ScenarioResult[]): void {
  process.stdout.write('\n' + formatTable(results) + '\n\n');
  for (const r of results) {
    const notes = [
      ...(r.sessionsNote !== null && r.sessionsNote !== SESSIONS_NA ? [`sessions ${r.sessionsNote}`] : []),
      ...(r.acked ? [`acknowledged writes: ${r.acked.checked} checked on ${r.acked.sessions} sessions, ${r.acked.lostCount} lost, call loss ${r.acked.callLossSessions} young sessions (${r.acked.callLossWrites} writes), ${r.acked.unacked} unacknowledged`] : []),
      ...lostLines(r),
      ...(r.conflicts ? [`conflicts: ${r.conflicts.written} sessions written on both sides, ${r.conflicts.counted ?? 'n/a (the daemons count none)'} counted by the daemons`] : []),
      ...(r.protectBoundMs !== null && r.verdict !== 'SKIP' ? [`protected again: ${r.protectedMs === null ? 'no' : `${r.protectedMs} ms`} (bound ${r.protectBoundMs} ms)`] : []),
      ...r.notes.filter((n) => !n.startsWith('seen ') && !n.includes('log tail')),
    ];
    if (notes.length > 0) process.stdout.write(`${r.scenario} #${r.run}: ${notes.join('; ')}\n`);
  }
  if (results.some((r) => r.sessionsNote === SESSIONS_NA)) process.stdout.write(`sessions: ${SESSIONS_NA}\n`);
  for (const label of new Set(results.map((r) => r.linkLabel).filter((l): l is string => l !== null))) process.stdout.write(`link faults: ${label}\n`);
}

async function main(): Promise<number> {
  const args = parse();
  if (args.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (args.list && args.markdown) {
    process.stdout.write(scenarioTable() + '\n');
    return 0;
  }
  if (args.list) {
    for (const s of SCENARIOS) {
      process.stdout.write(`${s.name.padEnd(30)} injects: ${s.summary}\n${''.padEnd(30)} judges: ${s.judges}\n`);
      if (s.containers !== undefined) process.stdout.write(`${''.padEnd(30)} --engine docker: ${s.containers}\n`);
    }
    return 0;
  }
  const engine = args.engine ?? 'process';
  if (engine !== 'process' && engine !== 'docker') fail(`--engine must be process or docker, got "${engine}"`);
  if (engine === 'docker') {
    const fixed = (['timers', 'hello', 'dead', 'link'] as const).filter((k) => args[k] !== undefined);
    if (fixed.length > 0) fail(`--${fixed.join(', --')} ${fixed.length > 1 ? 'do' : 'does'} not apply to --engine docker: the compose lab's timers are deploy/config's and its link faults are the engine's network commands`);
  }
  let scenarios;
  try {
    const named = (args.scenario ?? []).flatMap((s) => s.split(',')).filter((s) => s !== '');
    scenarios = findScenarios(named);
    if (engine === 'docker' && named.length === 0) scenarios = scenarios.filter((s) => s.containers !== undefined);
  } catch (err) {
    return fail((err as Error).message);
  }
  const timerName = args.timers ?? 'default';
  if (!isTimerName(timerName)) fail(`--timers must be fast, default or slow, got "${timerName}"`);
  const link = args.link ?? 'auto';
  if (link !== 'auto' && link !== 'kernel' && link !== 'proxy') fail(`--link must be auto, kernel or proxy, got "${link}"`);
  if (link === 'kernel' && kernelLinkUnavailable() !== null) fail(`--link kernel: ${kernelLinkUnavailable()}`);
  const preset = TIMERS[timerName];
  const repeat = int(args.repeat, 'repeat', 1, 100, 1);
  const hello = int(args.hello, 'hello', 10, 60_000, preset.helloIntervalMs);
  const opts: ChaosOptions = {
    timers: timerName,
    helloIntervalMs: hello,
    deadIntervalMs: int(args.dead, 'dead', 3 * hello, 300_000, Math.max(preset.deadIntervalMs, 3 * hello)),
    sessions: int(args.sessions, 'sessions', 0, 1_000_000, DEFAULT_OPTIONS.sessions),
    switchovers: int(args.switchovers, 'switchovers', 1, 1000, DEFAULT_OPTIONS.switchovers),
    short: args.short,
    link,
    srpd: srpdPath(),
    keepDir: args.keep,
    log: args.quiet ? () => {} : (line: string) => process.stderr.write(line + '\n'),
  };
  const jsonPath = resolve(args.json ?? join(repoRoot(), 'results', 'chaos.json'));
  if (engine === 'docker') {
    const missingTools = containerLabMissing();
    if (missingTools !== null) {
      process.stderr.write(`chaos: --engine docker: ${missingTools}\n`);
      return 1;
    }
    const t0 = Date.now();
    docker = await startLab({ root: repoRoot(), project: 'srphachaos', log: (l) => opts.log(`[compose lab ${((Date.now() - t0) / 1000).toFixed(0)}s] ${l}`) });
    const backend = new DockerBackend(docker.lab, repoRoot());
    Object.assign(opts, { backend, ...backend.timers });
    process.stderr.write(
      `chaos: ${scenarios.length} scenario(s) x ${repeat} against the compose lab (${Object.entries(docker.timings).map(([k, v]) => `${k} ${v} s`).join(', ')}; image ${docker.build.ref}), ` +
        `timers of deploy/config (hello ${opts.helloIntervalMs} ms, dead ${opts.deadIntervalMs} ms), ${opts.sessions} sessions, link faults by ${backend.driver.link.label}\n`,
    );
  }
  const why = kernelLinkUnavailable();
  if (engine === 'process') {
    process.stderr.write(
      `chaos: ${scenarios.length} scenario(s) x ${repeat}, timers ${timerName} (hello ${opts.helloIntervalMs} ms, dead ${opts.deadIntervalMs} ms), ` +
        `${opts.sessions} sessions${opts.short ? ', short versions' : ''}, link faults ${link === 'proxy' || why !== null ? `by the user-space proxy${why !== null && link === 'auto' ? ` (${why})` : ''}` : 'in the kernel'}, srpd ${opts.srpd}\n`,
    );
  }
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
  report(results);
  process.stdout.write(
    `\n${counts.PASS} passed, ${counts.WARN} warned, ${counts.FAIL} failed, ${counts.SKIP} skipped` +
      ` (takeover = fault to peer seen Active from outside; acked lost = acknowledged writes the final Active does not hold, of those checked; call loss = young sessions that lost writes;` +
      ` two Actives = ${results.some((r) => r.dualActiveSource === 'routing-domain') ? 'both advertising Active to the routing domain' : 'both seen Active at once by polling'}; protected again = end of the fault to one Active + ready Standby + equal digests)\n`,
  );
  mkdirSync(dirname(jsonPath), { recursive: true });
  const options = { ...opts, log: undefined, backend: undefined, engine, repeat, ...(engine === 'docker' ? { timers: 'deploy/config', link: 'engine' } : {}) };
  writeFileSync(jsonPath, JSON.stringify({ startedAt, finishedAt: new Date().toISOString(), options, summary: counts, results }, null, 2) + '\n');
  process.stdout.write(`results: ${jsonPath}\n`);
  return counts.FAIL > 0 || (args.strict && counts.WARN > 0) ? 1 : 0;
}

/** The compose lab of --engine docker, while it is up. */
let docker: LabRun | null = null;

/** Takes the compose lab down (if one is up); says what could not be undone. */
async function stopDocker(): Promise<void> {
  const run = docker;
  docker = null;
  if (!run) return;
  process.stderr.write('chaos: removing the compose lab\n');
  for (const p of await run.stop()) process.stderr.write(`chaos: not undone: ${p}\n`);
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  // The pair module kills its children on exit; the compose lab is taken down first.
  process.once(sig, () => {
    process.stderr.write(`chaos: ${sig}, stopping\n`);
    void stopDocker().finally(() => process.exit(130));
  });
}

main().then(
  async (code) => {
    await stopDocker();
    process.exit(code);
  },
  async (err: unknown) => {
    process.stderr.write(`chaos: ${(err as Error).stack ?? String(err)}\n`);
    await stopDocker();
    process.exit(1);
  },
);
