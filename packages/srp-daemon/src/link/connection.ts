// One TCP connection of the SRP link: Capabilities handshake, then authenticated messages both
// ways. The socket code only moves bytes; wire's MessageWriter / MessageReader build and check
// every frame. Nothing the peer sends can throw out of here: every failure ends in close().
import type { Socket } from 'node:net';
import {
  BufferPool,
  CompressionAlgorithm,
  MessageReader,
  MessageWriter,
  PROTOCOL_VERSION,
  getCodec,
  negotiate,
  type Capabilities,
  type CompressionName,
  type SrpMessage,
} from '@srp-ha/wire';
import type { Clock, TimerHandle } from '../fsm/clock.js';
import { refusalReasonOf, type RefusalReason } from './refusal.js';

export interface LinkCounters {
  connects: number;
  disconnects: number;
  framesIn: number;
  framesOut: number;
  bytesIn: number;
  bytesOut: number;
}

export interface ConnectionOptions {
  key: Buffer;
  chassisId: string;
  bootId: number;
  compression: CompressionName[];
  maxFrameSize: number;
  handshakeTimeoutMs: number;
  idleTimeoutMs: number;
  /** A Keepalive goes out when nothing else was written for this long (Hellos are datagrams now). */
  keepaliveMs: number;
  clock: Clock;
  counters: LinkCounters;
  /** Every frame written: payload bytes before and after compression (checkpoint statistics). */
  onEncoded?: (kind: SrpMessage['kind'], beforeBytes: number, afterBytes: number) => void;
}

export interface ConnectionHandlers {
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
  peer: Capabilities | null = null;
  compression: CompressionName | null = null;
  private readonly writer: MessageWriter;
  /** Messages given to writer.encode() and not yet written: frames go out in sequence order. */
  private framing = 0;
  private readonly reader: MessageReader;
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
    this.writer = new MessageWriter({
      key: opts.key,
      maxFrameSize: opts.maxFrameSize,
      ...(opts.onEncoded ? { onEncoded: opts.onEncoded } : {}),
    });
    // Decode at most ~4 ms of frames per event-loop turn: a 64 KiB read holds about ten
    // compressed 1000-session chunks of a bulk sync, and decoding them all at once kept timers
    // (Hellos) and the checkpoint receiver's apply slices waiting for tens of milliseconds.
    // LZ4 micro-checkpoint batches decompress into reused buffers, given back by the checkpoint
    // engine once applied (LinkTransport.release): a new ArrayBuffer per batch drove the
    // Standby's full garbage collections (packages/checkpoint/README.md).
    // The frames they arrive in are assembled in reused buffers too, given back as soon as
    // they are decompressed.
    this.reader = new MessageReader({
      key: opts.key,
      maxFrameSize: opts.maxFrameSize,
      sliceMs: DECODE_SLICE_MS,
      pool: new BufferPool(),
      framePool: new BufferPool({ maxFree: 8 }),
    });
    this.lastRxAt = opts.clock.now();
    this.lastTxAt = this.lastRxAt;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.close(`socket error: ${err.message}`, false));
    socket.on('end', () => this.close('peer closed the connection', true));
    socket.on('close', () => this.close('connection closed', false));
    socket.on('drain', () => this.handlers.drain?.(this));
    this.armTimer(opts.handshakeTimeoutMs);
    void this.send({
      kind: 'capabilities',
      body: {
        protocolVersion: PROTOCOL_VERSION,
        compression: opts.compression.map((c) => ALGO_OF[c]),
        features: [],
        chassisId: opts.chassisId,
        bootId: opts.bootId,
        maxFrameSize: opts.maxFrameSize,
      },
    });
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
   * seconds (packages/checkpoint/README.md, "Checkpoint items held until framed").
   */
  send(msg: SrpMessage): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    const kind = msg.kind;
    if (this.framing === 0) {
      // Nothing of encode() waits to be written: this frame can be built and written now.
      let bytes: Buffer | null;
      try {
        bytes = this.writer.encodeSync(msg);
      } catch (err) {
        return Promise.resolve(this.encodeFailed(kind, err));
      }
      if (bytes !== null) return Promise.resolve(this.write(bytes));
    }
    this.framing++;
    return this.writer.encode(msg).then(
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
      this.refuse('handshake-timeout', `no Capabilities within ${this.opts.handshakeTimeoutMs} ms`);
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
    // Read one chunk at a time: pause until its messages are decoded (bounded memory).
    this.socket.pause();
    this.reader.push(chunk).then(
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

  private onMessage(msg: SrpMessage): void {
    try {
      if (this.state === 'handshake') {
        if (msg.kind !== 'capabilities') {
          this.refuse('protocol', `expected capabilities first, got ${msg.kind}`);
          return;
        }
        const caps = msg.body;
        if (caps.protocolVersion !== PROTOCOL_VERSION) {
          this.refuse('bad-version', `peer speaks protocol ${caps.protocolVersion}, we speak ${PROTOCOL_VERSION}`);
          return;
        }
        if (caps.chassisId === this.opts.chassisId) {
          this.refuse('same-chassis-id', `peer claims our own chassis-id ${caps.chassisId}`);
          return;
        }
        this.peer = caps;
        this.compression = negotiate(this.opts.compression, namesOf(caps.compression));
        this.writer.setCodec(getCodec(this.compression));
        this.state = 'ready';
        this.armTimer(this.opts.idleTimeoutMs);
        this.armKeepalive();
        this.handlers.ready(this);
        return;
      }
      if (msg.kind === 'capabilities') {
        this.refuse('protocol', 'capabilities sent twice');
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
