// The agent beside a chassis (agent.ts starts it): a node process on the chassis' network, in
// its namespace when the link is in the kernel, that does what a scenario needs done from there.
// One JSON request a line on stdin, one JSON answer a line on stdout (`{id, ok, ...}`):
//   radius      {dir, secret, users, servers: [{name, address, port?}]} start FreeRADIUS servers
//   radius-pause {}                                       SIGSTOP every server (they answer nothing)
//   record      {target, from?}                          the first frame target sends ({hex})
//   play        {target, hex, count, everyMs, holdMs, from?}  count connections carrying hex
//   flood       {targets, sources?, rate}                junk connections at rate/s until flood-stop
//   flood-stop  {}                                       the flood's statistics ({stats})
// It stops its servers and its flood when stdin closes (its parent is gone) or on SIGTERM.
import { createInterface } from 'node:readline';
import { startFreeRadius, type FreeRadius } from '@srp-ha/srp-daemon/aaa-servers';
import { Flood, play, recordFirstFrame, type Endpoint } from '@srp-ha/srp-daemon/testing';

type Request = { id: number; cmd: string } & Record<string, unknown>;

const servers: FreeRadius[] = [];
let flood: Flood | null = null;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function endpoint(v: unknown, what: string): Endpoint {
  const e = v as Endpoint | undefined;
  if (!e || typeof e.host !== 'string' || !Number.isInteger(e.port)) throw new Error(`${what} must be {host, port}`);
  return e;
}

const num = (v: unknown, dflt: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : dflt);
const from = (r: Request): { from?: string } => (typeof r.from === 'string' ? { from: r.from } : {});

async function handle(r: Request): Promise<Record<string, unknown>> {
  switch (r.cmd) {
    case 'radius': {
      const list = (r.servers ?? []) as Array<{ name: string; address: string; port?: number }>;
      const out = [];
      for (const s of list) {
        const srv = await startFreeRadius({
          dir: `${String(r.dir)}/${s.name}`,
          address: s.address,
          ...(s.port !== undefined ? { port: s.port } : {}),
          secret: String(r.secret),
          users: r.users as Array<{ name: string; password: string }>,
        });
        servers.push(srv);
        out.push({ name: s.name, address: srv.address, port: srv.port });
      }
      return { servers: out };
    }
    case 'radius-pause':
      for (const s of servers) s.pause();
      return { paused: servers.length };
    case 'record':
      return { hex: (await recordFirstFrame(endpoint(r.target, 'target'), typeof r.from === 'string' ? r.from : undefined)).toString('hex') };
    case 'play': {
      const bytes = Buffer.from(String(r.hex), 'hex');
      const to = endpoint(r.target, 'target');
      const plays: Promise<number>[] = [];
      for (let i = 0; i < num(r.count, 1); i++) {
        plays.push(play(to, bytes, { holdMs: num(r.holdMs, 50), ...from(r) }));
        await sleep(num(r.everyMs, 20));
      }
      const lasted = await Promise.all(plays);
      return { played: lasted.length, connected: lasted.filter((ms) => ms >= 0).length };
    }
    case 'flood': {
      if (flood) throw new Error('a flood is already running');
      const targets = ((r.targets ?? []) as unknown[]).map((t) => endpoint(t, 'targets[]'));
      flood = new Flood({ targets, rate: num(r.rate, 500), ...(Array.isArray(r.sources) ? { sources: r.sources as string[] } : {}) });
      flood.start();
      return {};
    }
    case 'flood-stop': {
      const f = flood;
      flood = null;
      if (!f) throw new Error('no flood is running');
      return { stats: await f.stop() };
    }
    default:
      throw new Error(`unknown command ${JSON.stringify(r.cmd)}`);
  }
}

async function shutdown(): Promise<void> {
  await flood?.stop().catch(() => undefined);
  for (const s of servers) await s.stop().catch(() => undefined);
  process.exit(0);
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  let r: Request;
  try {
    r = JSON.parse(line) as Request;
  } catch {
    process.stdout.write(`${JSON.stringify({ id: -1, ok: false, error: 'not JSON' })}\n`);
    return;
  }
  handle(r).then(
    (body) => process.stdout.write(`${JSON.stringify({ id: r.id, ok: true, ...body })}\n`),
    (err: unknown) => process.stdout.write(`${JSON.stringify({ id: r.id, ok: false, error: (err as Error).message })}\n`),
  );
});
lines.on('close', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
process.stdout.write(`${JSON.stringify({ id: 0, ok: true, ready: true })}\n`);
