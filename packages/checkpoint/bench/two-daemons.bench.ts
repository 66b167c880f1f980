/**
 * Two real srpd processes on 127.0.0.1 (real TCP, encoding, compression, HMAC), driven through
 * the session API: the figures of issue 4. Prints; asserts nothing.
 *
 *   corepack pnpm --filter @srp-ha/checkpoint bench            (builds first)
 *   node packages/checkpoint/dist/bench/two-daemons.bench.js [sessions=1000000] [phaseSeconds=8] [pacedRate]
 *
 * Phases:
 *  1. the Active alone loads N sessions through POST /v1/sessions (10k ops per call);
 *  2. a Standby (zlib) starts: bulk sync of N sessions: time, bytes, event-loop delay p99 on
 *     both sides, memory per session on the Standby;
 *  3. the Standby restarts with LZ4 on both sides: the same bulk sync with LZ4;
 *  4. sustained updates of existing sessions as fast as the API takes them: Standby applies/s;
 *  5. the same at 50% and 100% of that rate (or of pacedRate ops/s when given, to compare the lag
 *     of two builds at the same load, or to measure it at a set rate), paced: replication lag
 *     p50/p99, and the round trip of the API calls (at most 4 in flight; a call due with 4
 *     waiting is skipped and counted).
 *
 * It spawns `packages/srp-daemon/dist/src/cli/srpd.js` by path (no build-level dependency), or
 * the srpd.js that BENCH_SRPD names (another build's, to compare two builds with one driver).
 *
 * Profiling: BENCH_SRPD_ARGS adds node options to both daemons (e.g. "--cpu-prof
 * --cpu-prof-dir=/tmp/prof" or "--trace-gc"); their stdout and stderr then go to
 * <BENCH_OUTPUT_DIR or the cwd>/<name>-<n>.log, and the daemons end with SIGTERM (so a CPU
 * profile is written) instead of SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const USAGE = 'usage: two-daemons.bench.js [sessions=1000000] [phaseSeconds=8] [pacedRate]';

/** Positional arguments; a leading `--` (as `pnpm bench -- 1000000 6` passes it) is skipped. */
function parseArgs(argv: readonly string[]): { sessions: number; phaseS: number; pacedRate: number | null } {
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  if (args.length > 3) throw new Error(`too many arguments: ${args.join(' ')}\n${USAGE}`);
  const num = (i: number, name: string, fallback: number | null): number | null => {
    const a = args[i];
    if (a === undefined) return fallback;
    const v = Number(a);
    if (a.trim() === '' || !Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number, got '${a}'\n${USAGE}`);
    return v;
  };
  return {
    sessions: Math.floor(num(0, 'sessions', 1_000_000) ?? 1_000_000),
    phaseS: num(1, 'phaseSeconds', 8) ?? 8,
    pacedRate: num(2, 'pacedRate', null),
  };
}

let parsed: ReturnType<typeof parseArgs>;
try {
  parsed = parseArgs(process.argv.slice(2));
} catch (e) {
  console.error((e as Error).message);
  process.exit(2);
}
const SESSIONS = parsed.sessions;
const PHASE_S = parsed.phaseS;
const PACED_RATE = parsed.pacedRate;
const SRPD = process.env.BENCH_SRPD ?? fileURLToPath(new URL('../../../srp-daemon/dist/src/cli/srpd.js', import.meta.url));
/** Kept-alive connections for the API calls (at most 4 in flight, plus statistics). */
const AGENT = new Agent({ keepAlive: true, maxSockets: 8 });
const OPS_PER_CALL = 10_000;
const EXTRA_ARGS = (process.env.BENCH_SRPD_ARGS ?? '').split(' ').filter((a) => a !== '');
const OUTPUT_DIR = process.env.BENCH_OUTPUT_DIR ?? process.cwd();

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(a && typeof a === 'object' ? a.port : 0));
    });
  });
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | false>, timeoutMs = 300_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v) return v;
    } catch {
      // not up yet
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface Window {
  seconds: number;
  replicationLagMs: { samples: number; p50: number | null; p99: number | null; max: number | null };
  eventLoopDelayMs: { p50: number; p99: number; max: number };
}

interface Stats {
  codec: string | null;
  role: string;
  standbyReady: boolean;
  micro: { sent: number; applied: number };
  macro: { sent: number; applied: number; inProgress: boolean; lastDurationMs: number | null; lastSessions: number };
  nacks: { received: number };
  bytes: { beforeCompression: number; afterCompression: number };
  pending: { sessions: number; unackedBatches: number };
  window: Window;
  memory: { rssBytes: number; heapUsedBytes: number };
}

class Srpd {
  proc: ChildProcess | null = null;
  url = '';
  private readonly tail: string[] = [];
  private starts = 0;

  constructor(
    readonly name: string,
    private readonly dir: string,
    private readonly base: string,
  ) {}

  async start(compression: string): Promise<void> {
    const config = join(this.dir, `${this.name}.yaml`);
    const ready = join(this.dir, `${this.name}.ready.json`);
    rmSync(ready, { force: true });
    writeFileSync(config, `${this.base}\ncompression: [${compression}]\n`);
    const proc = spawn(process.execPath, ['--max-old-space-size=4096', ...EXTRA_ARGS, SRPD, '--config', config, '--ready-file', ready], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    if (EXTRA_ARGS.length > 0) {
      const log = createWriteStream(join(OUTPUT_DIR, `${this.name}-${++this.starts}.log`));
      proc.stdout?.pipe(log);
      proc.stderr?.pipe(log);
    }
    const keep = (c: Buffer): void => {
      this.tail.push(...c.toString('utf8').split('\n').filter((l) => l.includes('"level":50') || l.includes('"level":60') || l.startsWith('srpd')));
      if (this.tail.length > 50) this.tail.splice(0, this.tail.length - 50);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    const r = await waitFor(`${this.name} ready file`, () => {
      if (proc.exitCode !== null) throw new Error(`${this.name} exited ${proc.exitCode}: ${this.tail.join('\n')}`);
      return Promise.resolve(existsSync(ready) ? (JSON.parse(readFileSync(ready, 'utf8')) as { managementUrl: string }) : null);
    }, 30_000);
    this.url = r.managementUrl;
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill(signal);
    const timer = signal === 'SIGKILL' ? null : setTimeout(() => p.kill('SIGKILL'), 30_000);
    await exited;
    if (timer) clearTimeout(timer);
  }

  /**
   * One API call over a kept-alive connection. node:http, not fetch: the driver shares the 2
   * cores with both daemons, and fetch took about 1.1 ms more CPU per call of 1000 ops (2.0
   * against 0.7 ms for client and server together, measured in one process), a tenth of a core
   * at 100 calls/s taken from the daemons being measured.
   */
  call<T>(method: string, path: string, body?: string): Promise<{ status: number; body: T }> {
    return new Promise((resolve, reject) => {
      const headers = body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
      const req = request(this.url + path, { method, agent: AGENT, headers, timeout: 120_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as T });
          } catch (err) {
            reject(new Error(`${method} ${path} on ${this.name}: ${res.statusCode ?? '?'}, not JSON: ${(err as Error).message}`));
          }
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} on ${this.name}: no answer in 120 s`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  async stats(): Promise<Stats> {
    return (await this.call<Stats>('GET', '/v1/srp/checkpoint/statistics')).body;
  }

  async state(): Promise<string> {
    return (await this.call<{ state: string }>('GET', '/v1/srp/info')).body.state;
  }

  async resetWindow(): Promise<Window> {
    return (await this.call<Window>('POST', '/v1/debug/checkpoint/window', '{}')).body;
  }
}

const id = (i: number): string => `imsi-00101${String(i).padStart(10, '0')}`;

function createBody(from: number, to: number): string {
  const ops: string[] = [];
  for (let i = from; i < to; i++) {
    ops.push(`{"op":"upsert","id":"${id(i)}","attrs":{"apn":"internet","rat":"eutran","ip":"10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}"},"counters":{"up":0,"down":0},"lifetimeMs":3600000}`);
  }
  return `{"ops":[${ops.join(',')}]}`;
}

let updateSeq = 0;
/** `n` updates of existing sessions (a changed attribute each; lifetime refreshed). */
function updateBody(n: number): string {
  const ops: string[] = [];
  for (let k = 0; k < n; k++) {
    const i = (updateSeq * 7919 + k * 104_729) % SESSIONS;
    ops.push(`{"op":"upsert","id":"${id(i)}","attrs":{"seq":"${updateSeq}"}}`);
  }
  updateSeq++;
  return `{"ops":[${ops.join(',')}]}`;
}

async function post(d: Srpd, body: string): Promise<void> {
  const r = await d.call<{ error?: string }>('POST', '/v1/sessions', body);
  if (r.status !== 200) throw new Error(`POST /v1/sessions on ${d.name}: ${r.status} ${r.body.error ?? ''}`);
}

/** CPU seconds (user + system) a process has used, from /proc (null where there is none). */
function cpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

/** CPU used by the Active, the Standby and this driver from `start()` to `line()`. */
function cpuMeter(active: Srpd, standby: Srpd): { line(seconds: number): string } {
  const a0 = cpuSeconds(active.proc?.pid);
  const s0 = cpuSeconds(standby.proc?.pid);
  const d0 = process.cpuUsage();
  return {
    line(seconds: number): string {
      const a1 = cpuSeconds(active.proc?.pid);
      const s1 = cpuSeconds(standby.proc?.pid);
      const d = process.cpuUsage(d0);
      const pct = (x: number | null, y: number | null): string => (x === null || y === null ? '?' : `${Math.round(((y - x) / seconds) * 100)}%`);
      return `CPU of one core: Active ${pct(a0, a1)}, Standby ${pct(s0, s1)}, driver ${Math.round(((d.user + d.system) / 1e6 / seconds) * 100)}%`;
    },
  };
}

const mb = (b: number): string => `${(b / 1048576).toFixed(1)} MiB`;

async function bulkSync(active: Srpd, standby: Srpd, compression: string, label: string): Promise<void> {
  const a0 = await active.stats();
  await active.resetWindow();
  const t0 = performance.now();
  await standby.start(compression);
  const s0 = await standby.stats(); // a fresh process: its window started with it
  await waitFor('bulk sync applied', async () => (await standby.stats()).standbyReady, 300_000, 20);
  const wall = performance.now() - t0;
  await waitFor('macro acknowledged', async () => {
    const s = await active.stats();
    return s.macro.sent > a0.macro.sent && !s.macro.inProgress ? s : null;
  });
  const a1 = await active.stats();
  const s1 = await standby.stats();
  const aw = await active.resetWindow();
  const sw = s1.window;
  const before = a1.bytes.beforeCompression - a0.bytes.beforeCompression;
  const after = a1.bytes.afterCompression - a0.bytes.afterCompression;
  console.log(`\n[${label}] macro checkpoint (bulk sync) of ${a1.macro.lastSessions} sessions, codec ${a1.codec}`);
  console.log(`  macro Begin -> End acknowledged:  ${a1.macro.lastDurationMs} ms   (Standby process start -> ready: ${wall.toFixed(0)} ms)`);
  // More than one: the bulk sync was sent again (a NACK, or a stream started over), and the
  // Begin -> End time above is the last one's only.
  console.log(`  macros sent by the Active: ${a1.macro.sent - a0.macro.sent}, NACKs it received: ${a1.nacks.received - a0.nacks.received}`);
  console.log(`  payload bytes: ${mb(before)} before compression, ${mb(after)} after (${(before / Math.max(1, after)).toFixed(2)}x)`);
  console.log(`  event-loop delay p99/max: Active ${aw.eventLoopDelayMs.p99}/${aw.eventLoopDelayMs.max} ms over ${aw.seconds} s, Standby ${sw.eventLoopDelayMs.p99}/${sw.eventLoopDelayMs.max} ms over ${sw.seconds} s`);
  await sleep(2000);
  const s2 = await standby.stats();
  console.log(
    `  Standby memory: RSS ${mb(s0.memory.rssBytes)} -> ${mb(s2.memory.rssBytes)}, heap ${mb(s0.memory.heapUsedBytes)} -> ${mb(s2.memory.heapUsedBytes)}; ` +
      `per session: ${((s2.memory.rssBytes - s0.memory.rssBytes) / SESSIONS).toFixed(0)} B RSS, ${((s2.memory.heapUsedBytes - s0.memory.heapUsedBytes) / SESSIONS).toFixed(0)} B heap`,
  );
}

/** Updates as fast as the Active's API takes them (2 calls in flight). */
async function maxRate(active: Srpd, standby: Srpd): Promise<number> {
  const s0 = await standby.stats();
  await active.resetWindow();
  const cpu = cpuMeter(active, standby);
  const t0 = performance.now();
  let ops = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() - t0 < PHASE_S * 1000) {
      await post(active, updateBody(OPS_PER_CALL));
      ops += OPS_PER_CALL;
    }
  };
  await Promise.all([worker(), worker()]);
  const sent = performance.now() - t0;
  await waitFor('the Standby to catch up', async () => {
    const a = await active.stats();
    return a.pending.sessions === 0 && a.pending.unackedBatches === 0;
  });
  const s1 = await standby.stats();
  const all = performance.now() - t0;
  const aw = await active.resetWindow();
  const applied = s1.micro.applied - s0.micro.applied;
  const rate = applied / (all / 1000);
  console.log(`\n[updates, unpaced] ${ops} update ops in ${(sent / 1000).toFixed(1)} s through the API (${Math.round(ops / (sent / 1000))} ops/s accepted)`);
  console.log(`  Standby applied ${applied} micro items in ${(all / 1000).toFixed(1)} s: ${Math.round(rate)} applied/s sustained (coalescing folds repeats)`);
  console.log(`  replication lag p50/p99/max: ${aw.replicationLagMs.p50}/${aw.replicationLagMs.p99}/${aw.replicationLagMs.max} ms; Active event-loop delay p99 ${aw.eventLoopDelayMs.p99} ms`);
  console.log(`  ${cpu.line(all / 1000)}`);
  return Math.min(ops / (sent / 1000), rate);
}

/** Updates paced at `rate` ops/s in calls of 1000 ops: replication lag. */
async function paced(active: Srpd, standby: Srpd, rate: number, label: string): Promise<void> {
  const perCall = 1000;
  const intervalMs = (perCall / rate) * 1000;
  const s0 = await standby.stats();
  await active.resetWindow();
  const cpu = cpuMeter(active, standby);
  const t0 = performance.now();
  let sent = 0;
  let skipped = 0;
  let inFlight = 0;
  const calls: Promise<void>[] = [];
  const latencies: number[] = [];
  for (let k = 0; performance.now() - t0 < PHASE_S * 1000; k++) {
    const due = t0 + k * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    if (inFlight >= 4) {
      skipped++;
      continue;
    }
    inFlight++;
    const body = updateBody(perCall);
    const c0 = performance.now();
    calls.push(
      post(active, body).then(() => {
        latencies.push(performance.now() - c0);
        inFlight--;
        sent += perCall;
      }),
    );
  }
  await Promise.all(calls);
  const elapsed = (performance.now() - t0) / 1000;
  await sleep(200);
  const cpuLine = cpu.line(elapsed + 0.2);
  const s1 = await standby.stats();
  const aw = await active.resetWindow();
  console.log(`\n[updates paced at ${label} = ${Math.round(rate)} ops/s] sent ${Math.round(sent / elapsed)} ops/s (${skipped} calls skipped: API busy)`);
  console.log(`  Standby applied ${Math.round((s1.micro.applied - s0.micro.applied) / elapsed)} items/s`);
  console.log(`  replication lag p50/p99/max: ${aw.replicationLagMs.p50}/${aw.replicationLagMs.p99}/${aw.replicationLagMs.max} ms (${aw.replicationLagMs.samples} batches); Active event-loop delay p99 ${aw.eventLoopDelayMs.p99} ms`);
  latencies.sort((x, y) => x - y);
  const q = (f: number): string => (latencies.length === 0 ? '?' : latencies[Math.min(latencies.length - 1, Math.floor(f * latencies.length))].toFixed(1));
  console.log(`  API call (${perCall} ops) round trip p50/p99/max: ${q(0.5)}/${q(0.99)}/${q(1)} ms (at most 4 in flight: a call due with 4 waiting is skipped)`);
  console.log(`  ${cpuLine}`);
}

async function main(): Promise<void> {
  if (!existsSync(SRPD)) throw new Error(`${SRPD} is missing: run 'corepack pnpm exec tsc -b' first`);
  const cpu = cpus();
  console.log(`machine: ${cpu[0]?.model ?? '?'}, ${cpu.length} cores, ${mb(totalmem())} RAM, node ${process.version}, ${process.platform}/${process.arch}`);
  console.log(`two srpd processes on 127.0.0.1 + this driver, ${SESSIONS} sessions (3 attrs, 2 counters), phases of ${PHASE_S} s`);
  const dir = mkdtempSync(join(tmpdir(), 'srpd-bench-'));
  const [pa, pb] = [await freePort(), await freePort()];
  const common = `hello-interval: 200ms\ndead-interval: 3s\nauth-key: bench-shared-key-0123456789\nmanagement:\n  listen: 127.0.0.1:0\nlog-level: warn\ncheckpoint:\n  session-duration: 0s\naudit:\n  enabled: false`;
  const a = new Srpd('alpha', dir, `chassis-id: alpha\nmode: primary\npriority: 10\ncf-mac: 00-02-43-03-1C-2B\nbind: 127.0.0.1:${pa}\npeer: 127.0.0.1:${pb}\n${common}`);
  const b = new Srpd('bravo', dir, `chassis-id: bravo\nmode: backup\npriority: 20\ncf-mac: 00-02-43-03-01-3B\nbind: 127.0.0.1:${pb}\npeer: 127.0.0.1:${pa}\n${common}`);
  try {
    await a.start('lz4, zlib');
    await waitFor('alpha to become Active alone', async () => (await a.state()) === 'Active', 30_000);
    let t = performance.now();
    for (let i = 0; i < SESSIONS; i += OPS_PER_CALL) await post(a, createBody(i, Math.min(SESSIONS, i + OPS_PER_CALL)));
    const loadS = (performance.now() - t) / 1000;
    const as = await a.stats();
    console.log(`\n[load] ${SESSIONS} sessions created on the Active alone in ${loadS.toFixed(1)} s (${Math.round(SESSIONS / loadS)}/s through the API); Active RSS ${mb(as.memory.rssBytes)}, heap ${mb(as.memory.heapUsedBytes)}`);

    await bulkSync(a, b, 'zlib', 'zlib');
    await b.kill();
    await bulkSync(a, b, 'lz4, zlib', 'lz4');

    t = performance.now();
    // The unpaced phase runs even with pacedRate: the paced phases then start in the same steady
    // state (the Standby's major GC after the 1M bulk sync over), whichever rate they run at.
    const measured = await maxRate(a, b);
    const rate = PACED_RATE ?? measured;
    await paced(a, b, rate * 0.5, '50%');
    await paced(a, b, rate, '100%');
    console.log(`\ndone in ${((performance.now() - t) / 1000).toFixed(0)} s of update phases`);
  } finally {
    const end = EXTRA_ARGS.length > 0 ? 'SIGTERM' : 'SIGKILL';
    await Promise.all([a.kill(end), b.kill(end)]);
    AGENT.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
