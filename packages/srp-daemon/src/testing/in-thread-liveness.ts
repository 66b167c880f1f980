// The liveness channel on the runner's own thread, over in-memory datagrams: the same engine as
// the liveness worker (liveness/engine.ts), on a clock the test drives. For the runner harness;
// srpd runs it in its Hello process or its worker thread (liveness/process-channel.ts,
// liveness/channel.ts).
import type { Clock, TimerHandle } from '@srp-ha/common';
import { beatEveryMs, type LivenessChannel } from '../liveness/channel.js';
import { LivenessEngine, type DatagramPort } from '../liveness/engine.js';
import { BOARD, type LivenessSettings, type LocalStatus, type WorkerToMain } from '../liveness/protocol.js';
import type { Later } from './memory-link.js';

type Receiver = (bytes: Buffer, from: { address: string; port: number }) => void;

/** Two datagram ports joined in memory; each direction can be cut on its own (one-way faults). */
export class MemoryDatagrams {
  readonly a: DatagramPort;
  readonly b: DatagramPort;
  /** Directions that lose every datagram now. */
  private readonly cut = { ab: false, ba: false };
  private readonly receivers: Record<'a' | 'b', Receiver | null> = { a: null, b: null };

  constructor(
    addresses: { a: { address: string; port: number }; b: { address: string; port: number } },
    later: { a: Later; b: Later },
  ) {
    const port = (me: 'a' | 'b'): DatagramPort => {
      const peer = me === 'a' ? 'b' : 'a';
      let closed = false;
      return {
        send: (bytes) => {
          if (closed || this.cut[me === 'a' ? 'ab' : 'ba']) return;
          const copy = Buffer.from(bytes);
          later[peer](() => this.receivers[peer]?.(copy, addresses[me]));
        },
        onDatagram: (cb) => {
          this.receivers[me] = cb;
        },
        close: () => {
          closed = true;
          this.receivers[me] = null;
        },
      };
    };
    this.a = port('a');
    this.b = port('b');
  }

  /** Drops (or lets through again) what `from` sends. */
  setCut(from: 'a' | 'b', cut: boolean): void {
    this.cut[from === 'a' ? 'ab' : 'ba'] = cut;
  }
}

export class InThreadLivenessChannel implements LivenessChannel {
  readonly board: Float64Array;
  private readonly engine: LivenessEngine;
  private readonly listeners: ((msg: WorkerToMain) => void)[] = [];
  private beat: TimerHandle | null = null;
  private stopped = false;

  constructor(
    private readonly settings: LivenessSettings,
    private readonly clock: Clock,
    port: DatagramPort,
  ) {
    this.board = new Float64Array(settings.board);
    this.engine = new LivenessEngine({
      settings,
      clock,
      port,
      // Reports reach the runner on a later turn, as a worker's messages do.
      post: (msg) => {
        clock.setTimeout(() => {
          for (const l of this.listeners) l(msg);
        }, 0);
      },
      acceptFrom: () => null,
    });
  }

  now(): number {
    return this.clock.now();
  }

  start(): Promise<void> {
    const beat = (): void => {
      this.board[BOARD.mainBeatAt] = this.clock.now();
      this.beat = this.stopped ? null : this.clock.setTimeout(beat, beatEveryMs(this.settings.watchdogMs));
    };
    beat();
    this.engine.start();
    return Promise.resolve();
  }

  update(status: LocalStatus): void {
    this.engine.setStatus(status);
  }

  sendNow(): void {
    this.engine.sendNow();
  }

  reboot(bootId: number): void {
    this.engine.reboot(bootId);
  }

  setKeys(keys: Uint8Array[]): void {
    this.engine.setKeys(keys);
  }

  stop(takeoverNow: boolean): Promise<void> {
    this.stopped = true;
    if (this.beat) this.clock.clearTimeout(this.beat);
    this.engine.stop(takeoverNow);
    return Promise.resolve();
  }

  onReport(cb: (msg: WorkerToMain) => void): void {
    this.listeners.push(cb);
  }

  where(): string {
    return 'in the main thread (tests)';
  }
}
