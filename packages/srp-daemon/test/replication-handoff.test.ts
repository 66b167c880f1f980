// The split hand-over through two replication planes: a chassis that stepped down is not a
// ready Standby until the Active has taken what it acknowledged while apart.
import { describe, expect, it } from 'vitest';
import { Router } from '../src/management/router.js';
import { pairOfPlanes, type PlaneHost } from './helpers/planes.js';

async function write(h: PlaneHost, ops: unknown[]): Promise<void> {
  const post = new Router(h.plane.routes).match('POST', '/v1/sessions');
  if (post.kind !== 'found') throw new Error('no route');
  await post.route.handler({ body: { ops }, params: {} } as never);
}

type Planes = Awaited<ReturnType<typeof pairOfPlanes>>;

/** a Active with one session that b, its Standby, holds too. */
async function syncedPair(): Promise<Planes> {
  const p = await pairOfPlanes();
  const { a, b, pump, hellos } = p;
  await a.plane.sessions.beforeActive({ reason: 'no-peer-at-start', flushedUpTo: null });
  a.setState('Active');
  await write(a, [{ op: 'upsert', id: 's', attrs: { w: '1' } }]);
  b.setState('Standby');
  hellos();
  await pump();
  return p;
}

/** Split: b takes over and acknowledges a write; then it steps down for a (a hand-over pending). */
async function splitAndStepDown({ b, link, pump }: Planes): Promise<void> {
  link.cut();
  await pump();
  await b.plane.sessions.beforeActive({ reason: 'peer-dead', flushedUpTo: null });
  b.setState('Active');
  await write(b, [{ op: 'upsert', id: 's', attrs: { w: '2' } }]);
  b.plane.listener.splitHandoff?.('two Actives met: the peer wins');
  b.setState('Standby');
}

describe('split hand-over between two planes', () => {
  it('the one that stepped down is ready only once the Active applied its hand-over', async () => {
    const p = await syncedPair();
    const { a, b, link, pump, hellos } = p;
    hellos();
    expect(b.plane.sessions.ready({ state: 'Standby', activeHellosWhileStandby: 1 })).toBe(true);
    await splitAndStepDown(p);
    expect(b.plane.engine.handoffPending).toBe(true);

    // The link heals; what b sends is held back while a's bulk sync reaches b.
    link.hold(link.b, true);
    link.heal();
    await pump();
    hellos();
    await pump();
    hellos();
    expect(b.plane.engine.standbyReady).toBe(true);
    expect(b.plane.sessions.ready({ state: 'Standby', activeHellosWhileStandby: 1 })).toBe(false);
    expect(a.plane.engine.get('s')?.attrs).toEqual({ w: '1' });

    link.hold(link.b, false);
    await pump();
    expect(a.plane.engine.get('s')?.attrs).toEqual({ w: '2' });
    expect(b.plane.engine.handoffPending).toBe(false);
    expect(b.plane.sessions.ready({ state: 'Standby', activeHellosWhileStandby: 1 })).toBe(true);
    for (const h of [a, b]) h.plane.dispose();
  });

  it('a hand-over the Active has not acknowledged goes again once to the Active on the same connection, not every second', async () => {
    const p = await syncedPair();
    const { a, b, link, pump, hellos } = p;
    await splitAndStepDown(p);
    let sends = 0;
    const send = b.plane.engine.sendHandoff.bind(b.plane.engine);
    b.plane.engine.sendHandoff = () => {
      sends++;
      send();
    };
    // What b sends never reaches a (held), so a never acknowledges; a stays Active and says so.
    link.hold(link.b, true);
    link.heal();
    await pump();
    const deadline = Date.now() + 3500;
    while (Date.now() < deadline) {
      hellos();
      await pump();
      await new Promise((r) => setTimeout(r, 100));
    }
    // On link up, then once more to the peer seen Active; the resend timer is 1 s.
    expect(sends).toBe(2);
    expect(b.plane.engine.handoffPending).toBe(true);
    for (const h of [a, b]) h.plane.dispose();
  });
});
