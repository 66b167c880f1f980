// srpctl as a real child process against a real management server with an in-test daemon.
// The CLI is run from src/ transpiled into a temp dir (so the test never runs a stale dist/);
// the bin launcher over dist/ is checked too when dist/ is fresh (npm test builds first).
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import ts from 'typescript';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SRPCTL_COMMANDS } from '../src/cli/commands.js';
import { commandName } from '../src/management/commands.js';
import { startManagementServer, type ManagementServer, type ManagementServerOptions } from '../src/management/server.js';
import { FakeDaemon } from './management-fake-daemon.js';
import { skipLocally } from './helpers/tools.js';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let workDir = '';
let cliPath = '';

/** Transpiles src/cli/srpctl.ts and the local modules it imports into a temp dir. */
function transpileCli(): string {
  workDir = mkdtempSync(join(tmpdir(), 'srpctl-test-'));
  writeFileSync(join(workDir, 'package.json'), '{"type":"module"}');
  symlinkSync(join(pkg, 'node_modules'), join(workDir, 'node_modules'), 'dir');
  const todo = [join(pkg, 'src/cli/srpctl.ts')];
  const done = new Set<string>();
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (done.has(file)) continue;
    done.add(file);
    const source = readFileSync(file, 'utf8');
    const out = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
      fileName: file,
    });
    const dest = join(workDir, relative(pkg, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, out.outputText);
    for (const m of out.outputText.matchAll(/(?:from|import)\s*['"](\.{1,2}\/[^'"]+)\.js['"]/g)) {
      todo.push(resolve(dirname(file), `${m[1]}.ts`));
    }
  }
  return join(workDir, 'src/cli/srpctl.js');
}

beforeAll(() => {
  cliPath = transpileCli();
});
afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

const servers: ManagementServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(opts: Partial<ManagementServerOptions> = {}): Promise<{ daemon: FakeDaemon; url: string }> {
  const daemon = new FakeDaemon();
  const server = await startManagementServer(daemon, { listen: '127.0.0.1:0', logger: pino({ level: 'silent' }), ...opts });
  servers.push(server);
  return { daemon, url: server.url };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function srpctl(args: string[], env: Record<string, string> = {}, script = cliPath): Promise<Run> {
  return new Promise((res) => {
    execFile(
      process.execPath,
      [script, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        res({ code, stdout, stderr });
      },
    );
  });
}

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

async function waitFor(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('srpctl usage', () => {
  it('--help lists every command and exits 0', async () => {
    const r = await srpctl(['--help']);
    expect(r.code).toBe(0);
    for (const c of SRPCTL_COMMANDS) expect(r.stdout).toContain(commandName(c));
    expect(r.stdout).toContain('srp initiate-switchover [force]');
  });

  it('exits 2 with a reason on usage errors', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /no command given/],
      [['show', 'srp', 'nonsense'], /unknown command "show srp nonsense"; did you mean: show srp info/],
      [['--bogus', 'show', 'srp', 'info'], /Unknown option '--bogus'/],
      [['srp', 'initiate-switchover', 'forse'], /unexpected "forse"/],
      [['events', '--count', 'x'], /--count must be a positive integer/],
      [['--api', 'ftp://x', 'show', 'srp', 'info'], /--api must be an http:\/\/ URL/],
    ];
    for (const [args, re] of cases) {
      const r = await srpctl(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(re);
    }
  });

  it('exits 3 with "cannot reach srpd at URL" when the API is down', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const r = await srpctl(['--api', url, 'show', 'srp', 'info']);
    expect(r.code).toBe(3);
    expect(r.stderr.trim()).toBe(`srpctl: cannot reach srpd at ${url}: ECONNREFUSED`);
    const ev = await srpctl(['events'], { SRPCTL_API: url });
    expect(ev.code).toBe(3);
    expect(ev.stderr).toContain(`cannot reach srpd at ${url}`);
  });
});

describe('srpctl show commands', () => {
  it('show srp info prints an aligned key-value block; --json prints the API JSON', async () => {
    const { daemon, url } = await start();
    const r = await srpctl(['--api', url, 'show', 'srp', 'info']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const state = lines.find((l) => l.startsWith('Chassis State:'))!;
    expect(state).toMatch(/^Chassis State:\s+Active$/);
    expect(lines.find((l) => l.startsWith('Chassis Mode:'))).toMatch(/Primary$/);
    expect(lines.find((l) => l.startsWith('Route-Modifier:'))).toMatch(/ 32$/);
    expect(lines.find((l) => l.startsWith('Peer State:'))).toMatch(/ Standby$/);
    expect(lines.find((l) => l.startsWith('Last Switchover:'))).toMatch(/ None$/);
    expect(lines.find((l) => l.startsWith('Uptime:'))).toMatch(/01h 02m 05s$/);
    const valueColumns = new Set(lines.filter((l) => /^[A-Z][^:]*:\s/.test(l)).map((l) => l.search(/:\s+\S/) + l.slice(l.indexOf(':') + 1).search(/\S/) + 1));
    expect(valueColumns.size).toBe(1);

    const j = await srpctl(['--api', url, '--json', 'show', 'srp', 'info']);
    expect(j.code).toBe(0);
    expect(JSON.parse(j.stdout)).toEqual(daemon.info());
  });

  it('show srp statistics (from SRPCTL_API)', async () => {
    const { url } = await start();
    const r = await srpctl(['show', 'srp', 'statistics'], { SRPCTL_API: url });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Hello Messages Sent:\s+10$/m);
    expect(r.stdout).toMatch(/^no-peer-at-start\s+1$/m);
    expect(r.stdout).toMatch(/^bad-mac\s+2$/m);
  });

  it('show support details bundles every show command', async () => {
    const { url } = await start();
    const r = await srpctl(['--api', url, 'show', 'support', 'details']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('========== show srp info ==========');
    expect(r.stdout).toContain('========== show srp statistics ==========');
    expect(r.stdout).toMatch(/Chassis State:\s+Active/);
    const j = await srpctl(['--api', url, '--json', 'show', 'support', 'details']);
    expect(Object.keys(JSON.parse(j.stdout) as object)).toEqual(['show srp info', 'show srp statistics']);
  });
});

describe('srpctl srp commands', () => {
  it('a refused switchover exits 1 with a one-line reason; force goes through', async () => {
    const { daemon, url } = await start();
    daemon.peerReady = false;
    const v = await srpctl(['--api', url, 'srp', 'validate-switchover']);
    expect(v.code).toBe(1);
    expect(v.stderr).toBe('srpctl: switchover would be refused: peer is not ready (bulk sync not complete)\n');
    const r = await srpctl(['--api', url, 'srp', 'initiate-switchover']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(daemon.state).toBe('Active');
    const f = await srpctl(['--api', url, '--json', 'srp', 'initiate-switchover', 'force']);
    expect(f.code).toBe(0);
    expect(JSON.parse(f.stdout)).toEqual({ accepted: true, reasons: [] });
    expect(daemon.state).toBe('Standby');
    expect(daemon.lastSwitchover?.reason).toBe('manual-force');
  });

  it('validate-configuration: 0 on match, 1 naming the differing keys on mismatch', async () => {
    const { daemon, url } = await start();
    const ok = await srpctl(['--api', url, 'srp', 'validate-configuration']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^Configuration:\s+Match$/m);
    daemon.peerConfig = { 'hello-interval': '3', 'dead-interval': '12' };
    const bad = await srpctl(['--api', url, 'srp', 'validate-configuration']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^Differing Keys:\s+dead-interval$/m);
    expect(bad.stderr).toBe('srpctl: configuration mismatch with peer: dead-interval\n');
  });

  it('sends the token from --token or SRPCTL_TOKEN; without it the call fails with exit 1', async () => {
    const { daemon, url } = await start({ token: 'tok-123' });
    const none = await srpctl(['--api', url, 'srp', 'initiate-switchover']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/srpd answered 401 SRP_ERR_UNAUTHORIZED: this call needs "Authorization: Bearer <token>"/);
    expect(daemon.state).toBe('Active');
    expect((await srpctl(['--api', url, 'srp', 'validate-configuration'], { SRPCTL_TOKEN: 'tok-123' })).code).toBe(0);
    expect((await srpctl(['--api', url, '--token', 'tok-123', 'srp', 'initiate-switchover'])).code).toBe(0);
    expect(daemon.state).toBe('Standby');
  });
});

describe('srpctl events', () => {
  it('prints one line per event and stops after --count', async () => {
    const { daemon, url } = await start();
    const run = srpctl(['--api', url, 'events', '--count', '2']);
    await waitFor(() => daemon.listenerCount() > 0, 'srpctl to subscribe');
    daemon.emit({ type: 'link', at: '2024-05-01T10:00:00.000Z', status: 'down', remote: '127.0.0.1:9101', cause: 'peer closed' });
    daemon.emit({ type: 'state-change', at: '2024-05-01T10:00:10.000Z', from: 'Standby', to: 'Pending-Active', cause: 'peer dead' });
    const r = await run;
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      '2024-05-01T10:00:00.000Z  link               status=down remote=127.0.0.1:9101  (peer closed)',
      '2024-05-01T10:00:10.000Z  state-change       Standby -> Pending-Active  (peer dead)',
    ]);
  });

  it('--json prints the raw events, --type filters them', async () => {
    const { daemon, url } = await start();
    const run = srpctl(['--api', url, '--json', 'events', '--count', '1', '--type', 'switchover']);
    await waitFor(() => daemon.listenerCount() > 0, 'srpctl to subscribe');
    daemon.emit({ type: 'link', at: '2024-05-01T10:00:00.000Z', status: 'down', remote: 'x', cause: 'c' });
    const ev = { type: 'switchover', at: '2024-05-01T10:00:01.000Z', reason: 'peer-dead', from: 'Standby', to: 'Active', cause: 'no hello' } as const;
    daemon.emit(ev);
    const r = await run;
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(ev);
  });

  it('exits 0 on Ctrl-C (SIGINT), and 1 when srpd closes the stream', async () => {
    const { daemon, url } = await start();
    const child = spawn(process.execPath, [cliPath, '--api', url, 'events'], { stdio: 'pipe' });
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    await waitFor(() => daemon.listenerCount() > 0, 'srpctl to subscribe');
    child.kill('SIGINT');
    expect(await exited).toBe(0);

    const run = srpctl(['--api', url, 'events']);
    await waitFor(() => daemon.listenerCount() > 0, 'srpctl to subscribe');
    await servers.pop()!.close();
    const r = await run;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/event stream closed by srpd after 0 events/);
  });
});

describe('bin/srpctl.js', () => {
  const dist = join(pkg, 'dist/src/cli/srpctl.js');
  const stale = !existsSync(dist)
    ? 'dist/ is not built (run tsc -b at the root)'
    : statSync(dist).mtimeMs < statSync(join(pkg, 'src/cli/srpctl.ts')).mtimeMs
      ? 'dist/src/cli/srpctl.js is older than src/cli/srpctl.ts (run tsc -b at the root)'
      : null;
  it.skipIf(skipLocally(stale, 'the built srpctl test'))('runs the built CLI (needs a fresh dist/: tsc -b)', async () => {
    expect(stale).toBeNull();
    const r = await srpctl(['--help'], {}, join(pkg, 'bin/srpctl.js'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('show srp info');
  });
});
