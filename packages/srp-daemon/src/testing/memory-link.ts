// An SRP link in memory: two ends in one process, for the runner harness and the replication
// tests. Every message goes through the wire codec (encoded on send, decoded on delivery), as on
// a TCP link, and is delivered later, never inside send(): by default on a microtask, in the
// harness on the shared manual clock. The test can cut the link (both ends see it go down and
// what was in flight is lost), heal it, or hold one direction's delivery back (a slow reader:
// the sender's end stops being writable).
import { decodeMessageBody, encodeMessageBody, messageTypeOf, type CompressionName, type SrpMessage } from '@srp-ha/wire';
import type { Logger } from 'pino';
import type { HostPort } from '@srp-ha/common';
import type { LinkCounters } from '../link/connection.js';
import type { ChassisLink, Refusal } from '../link/link.js';
import { LINK_FEATURES, PortConsumers, PortListeners } from '../link/port.js';
import type { SecurityInfo, SecurityReload } from '../link/security.js';

/** Runs `fn` on a later turn of one end's process. */
export type Later = (fn: () => void) => void;

export interface MemoryLinkOptions {
  logger: Logger;
  /**
   * How each end runs what reaches it (a message, the link going up or down); default
   * queueMicrotask. The runner harness passes each node's clock, so a frozen node reads nothing
   * until it is thawed.
   */
  later?: { a: Later; b: Later };
  /** The codec both ends report (nothing is compressed); default zlib. */
  compression?: CompressionName;
  /** Messages queued in one direction before its sender's end is no longer writable; default 64. */
  highWater?: number;
}

interface Direction {
  from: MemoryLinkEnd;
  to: MemoryLinkEnd;
  held: boolean;
  queue: Uint8Array[];
  types: number[];
}

export class MemoryLinkEnd extends PortListeners implements ChassisLink {
  readonly counters: LinkCounters = { connects: 0, disconnects: 0, framesIn: 0, framesOut: 0, bytesIn: 0, bytesOut: 0 };
  private boundAddress: HostPort | null = null;
  started = false;
  stopped = false;

  constructor(
    private readonly pair: MemoryLink,
    readonly name: string,
    private readonly bind: HostPort,
    logger: Logger,
    /** Runs what reaches this end. */
    readonly later: Later,
  ) {
    super(new PortConsumers(logger));
  }

  /** What this end delivers to (the pair delivers through it). */
  get deliveries(): PortConsumers {
    return this.consumers;
  }

  get up(): boolean {
    return this.pair.connected;
  }

  get writable(): boolean {
    return this.up && this.pair.outOf(this).queue.length < this.pair.highWater;
  }

  /** No handshake on this link: the peer's boot is not known from it. */
  get peerBootId(): number | null {
    return null;
  }

  get compression(): CompressionName | null {
    return this.up ? this.pair.compression : null;
  }

  /** Messages cross in memory, not as frames: nothing is packed. */
  get digitRuns(): boolean {
    return false;
  }

  /** Both ends run this build: every feature it has. */
  get peerFeatures(): readonly string[] {
    return this.up ? LINK_FEATURES : [];
  }

  get address(): HostPort | null {
    return this.boundAddress;
  }

  get remote(): string | null {
    return this.up ? this.pair.other(this).name : null;
  }

  listen(): Promise<HostPort> {
    this.boundAddress = { ...this.bind };
    return Promise.resolve(this.boundAddress);
  }

  start(): void {
    this.started = true;
    this.pair.tryConnect();
  }

  send(msg: SrpMessage): Promise<boolean> {
    if (!this.up) return Promise.resolve(false);
    const body = encodeMessageBody(msg);
    this.counters.framesOut++;
    this.counters.bytesOut += body.length;
    this.pair.enqueue(this, messageTypeOf(msg), body);
    return Promise.resolve(true);
  }

  async stop(last?: SrpMessage): Promise<void> {
    if (this.stopped) return;
    if (last && this.up) await this.send(last);
    this.stopped = true;
    this.pair.flushThenDrop(this, 'peer closed the connection');
  }

  onRefused(_cb: (r: Refusal) => void): () => void {
    return () => undefined; // nothing connects to an in-memory link but its other end
  }

  reloadSecurity(): SecurityReload {
    throw new Error('an in-memory SRP link has no keys or TLS to reload');
  }

  securityInfo(): SecurityInfo {
    throw new Error('an in-memory SRP link has no security to show');
  }
}

/** The two ends and the wire between them. */
export class MemoryLink {
  readonly a: MemoryLinkEnd;
  readonly b: MemoryLinkEnd;
  readonly highWater: number;
  readonly compression: CompressionName;
  connected = false;
  private connecting = false;
  /** False while the test keeps the link cut: the ends do not reconnect. */
  private intact = true;
  private readonly ab: Direction;
  private readonly ba: Direction;
  /** Bumped on every disconnect: a delivery scheduled before it is dropped. */
  private generation = 0;

  constructor(
    binds: { a: HostPort; b: HostPort },
    opts: MemoryLinkOptions,
  ) {
    this.highWater = opts.highWater ?? 64;
    this.compression = opts.compression ?? 'zlib';
    this.a = new MemoryLinkEnd(this, `${binds.a.host}:${binds.a.port}`, binds.a, opts.logger, opts.later?.a ?? queueMicrotask);
    this.b = new MemoryLinkEnd(this, `${binds.b.host}:${binds.b.port}`, binds.b, opts.logger, opts.later?.b ?? queueMicrotask);
    this.ab = { from: this.a, to: this.b, held: false, queue: [], types: [] };
    this.ba = { from: this.b, to: this.a, held: false, queue: [], types: [] };
  }

  other(end: MemoryLinkEnd): MemoryLinkEnd {
    return end === this.a ? this.b : this.a;
  }

  outOf(end: MemoryLinkEnd): Direction {
    return end === this.a ? this.ab : this.ba;
  }

  /** Cuts the link: both ends go down, what was in flight is lost, no reconnection until heal(). */
  cut(why = 'link cut'): void {
    this.intact = false;
    this.drop(why);
  }

  /** Lets the ends connect again (if both are started and neither stopped). */
  heal(): void {
    this.intact = true;
    this.tryConnect();
  }

  /** Holds back (or releases) what `from` sends: a slow reader on the other side. */
  hold(from: MemoryLinkEnd, held: boolean): void {
    const d = this.outOf(from);
    d.held = held;
    if (!held) this.pump(d);
  }

  tryConnect(): void {
    if (this.connected || this.connecting || !this.intact) return;
    if (!this.a.started || !this.b.started || this.a.stopped || this.b.stopped) return;
    this.connecting = true;
    const gen = this.generation;
    // A handshake takes a turn; then each end learns it on its own.
    queueMicrotask(() => {
      this.connecting = false;
      if (gen !== this.generation || !this.intact) return;
      this.connected = true;
      for (const end of [this.a, this.b]) {
        const other = this.other(end);
        end.counters.connects++;
        end.later(() => {
          if (gen !== this.generation) return;
          end.deliveries.state.emit({ type: 'up', remote: other.name, compression: this.compression, peerChassisId: other.name, peerBootId: 0 });
          end.deliveries.drain.emit();
        });
      }
    });
  }

  enqueue(from: MemoryLinkEnd, type: number, body: Uint8Array): void {
    const d = this.outOf(from);
    d.queue.push(body);
    d.types.push(type);
    if (d.queue.length === 1) this.pump(d);
  }

  /** A stopping end: what it sent (its Goodbye) is delivered first, then the link drops. */
  flushThenDrop(end: MemoryLinkEnd, why: string): void {
    const gen = this.generation;
    this.other(end).later(() => {
      if (gen === this.generation) this.drop(why);
    });
  }

  private pump(d: Direction): void {
    if (d.held || d.queue.length === 0) return;
    const gen = this.generation;
    d.to.later(() => {
      if (gen !== this.generation || d.held) return;
      const batch = d.queue.splice(0);
      const types = d.types.splice(0);
      const wasFull = batch.length >= this.highWater;
      batch.forEach((body, i) => {
        if (gen !== this.generation) return; // a consumer cut the link meanwhile
        d.to.counters.framesIn++;
        d.to.counters.bytesIn += body.length;
        d.to.deliveries.deliver(decodeMessageBody(types[i], body));
      });
      if (wasFull && gen === this.generation) d.from.deliveries.drain.emit();
      this.pump(d);
    });
  }

  private drop(why: string): void {
    this.generation++;
    for (const d of [this.ab, this.ba]) {
      d.queue.length = 0;
      d.types.length = 0;
    }
    if (!this.connected) return;
    this.connected = false;
    for (const end of [this.a, this.b]) {
      end.counters.disconnects++;
      end.later(() => end.deliveries.state.emit({ type: 'down', remote: this.other(end).name, why }));
    }
  }
}
