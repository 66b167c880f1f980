// A watch on one etcd key over the client's raw Watch stream, so that stop() really ends it (the
// stream is cancelled even when etcd is frozen) and no error can escape past our handlers. It
// reconnects with a bounded backoff and resumes from the revision after the last one seen, so a
// deletion that happens while it is reconnecting is still reported.
import type { Etcd3, IKeyValue, IWatchResponse } from 'etcd3';
import type { Clock, TimerHandle } from '@srp-ha/common';
import { Backoff } from '../link/backoff.js';

type WatchStream = Awaited<ReturnType<Etcd3['watchClient']['watch']>>;

export interface KeyWatchHandlers {
  /** The key was put (kv) or deleted (null) at `revision`. */
  change(kv: IKeyValue | null, revision: number): void;
  /** The watch is in place (again): what happened while it was not may need a read. */
  connected(): void;
  disconnected(why: string): void;
}

export class KeyWatch {
  private stream: WatchStream | null = null;
  private timer: TimerHandle | null = null;
  private nextRevision = 0;
  /** The client a stream is being opened on, if any. */
  private opening: Etcd3 | null = null;
  private stopped = false;
  private readonly backoff: Backoff;

  constructor(
    private client: Etcd3,
    private readonly key: Buffer,
    private readonly clock: Clock,
    maxRetryMs: number,
    private readonly on: KeyWatchHandlers,
  ) {
    this.backoff = new Backoff(50, maxRetryMs);
  }

  start(): void {
    this.stopped = false;
    this.open();
  }

  /** Watches through another client from now on (the revision carries over). */
  useClient(client: Etcd3): void {
    this.client = client;
    this.close();
    this.clock.clearTimeout(this.timer);
    this.open();
  }

  stop(): void {
    this.stopped = true;
    this.clock.clearTimeout(this.timer);
    this.close();
  }

  private open(): void {
    if (this.stopped || this.stream || this.opening === this.client) return;
    const client = this.client;
    this.opening = client;
    client.watchClient.watch().then(
      (stream) => {
        if (this.opening === client) this.opening = null;
        if (this.stopped || client !== this.client || this.stream) return stream.cancel();
        this.stream = stream;
        stream.on('data', (res) => this.onResponse(stream, res));
        stream.on('error', (err) => this.lost(stream, err.message));
        stream.on('end', () => this.lost(stream, 'the watch stream ended'));
        stream.write({ create_request: { key: this.key, ...(this.nextRevision > 0 ? { start_revision: this.nextRevision } : {}) } });
      },
      (err: Error) => {
        if (this.opening !== client) return;
        this.opening = null;
        this.on.disconnected(err.message);
        this.retry();
      },
    );
  }

  private onResponse(stream: WatchStream, res: IWatchResponse): void {
    if (stream !== this.stream) return;
    if (res.canceled) {
      // Compacted past our revision (or refused): start again from now; the owner reads the key.
      if (Number(res.compact_revision) > 0) this.nextRevision = 0;
      return this.lost(stream, `watch cancelled by etcd: ${res.cancel_reason || 'compacted'}`);
    }
    if (res.created) {
      this.backoff.reset();
      if (this.nextRevision === 0) this.nextRevision = Number(res.header.revision) + 1;
      this.on.connected();
      return;
    }
    for (const ev of res.events) {
      const revision = Number(ev.kv.mod_revision);
      this.nextRevision = Math.max(this.nextRevision, revision + 1);
      this.on.change(ev.type === 'Delete' ? null : ev.kv, revision);
    }
  }

  private lost(stream: WatchStream, why: string): void {
    if (stream !== this.stream) return;
    this.close();
    this.on.disconnected(why);
    this.retry();
  }

  private retry(): void {
    if (this.stopped) return;
    this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.open();
    }, this.backoff.next());
  }

  private close(): void {
    const s = this.stream;
    this.stream = null;
    if (!s) return;
    try {
      s.cancel();
    } catch {
      // already closed
    }
  }
}
