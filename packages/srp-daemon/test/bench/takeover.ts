// Takeover benchmark: kill -9 of the Active, timed from outside both daemons until the peer
// reports Active (its /v1/events stream, with GET /v1/srp/info polled every 2 ms as a
// fallback). Run: corepack pnpm --filter @srp-ha/srp-daemon bench:takeover [-- --trials N]
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import type { SrpEvent } from '../../src/contract.js';
import { checkBuilt, converged, makePair, sleep, waitFor, type SrpdProcess } from '../helpers/cluster.js';

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '20' },
    hello: { type: 'string', default: '50ms' },
    dead: { type: 'string', default: '150ms' },
    json: { type: 'boolean', default: false },
  },
});
const trials = Math.max(1, Number(values.trials));

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

/** Resolves with the ms between `t0` and the moment `node` is seen Active from outside. */
function watchActive(node: SrpdProcess): { ready: Promise<void>; active: Promise<number>; stop: () => void; arm: (t0: number) => void } {
  let t0 = 0;
  let done = false;
  let resolveActive: (ms: number) => void = () => undefined;
  const active = new Promise<number>((r) => (resolveActive = r));
  const seen = (): void => {
    if (done || t0 === 0) return;
    done = true;
    resolveActive(performance.now() - t0);
  };
  const ws = new WebSocket(`${node.url.replace(/^http/, 'ws')}/v1/events?type=state-change`);
  ws.on('message', (data: Buffer) => {
    const e = JSON.parse(data.toString('utf8')) as SrpEvent & { to?: string };
    if (e.type === 'state-change' && e.to === 'Active') seen();
  });
  ws.on('error', () => undefined);
  const ready = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let polling = true;
  const poll = async (): Promise<void> => {
    for (let i = 0; polling && i < 10_000; i++) {
      if (t0 !== 0) {
        try {
          if ((await node.info(1000)).state === 'Active') seen();
        } catch {
          /* keep polling */
        }
      }
      await sleep(2);
    }
  };
  void poll();
  return {
    ready,
    active,
    arm: (t) => (t0 = t),
    stop: () => {
      polling = false;
      ws.terminate();
    },
  };
}

async function main(): Promise<void> {
  checkBuilt();
  const pair = await makePair({ helloInterval: values.hello, deadInterval: values.dead });
  const samples: number[] = [];
  try {
    await Promise.all([pair.a.start(), pair.b.start()]);
    for (let t = 0; t < trials; t++) {
      const [active, standby] = await converged(pair.a, pair.b);
      await waitFor('a ready Standby', async () => (await standby.info()).standbyReady, { timeoutMs: 10_000 });
      await sleep(100 + Math.random() * 100); // a random phase against the Hello timer
      const watch = watchActive(standby);
      await watch.ready;
      const t0 = performance.now();
      watch.arm(t0);
      process.kill(active.pid, 'SIGKILL');
      const ms = await Promise.race([watch.active, sleep(10_000).then(() => NaN)]);
      watch.stop();
      await active.waitExit();
      if (Number.isNaN(ms)) throw new Error(`trial ${t + 1}: no takeover within 10 s`);
      samples.push(ms);
      if (!values.json) process.stdout.write(`trial ${String(t + 1).padStart(2)}: ${ms.toFixed(1)} ms\n`);
      await active.start(); // rejoins as Standby for the next trial
    }
  } finally {
    await pair.cleanup();
  }
  const sorted = [...samples].sort((x, y) => x - y);
  const cpu = cpus();
  const result = {
    trials: samples.length,
    helloInterval: values.hello,
    deadInterval: values.dead,
    p50Ms: +percentile(sorted, 50).toFixed(1),
    p99Ms: +percentile(sorted, 99).toFixed(1),
    maxMs: +(sorted.at(-1) ?? NaN).toFixed(1),
    minMs: +(sorted[0] ?? NaN).toFixed(1),
    machine: { cpu: cpu[0]?.model ?? 'unknown', cores: cpu.length, memGiB: +(totalmem() / 2 ** 30).toFixed(1), node: process.version },
  };
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    process.stdout.write(
      `\nkill -9 -> peer Active, ${result.trials} trials, hello ${result.helloInterval}, dead ${result.deadInterval}\n` +
        `p50 ${result.p50Ms} ms   p99 ${result.p99Ms} ms   max ${result.maxMs} ms   (min ${result.minMs} ms)\n` +
        `machine: ${result.machine.cpu}, ${result.machine.cores} cores, ${result.machine.memGiB} GiB, node ${result.machine.node}\n`,
    );
  }
}

await main();
