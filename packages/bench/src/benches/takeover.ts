// Takeover after kill -9 of the Active, with a loaded table, timed from outside both daemons:
// from the kill to the Standby's state-change event to Active (its /v1/events stream). Each
// trial then restarts the killed chassis, which must come back Standby (never Active: its peer
// holds the sessions) and ready before the next trial. Counts false takeovers (a switchover
// nobody caused) and restarted chassis that became Active; the bench fails when either is not 0.
import { choiceOption, numberOption, type Bench } from '../bench.js';
import { monotonicMs } from '../clock.js';
import { SessionDriver, apiLoader } from '../driver.js';
import { load } from '../machine.js';
import { HELLO_PATHS } from '@srp-ha/srp-daemon/client';
import { DaemonPair, livenessConfig, switchoverCount, waitFor, type Srpd } from '../pair.js';
import { PAUSE_COLUMNS, PROBE_COLUMNS_NOTE, probeRun } from '../pauses.js';
import type { Cell, Table } from '../result.js';
import { round, summarize } from '../stats.js';
import { caughtUp } from './replication-phases.js';

interface TakeoverParams extends Record<string, Cell> {
  trials: number;
  sessions: number;
  hello: number;
  dead: number;
  rtPriority: number;
  /** srpd's liveness.hello-path for both daemons. */
  helloPath: string;
  /** The pause probe's SCHED_RR priority (0: normal priority). */
  probePriority: number;
}

/** When one trial's takeover happened, on the wall clock of the host (ms), for its breakdown. */
interface TakeoverMoments {
  /** The daemon's own time of its change to Pending-Active (the dead verdict), from the event. */
  pendingAt: number | null;
  /** The daemon's own time of its change to Active, from the event. */
  activeAt: number | null;
  /** When this process received the change to Active. */
  receivedAt: number | null;
}

/**
 * Resolves (monotonic ms) when `d` reports a state change to Active on its event stream, and
 * records the moments of the takeover (the events carry the daemon's wall-clock time, the same
 * host clock as ours): verdict, Active, and our receipt.
 */
async function whenActive(d: Srpd): Promise<{ at: Promise<number>; moments: TakeoverMoments; close: () => void }> {
  let resolve: (t: number) => void = () => undefined;
  const at = new Promise<number>((r) => (resolve = r));
  const moments: TakeoverMoments = { pendingAt: null, activeAt: null, receivedAt: null };
  const stop = new AbortController();
  await new Promise<void>((opened, fail) => {
    d.api
      .followEvents({
        types: ['state-change'],
        signal: stop.signal,
        onOpen: opened,
        onEvent: (e) => {
          if (e.type !== 'state-change') return;
          const to = (e as { to?: string }).to;
          if (to === 'Pending-Active' && moments.pendingAt === null) moments.pendingAt = Date.parse(e.at);
          if (to === 'Active' && moments.activeAt === null) {
            moments.activeAt = Date.parse(e.at);
            moments.receivedAt = Date.now();
            resolve(monotonicMs());
          }
        },
      })
      .catch(fail);
  });
  return { at, moments, close: () => stop.abort() };
}

/** a - b in ms, or null when either is unknown. */
const span = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : a - b);

export const takeoverBench: Bench<TakeoverParams> = {
  name: 'takeover',
  summary: 'kill -9 of the Active of a loaded pair, trial after trial: takeover time, false takeovers, restarted chassis that became Active',
  settings: ['trials', 'sessions', 'hello', 'dead', 'rt-priority', 'hello-path', 'probe-priority'],
  params: (o) => {
    // Short mode (the test that keeps the bench from rotting) runs slower timers, which a busy
    // CI box holds; the figures come from the full run at 10 ms / 30 ms.
    const hello = numberOption(o, 'hello', o.short ? 100 : 10, { integer: true, min: 10 });
    const dead = numberOption(o, 'dead', o.short ? 300 : 30, { integer: true, min: 3 * hello });
    return {
      trials: numberOption(o, 'trials', o.short ? 3 : 25, { integer: true, min: 1 }),
      sessions: numberOption(o, 'sessions', o.short ? 5000 : 1_000_000, { integer: true, min: 0 }),
      hello,
      dead,
      // srpd's liveness.realtime-priority for both daemons (0: not set: srpd's default, auto).
      rtPriority: numberOption(o, 'rt-priority', 0, { integer: true, min: 0 }),
      helloPath: choiceOption(o, 'hello-path', 'process', HELLO_PATHS),
      probePriority: numberOption(o, 'probe-priority', 50, { integer: true, min: 0 }),
    };
  },
  async run(p, ctx) {
    const probe = probeRun(p.probePriority);
    const pair = await DaemonPair.create({
      helloInterval: `${p.hello}ms`,
      deadInterval: `${p.dead}ms`,
      config: livenessConfig(p.rtPriority, p.helloPath),
    });
    const times: number[] = [];
    let falseTakeovers = 0;
    let restartedActive = 0;
    let sessionsLost = 0;
    let notReady = 0;
    const trialRows: Array<Record<string, Cell>> = [];
    let failure: string | null = null;
    try {
      await Promise.all([pair.a.start(), pair.b.start()]);
      let [active, standby] = await pair.settled(true);
      if (p.sessions > 0) {
        const driver = new SessionDriver(p.sessions, ctx.data, 0);
        const loader = apiLoader(active);
        const loaded = await driver.load(loader.send);
        await caughtUp(active);
        console.log(`loaded ${p.sessions} sessions in ${loaded.seconds.toFixed(1)} s (${loader.refused()} calls refused while the Active was fenced, sent again)`);
      }
      for (let t = 1; t <= p.trials; t++) {
        [active, standby] = await pair.settled(true, 600_000);
        const before = await switchoverCount(standby);
        const watch = await whenActive(standby);
        // A kill at a random point of the hello period.
        await new Promise((r) => setTimeout(r, Math.random() * p.hello * 3));
        const killedAt = monotonicMs();
        const killedWall = Date.now();
        await active.kill();
        const at = await Promise.race([watch.at, new Promise<number>((r) => setTimeout(() => r(-1), 30_000))]);
        watch.close();
        const ms = at < 0 ? null : at - killedAt;
        if (ms !== null) times.push(ms);
        // The killed chassis comes back: it must rejoin as Standby, never Active.
        await active.start();
        const came = await waitFor(
          'the restarted chassis to settle',
          async () => {
            const s = await active.state();
            return s === 'Standby' || s === 'Active' ? s : null;
          },
          60_000,
          2,
        );
        // ... and become a ready Standby again: a role change while it syncs counts too (a
        // false takeover, or the restarted chassis that became Active), and so does any session
        // the pair no longer holds.
        const settled = await pair.settled(true, 600_000).catch(() => null);
        const taken = (await switchoverCount(standby)) - before;
        if (taken !== 1) falseTakeovers += Math.max(0, taken - 1);
        const becameActive = came === 'Active' || (await switchoverCount(active)) > 0;
        if (becameActive) restartedActive++;
        const held = settled ? (await settled[0].api.call('GET /v1/sessions/summary')).eligible : 0;
        const lost = Math.max(0, p.sessions - held);
        sessionsLost += lost;
        if (!settled) notReady++;
        const m = watch.moments;
        const verdictMs = span(m.pendingAt, killedWall);
        const toActiveMs = span(m.activeAt, m.pendingAt);
        const deliveryMs = span(m.receivedAt, m.activeAt);
        trialRows.push({
          trial: t,
          takeoverMs: ms === null ? null : round(ms, 1),
          verdictMs,
          toActiveMs,
          deliveryMs,
          rejoined: becameActive ? 'ACTIVE' : 'Standby',
          lost,
          load1: load()[0],
        });
        const parts = ms === null ? '' : ` (verdict ${verdictMs ?? '?'} ms after the kill, Active ${toActiveMs ?? '?'} ms later, event received ${deliveryMs ?? '?'} ms after that)`;
        console.log(`trial ${t}: takeover ${ms === null ? 'none within 30 s' : `${ms.toFixed(1)} ms`}${parts}, restarted chassis ${becameActive ? 'became ACTIVE' : 'rejoined as Standby'}${settled ? '' : ', no ready Standby within 600 s'}, ${lost} sessions lost`);
      }
    } catch (err) {
      // A run that cannot go on (the role moved while the table loaded, say) is a result too:
      // the trials so far, why it ended, and what the pause probe saw meanwhile.
      failure = (err as Error).message;
      console.log(`takeover: run ended after ${trialRows.length} trial(s): ${failure}`);
    } finally {
      await pair.stop();
    }
    const seen = await probe.stop(`${p.hello}/${p.dead}`, p.dead - p.hello);
    console.log(seen.note);
    const s = summarize(times);
    const target = p.dead + 30;
    const summary: Table = {
      id: 'takeover',
      title: `kill -9 of the Active with ${p.sessions} sessions, hello ${p.hello} ms / dead ${p.dead} ms (${ctx.variant})`,
      columns: [
        { key: 'trials', label: 'trials' },
        { key: 'p50', label: 'p50', unit: 'ms', digits: 1 },
        { key: 'p99', label: 'p99', unit: 'ms', digits: 1 },
        { key: 'max', label: 'max', unit: 'ms', digits: 1 },
        { key: 'target', label: 'target p99', unit: 'ms' },
        { key: 'falseTakeovers', label: 'false takeovers' },
        { key: 'restartedActive', label: 'restarted chassis became Active' },
        { key: 'missing', label: 'no takeover' },
        { key: 'sessionsLost', label: 'sessions lost' },
        { key: 'notReady', label: 'no ready Standby after' },
        ...PAUSE_COLUMNS,
      ],
      rows: [
        {
          trials: trialRows.length,
          p50: round(s.p50, 1),
          p99: round(s.p99, 1),
          max: round(s.max, 1),
          target,
          falseTakeovers,
          restartedActive,
          missing: trialRows.length - times.length,
          sessionsLost,
          notReady,
          ...seen.cells,
        },
      ],
      notes: [
        'timed from the kill to the Standby\'s state-change event to Active, outside both daemons; a kill lands at a random point of the hello period',
        PROBE_COLUMNS_NOTE,
        seen.note,
      ],
    };
    const trials: Table = {
      id: 'takeover-trials',
      title: 'trial by trial',
      columns: [
        { key: 'trial', label: 'trial' },
        { key: 'takeoverMs', label: 'takeover', unit: 'ms', digits: 1 },
        { key: 'verdictMs', label: 'kill -> Pending-Active', unit: 'ms' },
        { key: 'toActiveMs', label: 'Pending-Active -> Active', unit: 'ms' },
        { key: 'deliveryMs', label: 'Active -> event received', unit: 'ms' },
        { key: 'rejoined', label: 'restarted chassis' },
        { key: 'lost', label: 'sessions lost' },
        { key: 'load1', label: 'load', digits: 2 },
      ],
      rows: trialRows,
      notes: ['the three parts, from the wall-clock times of the kill, of the daemon\'s state-change events (whole ms) and of their receipt: the dead verdict, the takeover on the daemon\'s main thread, and the event\'s way to this process'],
    };
    if (failure !== null || falseTakeovers > 0 || restartedActive > 0 || times.length < trialRows.length || sessionsLost > 0 || notReady > 0) {
      process.exitCode = 1;
      if (failure !== null) summary.notes?.push(`FAILED: the run ended after ${trialRows.length} of ${p.trials} trials: ${failure}`);
      summary.notes?.push(`FAILED: ${falseTakeovers} false takeover(s), ${restartedActive} restarted chassis became Active, ${trialRows.length - times.length} trial(s) without a takeover, ${sessionsLost} sessions lost, ${notReady} trial(s) without a ready Standby after`);
    }
    return { tables: [summary, trials] };
  },
};
