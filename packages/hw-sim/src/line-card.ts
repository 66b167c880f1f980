// A line card: ports, a forwarding table (FIB) programmed by the active CF, and a data plane
// that forwards with whatever FIB it last received (nonstop forwarding) while it is up.

export const LC_STATES = ['booting', 'up', 'down', 'removed'] as const;
export type LineCardState = (typeof LC_STATES)[number];
export type LineCardEvent = 'boot-done' | 'crash' | 'hang' | 'reload' | 'remove' | 'insert';
export type LineCardAlarm = 'none' | 'crashed' | 'hung' | 'reset' | 'removed';

export const LC_TRANSITIONS: Readonly<Record<LineCardState, Partial<Record<LineCardEvent, LineCardState>>>> = {
  booting: { 'boot-done': 'up', crash: 'down', hang: 'down', reload: 'booting', remove: 'removed' },
  up: { crash: 'down', hang: 'down', reload: 'booting', remove: 'removed' },
  down: { reload: 'booting', remove: 'removed' },
  removed: { insert: 'booting' },
};

export type LcStepResult = { ok: true; state: LineCardState } | { ok: false; reason: string };

export function lineCardStep(state: LineCardState, event: LineCardEvent): LcStepResult {
  const next = LC_TRANSITIONS[state][event];
  return next === undefined
    ? { ok: false, reason: `line card event '${event}' is illegal in state '${state}'` }
    : { ok: true, state: next };
}

export interface FibEntry {
  readonly prefix: string;
  readonly port: number;
}

export interface LineCardCounters {
  forwarded: number;
  dropped: number;
  droppedNoRoute: number;
  droppedCardDown: number;
}

export interface LineCardView {
  slot: number;
  ports: number;
  state: LineCardState;
  alarm: LineCardAlarm;
  fibSize: number;
  sessions: number;
  counters: LineCardCounters;
}

export class LineCard {
  state: LineCardState = 'down';
  alarm: LineCardAlarm = 'none';
  /** Bumped on every state change, so stale timers can tell they are stale. */
  epoch = 0;
  sessions = 0;
  private fib = new Map<string, FibEntry>();
  readonly counters: LineCardCounters = { forwarded: 0, dropped: 0, droppedNoRoute: 0, droppedCardDown: 0 };

  constructor(
    readonly slot: number,
    readonly ports: number,
  ) {}

  /** Apply an event through the table; returns the refusal reason when illegal. */
  apply(event: LineCardEvent): LcStepResult {
    const r = lineCardStep(this.state, event);
    if (r.ok) {
      this.state = r.state;
      this.epoch++;
      if (r.state !== 'up') this.fib.clear(); // a reset or dead card loses its hardware FIB
    }
    return r;
  }

  programFib(entries: Iterable<FibEntry>): void {
    this.fib = new Map([...entries].map((e) => [e.prefix, e]));
  }

  flushFib(): void {
    this.fib.clear();
  }

  fibSize(): number {
    return this.fib.size;
  }

  /** Forward `packets` towards `prefix` with the current FIB; returns how many went through. */
  forward(packets: number, prefix: string): number {
    if (this.state !== 'up') {
      this.counters.dropped += packets;
      this.counters.droppedCardDown += packets;
      return 0;
    }
    if (!this.fib.has(prefix)) {
      this.counters.dropped += packets;
      this.counters.droppedNoRoute += packets;
      return 0;
    }
    this.counters.forwarded += packets;
    return packets;
  }

  view(): LineCardView {
    return {
      slot: this.slot,
      ports: this.ports,
      state: this.state,
      alarm: this.alarm,
      fibSize: this.fib.size,
      sessions: this.sessions,
      counters: { ...this.counters },
    };
  }
}
