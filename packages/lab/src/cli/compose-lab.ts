#!/usr/bin/env node
// `npm run compose-lab`: deploy/docker-compose.yml in a real container engine, up until Ctrl-C.
// The engine is DOCKER_HOST's (or the default socket's) when one answers, else a private dockerd
// started here (root); the images are pulled, or made locally when no registry answers
// (debootstrap, the host's Node, Debian's Prometheus). Ctrl-C removes everything it made.
import { appendFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LAB_TOKEN } from '../containers/compose.js';
import { startLab } from '../containers/lab.js';
import { ContainerError } from '../containers/run.js';
import { repoRoot } from '../pair.js';

const USAGE = `usage: compose-lab [--project NAME] [--any-ports] [--build-log FILE]

  Builds srp-ha's image from deploy/Dockerfile and runs srpd-primary, srpd-backup and
  Prometheus from deploy/docker-compose.yml until Ctrl-C (or SIGTERM), then removes the
  containers, networks, the images it made and the dockerd it started.
  --project NAME    docker-compose project name (default srpha: networks srpha_srp, srpha_mgmt)
  --any-ports       publish on free ports instead of 127.0.0.1:7801, :7802 and :9090
  --build-log FILE  write the image build's output there`;

async function main(): Promise<number> {
  let values;
  try {
    values = parseArgs({
      options: {
        project: { type: 'string' },
        'any-ports': { type: 'boolean', default: false },
        'build-log': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: false,
    }).values;
  } catch (err) {
    process.stderr.write(`compose-lab: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const project = values.project ?? 'srpha';
  if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(project)) {
    process.stderr.write(`compose-lab: --project must be lower-case letters, digits, _ or -, got "${project}"\n`);
    return 2;
  }
  const buildLog = values['build-log'] ? resolve(values['build-log']) : null;
  if (buildLog) writeFileSync(buildLog, '');
  const t0 = Date.now();
  const log = (line: string): void => void process.stderr.write(`[compose-lab ${((Date.now() - t0) / 1000).toFixed(1)}s] ${line}\n`);
  const run = await startLab({
    root: repoRoot(),
    project,
    log,
    ...(values['any-ports'] ? {} : { ports: [7801, 7802, 9090] as [number, number, number] }),
    ...(buildLog ? { buildOutput: (c: string) => appendFileSync(buildLog, c) } : {}),
  });
  const { lab, engine } = run;
  const p = lab.ports;
  process.stdout.write(
    [
      `compose lab up (${Object.entries(run.timings).map(([k, v]) => `${k} ${v} s`).join(', ')}); image ${(run.build.bytes / 1e6).toFixed(0)} MB`,
      `  export DOCKER_HOST=${engine.host}`,
      `  primary:    http://127.0.0.1:${p['srpd-primary']}/v1/srp/info`,
      `  backup:     http://127.0.0.1:${p['srpd-backup']}/v1/srp/info`,
      `  Prometheus: http://127.0.0.1:${p.prometheus}/ (alerts: /alerts)`,
      `  docker exec srpd-primary srpctl show srp info`,
      `  docker kill -s SIGKILL srpd-primary; docker start srpd-primary`,
      `  docker pause srpd-backup; docker unpause srpd-backup`,
      `  docker network disconnect ${lab.network('srp')} srpd-primary; docker network connect --ip 198.18.0.2 ${lab.network('srp')} srpd-primary`,
      `  mutating calls: -H 'authorization: Bearer ${LAB_TOKEN}'`,
      'Ctrl-C stops it.',
      '',
    ].join('\n'),
  );
  const keepAlive = setInterval(() => {}, 60_000);
  await new Promise<void>((r) => {
    process.once('SIGINT', () => r());
    process.once('SIGTERM', () => r());
  });
  clearInterval(keepAlive);
  log('stopping');
  const problems = await run.stop();
  for (const x of problems) log(`not undone: ${x}`);
  return problems.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const code = err instanceof ContainerError ? ` (${err.code})` : '';
    process.stderr.write(`compose-lab: ${(err as Error).message}${code}\n`);
    process.exit(1);
  },
);
