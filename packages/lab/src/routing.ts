// The routing domain of the lab, outside both daemons (srp-daemon README, "The routing domain
// across two processes"): every round it reads each daemon's `GET /v1/hw/routing`, advertises
// it into hw-sim's RoutingDomain (a daemon that does not answer is withdrawn), asks the domain
// where a small batch of packets goes and offers them to that chassis (`POST /v1/hw/forward`).
// What it measures: packets per chassis, winner changes, and how long two chassis claimed
// Active at once as the domain saw it (the chaos suite's "two Actives" when hardware is there).
import { RoutingDomain, type RoutingDomainStats } from '@srp-ha/hw-sim';
import type { SrpApi } from './api.js';

export interface RoutedNode {
  name: string;
  api: () => SrpApi;
}

interface Advertisement {
  chassisId: string;
  active: boolean;
  routeModifier: number;
}

export interface NodeTraffic {
  /** The chassis id the node advertises (null until it has answered once). */
  chassisId: string | null;
  /** Packets the domain sent to this chassis. */
  offered: number;
  /** What the chassis answered: forwarded by its line cards, or dropped. */
  forwarded: number;
  dropped: number;
  /** Packets sent while the POST failed (the chassis stopped answering in between). */
  failed: number;
  /** The last advertisement read (null: not answering, or no hardware). */
  advertising: { active: boolean; routeModifier: number } | null;
}

export interface RoutingReport {
  /** A daemon answered GET /v1/hw/routing at least once (it runs the simulated hardware). */
  hardware: boolean;
  rounds: number;
  nodes: Record<string, NodeTraffic>;
  domain: RoutingDomainStats;
}

export interface RoutingDriverOptions {
  /** Pause between rounds, ms (default 50). */
  intervalMs?: number;
  /** Packets offered per round (default 10): a trickle, not a load test. */
  packetsPerRound?: number;
  /** Time limit of each HTTP call, ms (default 400): a frozen daemon counts as withdrawn. */
  timeoutMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class RoutingDriver {
  readonly domain = new RoutingDomain();
  private readonly nodes: RoutedNode[];
  private readonly traffic = new Map<string, NodeTraffic>();
  private readonly intervalMs: number;
  private readonly packets: number;
  private readonly timeoutMs: number;
  private hardwareSeen = false;
  private rounds = 0;
  private running = false;
  private loop: Promise<void> | null = null;

  constructor(nodes: RoutedNode[], opts: RoutingDriverOptions = {}) {
    this.nodes = nodes;
    this.intervalMs = opts.intervalMs ?? 50;
    this.packets = opts.packetsPerRound ?? 10;
    this.timeoutMs = opts.timeoutMs ?? 400;
    for (const n of nodes) this.traffic.set(n.name, { chassisId: null, offered: 0, forwarded: 0, dropped: 0, failed: 0, advertising: null });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const t0 = Date.now();
        await this.round().catch(() => undefined);
        await sleep(Math.max(0, this.intervalMs - (Date.now() - t0)));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.loop = null;
  }

  /** One round: read both advertisements, route the packets, offer them to the winner. */
  async round(): Promise<void> {
    this.rounds++;
    const readings = await Promise.all(this.nodes.map(async (n) => ({ n, adv: await this.readAdvertisement(n) })));
    // Apply the round as one observation: withdrawals and non-Active claims first, then the
    // Active claims. Otherwise a new Active read in this round would briefly overlap the old
    // Active's claim from the previous round (a planned switchover is not two Actives); two
    // Actives are counted only when both answers of the same round say Active.
    for (const { n, adv } of readings) if (!adv?.active) this.apply(n, adv);
    for (const { n, adv } of readings) if (adv?.active) this.apply(n, adv);
    const to = this.domain.route(this.packets);
    if (to === null) return;
    const node = this.nodes.find((n) => this.traffic.get(n.name)?.chassisId === to);
    const t = node ? this.traffic.get(node.name) : undefined;
    if (!node || !t) return;
    t.offered += this.packets;
    try {
      const r = await node.api().json<{ forwarded: number; dropped: number }>('POST', '/v1/hw/forward', { packets: this.packets }, this.timeoutMs);
      t.forwarded += r.forwarded;
      t.dropped += r.dropped;
    } catch {
      t.failed += this.packets;
    }
  }

  /** The node's advertisement; null when it does not answer (killed, frozen, starting) or has no hardware. */
  private async readAdvertisement(n: RoutedNode): Promise<Advertisement | null> {
    try {
      return await n.api().optional<Advertisement>('/v1/hw/routing', this.timeoutMs);
    } catch {
      return null;
    }
  }

  private apply(n: RoutedNode, adv: Advertisement | null): void {
    const t = this.traffic.get(n.name);
    if (!t) return;
    if (adv === null) {
      t.advertising = null;
      if (t.chassisId !== null) this.domain.withdraw(t.chassisId);
      return;
    }
    this.hardwareSeen = true;
    t.chassisId = adv.chassisId;
    t.advertising = { active: adv.active, routeModifier: adv.routeModifier };
    this.domain.advertise(adv.chassisId, { active: adv.active, routeModifier: adv.routeModifier });
  }

  report(): RoutingReport {
    const nodes: Record<string, NodeTraffic> = {};
    for (const [name, t] of this.traffic) nodes[name] = { ...t, advertising: t.advertising ? { ...t.advertising } : null };
    return { hardware: this.hardwareSeen, rounds: this.rounds, nodes, domain: this.domain.stats() };
  }
}

/** One line for notes and status output: packets per chassis, winner changes, two Actives. */
export function routingSummary(r: RoutingReport): string {
  const per = Object.entries(r.nodes)
    .map(([name, t]) => `${name} ${t.forwarded}${t.dropped ? ` (+${t.dropped} dropped)` : ''}${t.failed ? ` (+${t.failed} unanswered)` : ''}`)
    .join(', ');
  const d = r.domain;
  return `routing domain: packets forwarded ${per}; undeliverable ${d.undeliverable}; winner changes ${d.winnerChanges}; two Actives ${Math.round(d.dualActiveMs)} ms in ${d.dualActiveEpisodes} episode(s)`;
}
