// Watches both chassis from outside, the way an operator or the routing domain would: it asks
// each daemon for its state every few tens of milliseconds and records every change it sees.
// A daemon that does not answer in time (killed, frozen, restarting) is recorded as "down".
// From that record come the takeover time and how long two Actives were visible at once.
import type { ChassisState, SrpApi } from './api.js';

export type SeenState = ChassisState | 'down';

export interface Observation {
  /** Wall-clock milliseconds (performance-based, monotonic within the run). */
  t: number;
  node: string;
  state: SeenState;
  routeModifier: number | null;
  /** For a change: when the previous state was last confirmed (null for the first). */
  prevSeenAt?: number | null;
}

export interface PolledNode {
  name: string;
  api: () => SrpApi;
}

export function now(): number {
  return performance.timeOrigin + performance.now();
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class StatePoller {
  /** Every change of state (or route modifier) per node, in time order per node. */
  readonly changes: Observation[] = [];
  private readonly last = new Map<string, Observation>();
  private running = false;
  private loops: Promise<void>[] = [];
  private polls = 0;

  constructor(
    private readonly nodes: readonly PolledNode[],
    private readonly intervalMs = 50,
    private readonly timeoutMs = 400,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loops = this.nodes.map((n) => this.loop(n));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    this.loops = [];
  }

  get pollCount(): number {
    return this.polls;
  }

  current(node: string): Observation | undefined {
    return this.last.get(node);
  }

  /** Polls one node right now (also used while the loop is stopped). */
  async pollOnce(n: PolledNode): Promise<Observation> {
    let obs: Observation;
    try {
      const info = await n.api().info(this.timeoutMs);
      obs = { t: now(), node: n.name, state: info.state, routeModifier: info.routeModifier };
    } catch {
      obs = { t: now(), node: n.name, state: 'down', routeModifier: null };
    }
    this.polls++;
    this.record(obs);
    return obs;
  }

  private record(obs: Observation): void {
    const prev = this.last.get(obs.node);
    this.last.set(obs.node, obs);
    if (prev && prev.state === obs.state && prev.routeModifier === obs.routeModifier) return;
    this.changes.push({ ...obs, prevSeenAt: prev?.t ?? null });
  }

  private async loop(n: PolledNode): Promise<void> {
    while (this.running) {
      const started = now();
      await this.pollOnce(n);
      const left = this.intervalMs - (now() - started);
      if (left > 0) await sleep(left);
    }
  }

  /** First time at or after `t0` that `node` was seen in `state`, or null. */
  firstSeen(node: string, state: SeenState, t0: number): number | null {
    const hit = this.changes.find((o) => o.node === node && o.state === state && o.t >= t0);
    if (hit) return hit.t;
    // Already in that state before t0 and still in it: count from t0.
    const before = this.stateAt(node, t0);
    return before === state ? t0 : null;
  }

  /** The last state seen for `node` at or before `t`. */
  stateAt(node: string, t: number): SeenState | null {
    let s: SeenState | null = null;
    for (const o of this.changes) if (o.node === node && o.t <= t) s = o.state;
    return s;
  }

  /**
   * Intervals during which `node` was certainly in `state`: from the first answer showing it to
   * the last answer showing it. A change between two polls is never counted for either side,
   * so overlaps computed from these are lower bounds (no false two-Actives from poll timing).
   */
  intervals(node: string, state: SeenState, to: number = now()): [number, number][] {
    const mine = this.changes.filter((o) => o.node === node);
    const out: [number, number][] = [];
    for (let i = 0; i < mine.length; i++) {
      const o = mine[i];
      if (o === undefined || o.state !== state) continue;
      const next = mine[i + 1];
      const end = next !== undefined ? (next.prevSeenAt ?? next.t) : Math.min(to, this.last.get(node)?.t ?? to);
      if (end > o.t) out.push([o.t, Math.min(end, to)]);
    }
    return out;
  }

  /**
   * Milliseconds within [from, to] during which every node was seen Active: what the routing
   * domain would see as two Actives. Resolution: the polling interval (lower bound).
   */
  allActiveMs(from: number, to: number = now()): number {
    let common: [number, number][] = [[from, to]];
    for (const n of this.nodes) {
      const mine = this.intervals(n.name, 'Active', to);
      const next: [number, number][] = [];
      for (const [a0, a1] of common)
        for (const [b0, b1] of mine) {
          const lo = Math.max(a0, b0);
          const hi = Math.min(a1, b1);
          if (hi > lo) next.push([lo, hi]);
        }
      common = next;
    }
    return common.reduce((sum, [lo, hi]) => sum + (hi - lo), 0);
  }

  /** Waits until `pred` holds for the latest observations (bounded by `timeoutMs`). */
  async waitFor(pred: (last: Map<string, Observation>) => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = now() + timeoutMs;
    while (now() < deadline) {
      if (this.last.size === this.nodes.length && pred(this.last)) return true;
      await sleep(Math.min(this.intervalMs, 50));
    }
    return this.last.size === this.nodes.length && pred(this.last);
  }

  /** Transitions as printable lines, relative to `t0`. */
  timeline(t0: number): string[] {
    return this.changes.map((o) => `${((o.t - t0) / 1000).toFixed(3).padStart(8)}s ${o.node} ${o.state}${o.routeModifier === null ? '' : ` rm=${o.routeModifier}`}`);
  }
}
