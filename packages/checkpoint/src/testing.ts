import type { CheckpointMessage, CheckpointTransport } from './messages.js';

/**
 * In-memory SRP link for tests: two endpoints, each a CheckpointTransport. Messages are
 * structured-cloned (nothing is shared between the two engines) and queued until deliver().
 * stall() makes an endpoint unwritable; resume() makes it writable again and fires drain.
 */
export class MemoryEndpoint implements CheckpointTransport {
  inbox: CheckpointMessage[] = [];
  peer!: MemoryEndpoint;
  handler: (msg: CheckpointMessage) => void = () => undefined;
  stalled = false;
  down = false;
  /** Message kinds silently dropped when this endpoint sends them. */
  readonly dropKinds = new Set<string>();
  readonly sent: Record<string, number> = {};
  /** structuredClone each message (set false in benchmarks: nothing is mutated after send). */
  clone = true;
  /** Messages the engine said it was done with (CheckpointTransport.release). */
  released = 0;
  /** Overwrite a released batch's item payloads, as a reused receive buffer would. */
  scribbleOnRelease = false;
  /** The peer's features as a link would report them; undefined: the peer has them all. */
  peerFeatures: readonly string[] | undefined = undefined;
  private drainCbs: (() => void)[] = [];

  get writable(): boolean {
    return !this.stalled && !this.down;
  }

  send(msg: CheckpointMessage): void {
    this.sent[msg.kind] = (this.sent[msg.kind] ?? 0) + 1;
    if (this.down || this.dropKinds.has(msg.kind)) return;
    this.peer.inbox.push(this.clone ? structuredClone(cloneable(msg)) : msg);
  }

  onDrain(cb: () => void): void {
    this.drainCbs.push(cb);
  }

  release(msg: CheckpointMessage): void {
    this.released++;
    if (this.scribbleOnRelease && msg.kind === 'microCheckpointBatch') for (const it of msg.body.items) it.payload.fill(0xee);
  }

  fireDrain(): void {
    for (const cb of this.drainCbs) cb();
  }
}

/**
 * A chunk's records as an array: an Active's chunk carries them as wire bytes in a list that
 * decodes them when read (a class structuredClone would make a plain object of).
 */
function cloneable(msg: CheckpointMessage): CheckpointMessage {
  if (msg.kind !== 'macroCheckpointChunk' || Array.isArray(msg.body.sessions)) return msg;
  return { kind: msg.kind, body: { ...msg.body, sessions: Array.from(msg.body.sessions) } };
}

export class MemoryLink {
  readonly a = new MemoryEndpoint();
  readonly b = new MemoryEndpoint();

  constructor(opts: { clone?: boolean } = {}) {
    this.a.clone = this.b.clone = opts.clone ?? true;
    this.a.peer = this.b;
    this.b.peer = this.a;
  }

  /** Delivers up to `max` queued messages in both directions; returns how many moved. */
  deliver(max = Infinity): number {
    let moved = 0;
    while (moved < max && (this.a.inbox.length > 0 || this.b.inbox.length > 0)) {
      for (const ep of [this.a, this.b]) {
        const msg = ep.inbox.shift();
        if (msg) {
          moved++;
          ep.handler(msg);
        }
      }
    }
    return moved;
  }

  stall(ep: MemoryEndpoint): void {
    ep.stalled = true;
  }

  resume(ep: MemoryEndpoint): void {
    ep.stalled = false;
    ep.fireDrain();
  }

  /** Cuts the link: queued messages are lost and further sends dropped. */
  cut(): void {
    this.a.down = this.b.down = true;
    this.a.inbox = [];
    this.b.inbox = [];
  }

  restore(): void {
    this.a.down = this.b.down = false;
    this.a.fireDrain();
    this.b.fireDrain();
  }

  get idle(): boolean {
    return this.a.inbox.length === 0 && this.b.inbox.length === 0;
  }
}
