// What every monitor offers the group and guard logic (controller.ts): a set of members (RADIUS
// servers, Diameter peers, later BGP neighbours) in named groups, each Up, Down or Unknown, and
// start/stop because monitors probe on the Active only. A new kind of monitor (`monitor.bgp`,
// reading neighbour states from a BGP daemon) is one more implementation of MonitorSource.
import type { GuardFamily, MonitorKind } from '../config/monitoring.js';
import type { Clock } from '../fsm/clock.js';

export const GUARD_FAMILY: Readonly<Record<MonitorKind, GuardFamily>> = {
  'authentication-probe': 'aaa',
  diameter: 'diam',
  bgp: 'bgp',
};

export type MemberState = 'up' | 'down' | 'unknown';

export interface MemberTotals {
  probes: number;
  answers: number;
  failures: number;
  /** Datagrams or messages that failed a check (bad authenticator, garbage): dropped and counted. */
  badAnswers: number;
}

export interface MemberStatus {
  name: string;
  /** host:port probed. */
  address: string;
  groups: string[];
  state: MemberState;
  /** Wall-clock ISO time of the last state change (null: never changed since start). */
  since: string | null;
  lastProbeAt: string | null;
  /** What the last probe got: `accept`, `reject`, `timeout`, `CEA DIAMETER_SUCCESS`, ... */
  lastResult: string | null;
  rttMs: number | null;
  /** Consecutive failed probes (reset by an answer and by `srp reset-*-fail`). */
  failures: number;
  totals: MemberTotals;
  /** Why it is in its state, one readable line. */
  cause: string;
  /** Kind-specific details (Diameter: connection state, the peer's Origin-Host). */
  detail?: Record<string, string | number | null>;
}

export interface MemberChange {
  kind: MonitorKind;
  member: string;
  from: MemberState;
  to: MemberState;
  cause: string;
}

/** Each probe's outcome, for metrics (`srp_monitor_probes_total`, `srp_monitor_probe_rtt_seconds`). */
export interface ProbeObserver {
  probe(kind: MonitorKind, member: string, outcome: 'answer' | 'failure' | 'bad-answer', rttSeconds: number | null): void;
}

export interface MonitorSource {
  readonly kind: MonitorKind;
  /** Group name -> member names, from the config (every group has at least one member). */
  readonly groups: ReadonlyMap<string, readonly string[]>;
  /** Begin probing (this chassis is Active). Idempotent. */
  start(): void;
  /** Stop probing; every member goes back to Unknown. Idempotent. */
  stop(): void;
  readonly probing: boolean;
  members(): MemberStatus[];
  /** `srp reset-auth-probe-fail` / `reset-diameter-fail`: failure counts back to 0. */
  resetFailures(): void;
  onChange(listener: (c: MemberChange) => void): () => void;
  dispose(): void;
}

export interface SourceContext {
  clock: Clock;
  observer?: ProbeObserver;
  log: (level: 'debug' | 'info' | 'warn', obj: Record<string, unknown>, msg: string) => void;
}

/** The listener set and state bookkeeping every source shares. */
export class MemberBook {
  private readonly listeners = new Set<(c: MemberChange) => void>();
  readonly status = new Map<string, MemberStatus>();

  constructor(readonly kind: MonitorKind) {}

  add(name: string, address: string, groups: string[], detail?: MemberStatus['detail']): void {
    this.status.set(name, {
      name,
      address,
      groups,
      state: 'unknown',
      since: null,
      lastProbeAt: null,
      lastResult: null,
      rttMs: null,
      failures: 0,
      totals: { probes: 0, answers: 0, failures: 0, badAnswers: 0 },
      cause: 'not probing (this chassis is not Active)',
      ...(detail ? { detail } : {}),
    });
  }

  get(name: string): MemberStatus {
    const s = this.status.get(name);
    if (!s) throw new Error(`no member ${name}`);
    return s;
  }

  /** Moves a member to `to` and tells the listeners when the state changed. */
  set(name: string, to: MemberState, cause: string): void {
    const s = this.get(name);
    s.cause = cause;
    if (s.state === to) return;
    const from = s.state;
    s.state = to;
    s.since = new Date().toISOString();
    for (const l of [...this.listeners]) {
      try {
        l({ kind: this.kind, member: name, from, to, cause });
      } catch {
        /* a listener's failure is its own */
      }
    }
  }

  onChange(listener: (c: MemberChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(): MemberStatus[] {
    return [...this.status.values()].map((s) => ({ ...s, groups: [...s.groups], totals: { ...s.totals }, ...(s.detail ? { detail: { ...s.detail } } : {}) }));
  }

  resetFailures(): void {
    for (const s of this.status.values()) s.failures = 0;
  }
}

export type GroupVerdict = 'up' | 'down' | 'unknown';

/** A group is Down when every member is Down, Up when one is Up, otherwise Unknown. */
export function groupVerdict(states: readonly MemberState[]): GroupVerdict {
  if (states.length > 0 && states.every((s) => s === 'down')) return 'down';
  return states.includes('up') ? 'up' : 'unknown';
}

/** One member's prober (a RADIUS server, a Diameter peer): starts and stops with the source. */
export interface MemberWatch {
  start(): void;
  stop(): void;
}

/**
 * A MonitorSource made of one watch per member: the book keeping, group membership and
 * start/stop that every kind shares. Subclasses build their watches.
 */
export abstract class GroupedSource implements MonitorSource {
  abstract readonly kind: MonitorKind;
  protected abstract readonly book: MemberBook;
  protected abstract readonly watches: readonly MemberWatch[];
  private running = false;

  constructor(readonly groups: ReadonlyMap<string, readonly string[]>) {}

  /** The groups `member` belongs to. */
  protected groupsOf(member: string): string[] {
    return [...this.groups].filter(([, members]) => members.includes(member)).map(([g]) => g);
  }

  get probing(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (const w of this.watches) w.start();
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    for (const w of this.watches) w.stop();
  }

  members(): MemberStatus[] {
    return this.book.list();
  }

  resetFailures(): void {
    this.book.resetFailures();
  }

  onChange(listener: (c: MemberChange) => void): () => void {
    return this.book.onChange(listener);
  }

  dispose(): void {
    this.stop();
  }
}
