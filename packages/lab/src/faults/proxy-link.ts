// The SRP link of a pair through user-space proxies: one proxy in front of each daemon's SRP
// port (proxies[0] in front of a, proxies[1] in front of b), so whichever side dials, its
// connection crosses a proxy, and each side's Hello datagrams go to the proxy in front of its
// peer. Works without root; what it cannot do (random loss, delay) it says, and real SYN drops
// become connections that are accepted and held.
import { FaultProxy, type ProxyMode, type ProxyStats } from '../proxy.js';
import type { LinkFaultKind, LinkFaults, NodeName } from './driver.js';

export const PROXY_LABEL = 'user-space proxy (no root: TCP relayed by a process, UDP datagrams relayed; not a kernel fault)';

export class LinkFault implements LinkFaults {
  readonly kind = 'proxy' as const;
  readonly label = PROXY_LABEL;

  constructor(readonly proxies: readonly FaultProxy[]) {}

  unsupported(fault: LinkFaultKind): string | null {
    if (fault === 'loss' || fault === 'delay') return `${fault} needs the kernel link (root, network namespaces); the user-space proxy cannot ${fault === 'loss' ? 'drop packets at random' : 'delay packets'}`;
    return null;
  }

  cut(): Promise<void> {
    for (const p of this.proxies) p.cut();
    return Promise.resolve();
  }

  blackhole(): Promise<void> {
    for (const p of this.proxies) p.blackhole();
    return Promise.resolve();
  }

  /**
   * Silences `from` -> peer. In front of the peer, connections `from` dialled carry that
   * direction forward (and its datagrams arrive there); in front of `from`, connections the
   * peer dialled carry it backward.
   */
  oneWay(from: NodeName): Promise<void> {
    const [toA, toB] = this.proxies;
    const inFrontOfFrom = from === 'a' ? toA : toB;
    const inFrontOfPeer = from === 'a' ? toB : toA;
    inFrontOfPeer?.oneWay('forward');
    inFrontOfFrom?.oneWay('backward');
    return Promise.resolve();
  }

  synDrop(): Promise<void> {
    for (const p of this.proxies) p.noNew();
    return Promise.resolve();
  }

  loss(): Promise<void> {
    return Promise.reject(new Error(this.unsupported('loss') ?? ''));
  }

  delay(): Promise<void> {
    return Promise.reject(new Error(this.unsupported('delay') ?? ''));
  }

  /** Every relayed connection reset (cut), and the next ones let through at once (heal). */
  reset(): Promise<void> {
    for (const p of this.proxies) p.cut();
    for (const p of this.proxies) p.heal();
    return Promise.resolve();
  }

  heal(): Promise<void> {
    for (const p of this.proxies) p.heal();
    return Promise.resolve();
  }

  get mode(): ProxyMode {
    return this.proxies[0]?.mode ?? 'pass';
  }

  stats(): ProxyStats[] {
    return this.proxies.map((p) => p.stats());
  }

  describe(): Promise<string> {
    const parts = this.stats().map(
      (s) => `${s.name} ${s.mode}${s.blocked ? `(${s.blocked} blocked)` : ''}: ${s.accepted} accepted, ${s.reset} reset, datagrams ${s.datagramsRelayed} relayed ${s.datagramsDropped} dropped`,
    );
    return Promise.resolve(`proxy: ${parts.join('; ')}`);
  }

  async close(): Promise<void> {
    await Promise.all(this.proxies.map((p) => p.close()));
  }
}
