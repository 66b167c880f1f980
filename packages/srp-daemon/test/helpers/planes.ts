// Two replication planes back to back over the in-memory SRP link, each in a fake daemon whose
// state the test sets and whose peer's Hellos it passes on by hand.
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { expect } from 'vitest';
import { resolveCheckpointConfig } from '@srp-ha/checkpoint';
import type { ChassisStateName, SrpEvent, SrpInfo } from '../../src/api/contract.js';
import type { PeerView } from '../../src/fsm/types.js';
import { MemoryLink as InMemorySrpLink, type MemoryLinkEnd } from '../../src/testing/memory-link.js';
import { createReplicationPlane, type ReplicationHost } from '../../src/replication/index.js';
import { peerHello } from './fsm-sim.js';

const logger = pino({ level: 'silent' });
export const tick = (ms = 5): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The daemon as the plane sees it: state set by the test, the link in memory, the peer heard by hand. */
export class PlaneHost implements ReplicationHost {
  readonly registry = new Registry();
  state: ChassisStateName = 'Init';
  peer: PeerView | null = null;
  plane!: ReturnType<typeof createReplicationPlane>;
  readonly published: SrpEvent[] = [];

  constructor(
    readonly chassisId: string,
    readonly bootId: string,
    readonly port: MemoryLinkEnd,
  ) {}

  info(): SrpInfo {
    return { state: this.state, compression: 'zlib', peer: null, peerAddress: '127.0.0.1:1', epoch: 0 } as unknown as SrpInfo;
  }
  refreshReadiness(): void {}
  setState(to: ChassisStateName): void {
    const from = this.state;
    this.state = to;
    this.plane.listener.stateChanged?.({ from, to, reason: null });
  }
  /** A Hello of `other` arrives, as the runner would record and pass it on. */
  hear(other: PlaneHost): void {
    const f = other.plane.engine.helloFields();
    this.peer = {
      ...peerHello({ chassisId: other.chassisId, state: other.state, priority: 10, standbyReady: false, bootId: other.bootId, eligible: f.eligibleCount, sessions: f.sessionCount }),
      lastHelloAt: 0,
      alive: true,
    };
    this.plane.listener.peerHello?.(this.peer);
  }
}

export async function pairOfPlanes(): Promise<{ a: PlaneHost; b: PlaneHost; link: InMemorySrpLink; pump: () => Promise<void>; hellos: () => void }> {
  const config = resolveCheckpointConfig({ sessionDurationMs: 0, auditEnabled: false, databaseRecovery: 'aggressive' });
  const link = new InMemorySrpLink({ a: { host: '127.0.0.1', port: 1 }, b: { host: '127.0.0.2', port: 1 } }, { logger });
  const a = new PlaneHost('a', 'boot-a', link.a);
  const b = new PlaneHost('b', 'boot-b', link.b);
  for (const h of [a, b]) {
    h.plane = createReplicationPlane({ config, logger });
    h.plane.attach(h);
    h.plane.onEvent((e) => h.published.push(e));
    h.port.start();
  }
  const quiet = (): boolean => link.a.counters.framesOut === link.b.counters.framesIn && link.b.counters.framesOut === link.a.counters.framesIn;
  const pump = async (): Promise<void> => {
    // Until every frame sent was delivered, and nothing new was sent for a while.
    for (let calm = 0, i = 0; calm < 5 && i < 400; i++) {
      const before = link.a.counters.framesOut + link.b.counters.framesOut;
      await tick(2);
      calm = quiet() && before === link.a.counters.framesOut + link.b.counters.framesOut ? calm + 1 : 0;
    }
  };
  await pump(); // the link comes up
  expect(link.a.up && link.b.up).toBe(true);
  const hellos = (): void => {
    a.hear(b);
    b.hear(a);
  };
  return { a, b, link, pump, hellos };
}
