import type { Clock } from '../clock.js';
import type { SessionClassName } from '../messages.js';
import type { Session } from '../table/session.js';
import type { SessionStore } from '../table/store.js';

interface EligibilityQueue {
  ids: string[];
  dues: number[];
  head: number;
}

const newQueue = (): EligibilityQueue => ({ ids: [], dues: [], head: 0 });

/**
 * A session is replicated once it is older than the session duration of its class. Young
 * sessions wait in one queue per class (creation order, so due times ascend), and one timer
 * serves them all.
 */
export class EligibilityTimer {
  private readonly queues: Record<SessionClassName, EligibilityQueue> = { ims: newQueue(), 'non-ims': newQueue() };
  private timer: unknown = null;
  private timerAt = Infinity;

  /** `durationFor`: the session duration of a class; `becomeEligible`: called for each session due. */
  constructor(
    private readonly store: SessionStore,
    private readonly clock: Clock,
    private readonly durationFor: (cls: SessionClassName) => number,
    private readonly becomeEligible: (s: Session) => void,
  ) {}

  /** Session `id` of class `cls` becomes eligible at `due`. */
  queue(cls: SessionClassName, id: string, due: number): void {
    const q = this.queues[cls];
    q.ids.push(id);
    q.dues.push(due);
    this.arm();
  }

  clear(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
    this.queues.ims = newQueue();
    this.queues['non-ims'] = newQueue();
  }

  private nextDue(): number {
    let due = Infinity;
    for (const q of Object.values(this.queues)) if (q.head < q.ids.length) due = Math.min(due, q.dues[q.head]);
    return due;
  }

  private arm(): void {
    const due = this.nextDue();
    if (due === Infinity || (this.timer !== null && this.timerAt <= due)) return;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timerAt = due;
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      this.run();
    }, Math.max(0, due - this.clock.now()));
  }

  private run(): void {
    const now = this.clock.now();
    for (const q of Object.values(this.queues)) {
      while (q.head < q.ids.length && q.dues[q.head] <= now) {
        const id = q.ids[q.head];
        const due = q.dues[q.head];
        q.head++;
        const s = this.store.get(id);
        // Skip sessions deleted or re-created since they were queued.
        if (s && !s.eligible && s.createdAt + this.durationFor(s.cls) === due) this.becomeEligible(s);
      }
      if (q.head > 4096 && q.head * 2 > q.ids.length) {
        q.ids = q.ids.slice(q.head);
        q.dues = q.dues.slice(q.head);
        q.head = 0;
      }
    }
    this.arm();
  }
}
