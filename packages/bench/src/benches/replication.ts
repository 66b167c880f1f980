// Two real srpd processes on 127.0.0.1 (real TCP, encoding, compression, HMAC) driven through
// the session API, and the Redis baseline on the same data in the same run. Per codec: a bulk
// sync of the whole table while updates go on, the Standby's memory per session, updates
// unpaced and at fixed rates with the lag per update measured by probes (API receipt ->
// Standby apply), bytes on the wire per update, CPU and event-loop delay of both daemons.
import type { WriteAck } from '@srp-ha/checkpoint';
import { listOption, numberOption, type Bench } from '../bench.js';
import { LAG_COLUMNS, SessionDriver, apiLoader } from '../driver.js';
import { DaemonPair, stopSignal, waitFor } from '../pair.js';
import type { Cell, Column, Table } from '../result.js';
import { redisBaseline } from './replication-redis.js';
import { bulkSyncPhase, memoryOf, updatePhase, type PhaseSettings } from './replication-phases.js';

interface ReplicationParams extends Record<string, Cell> {
  sessions: number;
  seconds: number;
  rates: string;
  unpaced: boolean;
  codecs: string;
  syncLoad: number;
  opsPerCall: number;
  maxInFlight: number;
  hello: string;
  dead: string;
  redis: boolean;
  acks: string;
}

const SYNC_COLUMNS: Column[] = [
  { key: 'codec', label: 'codec' },
  { key: 'sessions', label: 'sessions' },
  { key: 'loadRate', label: 'updates meanwhile', unit: '/s' },
  { key: 'beginToEndMs', label: 'Begin -> End', unit: 'ms' },
  { key: 'startToReadyMs', label: 'start -> ready', unit: 'ms' },
  { key: 'spent', label: 'Active: encoding/other work/link/micro acks/Standby after End', unit: 's' },
  { key: 'cpuActive', label: 'CPU Active', unit: '%' },
  { key: 'cpuStandby', label: 'CPU Standby', unit: '%' },
  { key: 'cpuDriver', label: 'CPU driver', unit: '%' },
  { key: 'macros', label: 'macros' },
  { key: 'wireMiB', label: 'wire', unit: 'MiB', digits: 1 },
  { key: 'ratio', label: 'compression', digits: 2 },
  { key: 'activeLoopP99', label: 'Active loop p99', unit: 'ms', digits: 1 },
  { key: 'standbyLoopP99', label: 'Standby loop p99', unit: 'ms', digits: 1 },
  { key: 'heap', label: 'heap', unit: 'B/session' },
  { key: 'offHeap', label: 'off-heap', unit: 'B/session' },
  { key: 'arena', label: 'of it arena', unit: 'B/session' },
  { key: 'memory', label: 'memory', unit: 'B/session' },
  { key: 'load1', label: 'load', digits: 2 },
];

const UPDATE_COLUMNS: Column[] = [
  { key: 'codec', label: 'codec' },
  { key: 'phase', label: 'phase' },
  { key: 'apiRate', label: 'API', unit: 'ops/s' },
  { key: 'replicated', label: 'replicated', unit: 'updates/s' },
  { key: 'applied', label: 'applied', unit: 'items/s' },
  ...LAG_COLUMNS,
  { key: 'late', label: 'late calls' },
  { key: 'wirePerUpdate', label: 'wire', unit: 'B/update', digits: 1 },
  { key: 'checkpointPerUpdate', label: 'checkpoint', unit: 'B/update', digits: 1 },
  { key: 'coalesced', label: 'coalesced' },
  { key: 'cpuActive', label: 'CPU Active', unit: '%' },
  { key: 'cpuStandby', label: 'CPU Standby', unit: '%' },
  { key: 'cpuDriver', label: 'CPU driver', unit: '%' },
  { key: 'loopActive', label: 'Active loop p99', unit: 'ms', digits: 1 },
  { key: 'loopStandby', label: 'Standby loop p99', unit: 'ms', digits: 1 },
  { key: 'load1', label: 'load', digits: 2 },
];

const isDuration = (s: string): boolean => /^\d+(ms|s)$/.test(s);

export const replicationBench: Bench<ReplicationParams> = {
  name: 'replication',
  summary: 'two srpd processes through the session API: bulk sync, Standby memory, updates/s, lag per update, bytes per update; Redis baseline',
  settings: ['sessions', 'seconds', 'rates', 'unpaced', 'codecs', 'sync-load', 'ops-per-call', 'in-flight', 'hello', 'dead', 'redis', 'ack'],
  params: (o) => {
    const hello = o.values.hello ?? '200ms';
    const dead = o.values.dead ?? '3s';
    if (!isDuration(hello) || !isDuration(dead)) throw new Error(`--hello and --dead must be durations like 200ms or 3s, got '${hello}', '${dead}'`);
    const redis = o.values.redis ?? 'yes';
    if (redis !== 'yes' && redis !== 'no') throw new Error(`--redis must be yes or no, got '${redis}'`);
    return {
      sessions: numberOption(o, 'sessions', o.short ? 2000 : 1_000_000, { integer: true, min: 1 }),
      seconds: numberOption(o, 'seconds', o.short ? 0.5 : 8, { min: 0.1 }),
      rates: listOption(o, 'rates', o.short ? '2000' : '50000,100000', (s) => Number(s) > 0, 'a rate in ops/s').join(','),
      unpaced: (o.values.unpaced ?? (o.short ? 'no' : 'yes')) !== 'no',
      codecs: listOption(o, 'codecs', o.short ? 'lz4' : 'zlib,lz4', (s) => s === 'zlib' || s === 'lz4', 'zlib or lz4').join(','),
      syncLoad: numberOption(o, 'sync-load', o.short ? 1000 : 50_000, { min: 0 }),
      opsPerCall: numberOption(o, 'ops-per-call', o.short ? 100 : 1000, { integer: true, min: 1 }),
      maxInFlight: numberOption(o, 'in-flight', 4, { integer: true, min: 1 }),
      hello,
      dead,
      redis: redis === 'yes',
      acks: listOption(o, 'ack', 'applied', (s) => s === 'applied' || s === 'replicated', 'applied or replicated').join(','),
    };
  },
  async run(p, ctx) {
    const settings: PhaseSettings = { opsPerCall: p.opsPerCall, maxInFlight: p.maxInFlight };
    const driver = new SessionDriver(p.sessions, ctx.data, ctx.short ? 256 : 4096);
    const sync: Table = { id: 'replication-sync', title: 'bulk sync of the whole table to a starting Standby, while updates go on', columns: SYNC_COLUMNS, rows: [], notes: ['Active: where the bulk sync\'s time went on the Active (checkpoint statistics, last macro): its own slices reading and encoding chunks; the event loop\'s turns for everything else between them (API calls, micro batches, GC); waiting for the link to drain; holding chunks while a micro batch awaited its ack; from End to the Standby\'s ack', 'CPU: % of one core, of each process (all its threads), from the Standby\'s start to its ready', 'memory: the Standby\'s heap and off-heap (external: arena slabs, buffers) after a full GC, less an empty daemon\'s, per session'] };
    const updates: Table = { id: 'replication-updates', title: 'updates through the Active\'s session API', columns: UPDATE_COLUMNS, rows: [], notes: ['lag: from the API\'s receipt of a call to the Standby\'s apply of the probe update it carried; from due: from when the writer\'s schedule had the call due', 'replicated ack: each call asks for the replicated acknowledgement (--ack), so its answer (call p99) waits for the Standby\'s ack', 'wire: bytes the Active\'s SRP link wrote (frames, HMAC, Hellos) per update; checkpoint: the checkpoint messages\' compressed bytes per update', 'coalesced: changes folded into a change of the same session still pending on the Active (an update is one change: counters, attrs and the lifetime restart together)'] };
    const pair = await DaemonPair.create({ helloInterval: p.hello, deadInterval: p.dead });
    const skipped: string[] = [];
    try {
      const [a, b] = [pair.a, pair.b];
      await a.start({ compression: ['lz4', 'zlib'] });
      await waitFor('alpha to become Active alone', async () => (await a.state()) === 'Active', 60_000);
      const empty = await memoryOf(a);
      const loader = apiLoader(a);
      const loaded = await driver.load(loader.send);
      console.log(`loaded ${p.sessions} sessions (+${driver.probeData.sessions} probe sessions) in ${loaded.seconds.toFixed(1)} s: ${loaded.rate}/s (${loader.refused()} calls refused while the Active was fenced, sent again)`);
      for (const codec of p.codecs.split(',')) {
        sync.rows.push(await bulkSyncPhase(driver, a, b, codec, p.syncLoad, settings, empty));
        const phases = [...(p.unpaced ? [0] : []), ...p.rates.split(',').map(Number)];
        for (const ack of p.acks.split(',') as WriteAck[]) {
          for (const rate of phases) updates.rows.push((await updatePhase(driver, a, b, codec, rate, p.seconds, { ...settings, ack })).row);
        }
        await b.kill(stopSignal());
      }
    } finally {
      await pair.stop();
    }
    const tables = [sync, updates];
    if (p.redis) {
      const r = await redisBaseline(p, ctx.data, settings);
      if ('skipped' in r) skipped.push(r.skipped);
      else tables.push(...r.tables);
    } else skipped.push('Redis baseline: --redis no');
    return { tables, skipped };
  },
};
