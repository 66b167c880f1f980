// The witness on etcd. The pair's key `${key-prefix}/${pair}/active` holds the chassis-id of the
// chassis that may be Active, attached to that chassis's lease of lease-ttl. It is created only
// when absent (a transaction comparing its create revision with 0), so at most one chassis holds
// it; etcd deletes it when the lease runs out.
//
// One loop does everything, every lease-ttl/3 (sooner after an error, with a bounded backoff):
// renew the lease (keepalive), then one transaction "create the key if absent, else read it",
// which both acquires and verifies the key. A watch on the key reports the holder between turns
// and starts a turn at once when the key is deleted. `held` is judged on the monotonic clock from
// the send time of the last renewal etcd confirmed, so it turns false on its own when etcd stops
// answering (see witnessTimings).
import { handleWhen, noop, retry } from 'cockatiel';
import { Etcd3, EtcdLeaseInvalidError, isRecoverableError, type IKeyValue } from 'etcd3';
import { pino, type Logger } from 'pino';
import { systemClock, type Clock, type TimerHandle } from '@srp-ha/common';
import type { HostPort } from '@srp-ha/common';
import { witnessKey } from '../config/witness.js';
import { Backoff } from '../link/backoff.js';
import { KeyWatch } from './etcd-watch.js';
import { WitnessError, witnessTimings, type Witness, type WitnessStatus, type WitnessTimings } from './witness.js';

export interface EtcdWitnessOptions {
  endpoints: readonly HostPort[];
  keyPrefix: string;
  pair: string;
  /** This chassis: the key's value while it holds it. */
  chassisId: string;
  /** Whole seconds (etcd's unit). */
  leaseTtlMs: number;
  /** Monotonic; systemClock by default. */
  clock?: Clock;
  logger?: Logger;
}

interface Lease {
  id: string;
  /** Send time of the last grant or keepalive etcd confirmed (monotonic). */
  renewedAt: number;
}

type CallOptions = NonNullable<Parameters<Etcd3['kv']['range']>[1]>;

const endpointUrl = (e: HostPort): string => `http://${e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}`;

export class EtcdWitness implements Witness {
  readonly key: string;
  readonly timings: WitnessTimings;
  private readonly clock: Clock;
  private readonly log: Logger;
  private client: Etcd3;
  private readonly keyBytes: Buffer;
  private readonly backoff: Backoff;
  private readonly listeners = new Set<(s: WitnessStatus) => void>();
  private readonly watcher: KeyWatch;
  private started = false;
  private stopped = false;
  private want = false;
  private lease: Lease | null = null;
  private ownsKey = false;
  /**
   * 'holding the Active key' was logged and its end not yet: the end is logged once, whichever
   * of the watch, the lease check or the held timer sees it first. A holder frozen past its
   * lease (SIGSTOP, a VM pause) wakes with its hold already lapsed by the clock, and the watch
   * could tell it of the new holder before the held timer ran: nothing was logged.
   */
  private announced = false;
  /** The etcd revision of what we last learnt about the key: older watch events are stale. */
  private seenRevision = 0;
  private reachable = false;
  private holder: string | null = null;
  private lastError: string | null = null;
  private grantedTtlMs: number;
  private turn: Promise<void> | null = null;
  private again = false;
  private turnTimer: TimerHandle | null = null;
  private heldTimer: TimerHandle | null = null;
  private emitted = '';
  private lastAnswerAt: number;
  private lastRedialAt: number;

  constructor(private readonly opts: EtcdWitnessOptions) {
    if (!Number.isInteger(opts.leaseTtlMs / 1000) || opts.leaseTtlMs < 1000)
      throw new WitnessError('SRP_ERR_WITNESS_CONFIG', `lease-ttl must be a whole number of seconds, at least 1 s, got ${opts.leaseTtlMs} ms`);
    if (opts.endpoints.length === 0) throw new WitnessError('SRP_ERR_WITNESS_CONFIG', 'no etcd endpoints');
    this.key = witnessKey(opts);
    this.keyBytes = Buffer.from(this.key);
    this.timings = witnessTimings(opts.leaseTtlMs);
    this.grantedTtlMs = opts.leaseTtlMs;
    this.clock = opts.clock ?? systemClock;
    this.log = (opts.logger ?? pino({ level: 'silent' })).child({ component: 'witness', key: this.key });
    this.backoff = new Backoff(50, this.timings.renewEveryMs);
    this.client = this.newClient();
    this.lastAnswerAt = this.lastRedialAt = this.clock.now();
    this.watcher = new KeyWatch(this.client, this.keyBytes, this.clock, this.timings.renewEveryMs, {
      change: (kv, revision) => {
        if (this.stopped) return;
        this.see(kv, revision, kv ? 'watch: put' : 'watch: deleted');
        if (!kv && this.want) this.kick();
      },
      connected: () => this.kick(),
      disconnected: (why) => this.log.debug({ why }, 'watch disconnected'),
    });
  }

  get status(): WitnessStatus {
    return { reachable: this.reachable, held: this.isHeld(), holder: this.holder, leaseTtlMs: this.grantedTtlMs, lastError: this.lastError };
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.watcher.start();
    this.kick();
  }

  acquire(): void {
    if (this.stopped) throw new WitnessError('SRP_ERR_WITNESS_STOPPED', 'acquire() after stop()');
    this.start();
    if (this.want) return;
    this.want = true;
    this.backoff.reset();
    this.log.info('trying to hold the Active key');
    this.kick();
  }

  async release(): Promise<void> {
    const lease = this.lease;
    this.want = false;
    this.lease = null;
    this.ownsKey = false;
    if (this.announced) this.log.info('released the Active key');
    this.announced = false;
    this.emit();
    // Revoking the lease deletes the key at once; if etcd does not answer, it runs out in lease-ttl.
    if (lease) await this.revoke(lease.id);
  }

  onStatus(cb: (s: WitnessStatus) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    await this.release();
    this.stopped = true;
    this.clock.clearTimeout(this.turnTimer);
    this.clock.clearTimeout(this.heldTimer);
    this.watcher.stop();
    await this.turn;
    this.client.close();
    this.listeners.clear();
  }

  /**
   * No circuit breaker (it would refuse calls for 5 s after 3 failures) and no retries beyond
   * trying each endpoint once: every call carries a deadline and the loop retries. Reconnects
   * back off up to renewEveryMs, not gRPC's default 2 minutes.
   */
  private newClient(): Etcd3 {
    const n = this.opts.endpoints.length;
    return new Etcd3({
      hosts: this.opts.endpoints.map(endpointUrl),
      dialTimeout: this.timings.requestTimeoutMs,
      grpcOptions: { 'grpc.initial_reconnect_backoff_ms': 100, 'grpc.max_reconnect_backoff_ms': this.timings.renewEveryMs },
      faultHandling: { host: () => noop, global: n > 1 ? retry(handleWhen(isRecoverableError), { maxAttempts: n - 1 }) : noop },
    });
  }

  /**
   * Requests time out but nothing resets the connection (etcd frozen, or packets dropped on the
   * way): after lease-ttl without an answer, at most once per lease-ttl, open new connections.
   */
  private redialIfSilent(): void {
    const now = this.clock.now();
    if (now - this.lastAnswerAt < this.opts.leaseTtlMs || now - this.lastRedialAt < this.opts.leaseTtlMs || this.stopped) return;
    this.lastRedialAt = now;
    this.log.warn({ silentMs: Math.round(now - this.lastAnswerAt) }, 'no answer from etcd for lease-ttl: opening new connections');
    const old = this.client;
    this.client = this.newClient();
    this.watcher.useClient(this.client);
    old.close();
  }

  private isHeld(now = this.clock.now()): boolean {
    return this.ownsKey && this.lease !== null && now < this.lease.renewedAt + this.timings.heldForMs;
  }

  /** Runs a turn now, or right after the one in flight. */
  private kick(): void {
    if (this.stopped) return;
    if (this.turn) {
      this.again = true;
      return;
    }
    this.clock.clearTimeout(this.turnTimer);
    const startedAt = this.clock.now();
    this.turn = this.runTurn().then((ok) => {
      this.turn = null;
      this.emit();
      if (this.stopped) return;
      const delay = this.again ? 0 : ok ? Math.max(0, startedAt + this.timings.renewEveryMs - this.clock.now()) : this.backoff.next();
      if (ok) this.backoff.reset();
      this.again = false;
      this.turnTimer = this.clock.setTimeout(() => this.kick(), delay);
    });
  }

  private async runTurn(): Promise<boolean> {
    try {
      if (this.want) await this.holdTurn();
      else await this.readKey();
      this.contact(null);
      return true;
    } catch (err) {
      this.contact(err);
      return false;
    }
  }

  private async holdTurn(): Promise<void> {
    let lease = this.lease;
    if (lease) {
      const sentAt = this.clock.now();
      const ttl = await this.keepalive(lease.id);
      if (lease !== this.lease) return; // released meanwhile
      if (ttl > 0) lease.renewedAt = sentAt;
      else {
        this.dropLease(lease, 'etcd says the lease ran out');
        lease = null;
      }
    }
    if (!this.want) return;
    if (!lease) {
      const sentAt = this.clock.now();
      const g = await this.call('grant', (o) => this.client.leaseClient.leaseGrant({ TTL: this.opts.leaseTtlMs / 1000 }, o));
      if (!this.want || this.stopped) {
        await this.revoke(g.ID); // released while the grant was on its way
        return;
      }
      lease = this.lease = { id: g.ID, renewedAt: sentAt };
      this.noteGrantedTtl(Number(g.TTL) * 1000);
    }
    let r;
    try {
      r = await this.call('txn', (o) =>
        this.client.kv.txn(
          {
            compare: [{ key: this.keyBytes, target: 'Create', result: 'Equal', create_revision: 0 }],
            success: [{ request_put: { key: this.keyBytes, value: Buffer.from(this.opts.chassisId), lease: lease.id } }],
            failure: [{ request_range: { key: this.keyBytes } }],
          },
          o,
        ),
      );
    } catch (err) {
      if (!(err instanceof EtcdLeaseInvalidError)) throw err;
      if (lease === this.lease) this.dropLease(lease, 'etcd no longer knows the lease');
      this.again = true;
      return;
    }
    if (lease !== this.lease) return;
    const revision = Number(r.header.revision);
    if (r.succeeded) this.see({ value: this.opts.chassisId, lease: lease.id }, revision, 'created');
    else this.see(r.responses[0]?.response_range.kvs[0] ?? null, revision, 'read');
  }

  /** Not trying to hold it: reads the key, for `holder` and `reachable`. */
  private async readKey(): Promise<void> {
    const r = await this.call('range', (o) => this.client.kv.range({ key: this.keyBytes }, o));
    this.see(r.kvs[0] ?? null, Number(r.header.revision), 'read');
  }

  private see(kv: Pick<IKeyValue, 'lease'> & { value: Buffer | string } | null, revision: number, how: string): void {
    if (revision < this.seenRevision) return;
    this.seenRevision = revision;
    this.holder = kv ? kv.value.toString() : null;
    this.ownsKey = kv !== null && this.lease !== null && kv.lease === this.lease.id && this.holder === this.opts.chassisId;
    this.armHeldTimer();
    if (this.isHeld() && !this.announced) {
      this.announced = true;
      this.log.info({ how }, 'holding the Active key');
    } else this.lost({ holder: this.holder, how });
    this.emit();
  }

  /** Logs the end of a hold that was logged, once; nothing while the key is still held. */
  private lost(fields: Record<string, unknown>, msg = 'lost the Active key'): void {
    if (!this.announced || this.isHeld()) return;
    this.announced = false;
    this.log.warn(fields, msg);
  }

  private dropLease(lease: Lease, why: string): void {
    if (this.lease !== lease) return;
    this.lease = null;
    this.lost({ why });
    this.ownsKey = false;
    this.emit();
  }

  private noteGrantedTtl(ms: number): void {
    if (ms > this.opts.leaseTtlMs && ms !== this.grantedTtlMs)
      this.log.warn({ askedMs: this.opts.leaseTtlMs, grantedMs: ms }, 'etcd granted a longer lease than lease-ttl (its minimum is 1.5 x its election timeout): a dead holder blocks the key that long');
    this.grantedTtlMs = Math.max(ms, this.opts.leaseTtlMs);
  }

  private armHeldTimer(): void {
    this.clock.clearTimeout(this.heldTimer);
    this.heldTimer = null;
    if (!this.isHeld() || !this.lease) return;
    const lease = this.lease;
    const at = lease.renewedAt + this.timings.heldForMs;
    this.heldTimer = this.clock.setTimeout(() => {
      this.heldTimer = null;
      if (this.lease === lease && this.ownsKey) this.lost({ lastRenewalAgoMs: Math.round(this.clock.now() - lease.renewedAt) }, 'lost the Active key: no renewal confirmed within the lease');
      if (this.isHeld()) this.armHeldTimer();
      else this.emit();
    }, Math.max(0, at - this.clock.now()) + 1);
  }

  private keepalive(id: string): Promise<number> {
    return this.call('keepalive', async (o) => {
      const stream = await this.client.leaseClient.leaseKeepAlive(o);
      return new Promise<number>((resolve, reject) => {
        stream.on('data', (res: { TTL: string }) => {
          resolve(Number(res.TTL));
          stream.end();
        });
        stream.on('error', reject);
        stream.on('end', () => reject(new Error('keepalive stream ended without an answer')));
        stream.write({ ID: id });
      });
    });
  }

  private async revoke(id: string): Promise<void> {
    try {
      await this.call('revoke', (o) => this.client.leaseClient.leaseRevoke({ ID: id }, o));
      this.contact(null);
    } catch (err) {
      if (err instanceof EtcdLeaseInvalidError) return; // already gone
      this.contact(err);
      this.log.warn({ err: (err as Error).message }, 'could not revoke the lease: it runs out within lease-ttl');
    }
  }

  /** One request with a deadline; the timer is ours too, in case the client never answers. */
  private async call<T>(op: string, fn: (o: CallOptions) => Promise<T>): Promise<T> {
    const ms = this.timings.requestTimeoutMs;
    let timer: TimerHandle | null = null;
    const guard = new Promise<never>((_, reject) => {
      timer = this.clock.setTimeout(() => reject(new WitnessError('SRP_ERR_WITNESS_TIMEOUT', `${op}: no answer from etcd within ${ms} ms`)), ms + 50);
    });
    try {
      return await Promise.race([fn({ deadline: new Date(Date.now() + ms) }), guard]);
    } catch (err) {
      if (err instanceof WitnessError || err instanceof EtcdLeaseInvalidError) throw err;
      const msg = err instanceof Error ? err.message : String(err);
      const code = /deadline/i.test(msg) ? 'SRP_ERR_WITNESS_TIMEOUT' : 'SRP_ERR_WITNESS_UNREACHABLE';
      throw new WitnessError(code, `${op}: ${msg}`, { cause: err });
    } finally {
      this.clock.clearTimeout(timer);
    }
  }

  /** The outcome of a request: `reachable` and `lastError`. */
  private contact(err: unknown): void {
    const was = this.reachable;
    this.reachable = err === null;
    if (err === null) this.lastAnswerAt = this.clock.now();
    else if (err instanceof WitnessError && err.code === 'SRP_ERR_WITNESS_TIMEOUT') this.redialIfSilent();
    if (err === null) this.lastError = null;
    else if (err instanceof WitnessError) this.lastError = `${err.code}: ${err.message}`;
    else this.lastError = err instanceof Error ? err.message : JSON.stringify(err);
    if (was && !this.reachable) this.log.warn({ err: this.lastError }, 'etcd unreachable');
    if (!was && this.reachable) this.log.info('etcd reachable');
    this.emit();
  }

  private emit(): void {
    const s = this.status;
    const sig = JSON.stringify(s);
    if (sig === this.emitted) return;
    this.emitted = sig;
    for (const cb of [...this.listeners]) {
      try {
        cb(s);
      } catch (err) {
        this.log.error({ err: (err as Error).message }, 'a witness status listener threw');
      }
    }
  }
}
