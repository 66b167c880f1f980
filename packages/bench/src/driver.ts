// Drives an srpd Active through its session API as an application would: loads the table, then
// sends calls of updates, each carrying one update of a probe session so the Standby's probe
// log can say when that call's changes were applied there.
import type { WriteAck } from '@srp-ha/checkpoint';
import { SessionData, opsBody, upsertJson, type DataShape, type SessionSpec, type UpdateSpec } from './data.js';
import type { Srpd } from './pair.js';
import type { Cell, Column } from './result.js';
import { round, summarize, type Summary } from './stats.js';
import type { Call, CallReply, ProbeSent, WriterResult } from './writer.js';
import { JsonText } from '@srp-ha/srp-daemon/client';

/** Probe sessions' ids start with this (the Standby's probe log is armed with it). */
export const PROBE_PREFIX = 'probe-';
const LOAD_OPS_PER_CALL = 10_000;

/** How a create or an update is written for the store being driven, and how ops make one call. */
export interface OpFormat {
  op(spec: SessionSpec | UpdateSpec): string;
  body(ops: string[]): string;
}

/** srpd's session API: upsert ops in a JSON body. */
export const API_FORMAT: OpFormat = { op: upsertJson, body: opsBody };

export class SessionDriver {
  readonly data: SessionData;
  readonly probeData: SessionData;
  private nextProbe = 0;

  constructor(
    sessions: number,
    shape: DataShape,
    /** Probe sessions: one is updated per call, at most once per phase. */
    readonly probes: number,
    private readonly format: OpFormat = API_FORMAT,
  ) {
    this.data = new SessionData({ sessions, shape });
    this.probeData = new SessionData({ sessions: probes, shape, seed: 7, idPrefix: PROBE_PREFIX });
  }

  /** Creates every session and probe session (10k ops per call, two calls out). */
  async load(send: (body: string, ops: number) => Promise<unknown>): Promise<{ seconds: number; rate: number }> {
    const t0 = performance.now();
    const f = this.format;
    const bodies = function* (d: SessionData): Generator<[string, number]> {
      for (let i = 0; i < d.sessions; i += LOAD_OPS_PER_CALL) {
        const ops: string[] = [];
        for (let k = i; k < Math.min(d.sessions, i + LOAD_OPS_PER_CALL); k++) ops.push(f.op(d.create(k)));
        yield [f.body(ops), ops.length];
      }
    };
    for (const d of [this.data, this.probeData]) {
      const it = bodies(d);
      const worker = async (): Promise<void> => {
        for (let r = it.next(); !r.done; r = it.next()) await send(...r.value);
      };
      await Promise.all([worker(), worker()]);
    }
    const seconds = (performance.now() - t0) / 1000;
    return { seconds, rate: Math.round((this.data.sessions + this.probeData.sessions) / seconds) };
  }

  /** A new phase: each probe session may be updated once more. */
  resetProbes(): void {
    this.nextProbe = 0;
  }

  /**
   * A call of `n` updates of random sessions of `slot`'s share (see WriterOptions.makeCall),
   * plus one probe update at a random place when one is left.
   */
  call(n: number, slot = 0, slots = 1): Call {
    const d = this.data;
    const f = this.format;
    const ops: string[] = [];
    for (let k = 0; k < n; k++) ops.push(f.op(d.update(d.pickIn(k, slot, slots))));
    d.endCall();
    if (this.nextProbe >= this.probeData.sessions) return { body: f.body(ops), ops: ops.length };
    const p = this.probeData.update(this.nextProbe++);
    ops.splice(Math.floor(Math.random() * (ops.length + 1)), 0, f.op(p));
    return { body: f.body(ops), ops: ops.length, probe: p.id };
  }
}

/** How long a loader waits before it sends a call again that a fenced Active refused. */
const FENCED_RETRY_MS = 25;
/** ... and how many times per call (about 5 s). */
const FENCED_RETRIES = 200;

/**
 * The send function of SessionDriver.load on srpd: POST /v1/sessions on `active`. A call that
 * the Active refuses while it is fenced (503 SRP_ERR_FENCED: it was stalled, and refuses writes
 * until it hears its peer again, usually within a hello-interval) is sent again, as a client
 * would; `refused` counts those refusals. Any other error (the role moved: 409) ends the load.
 */
export function apiLoader(active: Srpd): { send: (body: string) => Promise<unknown>; refused: () => number } {
  let refused = 0;
  const send = async (body: string): Promise<unknown> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await active.api.json('POST', '/v1/sessions', new JsonText(body));
      } catch (err) {
        if ((err as { code?: string }).code !== 'SRP_ERR_FENCED' || attempt >= FENCED_RETRIES) throw err;
        refused++;
        await new Promise((r) => setTimeout(r, FENCED_RETRY_MS));
      }
    }
  };
  return { send, refused: () => refused };
}

/** The send function of a writer on srpd: POST /v1/sessions on `active`. */
/**
 * Sends calls to the Active's session API; `ack` "replicated": each call asks for the
 * replicated acknowledgement (its answer waits for the Standby's ack).
 */
export function apiSender(active: Srpd, ack: WriteAck = 'applied'): (call: Call, slot: number) => Promise<CallReply> {
  // The body is a JSON object's text ({"ops":[...]}): the field goes before its closing brace.
  const body = ack === 'replicated' ? (b: string): string => `${b.slice(0, -1)},"ack":"replicated"}` : (b: string): string => b;
  return (call, slot) => active.slot(slot).json<CallReply>('POST', '/v1/sessions', new JsonText(body(call.body)));
}

export interface Lag {
  /** From the API's receipt of the call to the Standby's apply of its probe, ms. */
  fromReceipt: Summary;
  /** From when the call was due (the writer's schedule) to the apply, ms: includes any wait for the API. */
  fromDue: Summary;
  sent: number;
  /** Probes sent whose apply the Standby did not record. */
  unseen: number;
}

/** Matches probes sent with the Standby's apply times. */
export function probeLag(sent: readonly ProbeSent[], applied: Record<string, number>): Lag {
  const fromReceipt: number[] = [];
  const fromDue: number[] = [];
  let unseen = 0;
  for (const p of sent) {
    const at = applied[p.id];
    if (at === undefined) {
      unseen++;
      continue;
    }
    fromDue.push(at - p.dueAt);
    if (p.receivedAt !== null) fromReceipt.push(at - p.receivedAt);
  }
  return { fromReceipt: summarize(fromReceipt), fromDue: summarize(fromDue), sent: sent.length, unseen };
}

/** The columns of a phase's lag and calls, as lagCells() fills them. */
export const LAG_COLUMNS: Column[] = [
  { key: 'lagP50', label: 'lag p50', unit: 'ms', digits: 1 },
  { key: 'lagP99', label: 'lag p99', unit: 'ms', digits: 1 },
  { key: 'lagMax', label: 'lag max', unit: 'ms', digits: 1 },
  { key: 'dueP99', label: 'lag p99 from due', unit: 'ms', digits: 1 },
  { key: 'probes', label: 'probes' },
  { key: 'callP99', label: 'call p99', unit: 'ms', digits: 1 },
];

/** A phase's lag (probes seen/sent) and call latency, for LAG_COLUMNS. */
export function lagCells(lag: Lag, w: WriterResult): Record<string, Cell> {
  return {
    lagP50: round(lag.fromReceipt.p50, 1),
    lagP99: round(lag.fromReceipt.p99, 1),
    lagMax: round(lag.fromReceipt.max, 1),
    dueP99: round(lag.fromDue.p99, 1),
    probes: `${lag.sent - lag.unseen}/${lag.sent}`,
    callP99: round(w.latencyMs.p99, 1),
  };
}
