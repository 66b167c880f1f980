// Which inbound SRP connections the listener keeps while they are unproven (handshaking).
//
// Nothing here ever turns a new connection away: the real peer reconnecting after a cut must
// get in however many strangers are connected. Instead every pool is bounded and the oldest
// unproven connection makes room for the newest:
//   - per source address: at most `perSource` connections that have not yet sent an
//     authenticated Capabilities; a newer one from the same source evicts its oldest;
//   - in all: at most `pending` such connections; a newer one evicts the oldest of the source
//     holding the most (a flood from one address cannot push out another source's connection);
//   - at most `authenticated` connections whose Capabilities authenticated but whose handshake
//     is not complete (a replayed Capabilities waits here until refused); the oldest goes first.
// The real peer completes its handshake in one round trip, long before the pools turn over at
// any plausible connection rate (256 slots at 500 connections per second last half a second).
// Handshake deadlines (connection.ts) bound how long anything stays.

export interface AdmissionLimits {
  pending: number;
  perSource: number;
  authenticated: number;
}

export const DEFAULT_ADMISSION_LIMITS: AdmissionLimits = { pending: 256, perSource: 64, authenticated: 16 };

interface Entry {
  source: string;
  authenticated: boolean;
}

export class Admission<T> {
  /** Insertion order is age order: the first entry is the oldest. */
  private readonly entries = new Map<T, Entry>();

  constructor(readonly limits: AdmissionLimits = DEFAULT_ADMISSION_LIMITS) {}

  /** Takes `item` from `source` in; returns the items to close to make room (never `item`). */
  admit(item: T, source: string): T[] {
    const evicted: T[] = [];
    const fromSource = this.unproven((e) => e.source === source);
    if (fromSource.length >= this.limits.perSource) evicted.push(fromSource[0]);
    const all = this.unproven(() => true).filter((i) => !evicted.includes(i));
    if (all.length >= this.limits.pending) {
      const busiest = this.busiestSource(evicted);
      const oldest = all.find((i) => this.entries.get(i)?.source === busiest);
      if (oldest !== undefined) evicted.push(oldest);
    }
    for (const e of evicted) this.entries.delete(e);
    this.entries.set(item, { source, authenticated: false });
    return evicted;
  }

  /** `item` sent an authenticated Capabilities; returns the items to close to make room. */
  authenticated(item: T): T[] {
    const entry = this.entries.get(item);
    if (!entry || entry.authenticated) return [];
    const others = [...this.entries].filter(([i, e]) => e.authenticated && i !== item).map(([i]) => i);
    const evicted = others.length >= this.limits.authenticated ? others.slice(0, others.length - this.limits.authenticated + 1) : [];
    for (const e of evicted) this.entries.delete(e);
    entry.authenticated = true;
    return evicted;
  }

  /** `item` completed its handshake or closed. */
  release(item: T): void {
    this.entries.delete(item);
  }

  has(item: T): boolean {
    return this.entries.has(item);
  }

  stats(): { unproven: number; authenticated: number; sources: number } {
    let authenticated = 0;
    const sources = new Set<string>();
    for (const e of this.entries.values()) {
      if (e.authenticated) authenticated++;
      sources.add(e.source);
    }
    return { unproven: this.entries.size - authenticated, authenticated, sources: sources.size };
  }

  private unproven(match: (e: Entry) => boolean): T[] {
    const out: T[] = [];
    for (const [i, e] of this.entries) if (!e.authenticated && match(e)) out.push(i);
    return out;
  }

  private busiestSource(skip: readonly T[]): string | null {
    const count = new Map<string, number>();
    for (const [i, e] of this.entries) if (!e.authenticated && !skip.includes(i)) count.set(e.source, (count.get(e.source) ?? 0) + 1);
    let best: string | null = null;
    let most = 0;
    for (const [s, n] of count) {
      if (n > most) {
        best = s;
        most = n;
      }
    }
    return best;
  }
}

/** The source address of a socket, IPv4-mapped IPv6 written as IPv4. */
export function sourceOf(address: string | undefined): string {
  const a = address ?? '?';
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}
