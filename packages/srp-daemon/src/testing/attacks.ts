// What a process on the network can do to an SRP port without the key: record the first frame
// a chassis sends (its Capabilities), play recorded bytes to a port, and flood a port with
// connections carrying junk. For the integration tests and the lab's chaos scenarios
// (`@srp-ha/srp-daemon/testing`); srpd itself never uses this.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompressionAlgorithm, LinkHandshake } from '@srp-ha/wire';

const HEADER = 18;
const TAG = 32;

export interface Endpoint {
  host: string;
  port: number;
}

/** A TCP connection to `to`, from the local address `from` when given. */
export function connectTo(to: Endpoint, from?: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: to.host, port: to.port, ...(from ? { localAddress: from } : {}) }, () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}

/** The first whole frame `to` sends to a new connection (its Capabilities); then hangs up. */
export async function recordFirstFrame(to: Endpoint, from?: string, timeoutMs = 5000): Promise<Buffer> {
  const s = await connectTo(to, from);
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      let buf = Buffer.alloc(0);
      const timer = setTimeout(() => reject(new Error(`no frame from ${to.host}:${to.port} within ${timeoutMs} ms`)), timeoutMs);
      s.on('data', (chunk: Buffer) => {
        buf = Buffer.concat([buf, chunk]);
        if (buf.length >= HEADER && buf.length >= HEADER + buf.readUInt32BE(14) + TAG) {
          clearTimeout(timer);
          resolve(buf.subarray(0, HEADER + buf.readUInt32BE(14) + TAG));
        }
      });
      s.once('close', () => {
        clearTimeout(timer);
        reject(new Error(`${to.host}:${to.port} closed the connection before a whole frame`));
      });
    });
  } finally {
    s.destroy();
  }
}

/**
 * Writes `bytes` on a new connection to `to`, keeps it open `holdMs`, then ends it. Resolves
 * with how long the connection lasted (the target may close it first), or -1 if it could not
 * connect.
 */
export async function play(to: Endpoint, bytes: Buffer, opts: { holdMs?: number; from?: string } = {}): Promise<number> {
  let s: Socket;
  try {
    s = await connectTo(to, opts.from);
  } catch {
    return -1;
  }
  const t0 = performance.now();
  const hold = opts.holdMs ?? 0;
  return new Promise((resolve) => {
    s.on('data', () => undefined);
    s.on('error', () => undefined);
    s.once('close', () => resolve(performance.now() - t0));
    s.write(bytes);
    setTimeout(() => s.end(), hold).unref();
    setTimeout(() => s.destroy(), hold + 3000).unref();
  });
}

/** Kinds of junk a flood sends, one kind per connection. */
export type JunkKind = 'garbage' | 'wrong-key' | 'huge-length' | 'byte-by-byte' | 'silent';
export const JUNK_KINDS: readonly JunkKind[] = ['garbage', 'wrong-key', 'huge-length', 'byte-by-byte', 'silent'];

/** A Capabilities frame signed with a random key: well formed, wrongly tagged. */
export function wrongKeyCapabilities(): Buffer {
  return new LinkHandshake({
    role: 'dialer',
    keys: { sign: randomBytes(32), accepted: [randomBytes(32)] },
    capabilities: { compression: [CompressionAlgorithm.COMPRESSION_ZLIB], features: [], chassisId: 'intruder', bootId: 1, maxFrameSize: 1 << 20 },
  }).first;
}

/** A valid-looking header announcing a payload of 4 GiB - 1. */
export function hugeLengthHeader(): Buffer {
  const h = Buffer.from(wrongKeyCapabilities().subarray(0, HEADER));
  h.writeUInt32BE(0xffffffff, 14);
  return h;
}

export interface FloodOptions {
  targets: Endpoint[];
  /** New connections per second, in all. */
  rate: number;
  /** Local addresses to connect from, in turn (default: the kernel's choice). */
  sources?: string[];
  kinds?: readonly JunkKind[];
  /** How long a slow connection (byte-by-byte, silent) is kept at most. */
  holdMs?: number;
}

export interface FloodStats {
  opened: number;
  failed: number;
  byKind: Record<string, number>;
  /** Connections the target closed before we did. */
  closedByTarget: number;
}

/** Opens `rate` connections per second to the targets in turn, each carrying one kind of junk. */
export class Flood {
  readonly stats: FloodStats = { opened: 0, failed: 0, byKind: {}, closedByTarget: 0 };
  private timer: NodeJS.Timeout | null = null;
  private readonly open = new Set<Socket>();
  private n = 0;
  private readonly capsPool = Array.from({ length: 16 }, () => wrongKeyCapabilities());
  private readonly huge = hugeLengthHeader();

  constructor(private readonly opts: FloodOptions) {}

  start(): void {
    // Every 10 ms, as many connections as the rate asks for by now: a late tick catches up.
    const t0 = performance.now();
    this.timer = setInterval(() => {
      const due = Math.floor(((performance.now() - t0) / 1000) * this.opts.rate);
      while (this.n < due) this.one();
    }, 10);
  }

  async stop(): Promise<FloodStats> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const s of this.open) s.destroy();
    this.open.clear();
    await new Promise((r) => setTimeout(r, 50));
    return this.stats;
  }

  private one(): void {
    const i = this.n++;
    const to = this.opts.targets[i % this.opts.targets.length];
    const sources = this.opts.sources ?? [];
    const from = sources.length > 0 ? sources[Math.floor(i / this.opts.targets.length) % sources.length] : undefined;
    const kinds = this.opts.kinds ?? JUNK_KINDS;
    const kind = kinds[i % kinds.length];
    const hold = this.opts.holdMs ?? 2000;
    const s = connect({ host: to.host, port: to.port, ...(from ? { localAddress: from } : {}) });
    this.open.add(s);
    let ours = false;
    const timers: NodeJS.Timeout[] = [];
    s.on('data', () => undefined);
    s.on('error', () => undefined);
    s.once('close', () => {
      this.open.delete(s);
      for (const t of timers) clearTimeout(t);
      if (!ours && this.timer !== null) this.stats.closedByTarget++;
    });
    s.once('connect', () => {
      this.stats.opened++;
      this.stats.byKind[kind] = (this.stats.byKind[kind] ?? 0) + 1;
      const bytes = this.payload(kind);
      if (kind === 'byte-by-byte') {
        let at = 0;
        const drip = (): void => {
          if (s.destroyed || at >= bytes.length) return;
          s.write(bytes.subarray(at, at + 1));
          at++;
          timers.push(setTimeout(drip, 50));
        };
        drip();
      } else if (bytes.length > 0) s.write(bytes);
      timers.push(
        setTimeout(() => {
          ours = true;
          s.destroy();
        }, kind === 'silent' || kind === 'byte-by-byte' ? hold : 200),
      );
    });
    s.once('error', () => {
      if (s.connecting) this.stats.failed++;
    });
  }

  private payload(kind: JunkKind): Buffer {
    switch (kind) {
      case 'garbage':
        return randomBytes(64);
      case 'wrong-key':
        return this.capsPool[this.n % this.capsPool.length];
      case 'huge-length':
        return this.huge;
      case 'byte-by-byte':
        return this.capsPool[(this.n + 1) % this.capsPool.length];
      case 'silent':
        return Buffer.alloc(0);
    }
  }
}

/** A Flood in a child process (flood-main.js): start() resolves once it runs, stop() with its stats. */
export class FloodProcess {
  private child: ChildProcess | null = null;
  private lines: string[] = [];
  private exited: Promise<void> = Promise.resolve();

  constructor(private readonly opts: FloodOptions & { seconds?: number }) {}

  async start(): Promise<void> {
    const main = join(dirname(fileURLToPath(import.meta.url)), `flood-main${extname(fileURLToPath(import.meta.url))}`);
    const args = [
      ...this.opts.targets.flatMap((t) => ['--target', `${t.host}:${t.port}`]),
      ...(this.opts.sources ?? []).flatMap((s) => ['--source', s]),
      '--rate', String(this.opts.rate),
      '--seconds', String(this.opts.seconds ?? 3600),
    ];
    // From the built dist/ the .js runs as is; vitest runs the .ts source, which node can load
    // only through the same module hooks: use the built file then.
    const js = main.endsWith('.ts') ? main.replace(/\/src\/testing\/flood-main\.ts$/, '/dist/src/testing/flood-main.js') : main;
    const child = spawn(process.execPath, [js, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    let buf = '';
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString('utf8');
      const parts = buf.split('\n');
      buf = parts.pop() ?? '';
      this.lines.push(...parts);
    });
    const t0 = Date.now();
    while (!this.lines.some((l) => l.includes('"started"'))) {
      if (child.exitCode !== null) throw new Error(`the flood process exited ${child.exitCode}`);
      if (Date.now() - t0 > 10_000) throw new Error('the flood process did not start within 10 s');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async stop(): Promise<FloodStats> {
    const child = this.child;
    if (!child) throw new Error('the flood was not started');
    if (child.exitCode === null) child.kill('SIGTERM');
    await this.exited;
    const last = this.lines.filter((l) => l.startsWith('{"opened"')).pop();
    if (!last) throw new Error('the flood process printed no statistics');
    return JSON.parse(last) as FloodStats;
  }
}
