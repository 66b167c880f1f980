// The lab's routing domain driver against fake daemons (no processes): advertisements in,
// packets to the chassis the domain picks, a daemon that stops answering is withdrawn, and the
// two-Actives time the chaos suite reports. Plus how the lab view shows it.
import { describe, expect, it } from 'vitest';
import { ApiError, type SrpApi } from '../src/api.js';
import { renderView, routingLine, statusKey, statusLine } from '../src/lab/view.js';
import type { ChassisSnapshot } from '../src/lab/snapshot.js';
import { RoutingDriver, routingSummary } from '../src/routing.js';

interface Fake {
  chassisId: string;
  active: boolean;
  routeModifier: number;
  up: boolean;
  hardware: boolean;
  forwarded: number;
}

function fakeApi(f: Fake): SrpApi {
  const api = {
    baseUrl: `http://${f.chassisId}`,
    optional: (path: string) => {
      if (!f.up) return Promise.reject(new ApiError(`GET ${path}: unreachable`, null));
      if (!f.hardware) return Promise.resolve(null);
      return Promise.resolve({ chassisId: f.chassisId, active: f.active, routeModifier: f.routeModifier, srpState: f.active ? 'Active' : 'Standby', activeCf: null });
    },
    json: (method: string, path: string, body: { packets: number }) => {
      if (!f.up) return Promise.reject(new ApiError(`${method} ${path}: unreachable`, null));
      f.forwarded += body.packets;
      return Promise.resolve({ forwarded: body.packets, dropped: 0 });
    },
  };
  return api as unknown as SrpApi;
}

const mk = (over: Partial<Fake> & { chassisId: string }): Fake => ({ active: false, routeModifier: 1, up: true, hardware: true, forwarded: 0, ...over });

describe('RoutingDriver', () => {
  it('routes to the Active, to the lower route modifier when both claim Active, and withdraws a silent daemon', async () => {
    const a = mk({ chassisId: 'lab-a', active: true });
    const b = mk({ chassisId: 'lab-b' });
    const d = new RoutingDriver(
      [
        { name: 'a', api: () => fakeApi(a) },
        { name: 'b', api: () => fakeApi(b) },
      ],
      { packetsPerRound: 10 },
    );
    await d.round();
    await d.round();
    expect(a.forwarded).toBe(20);
    // Split brain: both Active, b with route modifier 2 -> a keeps the traffic; two Actives counted.
    b.active = true;
    b.routeModifier = 2;
    await d.round();
    await new Promise((r) => setTimeout(r, 30));
    await d.round();
    expect(a.forwarded).toBe(40);
    expect(d.report().domain.dualActiveNow).toBe(true);
    expect(d.report().domain.dualActiveMs).toBeGreaterThanOrEqual(20);
    // a stops answering (killed): withdrawn, the traffic goes to b.
    a.up = false;
    await d.round();
    expect(b.forwarded).toBe(10);
    const r = d.report();
    expect(r.hardware).toBe(true);
    expect(r.domain.dualActiveNow).toBe(false);
    expect(r.domain.dualActiveEpisodes).toBe(1);
    expect(r.nodes.a).toMatchObject({ chassisId: 'lab-a', forwarded: 40, advertising: null });
    expect(r.nodes.b).toMatchObject({ forwarded: 10, advertising: { active: true, routeModifier: 2 } });
    expect(routingSummary(r)).toMatch(/packets forwarded a 40, b 10; undeliverable 0; winner changes 2; two Actives \d+ ms in 1 episode/);
  });

  it('a planned switchover read in one round is not two Actives', async () => {
    const a = mk({ chassisId: 'lab-a', active: true });
    const b = mk({ chassisId: 'lab-b' });
    // b is read first: its new Active claim must not overlap a's claim of the previous round.
    const d = new RoutingDriver([
      { name: 'b', api: () => fakeApi(b) },
      { name: 'a', api: () => fakeApi(a) },
    ]);
    await d.round();
    a.active = false;
    b.active = true;
    await d.round();
    const r = d.report();
    expect(r.domain.dualActiveEpisodes).toBe(0);
    expect(r.domain.winner).toBe('lab-b');
    expect(b.forwarded).toBe(10);
  });

  it('reports no hardware when no daemon serves GET /v1/hw/routing', async () => {
    const a = mk({ chassisId: 'lab-a', active: true, hardware: false });
    const d = new RoutingDriver([{ name: 'a', api: () => fakeApi(a) }]);
    await d.round();
    expect(d.report().hardware).toBe(false);
    expect(a.forwarded).toBe(0);
    expect(routingLine(d.report())).toMatch(/no daemon answers/);
  });
});

describe('lab view with the routing domain', () => {
  const snap = (name: string, state: string): ChassisSnapshot => ({
    name,
    url: 'http://x',
    up: true,
    frozen: false,
    note: null,
    state,
    mode: name === 'a' ? 'primary' : 'backup',
    chassisId: `lab-${name}`,
    routeModifier: 1,
    link: 'up',
    standbyReady: true,
    sessions: 5,
    checkpointRate: 1,
    lagMs: 2,
    nacks: 0,
    lastSwitchover: null,
  });

  it('shows packets per chassis and two-Actives time; the status key ignores counters', async () => {
    const a = mk({ chassisId: 'lab-a', active: true });
    const b = mk({ chassisId: 'lab-b' });
    const d = new RoutingDriver([
      { name: 'a', api: () => fakeApi(a) },
      { name: 'b', api: () => fakeApi(b) },
    ]);
    await d.round();
    const snaps = [snap('a', 'Active'), snap('b', 'Standby')];
    const text = renderView(snaps, [], 'ok', false, 100, d.report());
    expect(text).toMatch(/packets routed\s+10\s+0/);
    expect(text).toMatch(/routing domain: traffic to lab-a; two Actives 0\.0 s in 0 episode\(s\); winner changes 1; undeliverable 0 packets/);
    expect(statusLine(snaps, new Date(0), d.report())).toMatch(/a=Active .* pkts=10 .* b=Standby_\(ready\) .* pkts=0 {2}route=lab-a dual=0\.0s$/);
    const [sa, sb] = snaps as [ChassisSnapshot, ChassisSnapshot];
    const busier = [{ ...sa, sessions: 99, checkpointRate: 7 }, sb];
    expect(statusKey(busier)).toBe(statusKey(snaps));
    expect(statusKey([snap('a', 'Standby'), sb])).not.toBe(statusKey(snaps));
  });
});
