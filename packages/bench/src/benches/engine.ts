// The checkpoint engine alone, in this process: an Active and a Standby engine over a link that
// encodes every message to protobuf bytes and decodes it on the other side (no compression,
// HMAC or sockets: the replication bench has the real figures). It times the bulk sync of the
// table, then the Active's updates with their batch encoding and the Standby's decoding and
// applying of the same batches, each on its own; and what the Standby's copy costs in memory.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { numberOption, type Bench } from '../bench.js';
import { SessionData } from '../data.js';
import { memoryNow } from '../gc.js';
import { EnginePair, createSession, tick, updateSession } from '../inproc.js';
import { round } from '../stats.js';

interface EngineParams extends Record<string, number> {
  sessions: number;
  updates: number;
  opsPerCall: number;
}

export const engineBench: Bench<EngineParams> = {
  name: 'engine',
  summary: 'the checkpoint engine in one process: bulk sync, Active and Standby cost per update, Standby memory per session',
  settings: ['sessions', 'updates', 'ops-per-call'],
  params: (o) => ({
    sessions: numberOption(o, 'sessions', o.short ? 5000 : 1_000_000, { integer: true, min: 1 }),
    updates: numberOption(o, 'updates', o.short ? 5000 : 500_000, { integer: true, min: 1 }),
    opsPerCall: numberOption(o, 'ops-per-call', 1000, { integer: true, min: 1 }),
  }),
  async run(p, ctx) {
    const data = new SessionData({ sessions: p.sessions, shape: ctx.data });
    const pair = new EnginePair({ batchDelayMs: 1 });
    await pair.start();
    const m0 = await memoryNow();
    let t = performance.now();
    for (let i = 0; i < p.sessions; i++) createSession(pair.active, data.create(i));
    const createMs = performance.now() - t;
    const m1 = await memoryNow();

    const h = monitorEventLoopDelay({ resolution: 1 });
    h.enable();
    t = performance.now();
    await pair.bulkSync();
    const syncMs = performance.now() - t;
    h.disable();
    const m2 = await memoryNow();

    const applied0 = pair.standby.statistics().micro.applied;
    const bytes0 = pair.a.bytes;
    t = performance.now();
    for (let done = 0; done < p.updates; ) {
      for (let k = 0; k < p.opsPerCall && done < p.updates; k++, done++) updateSession(pair.active, data.update(data.pick(k)));
      data.endCall();
      pair.active.sendPending();
      await tick();
    }
    await new Promise((r) => setTimeout(r, 5));
    await tick();
    const activeMs = performance.now() - t;
    t = performance.now();
    await pair.deliverAll();
    const standbyMs = performance.now() - t;
    const applied = pair.standby.statistics().micro.applied - applied0;
    const equal = pair.active.summary().digest === pair.standby.summary().digest;
    const arenaSlabs = pair.standby.arenaStats().slabs;
    pair.close();
    const perSession = (a: number, b: number): number | null => round((b - a) / p.sessions, 0);
    return {
      tables: [
        {
          id: 'engine-table',
          title: `${p.sessions} sessions: create on the Active, bulk sync to the Standby`,
          columns: [
            { key: 'createMs', label: 'create', unit: 'ms' },
            { key: 'activeHeap', label: 'Active heap', unit: 'B/session' },
            { key: 'syncMs', label: 'bulk sync', unit: 'ms' },
            { key: 'loopP99', label: 'loop delay p99', unit: 'ms', digits: 1 },
            { key: 'standbyHeap', label: 'Standby heap', unit: 'B/session' },
            { key: 'standbyOffHeap', label: 'Standby off-heap', unit: 'B/session' },
            { key: 'standbyArena', label: 'of it arena', unit: 'B/session' },
            { key: 'standbyTotal', label: 'Standby total', unit: 'B/session' },
          ],
          rows: [
            {
              createMs: Math.round(createMs),
              activeHeap: perSession(m0.heap, m1.heap),
              syncMs: Math.round(syncMs),
              loopP99: round(h.percentile(99) / 1e6, 1),
              standbyHeap: perSession(m1.heap, m2.heap),
              standbyOffHeap: perSession(m1.offHeap, m2.offHeap),
              standbyArena: perSession(0, arenaSlabs * 2 ** 20),
              standbyTotal: perSession(m1.heap + m1.offHeap, m2.heap + m2.offHeap),
            },
          ],
          notes: ['Standby memory: heap and off-heap (arena slabs, buffers) added by the bulk sync, after a full GC'],
        },
        {
          id: 'engine-updates',
          title: `${p.updates} updates in calls of ${p.opsPerCall}`,
          columns: [
            { key: 'side', label: 'side' },
            { key: 'us', label: 'time', unit: 'us/update', digits: 2 },
            { key: 'rate', label: 'updates/s' },
            { key: 'items', label: 'items' },
            { key: 'protobuf', label: 'protobuf', unit: 'B/update', digits: 1 },
            { key: 'equal', label: 'digests equal' },
          ],
          rows: [
            { side: 'Active: update + batch encoding', us: round((activeMs * 1000) / p.updates, 2), rate: Math.round((p.updates / activeMs) * 1000), items: null, protobuf: round((pair.a.bytes - bytes0) / p.updates, 1), equal: null },
            { side: 'Standby: decode + apply', us: round((standbyMs * 1000) / p.updates, 2), rate: Math.round((p.updates / standbyMs) * 1000), items: applied, protobuf: null, equal },
          ],
        },
      ],
    };
  },
};
