// A paced writer: calls at a fixed rate, open loop. Call k is due at start + k x interval
// whatever happened to the calls before it; a call due while `maxInFlight` calls are out waits
// in a backlog and is sent as soon as one returns, and its latency counts from when it was due,
// not from when it could be sent. So a slow API shows as latency (and a backlog), never as
// calls quietly not made (no coordinated omission). With rate 0 the writer is unpaced:
// `maxInFlight` calls back to back.
import { monotonicMs } from './clock.js';
import { sleep } from './pair.js';
import { summarize, type Summary } from './stats.js';

export interface Call {
  body: string;
  ops: number;
  /** Id of the probe session this call updates, if any. */
  probe?: string;
}

export interface CallReply {
  /** When the API received the call (CLOCK_MONOTONIC ms), when it says so. */
  receivedAtMonotonicMs?: number;
}

export interface WriterOptions {
  /** Ops per second; 0: unpaced. */
  rate: number;
  opsPerCall: number;
  seconds: number;
  maxInFlight?: number;
  /** Backlog left when the phase is over is sent for at most this long, then abandoned (default: the phase length). */
  drainSeconds?: number;
  /** Stops issuing calls early once this returns true (checked at every due time). */
  until?: () => boolean;
  /**
   * Call k, to go out on `slot` (0 .. maxInFlight-1): a slot has one call out at a time, so a
   * caller that keeps each session to one slot never has two calls on one session out at once
   * (they could be applied out of order).
   */
  makeCall(k: number, slot: number): Call;
  send(call: Call, slot: number): Promise<CallReply>;
}

export interface ProbeSent {
  id: string;
  /** When the call was due (CLOCK_MONOTONIC ms). */
  dueAt: number;
  /** When the API received it, per its reply (null: the reply did not say). */
  receivedAt: number | null;
}

export interface WriterResult {
  calls: number;
  ops: number;
  /** From the first due time to the last reply, s. */
  seconds: number;
  /** Ops answered per second over `seconds`. */
  rate: number;
  /** Call latency from when it was due to its reply, ms. */
  latencyMs: Summary;
  /** Calls sent more than 1 ms after they were due (they waited in the backlog). */
  late: number;
  maxBacklog: number;
  /** Calls still in the backlog when the drain time ran out: never sent, counted as failures. */
  abandoned: number;
  errors: number;
  firstError: string | null;
  probes: ProbeSent[];
}

export async function runWriter(o: WriterOptions): Promise<WriterResult> {
  const max = o.maxInFlight ?? 4;
  const interval = o.rate > 0 ? (o.opsPerCall / o.rate) * 1000 : 0;
  const latencies: number[] = [];
  const probes: ProbeSent[] = [];
  const backlog: number[] = [];
  let head = 0;
  let inFlight = 0;
  let calls = 0;
  let ops = 0;
  let late = 0;
  let maxBacklog = 0;
  let errors = 0;
  let firstError: string | null = null;
  let k = 0;
  let lastReply = 0;
  let wake: (() => void) | null = null;

  const freeSlots = Array.from({ length: max }, (_, i) => max - 1 - i);
  const issue = (dueAt: number): void => {
    const slot = freeSlots.pop() ?? 0;
    const call = o.makeCall(k++, slot);
    inFlight++;
    if (monotonicMs() - dueAt > 1) late++;
    let sent: Promise<CallReply>;
    try {
      sent = o.send(call, slot);
    } catch (err) {
      sent = Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    sent.then(
      (reply) => {
        const t = monotonicMs();
        lastReply = t;
        latencies.push(t - dueAt);
        calls++;
        ops += call.ops;
        if (call.probe !== undefined) probes.push({ id: call.probe, dueAt, receivedAt: reply.receivedAtMonotonicMs ?? null });
      },
      (err: unknown) => {
        errors++;
        firstError ??= (err as Error).message;
      },
    ).finally(() => {
      freeSlots.push(slot);
      inFlight--;
      pump();
      wake?.();
    });
  };
  const pump = (): void => {
    while (inFlight < max && head < backlog.length) issue(backlog[head++] ?? 0);
    if (head > 1024 && head * 2 > backlog.length) {
      backlog.splice(0, head);
      head = 0;
    }
  };
  const idle = (): Promise<void> => new Promise((r) => (wake = r));

  const t0 = monotonicMs();
  const end = t0 + o.seconds * 1000;
  const more = (): boolean => monotonicMs() < end && !(o.until?.() ?? false);
  if (interval === 0) {
    // Unpaced: keep `max` calls out until the time is up.
    while (more()) {
      while (inFlight < max) issue(monotonicMs());
      await idle();
    }
  } else {
    for (let due = 0; t0 + due * interval < end && !(o.until?.() ?? false); ) {
      const now = monotonicMs();
      while (t0 + due * interval <= now && t0 + due * interval < end) backlog.push(t0 + due++ * interval);
      maxBacklog = Math.max(maxBacklog, backlog.length - head - Math.max(0, max - inFlight));
      pump();
      const next = t0 + due * interval - monotonicMs();
      if (next > 0) await sleep(next);
    }
    const drainEnd = monotonicMs() + (o.drainSeconds ?? o.seconds) * 1000;
    while (head < backlog.length && monotonicMs() < drainEnd) await Promise.race([idle(), sleep(50)]);
  }
  const abandoned = backlog.length - head;
  head = backlog.length;
  while (inFlight > 0) await idle();
  const seconds = Math.max(1e-3, (lastReply - t0) / 1000);
  return {
    calls,
    ops,
    seconds: Math.round(seconds * 100) / 100,
    rate: Math.round(ops / seconds),
    latencyMs: summarize(latencies),
    late,
    maxBacklog,
    abandoned,
    errors,
    firstError,
    probes,
  };
}
