// Liveness under load: two real srpd processes with a large table and updates flowing; the
// Standby is restarted so a bulk sync of the whole table runs under the load. Per pair of
// timers and codec: state changes nobody asked for on either side (goal 0), the bulk sync's
// time (start of the Standby to ready), the main thread's event-loop delay p99 of both
// daemons over the sync, and the content digests of both tables at the end (goal equal).
// With --hog, the same beside one busy process per core.
import { listOption, numberOption, type Bench } from '../bench.js';
import { monotonicMs } from '../clock.js';
import { SessionDriver, apiLoader, apiSender } from '../driver.js';
import { load } from '../machine.js';
import { HELLO_PATHS } from '@srp-ha/srp-daemon/client';
import { DaemonPair, livenessConfig, switchoverCount, waitFor, type Srpd } from '../pair.js';
import { PAUSE_COLUMNS, PROBE_COLUMNS_NOTE, probeRun } from '../pauses.js';
import type { Cell, Column, Table } from '../result.js';
import { runWriter } from '../writer.js';
import { caughtUp, spentText } from './replication-phases.js';

interface LivenessParams extends Record<string, Cell> {
  sessions: number;
  rate: number;
  timers: string;
  codecs: string;
  /** Seconds of load before the Standby is restarted, and after it is ready again. */
  before: number;
  after: number;
  opsPerCall: number;
  /** srpd's liveness.realtime-priority for both daemons (0: not set: srpd's default, auto). */
  rtPriority: number;
  /** srpd's liveness.hello-path for both daemons, one run each (process, thread, or both). */
  helloPaths: string;
  /** The pause probe's SCHED_RR priority (0: normal priority). */
  probePriority: number;
}

const COLUMNS: Column[] = [
  { key: 'timers', label: 'hello / dead' },
  { key: 'codec', label: 'codec' },
  { key: 'helloPath', label: 'Hello path' },
  { key: 'sessions', label: 'sessions' },
  { key: 'apiRate', label: 'updates', unit: '/s' },
  { key: 'failedCalls', label: 'failed calls' },
  { key: 'activeChanges', label: 'Active: unasked state changes' },
  { key: 'standbyChanges', label: 'Standby: unasked state changes' },
  { key: 'syncMs', label: 'bulk sync (start -> ready)', unit: 'ms' },
  { key: 'spent', label: 'Active: encoding/other work/link/micro acks/Standby after End', unit: 's' },
  { key: 'macros', label: 'macros' },
  { key: 'activeLoopP99', label: 'Active loop p99', unit: 'ms', digits: 1 },
  { key: 'standbyLoopP99', label: 'Standby loop p99', unit: 'ms', digits: 1 },
  { key: 'lagP99', label: 'replication lag p99', unit: 'ms', digits: 1 },
  { key: 'lagMax', label: 'replication lag max', unit: 'ms', digits: 1 },
  { key: 'digests', label: 'content digests' },
  ...PAUSE_COLUMNS,
  { key: 'verdict', label: 'verdict' },
  { key: 'load1', label: 'load', digits: 2 },
];

const TIMERS = /^(\d+)\/(\d+)$/;

/** Switchovers a daemon counted since it started, all reasons. */

/** Polls both states every 20 ms and counts changes (the restarted Standby's own start excepted). */
function watchStates(active: Srpd, standby: Srpd): { stop: () => Promise<{ active: number; standby: number }>; restarting: (on: boolean) => void } {
  let running = true;
  let restarting = false;
  const seen = { active: 'Active', standby: 'Standby' };
  const changes = { active: 0, standby: 0 };
  const loop = (async () => {
    while (running) {
      for (const [key, d] of [['active', active], ['standby', standby]] as const) {
        if (key === 'standby' && restarting) continue;
        try {
          const s = await d.state();
          if (s !== seen[key]) {
            changes[key]++;
            seen[key] = s;
          }
        } catch {
          // A daemon too busy to answer within the client's timeout: not a state change.
        }
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    restarting: (on) => {
      restarting = on;
      if (!on) seen.standby = 'Standby';
    },
    stop: async () => {
      running = false;
      await loop;
      return changes;
    },
  };
}

async function digest(d: Srpd): Promise<string> {
  return (await d.api.call('GET /v1/sessions/summary')).digest;
}

/**
 * Compares the content digests once the pair is protected again (one Active, one ready Standby,
 * nothing pending, no macro running: a Standby still in a bulk sync differs by design, which is
 * a missed sync goal, not a divergence), and only across a stretch in which neither chassis
 * switched over: digests read while the roles moved (a takeover restarts lifetimes and
 * advances counters on the new Active, then replicates them) say nothing. Tried again until
 * the deadline; 'DIFFER' only from a stable reading.
 */
async function compareDigests(pair: DaemonPair, timeoutMs = 120_000): Promise<string> {
  const deadline = monotonicMs() + timeoutMs;
  let why = 'no ready Standby';
  while (monotonicMs() < deadline) {
    const settled = await pair.settled(true, Math.max(1, deadline - monotonicMs())).catch(() => null);
    if (!settled) return why;
    const [active, standby] = settled;
    await caughtUp(active, Math.max(1, deadline - monotonicMs())).catch(() => undefined);
    const before = await Promise.all([switchoverCount(active), switchoverCount(standby)]);
    const [da, db] = await Promise.all([digest(active), digest(standby)]);
    const after = await Promise.all([switchoverCount(active), switchoverCount(standby)]);
    const [sa, sb] = await Promise.all([active.state(), standby.state()]);
    if (before[0] === after[0] && before[1] === after[1] && sa === 'Active' && sb === 'Standby') return da === db ? 'equal' : 'DIFFER';
    why = 'roles kept moving';
  }
  return why;
}

export const livenessBench: Bench<LivenessParams> = {
  name: 'liveness',
  summary: 'a loaded pair with updates flowing restarts its Standby (bulk sync under load): unasked state changes, sync time, event-loop p99, digests',
  settings: ['sessions', 'rate', 'timers', 'codecs', 'before', 'after', 'ops-per-call', 'rt-priority', 'hello-path', 'probe-priority'],
  params: (o) => ({
    sessions: numberOption(o, 'sessions', o.short ? 5000 : 1_000_000, { integer: true, min: 1 }),
    rate: numberOption(o, 'rate', o.short ? 2000 : 50_000, { min: 0 }),
    timers: listOption(o, 'timers', o.short ? '50/150' : '50/150,10/30', (s) => TIMERS.test(s), 'hello/dead in ms, like 50/150').join(','),
    codecs: listOption(o, 'codecs', o.short ? 'zlib' : 'zlib,lz4', (s) => s === 'zlib' || s === 'lz4', 'zlib or lz4').join(','),
    before: numberOption(o, 'before', o.short ? 1 : 10, { min: 0 }),
    after: numberOption(o, 'after', o.short ? 1 : 5, { min: 0 }),
    opsPerCall: numberOption(o, 'ops-per-call', o.short ? 100 : 1000, { integer: true, min: 1 }),
    rtPriority: numberOption(o, 'rt-priority', 0, { integer: true, min: 0 }),
    helloPaths: listOption(o, 'hello-path', 'process', (s) => (HELLO_PATHS as readonly string[]).includes(s), HELLO_PATHS.join(' or ')).join(','),
    probePriority: numberOption(o, 'probe-priority', 50, { integer: true, min: 0 }),
  }),
  async run(p, ctx) {
    const table: Table = {
      id: 'liveness',
      title: `a loaded pair keeps ${p.rate} updates/s flowing while its Standby restarts and bulk-syncs (${ctx.variant})`,
      columns: COLUMNS,
      rows: [],
      notes: [
        'unasked state changes: transitions nobody asked for, from 20 ms polling of each daemon plus its switchover counters (the restarted Standby\'s own start is not one)',
        'bulk sync: from the restarted Standby\'s process start to it reporting ready; Active: where the Active\'s time went from Begin to the ack (its slices reading and encoding chunks, the event loop\'s turns for everything else between them, waiting for the link to drain, holding chunks while a micro batch awaited its ack, from End to the ack); loop p99: the main thread\'s event-loop delay over the sync, from each daemon\'s /metrics',
        'replication lag: over the sync, from a change on the Active to the Standby\'s acknowledgement of the micro batch that carried it (the Active\'s measurement window): how long a write acknowledged during a bulk sync is exposed to a kill -9 of the Active',
        PROBE_COLUMNS_NOTE,
      ],
    };
    for (const timers of p.timers.split(',')) {
      const [, hello, dead] = TIMERS.exec(timers) ?? [];
      for (const codec of p.codecs.split(',')) {
        for (const helloPath of p.helloPaths.split(',')) {
          const label = `${timers} ${codec} ${helloPath}`;
          const probe = probeRun(p.probePriority);
          const pair = await DaemonPair.create({ helloInterval: `${hello}ms`, deadInterval: `${dead}ms`, config: { compression: [codec], ...livenessConfig(p.rtPriority, helloPath) } });
          let row: Record<string, Cell>;
          try {
            row = await oneRun(pair, p, ctx.data, label, (table.notes ??= []));
          } catch (err) {
            // A run that cannot finish (the role moved while the table was loaded, a Standby that
            // never got ready) is a result too: its row says why, and the other runs go on.
            console.log(`${label}: run failed: ${(err as Error).message}`);
            row = { sessions: p.sessions, verdict: `FAILED: ${(err as Error).message.slice(0, 160)}`, load1: load()[0] };
          } finally {
            await pair.stop();
          }
          const seen = await probe.stop(label, Number(dead) - Number(hello));
          table.rows.push({ timers, codec, helloPath, ...row, ...seen.cells });
          console.log(seen.note);
          table.notes?.push(seen.note);
        }
      }
    }
    const bad = table.rows.filter((r) => r.verdict !== 'ok');
    if (bad.length > 0) table.notes?.push(`${bad.length} run(s) missed a goal (see the verdict column)`);
    return { tables: [table] };
  },
};

/** One run: its row; a note (why write calls failed) goes to `notes`. */
async function oneRun(pair: DaemonPair, p: LivenessParams, shape: 'realistic' | 'sequential', label: string, notes: string[]): Promise<Record<string, Cell>> {
  const driver = new SessionDriver(p.sessions, shape, 0);
  await Promise.all([pair.a.start(), pair.b.start()]);
  const [active, standby] = await pair.settled(true);
  const loader = apiLoader(active);
  const loaded = await driver.load(loader.send);
  await caughtUp(active);
  console.log(`${label}: loaded ${p.sessions} sessions in ${loaded.seconds.toFixed(1)} s (${loader.refused()} calls refused while the Active was fenced, sent again)`);
  const [swA0, swB0] = await Promise.all([switchoverCount(active), switchoverCount(standby)]);
  const macros0 = (await active.checkpoint()).macro.sent;
  const watch = watchStates(active, standby);
  let stop = false;
  const writing = runWriter({
    rate: p.rate,
    opsPerCall: p.opsPerCall,
    maxInFlight: 4,
    seconds: 3600,
    until: () => stop,
    makeCall: (_k, slot) => driver.call(p.opsPerCall, slot, 4),
    send: apiSender(active),
  });
  await new Promise((r) => setTimeout(r, p.before * 1000));
  watch.restarting(true);
  await standby.kill();
  await active.loopDelay(); // restarts the Active's event-loop histogram
  await active.window(); // and its replication-lag window
  const t0 = monotonicMs();
  await standby.start();
  await waitFor('the restarted Standby to be ready', async () => (await standby.info()).standbyReady, 600_000, 20);
  const syncMs = Math.round(monotonicMs() - t0);
  const [la, lb, lag] = await Promise.all([active.loopDelay(), standby.loopDelay(), active.window()]);
  watch.restarting(false);
  await new Promise((r) => setTimeout(r, p.after * 1000));
  stop = true;
  const w = await writing;
  const changes = await watch.stop();
  const [swA1, swB1] = await Promise.all([switchoverCount(active), switchoverCount(standby)]);
  const digests = await compareDigests(pair);
  const activeChanges = changes.active + (swA1 - swA0);
  const standbyChanges = changes.standby + swB1; // the restarted Standby counts from its start
  const equal = digests === 'equal';
  const verdict = activeChanges === 0 && standbyChanges === 0 && equal && syncMs <= 10_000 && w.errors === 0 ? 'ok' : 'MISS';
  void swB0;
  const a1 = await active.checkpoint();
  if (w.errors > 0) notes.push(`failed calls, ${label}: ${w.errors}, the first: ${w.firstError ?? '?'}`);
  return {
    sessions: p.sessions,
    apiRate: Math.round(w.rate),
    failedCalls: w.errors,
    activeChanges,
    standbyChanges,
    syncMs,
    spent: spentText(a1.macro.lastTimeSpent),
    macros: a1.macro.sent - macros0,
    activeLoopP99: la.p99,
    standbyLoopP99: lb.p99,
    lagP99: lag.replicationLagMs.p99,
    lagMax: lag.replicationLagMs.max,
    digests,
    verdict,
    load1: load()[0],
  };
}
