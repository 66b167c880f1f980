// The checkpoint engine in this process, fed as srpd's session API feeds it: an Active and a
// Standby over a link that encodes every message to protobuf bytes and decodes it on the other
// side (no compression, HMAC or sockets), and a capture of exactly what an Active sends.
import { CheckpointEngine, systemClock, type CheckpointMessage, type CheckpointTransport } from '@srp-ha/checkpoint';
import { decodeMessageBody, encodeMessageBody, messageTypeOf, type MessageType, type SrpMessage } from '@srp-ha/wire';
import { storeOf, type Session } from '@srp-ha/checkpoint/internal';
import type { SessionSpec, UpdateSpec } from './data.js';

export const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

/** As srpd's bench config: every session eligible at once, no audit. */
export const ENGINE_CONFIG = { sessionDurationMs: 0, sessionDurationImsMs: 0, auditEnabled: false, maxUnackedBatches: 65536 };

/** Creates a session as the session API's upsert of a new id does. */
export function createSession(engine: CheckpointEngine, spec: SessionSpec): void {
  const counters: Record<string, bigint> = {};
  for (const k in spec.counters) counters[k] = BigInt(spec.counters[k] ?? 0);
  engine.create({ id: spec.id, lifetimeMs: spec.lifetimeMs, attrs: spec.attrs, counters });
}

/** Updates a session as the session API's upsert of an existing id does: counters, attrs and the lifetime as one change. */
export function updateSession(engine: CheckpointEngine, spec: UpdateSpec): void {
  const s = engine.lookup(spec.id);
  if (!s) throw new Error(`no session ${spec.id}`);
  let counters: Record<string, bigint> | undefined;
  if (spec.counters) {
    counters = {};
    for (const k in spec.counters) counters[k] = BigInt(spec.counters[k] ?? 0);
  }
  engine.update(s, { attrs: spec.attrs, counters });
}

/** One end of the in-process link: what it sends is encoded and queued for the peer. */
export class WireEndpoint implements CheckpointTransport {
  readonly inbox: Array<{ type: MessageType; bytes: Uint8Array }> = [];
  peer: WireEndpoint | null = null;
  handler: (m: CheckpointMessage) => void = () => undefined;
  readonly writable = true;
  bytes = 0;
  send(msg: CheckpointMessage): void {
    const bytes = encodeMessageBody(msg);
    this.bytes += bytes.length;
    this.peer?.inbox.push({ type: messageTypeOf(msg), bytes });
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

export class EnginePair {
  readonly a = new WireEndpoint();
  readonly b = new WireEndpoint();
  readonly active: CheckpointEngine;
  readonly standby: CheckpointEngine;

  constructor(config: Record<string, unknown> = {}) {
    this.a.peer = this.b;
    this.b.peer = this.a;
    this.active = new CheckpointEngine({ clock: systemClock, transport: this.a, config: { ...ENGINE_CONFIG, ...config } });
    this.standby = new CheckpointEngine({ clock: systemClock, transport: this.b, config: { ...ENGINE_CONFIG, ...config } });
    this.a.handler = (m) => this.active.handle(m);
    this.b.handler = (m) => this.standby.handle(m);
  }

  async start(): Promise<void> {
    await this.active.becomeActive();
    this.standby.becomeStandby();
  }

  /** Delivers both ways until nothing is queued. */
  async deliverAll(): Promise<void> {
    const settle = (): Promise<void> => this.standby.drain();
    while ((await this.a.deliver(settle)) + (await this.b.deliver(settle)) > 0);
  }

  /** Runs the bulk sync (peerJoined) to its end. */
  async bulkSync(): Promise<void> {
    this.active.peerJoined();
    while (this.active.statistics().macro.inProgress || this.a.inbox.length + this.b.inbox.length > 0) {
      await this.deliverAll();
      await tick();
    }
  }

  close(): void {
    this.active.close();
    this.standby.close();
  }
}

/** A transport that keeps what an Active sends and acknowledges each micro batch and macro End at once. */
class Capture implements CheckpointTransport {
  readonly messages: SrpMessage[] = [];
  readonly writable = true;
  engine: CheckpointEngine | null = null;
  send(msg: CheckpointMessage): void {
    this.messages.push(msg);
    let ack: { upToSequence: number; snapshotId: number; failedItems: number } | null = null;
    if (msg.kind === 'microCheckpointBatch') ack = { upToSequence: msg.body.batchSequence, snapshotId: 0, failedItems: 0 };
    else if (msg.kind === 'macroCheckpointEnd') ack = { upToSequence: 0, snapshotId: msg.body.snapshotId, failedItems: 0 };
    if (ack) {
      const body = ack;
      queueMicrotask(() => this.engine?.handle({ kind: 'checkpointAck', body }));
    }
  }
  onDrain(): void {}
}

export interface Captured {
  /** The bulk sync's chunks (MacroCheckpointChunk). */
  chunks: SrpMessage[];
  /** The micro batches of the updates. */
  batches: SrpMessage[];
  updates: number;
  /** The Active's table after the updates (what a bulk sync would read now). */
  table: Session[];
}

/**
 * What an Active sends for `sessions` sessions (the bulk sync's chunks) and then `updates`
 * updates in calls of `perCall` (the micro batches), as srpd's engine builds them.
 */
export async function captureActive(
  data: { sessions: number; create(i: number): SessionSpec; pick(k: number): number; update(i: number): UpdateSpec; endCall(): void },
  updates: number,
  perCall = 1000,
): Promise<Captured> {
  const t = new Capture();
  const engine = new CheckpointEngine({ clock: systemClock, transport: t, config: ENGINE_CONFIG });
  t.engine = engine;
  await engine.becomeActive();
  for (let i = 0; i < data.sessions; i++) createSession(engine, data.create(i));
  engine.peerJoined();
  while (engine.statistics().macro.inProgress) await tick();
  const chunks = t.messages.filter((m) => m.kind === 'macroCheckpointChunk');
  t.messages.length = 0;
  for (let done = 0; done < updates; ) {
    for (let k = 0; k < perCall && done < updates; k++, done++) updateSession(engine, data.update(data.pick(k)));
    data.endCall();
    engine.sendPending();
    await tick();
  }
  await new Promise((r) => setTimeout(r, 10));
  engine.close();
  return { chunks, batches: t.messages.filter((m) => m.kind === 'microCheckpointBatch'), updates, table: [...storeOf(engine).values()] };
}
