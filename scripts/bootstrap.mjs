#!/usr/bin/env node
// Entry point of `npm test`, `npm run lab`, `npm run chaos`, `npm run compose-lab` and
// `npm run bench` on a machine that has only Node 20 and npm: it gets the pinned pnpm through
// corepack, installs the workspace, installs the Debian tools the tests use when it can (root +
// apt-get), builds, and runs the requested task. Everything it does is idempotent and cheap
// when already done.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const task = process.argv[2] ?? 'setup';
const rest = process.argv.slice(3);
const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager;

function say(msg) {
  process.stderr.write(`[srp-ha] ${msg}\n`);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts, env: { ...process.env, ...opts.env } });
  if (r.error) return { status: 127, error: r.error };
  return { status: r.status ?? 1 };
}

function quiet(cmd, args, env = {}) {
  return spawnSync(cmd, args, { cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

// --- pnpm -------------------------------------------------------------------------------
// corepack is the first choice. Some registry mirrors publish no corepack signatures; then
// the pinned version is still fetched from the npm registry, only without the key check.
// Without corepack at all, npm's own exec fetches the same pinned pnpm.
function findPnpm() {
  const base = { COREPACK_ENABLE_DOWNLOAD_PROMPT: '0', COREPACK_ENABLE_STRICT: '0' };
  const attempts = [
    { cmd: 'corepack', args: ['pnpm'], env: base },
    { cmd: 'corepack', args: ['pnpm'], env: { ...base, COREPACK_INTEGRITY_KEYS: '0' } },
    { cmd: 'npm', args: ['exec', '--yes', `--package=${pinned.split('+')[0]}`, '--', 'pnpm'], env: {} },
  ];
  for (const a of attempts) {
    const r = quiet(a.cmd, [...a.args, '--version'], a.env);
    if (r.status === 0) return a;
  }
  say('could not obtain pnpm through corepack or npm exec; is the npm registry reachable?');
  process.exit(1);
}

const pnpm = findPnpm();
function runPnpm(args, opts = {}) {
  return run(pnpm.cmd, [...pnpm.args, ...args], { ...opts, env: { ...pnpm.env, ...opts.env } });
}

function mustPnpm(args, what) {
  const r = runPnpm(args);
  if (r.status !== 0) {
    say(`${what} failed (exit ${r.status})`);
    process.exit(r.status || 1);
  }
}

// --- install ----------------------------------------------------------------------------
function needsInstall() {
  const marker = join(root, 'node_modules', '.modules.yaml');
  if (!existsSync(marker)) return true;
  const lock = join(root, 'pnpm-lock.yaml');
  return existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs;
}

if (needsInstall()) {
  say(`installing the workspace with ${pinned}`);
  mustPnpm(['install', '--frozen-lockfile', '--reporter=append-only'], 'pnpm install');
}

// --- Debian tools ---------------------------------------------------------------------------
// Tests that need protoc, promtool, prometheus, docker-compose, nft, ip, faketime, FreeRADIUS,
// freeDiameter (and openssl, for freeDiameter's certificate), etcd or redis-server (the
// replication bench's baseline) skip (or fail under CI=true) when the tool is absent; as root
// with apt-get we install them first.
const debianTools = {
  protoc: 'protobuf-compiler',
  promtool: 'prometheus',
  prometheus: 'prometheus',
  'docker-compose': 'docker-compose',
  nft: 'nftables',
  ip: 'iproute2',
  faketime: 'faketime',
  freeradius: 'freeradius',
  freeDiameterd: 'freediameterd',
  openssl: 'openssl',
  etcd: 'etcd-server',
  'redis-server': 'redis-server',
};

function have(cmd) {
  return quiet('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

function ensureDebianTools() {
  const missing = [...new Set(Object.entries(debianTools).filter(([cmd]) => !have(cmd)).map(([, pkg]) => pkg))];
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !have('apt-get')) {
    say(`not installing ${missing.join(', ')}: needs root and apt-get; the tests that use them will say so`);
    return;
  }
  say(`installing Debian packages: ${missing.join(', ')}`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const stamp = join(root, 'node_modules', '.apt-updated');
  if (!existsSync(stamp)) {
    if (run('apt-get', ['update', '-qq'], { env }).status === 0) {
      mkdirSync(dirname(stamp), { recursive: true });
      writeFileSync(stamp, new Date().toISOString());
    }
  }
  const r = run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) say(`apt-get install exited ${r.status}; the tests that need ${missing.join(', ')} will report it`);
  // The Debian prometheus and freeradius packages start system services; the tests run their own.
  if (missing.includes('prometheus') && have('systemctl')) quiet('systemctl', ['stop', 'prometheus', 'prometheus-node-exporter']);
  if (missing.includes('freeradius') && have('systemctl')) quiet('systemctl', ['stop', 'freeradius']);
  // So does etcd-server (on 2379); the witness tests start their own on kernel-chosen ports.
  if (missing.includes('etcd-server') && have('systemctl')) quiet('systemctl', ['stop', 'etcd']);
  // Likewise redis-server: the bench starts its own on ports of its own.
  if (missing.includes('redis-server') && have('systemctl')) quiet('systemctl', ['stop', 'redis-server']);
}

// --- tasks ----------------------------------------------------------------------------------
function build() {
  mustPnpm(['run', '--silent', 'build'], 'build (tsc -b)');
}

switch (task) {
  case 'setup':
    ensureDebianTools();
    build();
    break;
  case 'test': {
    ensureDebianTools();
    build();
    const r = run(process.execPath, [join(root, 'scripts', 'test-summary.mjs'), ...rest]);
    process.exit(r.status);
    break;
  }
  case 'lab':
  case 'chaos':
  case 'compose-lab': {
    build();
    const r = run(process.execPath, [join(root, 'packages', 'lab', 'dist', 'src', 'cli', `${task}.js`), ...rest]);
    process.exit(r.status);
    break;
  }
  case 'bench':
  case 'bench-readme': {
    if (task === 'bench') ensureDebianTools();
    build();
    const cli = task === 'bench' ? 'bench.js' : 'readme-tables.js';
    const r = run(process.execPath, [join(root, 'packages', 'bench', 'dist', 'src', 'cli', cli), ...rest]);
    process.exit(r.status);
    break;
  }
  default:
    say(`unknown task "${task}" (expected setup, test, lab, chaos, compose-lab, bench or bench-readme)`);
    process.exit(2);
}
