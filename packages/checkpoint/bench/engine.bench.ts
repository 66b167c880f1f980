/**
 * In-process micro-benchmark of the checkpoint engine: two engines over an in-memory link
 * (no encoding, compression or sockets: the two-daemon bench is the real figure).
 *
 *   corepack pnpm exec tsc -b packages/checkpoint && node packages/checkpoint/dist/bench/engine.bench.js [sessions] [updates]
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { CheckpointEngine, MemoryLink, systemClock } from '../src/index.js';

const SESSIONS = Number(process.argv[2] ?? 1_000_000);
const UPDATES = Number(process.argv[3] ?? 500_000);
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

async function main(): Promise<void> {
  const link = new MemoryLink({ clone: false });
  const config = { sessionDurationMs: 0, sessionDurationImsMs: 0, auditEnabled: false, batchDelayMs: 1 };
  const active = new CheckpointEngine({ clock: systemClock, transport: link.a, config });
  const standby = new CheckpointEngine({ clock: systemClock, transport: link.b, config });
  link.a.handler = (m) => active.handle(m);
  link.b.handler = (m) => standby.handle(m);
  await active.becomeActive();
  standby.becomeStandby();

  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  let t = performance.now();
  for (let i = 0; i < SESSIONS; i++) {
    active.create({ id: `imsi-00101${String(i).padStart(10, '0')}`, lifetimeMs: 3_600_000, attrs: { apn: 'internet', rat: 'eutran', ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }, counters: { up: 0n, down: 0n } });
  }
  const createMs = performance.now() - t;
  global.gc?.();
  const perSession = (process.memoryUsage().heapUsed - heap0) / SESSIONS;
  console.log(`create ${SESSIONS} sessions: ${createMs.toFixed(0)} ms, ~${perSession.toFixed(0)} B heap/session (Active side)`);

  // Macro: bulk sync of the whole table while the event loop is watched.
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  t = performance.now();
  active.peerJoined();
  while (active.statistics().macro.inProgress || !link.idle) {
    link.deliver();
    await standby.drain();
    await tick();
  }
  h.disable();
  const macroMs = performance.now() - t;
  console.log(
    `macro ${SESSIONS} sessions: ${macroMs.toFixed(0)} ms, event-loop delay p99 ${(h.percentile(99) / 1e6).toFixed(1)} ms, max ${(h.max / 1e6).toFixed(1)} ms, digests equal: ${active.summary().digest === standby.summary().digest}`,
  );

  // Micro: attribute updates on random sessions, applied on the Standby.
  t = performance.now();
  const before = standby.statistics().micro.applied;
  let done = 0;
  while (done < UPDATES) {
    for (let j = 0; j < 5000 && done < UPDATES; j++, done++) {
      const i = (done * 7919) % SESSIONS;
      active.updateAttrs(`imsi-00101${String(i).padStart(10, '0')}`, { seq: String(done) });
    }
    link.deliver();
    await tick();
  }
  const busy = (): boolean => {
    const p = active.statistics().pending;
    return p.sessions + p.unackedBatches > 0 || !link.idle;
  };
  while (busy()) {
    link.deliver();
    await standby.drain();
    await tick();
  }
  const microMs = performance.now() - t;
  const applied = standby.statistics().micro.applied - before;
  console.log(
    `micro ${UPDATES} updates: ${microMs.toFixed(0)} ms, ${((UPDATES / microMs) * 1000).toFixed(0)} updates/s, ${applied} items applied (rest coalesced), digests equal: ${active.summary().digest === standby.summary().digest}`,
  );
  active.close();
  standby.close();
}

await main();
