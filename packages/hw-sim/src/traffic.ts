// Subscriber traffic: attaches, updates and detaches sessions on the line cards at a bounded
// rate, deterministically from a seed, and reports each change to a sink callback.
import type { Clock } from './clock.js';
import type { TrafficConfig } from './config.js';
import { Prng } from './prng.js';

export type SessionClass = 'ims' | 'non-ims';

export interface SessionAttrs {
  imsi: string;
  apn: string;
  ueIp: string;
  qci: number;
  ratType: 'EUTRAN';
  lineCard: number;
  createdAt: number;
}

export interface SessionCounters {
  bytesUp: number;
  bytesDown: number;
  packetsUp: number;
  packetsDown: number;
}

export type SessionOp =
  | { op: 'upsert'; id: string; class: SessionClass; attrs: SessionAttrs; counters: SessionCounters; lifetimeMs: number }
  | { op: 'delete'; id: string };

export type SessionSink = (op: SessionOp) => void;

/** What the generator needs from the chassis it runs in. */
export interface TrafficHost {
  /** The control plane can take new work (an ACTIVE CF). */
  accepting(): boolean;
  /** Slot of an up line card for a new session, chosen with `r` in [0, 1); null if none. */
  pickLineCard(r: number): number | null;
  sessionPlaced?(slot: number, delta: 1 | -1): void;
}

export type TrafficStopReason = 'count' | 'duration' | 'stopped' | null;

export interface TrafficStats {
  running: boolean;
  stopReason: TrafficStopReason;
  live: number;
  generated: number; // sessions attached so far
  ops: number; // operations emitted (attach + update + detach)
  attaches: number;
  updates: number;
  detaches: number;
  expired: number; // detaches because the session lifetime ran out
  lost: number; // sessions dropped by a chassis reset / non-stateful switchover
  rejected: number; // attaches with no line card up
  deferredTicks: number; // ticks skipped while the control plane was not accepting
}

interface Session {
  id: string;
  cls: SessionClass;
  attrs: SessionAttrs;
  counters: SessionCounters;
  lifetimeMs: number;
  expiresAt: number;
  index: number; // position in `liveList`
}

const MAX_OPS_PER_TICK = 10_000;

export class TrafficGenerator {
  private readonly prng: Prng;
  private live = new Map<string, Session>();
  private liveList: Session[] = [];
  private expiry: { at: number; id: string }[] = []; // min-heap, lazy deletion
  private seq = 0;
  private carry = 0;
  private timer: unknown = null;
  private startedAt = 0;
  private stopReason: TrafficStopReason = null;
  private readonly s: Omit<TrafficStats, 'running' | 'stopReason' | 'live'> = {
    generated: 0,
    ops: 0,
    attaches: 0,
    updates: 0,
    detaches: 0,
    expired: 0,
    lost: 0,
    rejected: 0,
    deferredTicks: 0,
  };

  constructor(
    readonly config: TrafficConfig,
    private readonly clock: Clock,
    private readonly idPrefix: string,
    private sink: SessionSink | null = null,
    private readonly host: TrafficHost = { accepting: () => true, pickLineCard: () => 0 },
  ) {
    this.prng = new Prng(config.seed);
  }

  setSink(sink: SessionSink | null): void {
    this.sink = sink;
  }

  running(): boolean {
    return this.timer !== null;
  }

  /** Start (or resume) generating. Refused after a count/duration stop: bounds are final. */
  start(): boolean {
    if (this.timer !== null || this.stopReason === 'count' || this.stopReason === 'duration') return false;
    if (this.stopReason === null) this.startedAt = this.clock.now();
    this.stopReason = null;
    this.arm();
    return true;
  }

  stop(reason: Exclude<TrafficStopReason, null> = 'stopped'): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.stopReason = reason;
  }

  /** Sessions lost (chassis reset, non-stateful switchover): delete them all. */
  dropAll(): number {
    const ids = [...this.live.keys()];
    for (const id of ids) this.remove(id, false);
    this.expiry = [];
    this.s.lost += ids.length;
    return ids.length;
  }

  stats(): TrafficStats {
    return { running: this.running(), stopReason: this.stopReason, live: this.live.size, ...this.s };
  }

  /** Run one tick now (the timer calls this; tests may too). */
  tick(): void {
    const now = this.clock.now();
    const cfg = this.config;
    const elapsed = now - this.startedAt;
    const durationOver = cfg.durationMs !== null && elapsed >= cfg.durationMs;
    if (cfg.durationMs !== null && elapsed > cfg.durationMs) {
      this.stop('duration');
      return;
    }
    if (!this.host.accepting()) {
      this.s.deferredTicks++;
      if (durationOver) this.stop('duration');
      return;
    }
    this.carry += (cfg.rate * cfg.tickMs) / 1000;
    let budget = Math.min(MAX_OPS_PER_TICK, Math.floor(this.carry));
    this.carry -= budget;
    // Expired sessions are detached first and use the same budget.
    while (budget > 0 && this.expiry.length > 0 && this.expiry[0].at <= now && !this.countReached()) {
      const e = heapPop(this.expiry)!;
      if (!this.live.has(e.id)) continue;
      this.s.expired++;
      this.detach(e.id);
      budget--;
    }
    for (; budget > 0 && !this.countReached(); budget--) this.randomOp(now);
    if (this.countReached()) this.stop('count');
    else if (durationOver) this.stop('duration');
  }

  private countReached(): boolean {
    return this.config.count !== null && this.s.ops >= this.config.count;
  }

  private arm(): void {
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.tick();
      if (this.stopReason === null) this.arm();
    }, this.config.tickMs);
  }

  private randomOp(now: number): void {
    const r = this.prng.next();
    const n = this.liveList.length;
    if (n === 0 || (n < this.config.maxSessions && r < 0.4)) {
      if (n < this.config.maxSessions) this.attach(now);
      return;
    }
    if (r < 0.85) this.update();
    else this.detach(this.liveList[this.prng.int(0, n - 1)].id);
  }

  private attach(now: number): void {
    const p = this.prng;
    const slot = this.host.pickLineCard(p.next());
    if (slot === null) {
      this.s.rejected++;
      return;
    }
    const n = ++this.seq;
    const cls: SessionClass = p.next() < this.config.imsRatio ? 'ims' : 'non-ims';
    const attrs: SessionAttrs = {
      imsi: '00101' + p.digits(10),
      apn: cls === 'ims' ? 'ims' : p.weighted([['internet', 8], ['mms', 1], ['iot.m2m', 1]] as const),
      ueIp: `10.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`,
      qci: cls === 'ims' ? p.weighted([[5, 7], [1, 3]] as const) : p.weighted([[9, 7], [8, 2], [6, 1]] as const),
      ratType: 'EUTRAN',
      lineCard: slot,
      createdAt: now,
    };
    const lifetimeMs = p.int(this.config.minLifetimeMs, this.config.maxLifetimeMs);
    const session: Session = {
      id: `${this.idPrefix}${String(n).padStart(8, '0')}`,
      cls,
      attrs,
      counters: { bytesUp: 0, bytesDown: 0, packetsUp: 0, packetsDown: 0 },
      lifetimeMs,
      expiresAt: now + lifetimeMs,
      index: this.liveList.length,
    };
    this.live.set(session.id, session);
    this.liveList.push(session);
    heapPush(this.expiry, { at: session.expiresAt, id: session.id });
    this.host.sessionPlaced?.(slot, 1);
    this.s.generated++;
    this.s.attaches++;
    this.emitUpsert(session);
  }

  private update(): void {
    const p = this.prng;
    const s = this.liveList[p.int(0, this.liveList.length - 1)];
    const pu = p.int(1, 50);
    const pd = p.int(1, 200);
    s.counters.packetsUp += pu;
    s.counters.packetsDown += pd;
    s.counters.bytesUp += pu * p.int(60, 1400);
    s.counters.bytesDown += pd * p.int(60, 1500);
    this.s.updates++;
    this.emitUpsert(s);
  }

  private detach(id: string): void {
    this.s.detaches++;
    this.remove(id, true);
  }

  private remove(id: string, countOp: boolean): void {
    const s = this.live.get(id);
    if (!s) return;
    this.live.delete(id);
    const last = this.liveList.pop()!;
    if (last !== s) {
      this.liveList[s.index] = last;
      last.index = s.index;
    }
    this.host.sessionPlaced?.(s.attrs.lineCard, -1);
    if (countOp) this.s.ops++;
    this.sink?.({ op: 'delete', id });
  }

  private emitUpsert(s: Session): void {
    this.s.ops++;
    this.sink?.({
      op: 'upsert',
      id: s.id,
      class: s.cls,
      attrs: { ...s.attrs },
      counters: { ...s.counters },
      lifetimeMs: s.lifetimeMs,
    });
  }
}

function heapPush(h: { at: number; id: string }[], x: { at: number; id: string }): void {
  h.push(x);
  let i = h.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (h[p].at <= h[i].at) break;
    [h[p], h[i]] = [h[i], h[p]];
    i = p;
  }
}

function heapPop(h: { at: number; id: string }[]): { at: number; id: string } | undefined {
  if (h.length === 0) return undefined;
  const top = h[0];
  const last = h.pop()!;
  if (h.length > 0) {
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && h[l].at < h[m].at) m = l;
      if (r < h.length && h[r].at < h[m].at) m = r;
      if (m === i) break;
      [h[m], h[i]] = [h[i], h[m]];
      i = m;
    }
  }
  return top;
}
