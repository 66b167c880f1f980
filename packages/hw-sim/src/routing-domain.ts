// A simulated routing domain: chassis advertise (or withdraw) their route with a route
// modifier and whether they claim Active; traffic goes to exactly one chassis: the lowest
// route modifier among those claiming Active, ties to the lower chassis id. The state is a
// plain JSON object and every operation is a pure function of (state, input, now), so the lab
// can keep the domain in another process and ship it around.

export interface RouteAdvertisement {
  active: boolean;
  routeModifier: number;
}

export interface RoutingDomainState {
  version: 1;
  advertisements: Record<string, RouteAdvertisement & { since: number }>;
  delivered: Record<string, number>;
  /** Packets offered while no chassis claimed Active. */
  undeliverable: number;
  dualActiveMs: number;
  dualActiveSince: number | null;
  dualActiveEpisodes: number;
  winner: string | null;
  winnerChanges: number;
}

export interface RoutingDomainStats {
  delivered: Record<string, number>;
  undeliverable: number;
  winner: string | null;
  winnerChanges: number;
  activeClaims: string[];
  /** Total time two or more Actives were visible, including the current episode. */
  dualActiveMs: number;
  dualActiveEpisodes: number;
  dualActiveNow: boolean;
}

export function emptyRoutingDomain(): RoutingDomainState {
  return {
    version: 1,
    advertisements: {},
    delivered: {},
    undeliverable: 0,
    dualActiveMs: 0,
    dualActiveSince: null,
    dualActiveEpisodes: 0,
    winner: null,
    winnerChanges: 0,
  };
}

/** Chassis id order: numeric ids numerically, otherwise by code units. */
export function compareChassisId(a: string, b: string): number {
  const na = /^\d+$/.test(a) ? Number(a) : NaN;
  const nb = /^\d+$/.test(b) ? Number(b) : NaN;
  if (!Number.isNaN(na) && !Number.isNaN(nb) && na !== nb) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function activeClaims(state: RoutingDomainState): string[] {
  return Object.keys(state.advertisements)
    .filter((id) => state.advertisements[id].active)
    .sort(compareChassisId);
}

/** The chassis that receives traffic, or null. */
export function selectRoute(state: RoutingDomainState): string | null {
  let best: string | null = null;
  for (const id of activeClaims(state)) {
    if (best === null) {
      best = id;
      continue;
    }
    const a = state.advertisements[id];
    const b = state.advertisements[best];
    if (a.routeModifier < b.routeModifier) best = id; // ties keep the lower id (sorted order)
  }
  return best;
}

function settle(prev: RoutingDomainState, next: RoutingDomainState, now: number): RoutingDomainState {
  const dual = activeClaims(next).length >= 2;
  if (dual && next.dualActiveSince === null) {
    next.dualActiveSince = now;
    next.dualActiveEpisodes++;
  } else if (!dual && next.dualActiveSince !== null) {
    next.dualActiveMs += Math.max(0, now - next.dualActiveSince);
    next.dualActiveSince = null;
  }
  const winner = selectRoute(next);
  if (winner !== prev.winner) {
    next.winner = winner;
    if (winner !== null) next.winnerChanges++;
  }
  return next;
}

function clone(s: RoutingDomainState): RoutingDomainState {
  return { ...s, advertisements: { ...s.advertisements }, delivered: { ...s.delivered } };
}

function checkId(id: string): void {
  if (typeof id !== 'string' || id.length === 0) throw new TypeError('chassis id must be a non-empty string');
}

export function advertise(state: RoutingDomainState, chassisId: string, adv: RouteAdvertisement, now: number): RoutingDomainState {
  checkId(chassisId);
  if (!Number.isFinite(adv.routeModifier)) throw new TypeError('routeModifier must be a finite number');
  const next = clone(state);
  const prev = state.advertisements[chassisId];
  const changed = !prev || prev.active !== adv.active || prev.routeModifier !== adv.routeModifier;
  next.advertisements[chassisId] = { active: adv.active, routeModifier: adv.routeModifier, since: changed ? now : prev.since };
  next.delivered[chassisId] ??= 0;
  return settle(state, next, now);
}

export function withdraw(state: RoutingDomainState, chassisId: string, now: number): RoutingDomainState {
  const next = clone(state);
  delete next.advertisements[chassisId];
  return settle(state, next, now);
}

/** Deliver `packets` to the selected chassis; returns the new state and where they went. */
export function routePackets(state: RoutingDomainState, packets: number, now: number): { state: RoutingDomainState; to: string | null } {
  if (!Number.isInteger(packets) || packets < 0) throw new TypeError('packets must be a non-negative integer');
  const next = settle(state, clone(state), now);
  const to = next.winner;
  if (to === null) next.undeliverable += packets;
  else next.delivered[to] = (next.delivered[to] ?? 0) + packets;
  return { state: next, to };
}

export function routingStats(state: RoutingDomainState, now: number): RoutingDomainStats {
  const ongoing = state.dualActiveSince === null ? 0 : Math.max(0, now - state.dualActiveSince);
  return {
    delivered: { ...state.delivered },
    undeliverable: state.undeliverable,
    winner: selectRoute(state),
    winnerChanges: state.winnerChanges,
    activeClaims: activeClaims(state),
    dualActiveMs: state.dualActiveMs + ongoing,
    dualActiveEpisodes: state.dualActiveEpisodes,
    dualActiveNow: state.dualActiveSince !== null,
  };
}

/** Convenience wrapper holding the state; `toJSON()` / `fromJSON()` move it between processes. */
export class RoutingDomain {
  private s: RoutingDomainState;
  private readonly now: () => number;

  constructor(opts: { now?: () => number; state?: RoutingDomainState } = {}) {
    this.now = opts.now ?? (() => Date.now());
    this.s = opts.state ? structuredClone(opts.state) : emptyRoutingDomain();
  }

  static fromJSON(json: string | RoutingDomainState, now?: () => number): RoutingDomain {
    const state = typeof json === 'string' ? (JSON.parse(json) as RoutingDomainState) : json;
    if (state.version !== 1) throw new TypeError(`unsupported routing domain state version ${String(state.version)}`);
    return new RoutingDomain(now ? { state, now } : { state });
  }

  advertise(chassisId: string, adv: RouteAdvertisement): void {
    this.s = advertise(this.s, chassisId, adv, this.now());
  }

  withdraw(chassisId: string): void {
    this.s = withdraw(this.s, chassisId, this.now());
  }

  /** Send `packets`; returns the chassis that received them (null: nobody claims Active). */
  route(packets: number): string | null {
    const r = routePackets(this.s, packets, this.now());
    this.s = r.state;
    return r.to;
  }

  stats(): RoutingDomainStats {
    return routingStats(this.s, this.now());
  }

  get state(): RoutingDomainState {
    return structuredClone(this.s);
  }

  toJSON(): RoutingDomainState {
    return this.state;
  }
}
