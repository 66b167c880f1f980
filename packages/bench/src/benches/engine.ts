// The checkpoint engine alone, in this process: an Active and a Standby engine over a link that
// encodes every message to protobuf bytes and decodes it on the other side (no compression,
// HMAC or sockets: the replication bench has the real figures). It times the bulk sync of the
// table, then the Active's updates with their batch encoding and the Standby's decoding and
// applying of the same batches, each on its own; and what the Standby's copy costs in memory.
// Then a lone Active with the same table steps down for a peer it never synced: the copy of the
// whole table for its hand-over, in slices, with the event loop's turns it left meanwhile.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { CheckpointEngine, systemClock } from '@srp-ha/checkpoint';
import { numberOption, type Bench } from '../bench.js';
import { SessionData } from '../data.js';
import { memoryNow } from '../gc.js';
import { ENGINE_CONFIG, EnginePair, WireEndpoint, createSession, tick, updateSession } from '../inproc.js';
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
    const capture = await handoffCapture(data, p.sessions);
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
        {
          id: 'engine-handoff',
          title: `A step-down's hand-over of the whole table (${p.sessions} sessions, never synced to the peer): the copy, and the merge when it is taken back`,
          columns: [
            { key: 'records', label: 'records' },
            { key: 'firstMs', label: 'in the step-down', unit: 'ms', digits: 1 },
            { key: 'totalMs', label: 'copy until done', unit: 'ms' },
            { key: 'turns', label: 'loop turns meanwhile' },
            { key: 'longestMs', label: 'longest turn', unit: 'ms', digits: 1 },
            { key: 'takeoverMs', label: 'taken back: takeover', unit: 'ms', digits: 1 },
            { key: 'mergeMs', label: 'merged until done', unit: 'ms' },
            { key: 'mergeTurns', label: 'loop turns meanwhile' },
            { key: 'mergeLongestMs', label: 'longest turn', unit: 'ms', digits: 1 },
          ],
          rows: [capture],
          notes: [
            'the copy runs in 2 ms slices; a turn longer than that is the rest of the loop (a GC among it)',
            'taken back: the same chassis becomes Active again after taking a checkpoint of its peer, which never acknowledged the hand-over; it merges the hand-over into its table in 2 ms slices after the takeover (here every session is as the table has it: the merge writes none)',
          ],
        },
      ],
    };
  },
};

/** Counts the event loop's turns and the longest one from start() until stop(). */
class LoopTurns {
  turns = 0;
  longestMs = 0;
  private last = 0;
  private on = false;

  start(): void {
    this.on = true;
    this.last = performance.now();
    const turn = (): void => {
      const now = performance.now();
      this.longestMs = Math.max(this.longestMs, now - this.last);
      this.last = now;
      this.turns++;
      if (this.on) setImmediate(turn);
    };
    setImmediate(turn);
  }

  stop(): { turns: number; longestMs: number | null } {
    this.on = false;
    return { turns: this.turns, longestMs: round(this.longestMs, 1) };
  }
}

/**
 * A lone Active (no peer ever acknowledged a bulk sync: its journal marks the whole table) with
 * `sessions` sessions steps down: the copy of its hand-over, and the event loop meanwhile. Then
 * it takes a checkpoint of its peer (an empty batch stands for the peer's table, which is
 * the same) and becomes Active again, its hand-over never acknowledged: it takes it back, and
 * merges it into its table in the background.
 */
async function handoffCapture(data: SessionData, sessions: number): Promise<Record<string, number | null>> {
  const engine = new CheckpointEngine({ clock: systemClock, transport: new WireEndpoint(), config: ENGINE_CONFIG });
  await engine.becomeActive();
  for (let i = 0; i < sessions; i++) createSession(engine, data.create(i));
  await memoryNow(); // a full GC first: the copy's own garbage only
  const copy = new LoopTurns();
  copy.start();
  let t = performance.now();
  const captured = engine.captureHandoff(1);
  const firstMs = performance.now() - t;
  engine.becomeStandby();
  const h = await captured;
  const totalMs = performance.now() - t;
  const copyTurns = copy.stop();
  engine.handle({ kind: 'microCheckpointBatch', body: { batchSequence: 1, items: [] } });
  const merged = new Promise<void>((resolve) => engine.onEvent((e) => e.type === 'split-handoff-applied' && resolve()));
  const merge = new LoopTurns();
  merge.start();
  t = performance.now();
  await engine.becomeActive({ cause: 'peer-dead' });
  const takeoverMs = performance.now() - t;
  await merged;
  const mergeMs = performance.now() - t;
  const mergeTurns = merge.stop();
  engine.close();
  return {
    records: h?.sessions.length ?? 0,
    firstMs: round(firstMs, 1),
    totalMs: Math.round(totalMs),
    turns: copyTurns.turns,
    longestMs: copyTurns.longestMs,
    takeoverMs: round(takeoverMs, 1),
    mergeMs: Math.round(mergeMs),
    mergeTurns: mergeTurns.turns,
    mergeLongestMs: mergeTurns.longestMs,
  };
}
