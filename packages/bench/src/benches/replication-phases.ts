// The phases of the replication bench on a running srpd pair: a bulk sync (while updates go
// on), the Standby's memory, and update phases (unpaced or paced), each measured from outside.
import type { MacroTimeSpent, WriteAck } from '@srp-ha/checkpoint';
import { monotonicMs } from '../clock.js';
import { PROBE_PREFIX, apiSender, lagCells, probeLag, type SessionDriver } from '../driver.js';
import { load } from '../machine.js';
import { CpuMeter } from '../metrics.js';
import { waitFor, type Srpd } from '../pair.js';
import type { Cell } from '../result.js';
import { round } from '../stats.js';
import { runWriter, type WriterResult } from '../writer.js';

/** The Active's last macro, where its time went, in seconds: encoding/other work/link/micro acks/Standby after End. */
export function spentText(t: MacroTimeSpent | null | undefined): string | null {
  if (!t) return null;
  return [t.encodingMs, t.otherWorkMs, t.linkMs, t.microAcksMs, t.standbyMs].map((ms) => (ms / 1000).toFixed(1)).join('/');
}

export interface PhaseSettings {
  opsPerCall: number;
  maxInFlight: number;
  /** The update phases' acknowledgement: "replicated" waits for the Standby's ack. */
  ack?: WriteAck;
}

/** Resolves once the Active has nothing pending and every batch is acknowledged. */
export async function caughtUp(active: Srpd, timeoutMs = 300_000): Promise<void> {
  await waitFor(
    'the Standby to catch up',
    async () => {
      const s = await active.checkpoint();
      return s.pending.sessions === 0 && s.pending.unackedBatches === 0 && !s.macro.inProgress;
    },
    timeoutMs,
    20,
  );
}

/** Heap + external memory of a daemon after a full GC. */
export async function memoryOf(d: Srpd): Promise<{ heap: number; offHeap: number; sessions: number; slabs: number | null }> {
  const m = await d.memory();
  return { heap: m.memoryUsage.heapUsed, offHeap: m.memoryUsage.external, sessions: m.sessions, slabs: m.arena?.slabs ?? null };
}

/**
 * Starts the Standby with `codec` while the driver writes at `load` ops/s, and measures the
 * bulk sync: the Active's Begin -> End, process start -> ready, bytes on the wire, event-loop
 * delay of both, and the Standby's memory per session once the writer stopped.
 */
export async function bulkSyncPhase(
  driver: SessionDriver,
  active: Srpd,
  standby: Srpd,
  codec: string,
  rate: number,
  s: PhaseSettings,
  baseline: { heap: number; offHeap: number },
): Promise<Record<string, Cell>> {
  const a0 = await active.checkpoint();
  const l0 = await active.statistics();
  await active.loopDelay();
  let ready = false;
  driver.resetProbes();
  const t0 = monotonicMs();
  const writing =
    rate > 0
      ? runWriter({ rate, opsPerCall: s.opsPerCall, maxInFlight: s.maxInFlight, seconds: 600, until: () => ready, makeCall: (_k, slot) => driver.call(s.opsPerCall, slot, s.maxInFlight), send: apiSender(active) })
      : Promise.resolve(null);
  let readyMs = 0;
  let cpu: ReturnType<CpuMeter['read']> | null = null;
  try {
    await standby.start({ compression: [codec] });
    const meter = new CpuMeter([active.pid, standby.pid]);
    await waitFor('the Standby to be ready', async () => (await standby.info()).standbyReady, 600_000, 20);
    readyMs = monotonicMs() - t0;
    cpu = meter.read();
  } catch (err) {
    const a = await active.checkpoint().catch(() => null);
    const why = a ? ` (Active: ${a.macro.sent - a0.macro.sent} macros sent, ${a.nacks.received - a0.nacks.received} NACKs received, macro in progress: ${a.macro.inProgress})` : '';
    throw new Error(`${(err as Error).message}${why}`);
  } finally {
    ready = true; // stops the writer
    await writing.catch(() => null);
  }
  const w = await writing;
  await waitFor(
    'the bulk sync to be acknowledged',
    async () => {
      const x = await active.checkpoint();
      return x.macro.sent > a0.macro.sent && !x.macro.inProgress ? x : null;
    },
    600_000,
    20,
  );
  const [la, lb] = await Promise.all([active.loopDelay(), standby.loopDelay()]);
  const a1 = await active.checkpoint();
  const l1 = await active.statistics();
  await caughtUp(active);
  const m = await memoryOf(standby);
  const per = (x: number): number => Math.round(x / Math.max(1, m.sessions));
  return {
    codec,
    sessions: a1.macro.lastSessions,
    load: rate,
    loadRate: w ? w.rate : 0,
    beginToEndMs: a1.macro.lastDurationMs,
    startToReadyMs: Math.round(readyMs),
    spent: spentText(a1.macro.lastTimeSpent),
    cpuActive: cpu?.pids[0] ?? null,
    cpuStandby: cpu?.pids[1] ?? null,
    cpuDriver: cpu?.self ?? null,
    macros: a1.macro.sent - a0.macro.sent,
    wireMiB: round((l1.link.bytesOut - l0.link.bytesOut) / 2 ** 20, 1),
    ratio: round((a1.bytes.beforeCompression - a0.bytes.beforeCompression) / Math.max(1, a1.bytes.afterCompression - a0.bytes.afterCompression), 2),
    activeLoopP99: la.p99,
    standbyLoopP99: lb.p99,
    heap: per(m.heap - baseline.heap),
    offHeap: per(m.offHeap - baseline.offHeap),
    arena: m.slabs === null ? null : per(m.slabs * 2 ** 20),
    memory: per(m.heap + m.offHeap - baseline.heap - baseline.offHeap),
    load1: load()[0],
  };
}

/**
 * Updates for `seconds` at `rate` ops/s (0: unpaced), then waits until the Standby caught up:
 * rates, lag per update from the probes, call latency, bytes on the wire per update, CPU and
 * event-loop delay of both daemons and the driver.
 */
export async function updatePhase(
  driver: SessionDriver,
  active: Srpd,
  standby: Srpd,
  codec: string,
  rate: number,
  seconds: number,
  s: PhaseSettings,
): Promise<{ row: Record<string, Cell>; writer: WriterResult }> {
  await standby.armProbes(PROBE_PREFIX);
  driver.resetProbes();
  await Promise.all([active.loopDelay(), standby.loopDelay()]);
  const [a0, b0, l0] = await Promise.all([active.checkpoint(), standby.checkpoint(), active.statistics()]);
  const cpu = new CpuMeter([active.pid, standby.pid]);
  const t0 = monotonicMs();
  const inFlight = rate > 0 ? s.maxInFlight : 2;
  const w = await runWriter({ rate, opsPerCall: s.opsPerCall, maxInFlight: inFlight, seconds, makeCall: (_k, slot) => driver.call(s.opsPerCall, slot, inFlight), send: apiSender(active, s.ack) });
  await caughtUp(active);
  const elapsedS = (monotonicMs() - t0) / 1000;
  const c = cpu.read();
  const [la, lb] = await Promise.all([active.loopDelay(), standby.loopDelay()]);
  const [a1, b1, l1, applied] = await Promise.all([active.checkpoint(), standby.checkpoint(), active.statistics(), standby.probes()]);
  const lag = probeLag(w.probes, applied);
  if (w.errors > 0) throw new Error(`${w.errors} calls failed, first: ${w.firstError ?? '?'}`);
  const ops = w.ops;
  return {
    writer: w,
    row: {
      codec,
      phase: `${rate > 0 ? `paced ${rate}/s` : 'unpaced'}${s.ack === 'replicated' ? ', replicated ack' : ''}`,
      apiRate: w.rate,
      replicated: Math.round(ops / elapsedS),
      applied: Math.round((b1.micro.applied - b0.micro.applied) / elapsedS),
      ...lagCells(lag, w),
      late: w.late,
      wirePerUpdate: round((l1.link.bytesOut - l0.link.bytesOut) / ops, 1),
      checkpointPerUpdate: round((a1.bytes.afterCompression - a0.bytes.afterCompression) / ops, 1),
      coalesced: a1.micro.coalesced - a0.micro.coalesced,
      cpuActive: c.pids[0] ?? null,
      cpuStandby: c.pids[1] ?? null,
      cpuDriver: c.self,
      loopActive: la.p99,
      loopStandby: lb.p99,
      load1: load()[0],
    },
  };
}
