// One TCP (or TLS) connection of the SRP link: the challenge-response handshake of wire's
// LinkHandshake (Capabilities with a fresh nonce both ways, then a HandshakeConfirm under the
// connection's own keys), then authenticated messages both ways. The connection is reported
// ready, and its peer's boot believed, only once the peer has answered our nonce. The socket
// code only moves bytes; wire builds and checks every frame. Nothing the peer sends can throw
// out of here: every failure ends in close().
// It is slightly longer than ~400 lines: the handshake and message phases share one socket, one
// set of keys and one close() path, and splitting them would put that state in two places.
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import {
  BufferPool,
  CONFIRM_SEQ,
  CompressionAlgorithm,
  LinkHandshake,
  MessageReader,
  MessageWriter,
  getCodec,
  FEATURE_DIGIT_RUNS,
  negotiate,
  type Capabilities,
  type CompressionName,
  type HandshakeDone,
  type HandshakeKeys,
  type SrpMessage,
} from '@srp-ha/wire';
import type { Clock, TimerHandle } from '../fsm/clock.js';
import { keyFingerprint, type KeyRing } from './keys.js';
import type { NonceMemory } from './nonces.js';
import { LINK_FEATURES } from './port.js';
import { refusalReasonOf, type RefusalReason } from './refusal.js';
import { certificateInfo, type CertificateInfo } from './tls.js';

export interface LinkCounters {
  connects: number;
  disconnects: number;
  framesIn: number;
  framesOut: number;
  bytesIn: number;
  bytesOut: number;
}

export interface ConnectionOptions {
  /** Read at the start of the handshake: a reload applies to the next connection. */
  keys: KeyRing;
  /** Peer nonces seen on earlier connections (a replayed Capabilities is refused at once). */
  nonces?: NonceMemory;
  chassisId: string;
  bootId: number;
  compression: CompressionName[];
  /** The Capabilities features offered (default LINK_FEATURES; fewer: what an older build offers). */
  features?: readonly string[];
  maxFrameSize: number;
  /** Until the peer's Capabilities authenticates. */
  handshakeTimeoutMs: number;
  /** From then until its HandshakeConfirm (default handshakeTimeoutMs). */
  confirmTimeoutMs?: number;
  idleTimeoutMs: number;
  /** A Keepalive goes out when nothing else was written for this long (Hellos are datagrams now). */
  keepaliveMs: number;
  clock: Clock;
  counters: LinkCounters;
  /** Every frame written: payload bytes before and after compression (checkpoint statistics). */
  onEncoded?: (kind: SrpMessage['kind'], beforeBytes: number, afterBytes: number) => void;
}

export interface ConnectionHandlers {
  /** The peer's Capabilities authenticated; the handshake is not proven fresh yet. */
  authenticated?(conn: Connection): void;
  /** The peer answered our nonce: the connection is fresh and carries messages from now on. */
  ready(conn: Connection): void;
  message(conn: Connection, msg: SrpMessage): void;
  closed(conn: Connection, why: string): void;
  refused(conn: Connection, reason: RefusalReason, cause: string): void;
  /** A message of ours could not be encoded (a local bug); the connection stays up. */
  sendFailed(conn: Connection, cause: string): void;
  /** The socket's send buffer drained below its high-water mark. */
  drain?(conn: Connection): void;
}

const ALGO_OF: Record<CompressionName, CompressionAlgorithm> = {
  zlib: CompressionAlgorithm.COMPRESSION_ZLIB,
  lz4: CompressionAlgorithm.COMPRESSION_LZ4,
};

function namesOf(algos: readonly CompressionAlgorithm[]): CompressionName[] {
  const out: CompressionName[] = [];
  for (const a of algos) {
    if (a === CompressionAlgorithm.COMPRESSION_ZLIB) out.push('zlib');
    else if (a === CompressionAlgorithm.COMPRESSION_LZ4) out.push('lz4');
  }
  return out;
}

let nextConnectionId = 1;

/**
 * Decoding budget per event-loop turn for received frames (MessageReader sliceMs): 2 ms, as the
 * checkpoint receiver's slice, which runs in the same turn (see its SLICE_MS).
 */
const DECODE_SLICE_MS = 2;

export class Connection {
  readonly id = nextConnectionId++;
  readonly remote: string;
  readonly local: string;
  state: 'handshake' | 'ready' | 'closed' = 'handshake';
  /** The peer's Capabilities, set once the handshake is complete (proven fresh). */
  peer: Capabilities | null = null;
  compression: CompressionName | null = null;
  /** Frames to the peer carry bodies with their digit runs packed (it offered FEATURE_DIGIT_RUNS). */
  digitRuns = false;
  /** Fingerprint of the key the peer signed its Capabilities with. */
  peerKey: string | null = null;
  private readonly handshake: LinkHandshake;
  /** The keys this connection's handshake runs with (a reload does not change them). */
  private readonly handshakeKeys: HandshakeKeys;
  private writer: MessageWriter | null = null;
  /** Messages given to writer.encode() and not yet written: frames go out in sequence order. */
  private framing = 0;
  private reader: MessageReader | null = null;
  private lastRxAt: number;
  private lastTxAt: number;
  private timer: TimerHandle | null = null;
  private keepaliveTimer: TimerHandle | null = null;

  constructor(
    private readonly socket: Socket,
    readonly direction: 'in' | 'out',
    private readonly opts: ConnectionOptions,
    private readonly handlers: ConnectionHandlers,
  ) {
    this.remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    this.local = `${socket.localAddress ?? '?'}:${socket.localPort ?? 0}`;
    const keys = opts.keys.handshakeKeys();
    this.handshakeKeys = keys;
    this.handshake = new LinkHandshake({
      role: direction === 'out' ? 'dialer' : 'listener',
      keys,
      capabilities: {
        compression: opts.compression.map((c) => ALGO_OF[c]),
        features: [...(opts.features ?? LINK_FEATURES)],
        chassisId: opts.chassisId,
        bootId: opts.bootId,
        maxFrameSize: opts.maxFrameSize,
      },
      ...(opts.nonces ? { seenBefore: (n: Buffer) => opts.nonces!.seenBefore(n) } : {}),
    });
    this.lastRxAt = opts.clock.now();
    this.lastTxAt = this.lastRxAt;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.close(`socket error: ${err.message}`, false));
    socket.on('end', () => this.lost('peer closed the connection', true));
    socket.on('close', () => this.lost('connection closed', false));
    socket.on('drain', () => this.handlers.drain?.(this));
    this.armTimer(opts.handshakeTimeoutMs);
    this.write(this.handshake.first);
  }

  /** The message layer, once the handshake gave this connection its keys. */
  private startStream(done: HandshakeDone): void {
    this.writer = new MessageWriter({
      key: done.sendKey,
      startAfter: CONFIRM_SEQ,
      maxFrameSize: this.opts.maxFrameSize,
      ...(this.opts.onEncoded ? { onEncoded: this.opts.onEncoded } : {}),
    });
    // Decode at most ~4 ms of frames per event-loop turn: a 64 KiB read holds about ten
    // compressed 1000-session chunks of a bulk sync, and decoding them all at once kept timers
    // (Hellos) and the checkpoint receiver's apply slices waiting for tens of milliseconds.
    // LZ4 micro-checkpoint batches decompress into reused buffers, given back by the checkpoint
    // engine once applied (LinkTransport.release): a new ArrayBuffer per batch drove the
    // Standby's full garbage collections (docs/perf/checkpoint.md).
    // The frames they arrive in are assembled in reused buffers too, given back as soon as
    // they are decompressed.
    this.reader = new MessageReader({
      key: done.receiveKey,
      startAfter: CONFIRM_SEQ,
      maxFrameSize: this.opts.maxFrameSize,
      sliceMs: DECODE_SLICE_MS,
      pool: new BufferPool(),
      framePool: new BufferPool({ maxFree: 8 }),
    });
  }

  /** The peer's certificate when the connection runs over TLS. */
  get peerCertificate(): CertificateInfo | null {
    return this.socket instanceof TLSSocket ? certificateInfo(this.socket.getPeerX509Certificate()) : null;
  }

  /**
   * Encodes and writes one message; false when the connection is (or becomes) unusable.
   * Written before this returns when the writer can frame it at once (encodeSync: anything
   * but a macro chunk, when no earlier frame is still being built); else once it is framed.
   *
   * Not an async function, and nothing after the encode refers to `msg`: a suspended async
   * function keeps its parameters, and a micro-checkpoint batch (hundreds of item objects)
   * would then live until its frame is built, behind the compression of up to 32 others.
   * Enough of them alive at a scavenge made V8 pretenure the sender's item objects; every
   * item after that was old-generation garbage, and the Active ran a mark-compact every few
   * seconds (docs/perf/checkpoint.md, "Checkpoint items held until framed").
   */
  send(msg: SrpMessage): Promise<boolean> {
    const writer = this.writer;
    if (this.closed || writer === null) return Promise.resolve(false);
    const kind = msg.kind;
    if (this.framing === 0) {
      // Nothing of encode() waits to be written: this frame can be built and written now.
      let bytes: Buffer | null;
      try {
        bytes = writer.encodeSync(msg);
      } catch (err) {
        return Promise.resolve(this.encodeFailed(kind, err));
      }
      if (bytes !== null) return Promise.resolve(this.write(bytes));
    }
    this.framing++;
    return writer.encode(msg).then(
      (bytes) => {
        this.framing--;
        return this.write(bytes);
      },
      (err: unknown) => {
        this.framing--;
        return this.encodeFailed(kind, err);
      },
    );
  }

  /** Our own message failed to encode: a local bug, not the peer's fault. Keep the link. */
  private encodeFailed(kind: SrpMessage['kind'], err: unknown): false {
    this.handlers.sendFailed(this, `cannot encode ${kind}: ${(err as Error).message}`);
    return false;
  }

  private write(bytes: Buffer): boolean {
    if (this.closed || this.socket.destroyed) return false;
    this.socket.write(bytes);
    this.lastTxAt = this.opts.clock.now();
    this.opts.counters.framesOut++;
    this.opts.counters.bytesOut += bytes.length;
    return true;
  }

  /** Writes the message, then half-closes; the socket is destroyed shortly after if the peer lingers. */
  async sendAndEnd(msg: SrpMessage, lingerMs: number): Promise<void> {
    await this.send(msg);
    if (this.closed) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, lingerMs);
      t.unref();
      this.socket.end(() => {
        clearTimeout(t);
        resolve();
      });
    });
    this.close('goodbye sent', true);
  }

  /** False while the socket's send buffer is above its high-water mark (back-pressure). */
  get writable(): boolean {
    return this.state === 'ready' && !this.socket.destroyed && !this.socket.writableNeedDrain;
  }

  get closed(): boolean {
    return this.state === 'closed';
  }

  close(why: string, graceful: boolean): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    if (this.timer) this.opts.clock.clearTimeout(this.timer);
    if (this.keepaliveTimer) this.opts.clock.clearTimeout(this.keepaliveTimer);
    this.timer = this.keepaliveTimer = null;
    if (graceful && !this.socket.destroyed) {
      this.socket.end();
      const t = setTimeout(() => this.socket.destroy(), 1000);
      t.unref();
    } else {
      this.socket.destroy();
    }
    this.handlers.closed(this, why);
  }

  /**
   * The socket ended. A peer whose Capabilities authenticated but who leaves without answering
   * our nonce is refused as a replay: a recorded Capabilities played to us looks exactly so.
   */
  private lost(why: string, graceful: boolean): void {
    if (this.state === 'handshake' && this.handshake.authenticatedPeer !== null) {
      this.refuse('replay', `authenticated Capabilities, then ${why} before answering our nonce`);
      return;
    }
    this.close(why, graceful);
  }

  private get confirmTimeoutMs(): number {
    return this.opts.confirmTimeoutMs ?? this.opts.handshakeTimeoutMs;
  }

  /** Refuses the connection from outside (the gate evicting it to make room). */
  refuseNow(reason: RefusalReason, cause: string): void {
    this.refuse(reason, cause);
  }

  private refuse(reason: RefusalReason, cause: string): void {
    if (this.state === 'closed') return;
    this.handlers.refused(this, reason, cause);
    this.close(`refused: ${reason}`, false);
  }

  private armTimer(ms: number): void {
    if (this.timer) this.opts.clock.clearTimeout(this.timer);
    this.timer = this.opts.clock.setTimeout(() => this.onTimer(), ms);
  }

  /** Keeps an idle link from looking dead to the peer's idle timer: a Keepalive when nothing else went out. */
  private armKeepalive(): void {
    this.keepaliveTimer = this.opts.clock.setTimeout(() => {
      this.keepaliveTimer = null;
      if (this.state !== 'ready') return;
      if (this.opts.clock.now() - this.lastTxAt >= this.opts.keepaliveMs && this.framing === 0) void this.send({ kind: 'keepalive', body: {} });
      this.armKeepalive();
    }, this.opts.keepaliveMs);
  }

  private onTimer(): void {
    this.timer = null;
    if (this.state === 'handshake') {
      if (this.handshake.authenticatedPeer !== null) {
        this.refuse('replay', `authenticated Capabilities, but no answer to our nonce within ${this.confirmTimeoutMs} ms`);
      } else this.refuse('handshake-timeout', `no authenticated Capabilities within ${this.opts.handshakeTimeoutMs} ms`);
      return;
    }
    if (this.state !== 'ready') return;
    const idle = this.opts.clock.now() - this.lastRxAt;
    if (idle >= this.opts.idleTimeoutMs) {
      this.close(`nothing received for ${Math.round(idle)} ms`, false);
      return;
    }
    this.armTimer(this.opts.idleTimeoutMs - idle);
  }

  private onData(chunk: Buffer): void {
    if (this.state === 'closed') return;
    this.lastRxAt = this.opts.clock.now();
    this.opts.counters.bytesIn += chunk.length;
    if (this.state === 'handshake') {
      this.onHandshakeData(chunk);
      return;
    }
    this.readStream(chunk);
  }

  private readStream(chunk: Buffer): void {
    const reader = this.reader;
    if (reader === null) return;
    // Read one chunk at a time: pause until its messages are decoded (bounded memory).
    this.socket.pause();
    reader.push(chunk).then(
      (messages) => {
        for (const msg of messages) {
          if (this.state === 'closed') return;
          this.opts.counters.framesIn++;
          this.onMessage(msg);
        }
        if (this.state !== 'closed') this.socket.resume();
      },
      (err: unknown) => {
        this.refuse(refusalReasonOf(err), (err as Error).message);
      },
    );
  }

  /** Handshake bytes: checked synchronously, frame by frame (wire's LinkHandshake). */
  private onHandshakeData(chunk: Buffer): void {
    let step;
    try {
      step = this.handshake.push(chunk);
    } catch (err) {
      this.refuse(refusalReasonOf(err), (err as Error).message);
      return;
    }
    try {
      if (step.authenticated) {
        this.opts.counters.framesIn++;
        if (step.authenticated.chassisId === this.opts.chassisId) {
          this.refuse('same-chassis-id', `peer claims our own chassis-id ${step.authenticated.chassisId}`);
          return;
        }
        this.handlers.authenticated?.(this);
        if (this.state === 'closed') return;
        if (!step.done) this.armTimer(this.confirmTimeoutMs);
        if (step.send) this.write(step.send);
      }
      const done = step.done;
      if (!done) return;
      this.opts.counters.framesIn++;
      this.peer = done.peer;
      this.peerKey = keyFingerprint(this.handshakeKeys.accepted[done.peerKeyIndex] ?? new Uint8Array(0));
      this.compression = negotiate(this.opts.compression, namesOf(done.peer.compression));
      // With LZ4 only: zlib's Huffman stage already spends ~3.3 bits on a random digit, and on
      // the bulk sync's chunks packed digits came out larger with zlib (the wire bench).
      this.digitRuns = this.compression === 'lz4' && done.peer.features.includes(FEATURE_DIGIT_RUNS);
      this.startStream(done);
      // Digit runs packed before compression when the peer reads them (an older build does not offer it).
      this.writer?.setCodec(getCodec(this.compression), this.digitRuns);
      this.state = 'ready';
      this.armTimer(this.opts.idleTimeoutMs);
      this.armKeepalive(); // only now: the message writer exists once the handshake is done
      this.handlers.ready(this);
      if (done.rest.length > 0 && this.state === 'ready') this.readStream(done.rest);
    } catch (err) {
      // A handler bug must not take the daemon down; it does end this connection.
      this.refuse('internal', `handshake handler failed: ${(err as Error).message}`);
    }
  }

  private onMessage(msg: SrpMessage): void {
    try {
      if (msg.kind === 'capabilities' || msg.kind === 'handshakeConfirm') {
        this.refuse('protocol', `${msg.kind} after the handshake`);
        return;
      }
      if (msg.kind === 'keepalive') return; // it did its work: lastRxAt moved
      this.handlers.message(this, msg);
    } catch (err) {
      // A handler bug must not take the daemon down; it does end this connection.
      this.refuse('internal', `handler failed on ${msg.kind}: ${(err as Error).message}`);
    }
  }
}
