// Session load through the ledger: the bulk load before a fault (creates, acknowledged and
// recorded like any other write) and a paced update load (thousands of attribute updates per
// second, following the Active) for the load scenarios.
import { now } from '../poller.js';
import type { Ledger, PendingWrite } from './ledger.js';
import { ActiveFollower, sendWrites, type TargetStats, type WriteTarget } from './target.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Creates sessions `<prefix>-<from>` .. `<prefix>-<from + n - 1>` on `target` in calls of
 * `batch`, `parallel` calls at a time; every acknowledged create goes into the ledger. Throws
 * when a call is not acknowledged (the load happens on a settled pair).
 */
export async function bulkCreate(ledger: Ledger, target: WriteTarget, prefix: string, n: number, from = 0, batch = 1000, parallel = 2): Promise<void> {
  let next = from;
  const end = from + n;
  const follower = new ActiveFollower([target]);
  const worker = async (): Promise<void> => {
    while (next < end) {
      const lo = next;
      next = Math.min(end, next + batch);
      const writes: PendingWrite[] = [];
      for (let i = lo; i < next; i++) writes.push(ledger.planCreate(`${prefix}-${i}`));
      const answer = await sendWrites(target.api, writes, 60_000);
      follower.settle(ledger, target, writes, answer, now(), false);
      if (answer.kind !== 'ok') throw new Error(`loading sessions on ${target.name}: ${answer.kind === 'error' ? answer.message : `${answer.kind} (HTTP ${answer.kind === 'refused' ? answer.status : 400})`}`);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

export interface RateLoadOptions {
  /** Attribute updates per second. */
  rate: number;
  tickMs?: number;
  /** Calls in flight at most (default 4). */
  inFlight?: number;
  timeoutMs: number;
}

/**
 * Attribute updates at a fixed rate over the sessions that exist when it starts, round robin
 * (so no session has two updates in flight), to whichever chassis answers as Active.
 */
export class RateLoad {
  readonly follower: ActiveFollower;
  private running = false;
  private paused = false;
  private readonly calls = new Set<Promise<void>>();
  private loop: Promise<void> = Promise.resolve();
  private pool: number[] = [];
  private cursor = 0;
  private inFlight = 0;
  private started = 0;
  private stoppedAt = 0;
  sent = 0;
  ackedOps = 0;
  /** Ticks whose batch was skipped because too many calls were still in flight. */
  behind = 0;

  constructor(
    nodes: readonly WriteTarget[],
    private readonly ledger: Ledger,
    private readonly opts: RateLoadOptions,
  ) {
    this.follower = new ActiveFollower(nodes);
  }

  get stats(): TargetStats {
    return this.follower.stats;
  }

  /** Updates acknowledged per second over the run. */
  get achievedRate(): number {
    const end = this.running ? now() : this.stoppedAt;
    const s = (end - this.started) / 1000;
    return s > 0 ? Math.round(this.ackedOps / s) : 0;
  }

  private get batchSize(): number {
    const tick = this.opts.tickMs ?? 50;
    return Math.max(1, Math.min(Math.round((this.opts.rate * tick) / 1000), Math.floor(this.pool.length / (2 * (this.opts.inFlight ?? 4))) || 1));
  }

  start(first: WriteTarget): void {
    if (this.running) return;
    // The writer of the scenario leaves these sessions alone: two writers' calls in flight on
    // one session could be applied in either order.
    this.pool = this.ledger.live.filter((s) => this.ledger.reserve(s));
    this.follower.current = first;
    this.running = true;
    this.started = now();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.stoppedAt = now();
  }

  /** Stops sending until resume(); resolves once no call is in flight. */
  async pause(): Promise<void> {
    this.paused = true;
    await Promise.all(this.calls);
  }

  resume(): void {
    this.paused = false;
  }

  private async run(): Promise<void> {
    const tick = this.opts.tickMs ?? 50;
    const max = this.opts.inFlight ?? 4;
    const calls = this.calls;
    let due = now();
    while (this.running) {
      if (this.paused) {
        await sleep(5);
        due = now();
        continue;
      }
      if (this.inFlight < max && this.pool.length > 0) {
        const writes: PendingWrite[] = [];
        for (let i = 0; i < this.batchSize; i++) {
          const s = this.pool[this.cursor++ % this.pool.length];
          if (s !== undefined) writes.push(this.ledger.planAttr(s));
        }
        const target = this.follower.current;
        this.inFlight++;
        this.sent += writes.length;
        const p = sendWrites(target.api, writes, this.opts.timeoutMs).then((answer) => {
          this.follower.settle(this.ledger, target, writes, answer, now());
          if (answer.kind === 'ok') this.ackedOps += writes.length;
          this.inFlight--;
        });
        calls.add(p);
        void p.finally(() => calls.delete(p));
      } else this.behind++;
      due += tick;
      const left = due - now();
      if (left > 0) await sleep(left);
      else if (left < -10 * tick) due = now(); // far behind (a stall): do not burst to catch up
    }
    await Promise.all(calls);
  }
}
