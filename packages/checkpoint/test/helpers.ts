import { CheckpointEngine, type CheckpointConfig, ManualClock } from '../src/index.js';
import { MemoryLink } from '../src/testing.js';

export interface Pair {
  clock: ManualClock;
  link: MemoryLink;
  active: CheckpointEngine;
  standby: CheckpointEngine;
  settle(rounds?: number): Promise<void>;
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Two engines back to back over an in-memory link, the first Active, the second Standby. */
export async function makePair(config: Partial<CheckpointConfig> = {}, opts: { join?: boolean; peerFeatures?: readonly string[] } = {}): Promise<Pair> {
  const clock = new ManualClock();
  const link = new MemoryLink();
  link.a.peerFeatures = opts.peerFeatures; // what the Active learns of its Standby
  const cfg = { sessionDurationMs: 0, sessionDurationImsMs: 0, auditEnabled: false, ...config };
  const active = new CheckpointEngine({ clock, transport: link.a, config: cfg });
  const standby = new CheckpointEngine({ clock, transport: link.b, config: cfg });
  link.a.handler = (m) => active.handle(m);
  link.b.handler = (m) => standby.handle(m);
  await active.becomeActive();
  standby.becomeStandby();
  const settle = async (rounds = 2000): Promise<void> => {
    let quiet = 0;
    for (let i = 0; i < rounds && quiet < 3; i++) {
      clock.advance(5);
      const moved = link.deliver();
      await standby.drain();
      await active.drain();
      await tick();
      quiet = moved === 0 && link.idle ? quiet + 1 : 0;
    }
  };
  if (opts.join !== false) {
    active.peerJoined();
    await settle();
    // Hellos both ways, as the daemons send them: the Standby reports ready, the Active's
    // journal (open since it became Active) closes.
    for (let i = 0; i < 10 && !standby.standbyReady; i++) standby.peerHello(active.helloFields());
    active.peerHello(standby.helloFields());
  }
  return { clock, link, active, standby, settle };
}

export function hellos(p: Pair, n: number): void {
  for (let i = 0; i < n; i++) {
    const h = p.active.helloFields();
    p.standby.peerHello(h);
    p.active.peerHello(p.standby.helloFields());
  }
}
