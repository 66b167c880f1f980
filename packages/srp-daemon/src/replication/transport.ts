// The engine's CheckpointTransport over the SRP link. `send` hands the message to the link's
// MessageWriter (encode, compress with the negotiated codec, sign, frame) and the socket.
// Back-pressure: not writable while the socket is above its high-water mark, or while too many
// messages are still being encoded/compressed (those are not in the socket buffer yet).
import type { CheckpointMessage, CheckpointTransport } from '@srp-ha/checkpoint';
import { releaseMessage } from '@srp-ha/wire';
import type { MessagePort } from '../link/port.js';
import { ProbeLog } from './probes.js';

/** What the transport needs of the link's message port. */
export type PeerChannel = Pick<MessagePort, 'send' | 'writable' | 'onDrain' | 'peerFeatures'>;

export interface LinkTransportOptions {
  /** Messages being encoded before the transport reports not writable; default 32. */
  maxEncoding?: number;
}

export class LinkTransport implements CheckpointTransport {
  private channel: PeerChannel | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly drainCallbacks: Array<() => void> = [];
  private encoding = 0;
  private blocked = false;
  private readonly maxEncoding: number;
  /** Messages the link refused (down) or failed to encode. */
  dropped = 0;
  /** Apply times of probe sessions (bench lag probe; off until armed). */
  readonly probes = new ProbeLog();

  constructor(opts: LinkTransportOptions = {}) {
    this.maxEncoding = opts.maxEncoding ?? 32;
  }

  bind(channel: PeerChannel): void {
    this.unsubscribe?.();
    this.channel = channel;
    this.unsubscribe = channel.onDrain(() => this.drained());
  }

  unbind(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.channel = null;
  }

  get writable(): boolean {
    const ok = this.channel !== null && this.channel.writable && this.encoding < this.maxEncoding;
    if (!ok) this.blocked = true;
    return ok;
  }

  onDrain(cb: () => void): void {
    this.drainCallbacks.push(cb);
  }

  /** The features of the peer on the link now (none while unbound: the oldest protocol). */
  get peerFeatures(): readonly string[] {
    return this.channel?.peerFeatures ?? [];
  }

  /**
   * The engine is done with a received message (applied): its LZ4 receive buffer goes back to
   * the link's pool, and the probe log notes the probe sessions it carried.
   */
  release(msg: CheckpointMessage): void {
    this.probes.record(msg);
    releaseMessage(msg);
  }

  send(msg: CheckpointMessage): void {
    const ch = this.channel;
    if (!ch) {
      this.dropped++;
      return;
    }
    this.encoding++;
    ch.send(msg).then(
      (ok) => this.settled(ok),
      () => this.settled(false),
    );
  }

  private settled(ok: boolean): void {
    this.encoding--;
    if (!ok) this.dropped++;
    if (this.blocked && this.encoding <= this.maxEncoding >> 1 && (this.channel?.writable ?? false)) this.drained();
  }

  private drained(): void {
    if (!this.blocked) return;
    this.blocked = false;
    for (const cb of this.drainCallbacks) cb();
  }
}
