/**
 * In-process benchmark of the checkpoint engine: an Active and a Standby engine in one
 * process over a link that encodes every message to protobuf bytes and decodes it on the other
 * side (as the SRP link does, without compression, HMAC or sockets: the two-daemon bench is
 * the real figure). The update phase is timed per side: the Active's updates with the batch
 * encoding, then the Standby's decoding and applying of the same batches.
 *
 *   corepack pnpm --filter @srp-ha/checkpoint bench:engine [sessions=1000000] [updates=500000]
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { cpus } from 'node:os';
import { decodeMessageBody, encodeMessageBody, messageTypeOf, type MessageType } from '@srp-ha/wire';
import { CheckpointEngine, systemClock, type CheckpointMessage, type CheckpointTransport } from '../src/index.js';

const args = process.argv.slice(2).filter((a) => a !== '--');
const SESSIONS = Number(args[0] ?? 1_000_000);
const UPDATES = Number(args[1] ?? 500_000);
if (!(SESSIONS > 0 && UPDATES > 0)) {
  console.error('usage: engine.bench.js [sessions=1000000] [updates=500000]');
  process.exit(2);
}
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
const id = (i: number): string => `imsi-00101${String(i).padStart(10, '0')}`;

/** One end of the in-process link: what it sends is encoded and queued for the peer. */
class WireEndpoint implements CheckpointTransport {
  readonly inbox: Array<{ type: MessageType; bytes: Uint8Array }> = [];
  peer!: WireEndpoint;
  handler: (m: CheckpointMessage) => void = () => undefined;
  readonly writable = true;
  bytes = 0;
  send(msg: CheckpointMessage): void {
    const bytes = encodeMessageBody(msg);
    this.bytes += bytes.length;
    this.peer.inbox.push({ type: messageTypeOf(msg), bytes });
  }
  onDrain(): void {}
  /** Decodes and hands over the queued messages one at a time, `settle` after each. */
  async deliver(settle: () => Promise<void>): Promise<number> {
    let n = 0;
    for (let m = this.inbox.shift(); m; m = this.inbox.shift(), n++) {
      this.handler(decodeMessageBody(m.type, m.bytes) as CheckpointMessage);
      await settle();
    }
    return n;
  }
}

async function main(): Promise<void> {
  const a = new WireEndpoint();
  const b = new WireEndpoint();
  a.peer = b;
  b.peer = a;
  const config = { sessionDurationMs: 0, sessionDurationImsMs: 0, auditEnabled: false, batchDelayMs: 1, maxUnackedBatches: 65536 };
  const active = new CheckpointEngine({ clock: systemClock, transport: a, config });
  const standby = new CheckpointEngine({ clock: systemClock, transport: b, config });
  a.handler = (m) => active.handle(m);
  b.handler = (m) => standby.handle(m);
  const deliverAll = async (): Promise<void> => {
    const settle = (): Promise<void> => standby.drain();
    while ((await a.deliver(settle)) + (await b.deliver(settle)) > 0);
  };
  await active.becomeActive();
  standby.becomeStandby();
  console.log(`machine: ${cpus()[0]?.model ?? '?'}, ${cpus().length} cores, node ${process.version}; ${SESSIONS} sessions (3 attrs, 2 counters), ${UPDATES} updates`);

  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  let t = performance.now();
  for (let i = 0; i < SESSIONS; i++) {
    active.create({ id: id(i), lifetimeMs: 3_600_000, attrs: { apn: 'internet', rat: 'eutran', ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }, counters: { up: 0n, down: 0n } });
  }
  const createMs = performance.now() - t;
  global.gc?.();
  console.log(`create: ${createMs.toFixed(0)} ms, ~${((process.memoryUsage().heapUsed - heap0) / SESSIONS).toFixed(0)} B heap/session (Active side)`);

  // Macro: bulk sync of the whole table while the event loop is watched.
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  t = performance.now();
  active.peerJoined();
  while (active.statistics().macro.inProgress || a.inbox.length + b.inbox.length > 0) {
    await deliverAll();
    await tick();
  }
  h.disable();
  console.log(
    `macro: ${(performance.now() - t).toFixed(0)} ms, event-loop delay p99 ${(h.percentile(99) / 1e6).toFixed(1)} ms, max ${(h.max / 1e6).toFixed(1)} ms, digests equal: ${active.summary().digest === standby.summary().digest}`,
  );

  // Micro: updates of random sessions as the session API makes them (an attribute changed and
  // the lifetime restarted: one full item each), 5000 per turn. Active first, then Standby.
  const before = standby.statistics().micro.applied;
  const sent0 = a.bytes;
  t = performance.now();
  for (let done = 0; done < UPDATES; ) {
    for (let j = 0; j < 5000 && done < UPDATES; j++, done++) {
      const s = active.store.get(id((done * 104_729) % SESSIONS));
      if (s) active.update(s, { attrs: { seq: String(done) } });
    }
    await tick();
  }
  await new Promise((r) => setTimeout(r, 5));
  await tick();
  const activeMs = performance.now() - t;
  t = performance.now();
  await deliverAll();
  const standbyMs = performance.now() - t;
  const applied = standby.statistics().micro.applied - before;
  const perUpdate = (ms: number): string => `${((ms * 1000) / UPDATES).toFixed(2)} us/update (${Math.round((UPDATES / ms) * 1000)}/s)`;
  console.log(`micro, Active (update + batch encoding): ${activeMs.toFixed(0)} ms, ${perUpdate(activeMs)}, ${((a.bytes - sent0) / applied).toFixed(1)} protobuf B/item`);
  console.log(`micro, Standby (decode + apply): ${standbyMs.toFixed(0)} ms, ${perUpdate(standbyMs)}; ${applied} items applied, digests equal: ${active.summary().digest === standby.summary().digest}`);
  active.close();
  standby.close();
}

await main();
