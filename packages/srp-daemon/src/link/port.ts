// The SRP link as its users see it: a message port. The runner consumes the chassis messages
// (Goodbye, switchover, configuration validation), the replication plane the checkpoint
// messages; each binds to its own kinds and to the link's state, and neither forwards the
// other's traffic.
import type { Logger } from 'pino';
import { FEATURE_MICRO_ASPECTS } from '@srp-ha/checkpoint';
import { FEATURE_DIGIT_RUNS, type CompressionName, type SrpMessage } from '@srp-ha/wire';
import { Listeners } from '../util/listeners.js';

export type MessageKind = SrpMessage['kind'];

/** The Capabilities features this build offers on its link (what it can take from a peer). */
export const LINK_FEATURES: readonly string[] = [FEATURE_MICRO_ASPECTS, FEATURE_DIGIT_RUNS];

export type LinkState =
  | { type: 'up'; remote: string; compression: CompressionName; peerChassisId: string; peerBootId: number }
  | { type: 'down'; remote: string; why: string }
  /** The surviving connection changed while the link stayed up: what was sent on the old one may be lost. */
  | { type: 'switched' }
  /** A connection completed its handshake (before it carries any message). */
  | { type: 'handshake'; peerBootId: number };

export type EncodedListener = (kind: MessageKind, beforeBytes: number, afterBytes: number) => void;

export interface MessagePort {
  /** One connection completed its handshake and carries messages. */
  readonly up: boolean;
  /** Up, and the socket is not applying back-pressure. */
  readonly writable: boolean;
  /** The payload codec the current connection negotiated. */
  readonly compression: CompressionName | null;
  /** The boot id the peer on the current connection gave in its handshake (null while down). */
  readonly peerBootId: number | null;
  /** Compressed frames to the peer carry bodies with their digit runs packed (FEATURE_DIGIT_RUNS). */
  readonly digitRuns: boolean;
  /** The Capabilities features of the peer on the current connection (empty while down). */
  readonly peerFeatures: readonly string[];
  /** Sends on the current connection; false when the link is down or the message cannot go. */
  send(msg: SrpMessage): Promise<boolean>;
  /** Told whenever the link can take more (the socket drained, or a new connection is up). */
  onDrain(cb: () => void): () => void;
  /** Every received message of these kinds goes to `cb`; a kind has one consumer. */
  onMessage(kinds: readonly MessageKind[], cb: (msg: SrpMessage) => void): () => void;
  onState(cb: (state: LinkState) => void): () => void;
  /** Every frame written: payload bytes before and after compression. */
  onEncoded(cb: EncodedListener): () => void;
}

/** The consumers behind a MessagePort, for a link implementation to deliver to. */
export class PortConsumers {
  private readonly byKind = new Map<MessageKind, (msg: SrpMessage) => void>();
  readonly state: Listeners<LinkState>;
  readonly drain: Listeners<void>;
  private readonly encoded = new Set<EncodedListener>();

  constructor(private readonly log: Logger) {
    this.state = new Listeners((err) => log.error({ err }, 'link state listener threw'));
    this.drain = new Listeners((err) => log.error({ err }, 'drain listener threw'));
  }

  onMessage(kinds: readonly MessageKind[], cb: (msg: SrpMessage) => void): () => void {
    for (const k of kinds) {
      if (this.byKind.has(k)) throw new Error(`SRP messages of kind ${k} already have a consumer`);
    }
    for (const k of kinds) this.byKind.set(k, cb);
    return () => {
      for (const k of kinds) if (this.byKind.get(k) === cb) this.byKind.delete(k);
    };
  }

  onEncoded(cb: EncodedListener): () => void {
    this.encoded.add(cb);
    return () => this.encoded.delete(cb);
  }

  /** The encoder's callback: tells every onEncoded listener. */
  get encodedSink(): EncodedListener {
    return (kind, before, after) => {
      for (const l of this.encoded) l(kind, before, after);
    };
  }

  deliver(msg: SrpMessage): void {
    const consumer = this.byKind.get(msg.kind);
    if (!consumer) {
      this.log.debug({ kind: msg.kind }, 'SRP message without a consumer');
      return;
    }
    try {
      consumer(msg);
    } catch (err) {
      this.log.error({ err, kind: msg.kind }, 'SRP message consumer threw');
    }
  }
}

/**
 * The listener half of a MessagePort, for link implementations to extend: `consumers` is what
 * the implementation delivers to.
 */
export abstract class PortListeners {
  protected constructor(protected readonly consumers: PortConsumers) {}

  /** Told whenever the link can take more (the socket drained, or a new connection is up). */
  onDrain(cb: () => void): () => void {
    return this.consumers.drain.add(cb);
  }

  onMessage(kinds: readonly MessageKind[], cb: (msg: SrpMessage) => void): () => void {
    return this.consumers.onMessage(kinds, cb);
  }

  onState(cb: (state: LinkState) => void): () => void {
    return this.consumers.state.add(cb);
  }

  onEncoded(cb: EncodedListener): () => void {
    return this.consumers.onEncoded(cb);
  }
}
