// The Redis baseline of the replication bench: redis-server primary -> replica on loopback,
// the same sessions as hashes (attributes, counters and the expiry time as fields; an update is
// one HSET of the moved counters, the changed attribute and the new expiry), written by the
// same paced writer in pipelined calls of the same size. The replica's applies are seen
// through keyspace notifications of the probe keys and its replication offset.
import { monotonicMs } from '../clock.js';
import { LIFETIME_MS, type DataShape, type SessionSpec, type UpdateSpec } from '../data.js';
import { LAG_COLUMNS, PROBE_PREFIX, SessionDriver, lagCells, probeLag, type OpFormat } from '../driver.js';
import { load } from '../machine.js';
import { CpuMeter } from '../metrics.js';
import { waitFor } from '../pair.js';
import type { Cell, Table } from '../result.js';
import { round } from '../stats.js';
import { runWriter } from '../writer.js';
import { RedisConnection, command } from '../redis/resp.js';
import { RedisServer, findRedis } from '../redis/server.js';
import type { PhaseSettings } from './replication-phases.js';

const KEYSPACE = '__keyspace@0__:';

/** One HSET per create or update. */
const REDIS_FORMAT: OpFormat = {
  op(spec: SessionSpec | UpdateSpec): string {
    const args = ['HSET', spec.id];
    for (const k in spec.attrs) args.push(k, spec.attrs[k] ?? '');
    for (const k in spec.counters) args.push(k, String(spec.counters[k] ?? 0));
    args.push('exp', String(Date.now() + LIFETIME_MS));
    return command(args);
  },
  body: (ops) => ops.join(''),
};

const num = (v: string | undefined): number => Number(v ?? NaN);

export interface RedisParams {
  sessions: number;
  seconds: number;
  rates: string;
  unpaced: boolean;
  syncLoad: number;
}

export async function redisBaseline(p: RedisParams, shape: DataShape, s: PhaseSettings): Promise<{ tables: Table[] } | { skipped: string }> {
  const found = findRedis();
  if ('missing' in found) return { skipped: `Redis baseline: ${found.missing}` };
  const primary = await RedisServer.start(found.bin);
  let replica: RedisServer | null = null;
  const conns: RedisConnection[] = [];
  const open = async (port: number): Promise<RedisConnection> => {
    const c = await RedisConnection.open(port);
    conns.push(c);
    return c;
  };
  try {
    const pc = await open(primary.port);
    const empty = num((await pc.info('memory')).used_memory);
    const driver = new SessionDriver(p.sessions, shape, 4096, REDIS_FORMAT);
    const writers = [pc];
    while (writers.length < s.maxInFlight) writers.push(await open(primary.port));
    let next = 0;
    /** One connection per writer slot (in order per connection); the loader takes turns. */
    const send = (body: string, ops: number, slot = next++): Promise<{ receivedAtMonotonicMs: number }> => {
      const c = writers[slot % writers.length] ?? pc;
      const at = monotonicMs();
      return c.pipeline(body, ops).then(() => ({ receivedAtMonotonicMs: at }));
    };
    const loaded = await driver.load(send);
    console.log(`redis: loaded ${p.sessions} sessions in ${loaded.seconds.toFixed(1)} s: ${loaded.rate}/s`);

    // Full sync of a new replica while updates go on.
    let synced = false;
    driver.resetProbes();
    const t0 = monotonicMs();
    const writing = p.syncLoad > 0 ? runWriter({ rate: p.syncLoad, opsPerCall: s.opsPerCall, maxInFlight: s.maxInFlight, seconds: 600, until: () => synced, makeCall: (_k, slot) => driver.call(s.opsPerCall, slot, s.maxInFlight), send: (c, slot) => send(c.body, c.ops, slot) }) : Promise.resolve(null);
    replica = await RedisServer.start(found.bin, primary.port);
    const rc = await open(replica.port);
    await waitFor('the replica to sync', async () => {
      const r = await rc.info('replication');
      return r.master_link_status === 'up' && r.master_sync_in_progress === '0';
    }, 600_000, 20);
    const syncMs = monotonicMs() - t0;
    synced = true;
    const w0 = await writing;
    const caught = async (): Promise<void> => {
      const target = num((await pc.info('replication')).master_repl_offset);
      await waitFor('the replica to catch up', async () => num((await rc.info('replication')).slave_repl_offset) >= target, 300_000, 10);
    };
    await caught();
    const mem = num((await rc.info('memory')).used_memory);
    const sync: Table = {
      id: 'redis-sync',
      title: 'Redis: full sync of a new replica, while updates go on',
      columns: [
        { key: 'sessions', label: 'sessions' },
        { key: 'loadRate', label: 'updates meanwhile', unit: '/s' },
        { key: 'syncMs', label: 'start -> synced', unit: 'ms' },
        { key: 'memory', label: 'replica memory', unit: 'B/session' },
        { key: 'load1', label: 'load', digits: 2 },
      ],
      rows: [{ sessions: p.sessions, loadRate: w0 ? w0.rate : 0, syncMs: Math.round(syncMs), memory: Math.round((mem - empty) / (p.sessions + driver.probeData.sessions)), load1: load()[0] }],
      notes: ['memory: the replica\'s used_memory less an empty server\'s, per session'],
    };

    // Update phases: probes seen through keyspace notifications on the replica.
    const sub = await open(replica.port);
    let applied: Record<string, number> = {};
    sub.onPush = (m) => {
      const channel = String(m[2] ?? '');
      const id = channel.slice(KEYSPACE.length);
      applied[id] ??= monotonicMs();
    };
    await sub.psubscribe(`${KEYSPACE}${PROBE_PREFIX}*`);
    const updates: Table = {
      id: 'redis-updates',
      title: 'Redis: pipelined HSETs on the primary, applied by the replica',
      columns: [
        { key: 'phase', label: 'phase' },
        { key: 'apiRate', label: 'primary', unit: 'ops/s' },
        { key: 'replicated', label: 'replicated', unit: 'updates/s' },
        ...LAG_COLUMNS,
        { key: 'wirePerUpdate', label: 'wire', unit: 'B/update', digits: 1 },
        { key: 'cpuPrimary', label: 'CPU primary', unit: '%' },
        { key: 'cpuReplica', label: 'CPU replica', unit: '%' },
        { key: 'cpuDriver', label: 'CPU driver', unit: '%' },
        { key: 'load1', label: 'load', digits: 2 },
      ],
      rows: [],
      notes: ['lag: from the driver\'s write of a call to the replica\'s keyspace notification of the probe key it carried', 'wire: the primary\'s replication stream (master_repl_offset) per update'],
    };
    for (const rate of [...(p.unpaced ? [0] : []), ...p.rates.split(',').map(Number)]) {
      applied = {};
      driver.resetProbes();
      const off0 = num((await pc.info('replication')).master_repl_offset);
      const cpu = new CpuMeter([primary.pid, replica.pid]);
      const t1 = monotonicMs();
      const inFlight = rate > 0 ? s.maxInFlight : 2;
      const w = await runWriter({ rate, opsPerCall: s.opsPerCall, maxInFlight: inFlight, seconds: p.seconds, makeCall: (_k, slot) => driver.call(s.opsPerCall, slot, inFlight), send: (c, slot) => send(c.body, c.ops, slot) });
      await caught();
      const elapsed = (monotonicMs() - t1) / 1000;
      const c = cpu.read();
      const off1 = num((await pc.info('replication')).master_repl_offset);
      await new Promise((r) => setTimeout(r, 50)); // the last notifications
      const lag = probeLag(w.probes, applied);
      const row: Record<string, Cell> = {
        phase: rate > 0 ? `paced ${rate}/s` : 'unpaced',
        apiRate: w.rate,
        replicated: Math.round(w.ops / elapsed),
        ...lagCells(lag, w),
        wirePerUpdate: round((off1 - off0) / w.ops, 1),
        cpuPrimary: c.pids[0] ?? null,
        cpuReplica: c.pids[1] ?? null,
        cpuDriver: c.self,
        load1: load()[0],
      };
      updates.rows.push(row);
    }
    return { tables: [sync, updates] };
  } finally {
    for (const c of conns) c.close();
    await replica?.stop();
    await primary.stop();
  }
}
