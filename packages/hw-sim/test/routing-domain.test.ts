import { describe, expect, it } from 'vitest';
import { RoutingDomain, advertise, emptyRoutingDomain, routePackets, selectRoute } from '../src/index.js';

describe('routing domain', () => {
  it('with two Actives, exactly one receives traffic: the lowest route modifier', () => {
    let now = 0;
    const d = new RoutingDomain({ now: () => now });
    d.advertise('a', { active: true, routeModifier: 5 });
    d.advertise('b', { active: true, routeModifier: 3 });
    expect(d.route(100)).toBe('b');
    now += 2_500;
    d.route(50);
    const s = d.stats();
    expect(s.delivered).toEqual({ a: 0, b: 150 });
    expect(s.dualActiveNow).toBe(true);
    expect(s.dualActiveMs).toBe(2_500);
    d.advertise('b', { active: false, routeModifier: 3 });
    now += 1_000;
    expect(d.stats()).toMatchObject({ dualActiveMs: 2_500, dualActiveEpisodes: 1, dualActiveNow: false, winner: 'a' });
  });

  it('ties go to the lower chassis id (numerically when both are numbers)', () => {
    const d = new RoutingDomain({ now: () => 0 });
    d.advertise('10', { active: true, routeModifier: 1 });
    d.advertise('9', { active: true, routeModifier: 1 });
    expect(d.route(1)).toBe('9');
    const e = new RoutingDomain({ now: () => 0 });
    e.advertise('chassis-b', { active: true, routeModifier: 1 });
    e.advertise('chassis-a', { active: true, routeModifier: 1 });
    expect(e.route(1)).toBe('chassis-a');
  });

  it('only chassis claiming Active get traffic; withdrawing removes the route', () => {
    const d = new RoutingDomain({ now: () => 0 });
    d.advertise('a', { active: false, routeModifier: 0 });
    expect(d.route(10)).toBeNull();
    d.advertise('b', { active: true, routeModifier: 9 });
    expect(d.route(10)).toBe('b');
    d.withdraw('b');
    expect(d.route(10)).toBeNull();
    expect(d.stats()).toMatchObject({ undeliverable: 20, delivered: { a: 0, b: 10 } });
  });

  it('is serialisable: the state survives JSON round trips and the pure functions agree', () => {
    let now = 100;
    const d = new RoutingDomain({ now: () => now });
    d.advertise('a', { active: true, routeModifier: 2 });
    d.advertise('b', { active: true, routeModifier: 1 });
    d.route(7);
    const copy = RoutingDomain.fromJSON(JSON.stringify(d), () => now);
    now = 400;
    expect(copy.stats()).toEqual(d.stats());
    let s = emptyRoutingDomain();
    s = advertise(s, 'x', { active: true, routeModifier: 4 }, 0);
    s = advertise(s, 'y', { active: true, routeModifier: 2 }, 0);
    expect(selectRoute(s)).toBe('y');
    const r = routePackets(s, 3, 10);
    expect(r.to).toBe('y');
    expect(s.delivered['y']).toBe(0); // inputs are never mutated
    expect(JSON.parse(JSON.stringify(r.state))).toEqual(r.state);
  });
});
