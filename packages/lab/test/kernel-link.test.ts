// The kernel link's faults against real sockets: two network namespaces joined by a veth pair,
// a TCP echo + UDP receiver in each, clients started in the other namespace. Each fault is
// checked for what it does to TCP and UDP in both directions, and heal() for undoing it.
// Needs root, iproute2 and nftables (CI=true: missing ones fail).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelLink, kernelUnavailable } from '../src/faults/kernel-link.js';
import { chaosPlan, setup, teardown, type NetnsPlan } from '../src/lab/netns.js';
import { root, skipReason } from './helpers.js';

const why = kernelUnavailable();
const PEER = join(root, 'packages', 'lab', 'test', 'fixtures', 'netpeer.mjs');
const PORT = 7700;

interface Server {
  child: ChildProcess;
  lines: Record<string, unknown>[];
}

let plan: NetnsPlan;
let link: KernelLink;
const servers: Server[] = [];

function startServer(ns: string): Promise<Server> {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, PEER, 'server', String(PORT)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const s: Server = { child, lines: [] };
  let buf = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server in ${ns} did not start`)), 10_000);
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = JSON.parse(buf.slice(0, i)) as Record<string, unknown>;
        buf = buf.slice(i + 1);
        s.lines.push(line);
        if (line.listening !== undefined) {
          clearTimeout(timer);
          resolve(s);
        }
      }
    });
  });
}

/** Runs the peer in namespace `from` (0 = a, 1 = b); its first output line. */
function peer(from: 0 | 1, args: string[]): Record<string, unknown> {
  const r = spawnSync('ip', ['netns', 'exec', plan.ns[from], process.execPath, PEER, ...args], { encoding: 'utf8', timeout: 15_000 });
  return JSON.parse(r.stdout.split('\n')[0] || '{}') as Record<string, unknown>;
}

const tcp = (from: 0 | 1, ms = 1000): unknown => peer(from, ['connect', plan.srpAddr[from === 0 ? 1 : 0], String(PORT), String(ms)]).tcp;

/** Sends `n` datagrams from `from` to the other side; how many arrived there. */
/** A TCP connection held open from namespace 0 to the peer's SRP port, and what its holder printed. */
function holdConnection(): { seen(text: string, stepMs: number): Promise<string>; write(line: string): void; kill(): void } {
  const child = spawn('ip', ['netns', 'exec', plan.ns[0], process.execPath, PEER, 'hold', plan.srpAddr[1], String(PORT)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let got = '';
  child.stdout.on('data', (d: Buffer) => (got += d.toString()));
  return {
    /** Waits up to 100 steps for `text` in the output; returns the output either way. */
    async seen(text, stepMs) {
      for (let i = 0; i < 100 && !got.includes(text); i++) await new Promise((r) => setTimeout(r, stepMs));
      return got;
    },
    write: (line) => void child.stdin.write(line),
    kill: () => void child.kill('SIGKILL'),
  };
}

async function udp(from: 0 | 1, tag: string, n = 5): Promise<number> {
  peer(from, ['udp', plan.srpAddr[from === 0 ? 1 : 0], String(PORT), tag, String(n)]);
  await new Promise((r) => setTimeout(r, 200));
  return servers[from === 0 ? 1 : 0]?.lines.filter((l) => typeof l.udp === 'string' && l.udp.startsWith(`${tag}-`)).length ?? -1;
}

describe.skipIf(skipReason(why, 'the kernel link tests'))('KernelLink (netns, nftables)', () => {
  beforeAll(async () => {
    plan = setup(chaosPlan(900 + (process.pid % 90)));
    link = new KernelLink(plan);
    servers.push(await startServer(plan.ns[0]), await startServer(plan.ns[1]));
  }, 30_000);

  afterAll(async () => {
    for (const s of servers) s.child.kill('SIGKILL');
    await link?.heal();
    if (plan) teardown(plan);
  });

  it('has its prerequisites', () => {
    expect(why).toBeNull();
    expect(link.label).toMatch(/^kernel \(a network namespace per chassis/);
  });

  it('a clean link carries TCP and UDP both ways', async () => {
    expect(tcp(0)).toBe('ok');
    expect(tcp(1)).toBe('ok');
    expect(await udp(0, 'clean-ab')).toBe(5);
    expect(await udp(1, 'clean-ba')).toBe(5);
  });

  it('cut refuses TCP at once (reset) and drops UDP, both ways; heal undoes it', async () => {
    await link.cut();
    expect(tcp(0)).toBe('ECONNREFUSED');
    expect(tcp(1)).toBe('ECONNREFUSED');
    expect(await udp(0, 'cut-ab')).toBe(0);
    expect(await udp(1, 'cut-ba')).toBe(0);
    expect(link.matched('a')).toBeGreaterThan(0);
    expect(link.matched('b')).toBeGreaterThan(0);
    await link.heal();
    expect(link.matched('a')).toBeNull();
    expect(tcp(0)).toBe('ok');
  });

  it('blackhole is silent: TCP connects hang, UDP is dropped, both ways', async () => {
    await link.blackhole();
    expect(tcp(0, 800)).toBe('timeout');
    expect(tcp(1, 800)).toBe('timeout');
    expect(await udp(0, 'bh-ab')).toBe(0);
    expect(await udp(1, 'bh-ba')).toBe(0);
    expect(await link.describe()).toMatch(/^kernel: blackhole; a: [1-9]\d* packets matched, b: [1-9]\d* packets matched \(srpch-/);
    await link.heal();
    expect(tcp(1)).toBe('ok');
  });

  it('one-way drops only what goes from `from` to its peer, TCP and UDP', async () => {
    await link.oneWay('a');
    expect(await udp(0, 'ow-ab')).toBe(0);
    expect(await udp(1, 'ow-ba')).toBe(5);
    // A handshake needs both directions: no TCP either way.
    expect(tcp(0, 800)).toBe('timeout');
    expect(tcp(1, 800)).toBe('timeout');
    // Dropped where it arrives (b), never on the sender's way out (a send would fail there).
    expect(link.matched('a')).toBe(0);
    expect(link.matched('b')).toBeGreaterThan(0);
    await link.heal();
    expect(await udp(0, 'ow-healed')).toBe(5);
  });

  it('syn-drop stops new TCP connections only: an open one and UDP pass', async () => {
    const hold = holdConnection();
    try {
      expect(await hold.seen('connected', 50)).toContain('connected');
      await link.synDrop();
      expect(tcp(0, 800)).toBe('timeout');
      expect(tcp(1, 800)).toBe('timeout');
      hold.write('still-open\n');
      expect(await hold.seen('still-open', 20)).toContain('still-open');
      expect(await udp(0, 'syn-ab')).toBe(5);
      expect(await udp(1, 'syn-ba')).toBe(5);
    } finally {
      hold.kill();
      await link.heal();
    }
    expect(tcp(0)).toBe('ok');
  });

  it('reset aborts the open TCP connections once; new ones and UDP pass, no rule stays', async () => {
    const hold = holdConnection();
    try {
      expect(await hold.seen('connected', 50)).toContain('connected');
      await link.reset();
      // The holder's socket was aborted by ss -K in its namespace (the peer got the RST).
      expect(await hold.seen('error', 20)).toMatch(/"error":"(ECONNABORTED|ECONNRESET|EPIPE)"/);
      expect(link.matched('a')).toBeNull();
      expect(tcp(0)).toBe('ok');
      expect(await udp(1, 'reset-ba')).toBe(5);
    } finally {
      hold.kill();
    }
    // Nothing open between the two: a reset that aborts nothing fails, it does not pretend.
    await new Promise((r) => setTimeout(r, 200));
    await expect(link.reset()).rejects.toThrow(/aborted no TCP connection/);
  });

  it('loss drops a share of packets at random', async () => {
    await link.loss(50);
    const n = await udp(0, 'loss', 200);
    await link.heal();
    // 50 % of 200: far from 0 and from 200 (binomial, sd ~7).
    expect(n).toBeGreaterThan(40);
    expect(n).toBeLessThan(160);
    await expect(link.loss(0)).rejects.toThrow(/between 0 and 100/);
  });

  it('delay works where the kernel has netem, and says what is missing where it does not', async () => {
    const missing = link.unsupported('delay');
    if (missing !== null) {
      expect(missing).toMatch(/netem/);
      await expect(link.delay(50)).rejects.toThrow(/netem/);
      return;
    }
    await link.delay(300);
    const t0 = performance.now();
    expect(tcp(0, 5000)).toBe('ok');
    await link.heal();
    expect(performance.now() - t0).toBeGreaterThan(600);
  });
});
