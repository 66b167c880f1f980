// Takeover after kill -9: a pair holding a table of sessions, the Active killed at a random
// point of its Hello period, timed from outside both daemons (the kill, to the peer's
// state-change event on its /v1/events stream, with GET /v1/srp/info polled as a fallback),
// and the sessions the new Active holds counted. For each pair of timers asked for.
import WebSocket from 'ws';
import { listOption, numberOption, type Bench } from '../bench.js';
import { SessionDriver } from '../driver.js';
import { load } from '../machine.js';
import { DaemonPair, sleep, waitFor, type Srpd } from '../pair.js';
import type { Cell, Table } from '../result.js';
import { round, summarize } from '../stats.js';

interface TakeoverParams extends Record<string, Cell> {
  trials: number;
  sessions: number;
  timers: string;
}

const ms = (s: string): number => (s.endsWith('ms') ? Number(s.slice(0, -2)) : Number(s.slice(0, -1)) * 1000);

/** Resolves with the ms from arm() to the moment `node` is seen Active from outside. */
async function watchActive(node: Srpd): Promise<{ arm(t0: number): void; active: Promise<number>; stop(): void }> {
  let t0 = 0;
  let seenAt = 0;
  let resolve: (v: number) => void = () => undefined;
  const active = new Promise<number>((r) => (resolve = r));
  const seen = (): void => {
    if (t0 === 0 || seenAt !== 0) return;
    seenAt = performance.now();
    resolve(seenAt - t0);
  };
  const ws = new WebSocket(`${node.url.replace(/^http/, 'ws')}/v1/events?type=state-change`);
  ws.on('message', (data: Buffer) => {
    const e = JSON.parse(data.toString('utf8')) as { type: string; to?: string };
    if (e.type === 'state-change' && e.to === 'Active') seen();
  });
  ws.on('error', () => undefined);
  await new Promise<void>((res, rej) => {
    ws.once('open', () => res());
    ws.once('error', rej);
  });
  let polling = true;
  void (async () => {
    while (polling) {
      if (t0 !== 0) {
        try {
          if ((await node.info()).state === 'Active') seen();
        } catch {
          /* keep polling */
        }
      }
      await sleep(5);
    }
  })();
  return {
    arm: (t) => (t0 = t),
    active,
    stop: () => {
      polling = false;
      ws.terminate();
    },
  };
}

export const takeoverBench: Bench<TakeoverParams> = {
  name: 'takeover',
  summary: 'kill -9 of the Active holding a table of sessions: time until the peer is Active, sessions kept, per hello/dead timers',
  settings: ['trials', 'sessions', 'timers'],
  params: (o) => ({
    trials: numberOption(o, 'trials', o.short ? 1 : 20, { integer: true, min: 1 }),
    sessions: numberOption(o, 'sessions', o.short ? 500 : 100_000, { integer: true, min: 0 }),
    timers: listOption(o, 'timers', o.short ? '50ms/150ms' : '50ms/150ms,10ms/30ms', (s) => /^\d+m?s\/\d+m?s$/.test(s), 'hello/dead like 50ms/150ms').join(','),
  }),
  async run(p, ctx) {
    const table: Table = {
      id: 'takeover',
      title: 'kill -9 of the Active -> the peer reports Active (seen from outside)',
      columns: [
        { key: 'hello', label: 'hello' },
        { key: 'dead', label: 'dead' },
        { key: 'sessions', label: 'sessions' },
        { key: 'trials', label: 'trials' },
        { key: 'p50', label: 'p50', unit: 'ms', digits: 1 },
        { key: 'p99', label: 'p99', unit: 'ms', digits: 1 },
        { key: 'max', label: 'max', unit: 'ms', digits: 1 },
        { key: 'target', label: 'target (dead + 30 ms)', unit: 'ms' },
        { key: 'over', label: 'over target' },
        { key: 'lost', label: 'sessions lost (max)' },
        { key: 'unsettled', label: 'pair unsettled' },
        { key: 'load1', label: 'load', digits: 2 },
      ],
      rows: [],
      notes: ['pair unsettled: trials where the pair was not one Active and one ready Standby 30 s after the previous one (false takeovers, say); not timed. After two in a row the timers are given up'],
    };
    for (const t of p.timers.split(',')) {
      const [hello = '50ms', dead = '150ms'] = t.split('/');
      const pair = await DaemonPair.create({ helloInterval: hello, deadInterval: dead });
      const samples: number[] = [];
      let lost = 0;
      let unsettled = 0;
      try {
        await pair.a.start();
        await waitFor('alpha to become Active alone', async () => (await pair.a.state()) === 'Active', 60_000);
        const driver = new SessionDriver(p.sessions, ctx.data, 0);
        if (p.sessions > 0) await driver.load((body) => pair.a.api.ok('POST', '/v1/sessions', body));
        await pair.b.start();
        for (let trial = 0, inARow = 0; trial < p.trials; trial++) {
          let active: Srpd;
          let standby: Srpd;
          try {
            [active, standby] = await pair.settled(true, 30_000);
            inARow = 0;
          } catch {
            unsettled++;
            if (++inARow === 2) break; // these timers do not hold on this machine now: say so, go on
            await Promise.all([pair.a.restart(), pair.b.restart()]);
            continue;
          }
          await sleep(ms(hello) * (1 + Math.random())); // a random phase against the Hello timer
          const watch = await watchActive(standby);
          const t0 = performance.now();
          watch.arm(t0);
          await active.kill('SIGKILL');
          const took = await Promise.race([watch.active, sleep(20_000).then(() => NaN)]);
          watch.stop();
          if (Number.isNaN(took)) throw new Error(`trial ${trial + 1}: no takeover within 20 s`);
          samples.push(took);
          const count = (await standby.api.ok<{ count: number }>('GET', '/v1/sessions/summary')).count;
          lost = Math.max(lost, p.sessions - count);
          await active.start(); // rejoins as Standby for the next trial
        }
      } finally {
        await pair.stop();
      }
      const s = summarize(samples);
      const target = ms(dead) + 30;
      table.rows.push({
        hello,
        dead,
        sessions: p.sessions,
        trials: samples.length,
        p50: round(s.p50, 1),
        p99: round(s.p99, 1),
        max: round(s.max, 1),
        target,
        over: samples.filter((x) => x > target).length,
        lost,
        unsettled,
        load1: load()[0],
      });
    }
    return { tables: [table] };
  },
};
