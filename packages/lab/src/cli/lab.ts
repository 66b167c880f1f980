#!/usr/bin/env node
// The two-node lab: `npm run lab [-- --netns] [--duration SECONDS]`.
// Starts a primary and a backup srpd, prints where their APIs, event streams and /metrics are,
// then shows both chassis live (TTY, ~2 refreshes a second) or prints plain status lines (not
// a TTY). Keys: s switchover, k kill -9 the Active (it comes back a few seconds later), f freeze
// / thaw the Active, l load 1000 sessions on the Active, q or Ctrl-C quit. Every child is killed and the terminal restored on exit.
import { parseArgs } from 'node:util';
import { netnsPairOptions, Pair, type PairOptions, type SrpNode } from '../pair.js';
import { ChassisReader, type ChassisSnapshot } from '../lab/snapshot.js';
import { endpointLines, renderView, statusKey, statusLine, type Endpoints } from '../lab/view.js';
import { netnsUnavailable, plan, setup, teardown, type NetnsPlan } from '../lab/netns.js';
import { loadSessions } from '../chaos/sessions.js';
import { hardwareSection, LAB_TRAFFIC } from '../hardware.js';
import { RoutingDriver, routingSummary } from '../routing.js';

const USAGE = `usage: lab [--duration SECONDS] [--netns] [--hello MS] [--dead MS] [--keep]

  --duration S   stop by itself after S seconds (default: run until q / Ctrl-C / SIGTERM)
  --netns        one network namespace per daemon, joined by a veth pair (198.18.0.1/30 and
                 198.18.0.2/30); needs root and iproute2, else falls back to loopback
  --hello MS     hello-interval (default 500)
  --dead MS      dead-interval (default 2000)
  --keep         keep the configs and logs directory`;

const RESTART_AFTER_MS = 3000;
const LOAD_BATCH = 1000;
/** The routing domain's trickle: this many packets every ROUTE_EVERY_MS to the chassis it picks. */
const ROUTE_PACKETS = 20;
const ROUTE_EVERY_MS = 250;

function out(line: string): void {
  process.stdout.write(line + '\n');
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        duration: { type: 'string' },
        netns: { type: 'boolean', default: false },
        hello: { type: 'string' },
        dead: { type: 'string' },
        keep: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (err) {
    process.stderr.write(`lab: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    out(USAGE);
    return 0;
  }
  const num = (v: string | undefined, name: string, dflt: number, min: number): number => {
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number >= ${min}, got "${v}"`);
    return n;
  };
  let hello: number, dead: number, duration: number | null;
  try {
    hello = num(args.hello, 'hello', 500, 10);
    dead = num(args.dead, 'dead', Math.max(2000, 3 * hello), 3 * hello);
    duration = args.duration === undefined ? null : num(args.duration, 'duration', 0, 1);
  } catch (err) {
    process.stderr.write(`lab: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }

  let ns: NetnsPlan | null = null;
  const pairOpts: PairOptions = {
    helloIntervalMs: hello,
    deadIntervalMs: dead,
    poll: false,
    keepDir: args.keep,
    // Sessions (generated, or created with 'l') become eligible (replicated) after 5 s instead of
    // the default 60 s. Each chassis is simulated hardware with subscriber traffic at a modest
    // rate; the generator runs on the SRP Active only.
    extra: (name) => ({
      checkpoint: { 'session-duration': '5s', 'session-duration-ims': '5s' },
      hardware: hardwareSection(name, LAB_TRAFFIC),
    }),
  };
  if (args.netns) {
    const why = netnsUnavailable();
    if (why !== null) out(`lab: --netns: ${why}; falling back to loopback (127.0.0.1)`);
    else {
      try {
        ns = setup(plan());
        Object.assign(pairOpts, netnsPairOptions(ns, `lab-${process.pid}-${Date.now().toString(36)}`));
        out(`lab: namespaces ${ns.ns.join(' and ')}; SRP link ${ns.srpAddr[0]}/30 <-> ${ns.srpAddr[1]}/30 over a veth pair`);
      } catch (err) {
        out(`lab: --netns: ${(err as Error).message}; falling back to loopback (127.0.0.1)`);
        ns = null;
      }
    }
  }

  let pair: Pair;
  try {
    pair = await Pair.start(pairOpts);
  } catch (err) {
    if (ns) teardown(ns);
    process.stderr.write(`lab: could not start the pair: ${(err as Error).message}\n`);
    return 1;
  }

  const tty = process.stdout.isTTY === true && process.stdin.isTTY === true;
  const eps: Endpoints[] = pair.nodes.map((n) => ({ name: `${n.name} (${n.spec.mode})`, api: n.url, events: n.eventsUrl, metrics: n.metricsUrl }));
  out(`lab: ${pair.a.spec.chassisId} (primary, pid ${pair.a.pid}) and ${pair.b.spec.chassisId} (backup, pid ${pair.b.pid}); hello ${hello} ms, dead ${dead} ms`);
  for (const l of endpointLines(eps)) out(l);
  out(`lab: configs and logs in ${pair.dir}${args.keep ? ' (kept)' : ''}`);
  out(
    `lab: subscriber traffic ${LAB_TRAFFIC.rate} ops/s on the Active chassis (at most ${LAB_TRAFFIC.maxSessions} sessions, ` +
      `lifetimes ${LAB_TRAFFIC.minLifetimeS}-${LAB_TRAFFIC.maxLifetimeS} s); routing domain: ${ROUTE_PACKETS} packets every ${ROUTE_EVERY_MS} ms ` +
      'to the chassis it picks (GET /v1/hw/routing, POST /v1/hw/forward)',
  );
  const routing = new RoutingDriver(
    pair.nodes.map((n) => ({ name: n.name, api: () => n.api })),
    { intervalMs: ROUTE_EVERY_MS, packetsPerRound: ROUTE_PACKETS },
  );
  routing.start();
  if (pairOpts.token !== undefined) out(`lab: management token (every call but /healthz): ${pairOpts.token}`);

  const readers = pair.nodes.map((n) => new ChassisReader(n.name, () => n.api));
  const notes = new Map<SrpNode, string>();
  let status = tty ? 'ready' : '';
  let frozen: { node: SrpNode; timer: NodeJS.Timeout } | null = null;
  const timers = new Set<NodeJS.Timeout>();
  let busy = false;
  let stopping = false;

  const snapshot = (): Promise<ChassisSnapshot[]> =>
    Promise.all(pair.nodes.map((n, i) => readers[i].read(n.frozen, notes.get(n) ?? (n.running ? null : 'down (killed)'))));

  const say = (msg: string): void => {
    status = `${new Date().toISOString().slice(11, 19)} ${msg}`;
    if (!tty) out(`lab: ${msg}`);
  };

  const thaw = (): void => {
    if (!frozen) return;
    clearTimeout(frozen.timer);
    timers.delete(frozen.timer);
    frozen.node.thaw();
    say(`thawed ${frozen.node.name} (SIGCONT)`);
    frozen = null;
  };

  async function act(key: string): Promise<void> {
    if (busy) return;
    busy = true;
    try {
      if (key === 's') {
        const a = await pair.active();
        if (!a) return say('switchover: there is not exactly one Active');
        say(`switchover requested on ${a.name}...`);
        const r = await a.api.switchover(false);
        say(r.accepted ? `switchover accepted by ${a.name}` : `switchover refused by ${a.name} (HTTP ${r.status}): ${r.reasons.join('; ')}`);
      } else if (key === 'k') {
        const a = await pair.active();
        if (!a) return say('kill: there is not exactly one Active');
        await a.kill('SIGKILL');
        notes.set(a, `down (kill -9, back in ${RESTART_AFTER_MS / 1000} s)`);
        say(`kill -9 ${a.name}; it restarts in ${RESTART_AFTER_MS / 1000} s as the returning node`);
        const t = setTimeout(() => {
          timers.delete(t);
          if (stopping) return;
          notes.set(a, 'starting');
          a.start().then(
            () => {
              notes.delete(a);
              say(`${a.name} restarted (pid ${a.pid})`);
            },
            (err: Error) => {
              notes.set(a, 'failed to restart');
              say(`${a.name} did not restart: ${err.message.split('\n')[0] ?? ''}`);
            },
          );
        }, RESTART_AFTER_MS);
        timers.add(t);
      } else if (key === 'l') {
        const a = await pair.active();
        if (!a) return say('load: there is not exactly one Active');
        const n = await loadSessions(a.api, LOAD_BATCH, `lab-${Date.now().toString(36)}`);
        say(`created ${n} sessions on ${a.name} (eligible for checkpointing after checkpoint.session-duration)`);
      } else if (key === 'f') {
        if (frozen) return thaw();
        const a = await pair.active();
        if (!a) return say('freeze: there is not exactly one Active');
        a.freeze();
        const t = setTimeout(thaw, 2 * dead);
        timers.add(t);
        frozen = { node: a, timer: t };
        say(`froze ${a.name} (SIGSTOP); thaw with f or automatically in ${(2 * dead) / 1000} s`);
      }
    } catch (err) {
      say(`error: ${(err as Error).message.split('\n')[0] ?? ''}`);
    } finally {
      busy = false;
    }
  }

  let resolveDone: (code: number) => void = () => {};
  const done = new Promise<number>((r) => (resolveDone = r));

  const restoreTerminal = (): void => {
    if (!tty) return;
    try {
      process.stdin.setRawMode(false);
    } catch {
      /* stdin already closed */
    }
    process.stdout.write('\x1b[?25h\x1b[?1049l');
  };

  async function shutdown(reason: string): Promise<void> {
    if (stopping) return;
    stopping = true;
    for (const t of timers) clearTimeout(t);
    clearInterval(refresh);
    restoreTerminal();
    process.stdin.pause();
    out(`lab: stopping (${reason})`);
    await routing.stop();
    out(`lab: ${routingSummary(routing.report())}`);
    await pair.stop().catch(() => undefined);
    if (ns) {
      teardown(ns);
      out(`lab: removed namespaces ${ns.ns.join(' and ')}`);
    }
    out('lab: stopped');
    resolveDone(0);
  }

  if (tty) {
    process.stdout.write('\x1b[?1049h\x1b[?25l');
    process.stdin.setRawMode(true);
    process.stdin.resume();
    process.stdin.on('data', (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === 'q' || ch === '\x03' || ch === '\x04') void shutdown(ch === 'q' ? 'q' : 'Ctrl-C');
        else if (ch === 's' || ch === 'k' || ch === 'f' || ch === 'l') void act(ch);
      }
    });
  }
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(sig, () => void shutdown(sig));
  process.once('exit', restoreTerminal);

  let lastLine = '';
  let lastPrinted = 0;
  let drawing = false;
  const draw = async (): Promise<void> => {
    if (drawing || stopping) return;
    drawing = true;
    try {
      const snaps = await snapshot();
      if (stopping) return;
      if (tty) {
        process.stdout.write('\x1b[H\x1b[J' + renderView(snaps, eps, status, true, process.stdout.columns || 100, routing.report()) + '\n');
      } else {
        // A line per change of state, link or route modifier (counters move all the time with
        // traffic running), and at least every 5 s.
        const line = statusLine(snaps, new Date(), routing.report());
        const key = statusKey(snaps);
        if (key !== lastLine || Date.now() - lastPrinted >= 5000) {
          out(line);
          lastLine = key;
          lastPrinted = Date.now();
        }
      }
    } finally {
      drawing = false;
    }
  };
  const refresh = setInterval(() => void draw(), tty ? 500 : 1000);
  await draw();
  if (duration !== null) {
    const t = setTimeout(() => void shutdown(`--duration ${duration} s`), duration * 1000);
    timers.add(t);
  }
  return done;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stdout.write('\x1b[?25h');
    process.stderr.write(`lab: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
