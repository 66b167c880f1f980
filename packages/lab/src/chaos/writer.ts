// The acknowledged-write writer of every chaos scenario: from the settled pair to the end of
// the fault it keeps writing (creates, attribute updates, counter increments) to whichever
// chassis answers as Active, one call at a time, and records each acknowledged write in the
// ledger. In `all` mode (a split link) it writes to both chassis at once, each call to its own
// sessions plus one session written on both sides (a conflict by construction).
import { now } from '../poller.js';
import type { Ledger, PendingWrite } from './ledger.js';
import { ActiveFollower, sendWrites, type TargetStats, type WriteTarget } from './target.js';

export interface WriterOptions {
  /** Pause between calls (ms). */
  intervalMs: number;
  /** Writes per call, by kind. */
  creates: number;
  attrs: number;
  counters: number;
  /** A call not answered within this counts as unacknowledged and moves to the other chassis. */
  timeoutMs: number;
  /** Id prefix of the sessions the writer creates. */
  prefix: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** How many recent sessions half of the updates pick from (the writer's own, often young). */
const RECENT = 200;

export class AckedWriter {
  mode: 'active' | 'all' = 'active';
  /** Sessions written on both chassis while in `all` mode. */
  conflicts = 0;
  private running = false;
  private paused = false;
  private loop: Promise<void> = Promise.resolve();
  private inRound: Promise<void> = Promise.resolve();
  private made = 0;
  readonly follower: ActiveFollower;

  constructor(
    nodes: readonly WriteTarget[],
    private readonly ledger: Ledger,
    private readonly opts: WriterOptions,
  ) {
    this.follower = new ActiveFollower(nodes);
  }

  get stats(): TargetStats {
    return this.follower.stats;
  }

  /** Starts writing to `first` (the settled Active) and following the Active from there. */
  start(first: WriteTarget): void {
    if (this.running) return;
    this.follower.current = first;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Stops sending until resume(); resolves once no call is in flight. */
  async pause(): Promise<void> {
    this.paused = true;
    await this.inRound;
  }

  resume(): void {
    this.paused = false;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const t0 = now();
      if (this.paused) {
        await sleep(5);
        continue;
      }
      this.inRound = this.mode === 'all' ? this.roundBoth() : this.round(this.follower.current, this.plan(new Set()));
      await this.inRound;
      const left = this.opts.intervalMs - (now() - t0);
      if (left > 0) await sleep(left);
    }
  }

  private async round(target: WriteTarget, writes: PendingWrite[]): Promise<void> {
    if (writes.length > 0) await this.send(target, writes, true);
  }

  /**
   * One call, settled in the ledger. A call refused because counters would go down (a new
   * Active advances every counter; the call applied nothing) is sent once more at once, its
   * counter increments planned again from the values the chassis holds.
   */
  private async send(target: WriteTarget, writes: PendingWrite[], follow: boolean): Promise<void> {
    const answer = await sendWrites(target.api, writes, this.opts.timeoutMs);
    this.follower.settle(this.ledger, target, writes, answer, now(), follow);
    if (answer.kind !== 'bad' || !answer.errors.every((e) => /would go down/.test(e.reason))) return;
    const rebased = new Set(answer.errors.map((e) => writes[e.index]?.session));
    const again = writes.map((w) => (w.kind === 'counter' && rebased.has(w.session) ? this.ledger.planCounter(w.session) : w));
    this.follower.settle(this.ledger, target, again, await sendWrites(target.api, again, this.opts.timeoutMs), now(), follow);
  }

  /**
   * Split link: each chassis gets its own call; one session is written on both, on the second
   * chassis once the first answered. The ledger judges "that write or a later one" by the marks,
   * which grow in the order the writer sends; two writes of one attribute sent at the same
   * moment have no order (each chassis may make its own later, and the split hand-over keeps the
   * later by when each chassis made it), so the second waits for the first's answer.
   */
  private async roundBoth(): Promise<void> {
    const taken = new Set<number>();
    const per = this.follower.nodes.map((n) => ({ n, writes: this.plan(taken) }));
    const shared = this.pick(taken);
    const [first, second] = per;
    if (shared !== null && first && second) {
      this.conflicts++;
      first.writes.push(this.ledger.planAttr(shared));
    }
    // Each side is its own target here: answers are recorded, nobody is followed.
    await Promise.all(per.map(({ n, writes }) => this.send(n, writes, false)));
    if (shared !== null && second) await this.send(second.n, [this.ledger.planAttr(shared)], false);
  }

  /** One call's writes; sessions in `taken` are left alone (and the picked ones added). */
  private plan(taken: Set<number>): PendingWrite[] {
    const writes: PendingWrite[] = [];
    for (let i = 0; i < this.opts.creates; i++) writes.push(this.ledger.planCreate(`${this.opts.prefix}-w${this.made++}`));
    for (let i = 0; i < this.opts.attrs + this.opts.counters; i++) {
      const s = this.pick(taken);
      if (s === null) break;
      writes.push(i < this.opts.attrs ? this.ledger.planAttr(s) : this.ledger.planCounter(s));
    }
    return writes;
  }

  /** A session with an acknowledged create not in `taken`: half the time a recent one. */
  private pick(taken: Set<number>): number | null {
    const live = this.ledger.live;
    if (live.length === 0) return null;
    for (let tries = 0; tries < 8; tries++) {
      const recent = Math.random() < 0.5;
      const from = recent ? Math.max(0, live.length - RECENT) : 0;
      const s = live[from + Math.floor(Math.random() * (live.length - from))];
      if (s !== undefined && !taken.has(s) && !this.ledger.isReserved(s)) {
        taken.add(s);
        return s;
      }
    }
    return null;
  }
}
