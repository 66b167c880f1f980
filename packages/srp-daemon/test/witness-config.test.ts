// The `witness.etcd` config section and the witness's timings (no etcd needed).
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { differingKeys, loadConfigText, matchingValues } from '../src/config/config.js';
import { defaultLeaseTtlMs, minLeaseTtlMs, witnessKey } from '../src/config/witness.js';
import { witnessTimings } from '../src/witness/witness.js';
import { BASE_CONFIG, configIssues } from './helpers/config.js';

const BASE = `${BASE_CONFIG}hello-interval: 100ms\ndead-interval: 300ms\n`;

const withWitness = (etcd: string, base = BASE): string => `${base}witness:\n  etcd:\n${etcd.replace(/^/gm, '    ')}\n`;

const issues = configIssues;

describe('witness config', () => {
  it('is null without a witness section', () => {
    expect(loadConfigText(BASE, tmpdir()).witness).toBeNull();
  });

  it('parses endpoints, key-prefix, lease-ttl and pair', () => {
    const c = loadConfigText(withWitness('endpoints: [127.0.0.1:2379, "[::1]:2380"]\nkey-prefix: /lab/srp\nlease-ttl: 3s\npair: east+west'), tmpdir());
    expect(c.witness).toEqual({
      etcd: {
        endpoints: [
          { host: '127.0.0.1', port: 2379 },
          { host: '::1', port: 2380 },
        ],
        keyPrefix: '/lab/srp',
        leaseTtlMs: 3000,
        pair: 'east+west',
      },
    });
    expect(witnessKey(c.witness!.etcd)).toBe('/lab/srp/east+west/active');
  });

  it('defaults key-prefix to /srp-ha and lease-ttl to 2 s, or 2 x dead-interval in whole seconds when longer', () => {
    const c = loadConfigText(withWitness('endpoints: 127.0.0.1:2379\npair: p1'), tmpdir());
    expect(c.witness?.etcd).toMatchObject({ keyPrefix: '/srp-ha', leaseTtlMs: 2000, endpoints: [{ host: '127.0.0.1', port: 2379 }] });
    const slow = loadConfigText(withWitness('endpoints: [127.0.0.1:2379]\npair: p1', BASE.replace('dead-interval: 300ms', 'dead-interval: 15s').replace('hello-interval: 100ms', 'hello-interval: 3s')), tmpdir());
    expect(slow.witness?.etcd.leaseTtlMs).toBe(30_000);
    expect([minLeaseTtlMs(300), minLeaseTtlMs(1200), defaultLeaseTtlMs(300), defaultLeaseTtlMs(1600)]).toEqual([1000, 3000, 2000, 4000]);
  });

  it('names unknown keys with a suggestion, at both levels', () => {
    expect(issues(`${BASE}witness:\n  etdc: {}\n`)).toEqual([
      { key: 'witness.etdc', reason: "unknown key (did you mean 'etcd'?)" },
      { key: 'witness.etcd', reason: 'missing (required: the only witness is etcd)' },
    ]);
    expect(issues(withWitness('endpoints: [127.0.0.1:2379]\npair: p1\nlease-tll: 2s'))).toEqual([
      { key: 'witness.etcd.lease-tll', reason: "unknown key (did you mean 'lease-ttl'?)" },
    ]);
    expect(issues(`${BASE}witnes:\n  etcd: {}\n`)[0]).toEqual({ key: 'witnes', reason: "unknown key (did you mean 'witness'?)" });
  });

  it('refuses a lease-ttl below 1 s and 2 x dead-interval, above 300 s, or not in whole seconds', () => {
    const ttl = (v: string, base = BASE): { key: string; reason: string }[] => issues(withWitness(`endpoints: [127.0.0.1:2379]\npair: p1\nlease-ttl: ${v}`, base));
    expect(ttl('500ms')).toEqual([{ key: 'witness.etcd.lease-ttl', reason: 'must be a whole number of seconds (etcd leases count in seconds), got 500ms' }]);
    expect(ttl('1500ms')[0]?.reason).toMatch(/whole number of seconds/);
    expect(ttl('0s')[0]?.reason).toMatch(/^must be at least 1s/);
    const dead2s = BASE.replace('dead-interval: 300ms', 'dead-interval: 2s');
    expect(ttl('3s', dead2s)).toEqual([
      { key: 'witness.etcd.lease-ttl', reason: 'must be at least 4s (1 s and 2 x dead-interval, in whole seconds: a stall the peer tolerates must not cost the lease), got 3s' },
    ]);
    expect(ttl('4s', dead2s)).toEqual([]);
    expect(ttl('2000')[0]?.reason).toMatch(/^must be at most 300s/);
    expect(ttl('soon')[0]?.reason).toMatch(/must be a duration/);
  });

  it('refuses bad endpoints, key-prefix and pair, naming each', () => {
    expect(issues(withWitness('endpoints: []\npair: p1'))).toEqual([{ key: 'witness.etcd.endpoints', reason: 'must be a non-empty list of host:port' }]);
    expect(issues(withWitness('pair: p1'))).toEqual([
      { key: 'witness.etcd.endpoints', reason: 'missing (required: a list of etcd client addresses, host:port)' },
    ]);
    expect(issues(withWitness('endpoints: [http://127.0.0.1:2379, "127.0.0.1:0", nonsense, 127.0.0.1:2379, 127.0.0.1:2379]\npair: p1'))).toEqual([
      { key: 'witness.etcd.endpoints[0]', reason: "must be host:port without a scheme (plain http), got 'http://127.0.0.1:2379'" },
      { key: 'witness.etcd.endpoints[1]', reason: 'port 0 is not allowed here: the peer needs a real port' },
      { key: 'witness.etcd.endpoints[2]', reason: "must be host:port (IPv6 as [::1]:port), got 'nonsense'" },
      { key: 'witness.etcd.endpoints[4]', reason: 'lists 127.0.0.1:2379 twice' },
    ]);
    for (const bad of ['srp', '/srp/', '/a//b', '/with space', '""']) {
      const got = issues(withWitness(`endpoints: [127.0.0.1:2379]\npair: p1\nkey-prefix: ${bad}`));
      expect(got.map((i) => i.key), bad).toEqual(['witness.etcd.key-prefix']);
    }
    expect(issues(withWitness('endpoints: [127.0.0.1:2379]\npair: a/b'))[0]?.key).toBe('witness.etcd.pair');
    const missing = issues(withWitness('endpoints: [127.0.0.1:2379]'));
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatchObject({ key: 'witness.etcd.pair' });
    expect(missing[0]?.reason).toMatch(/^missing \(required\): the pair's name, the same on both chassis/);
    expect(issues(`${BASE}witness: etcd\n`)).toEqual([{ key: 'witness', reason: 'must be a mapping with etcd' }]);
  });

  it('makes the key and lease-ttl part of the values both chassis must agree on, not the endpoints', () => {
    const a = loadConfigText(withWitness('endpoints: [127.0.0.1:2379]\npair: p1'), tmpdir());
    const b = loadConfigText(withWitness('endpoints: [127.0.0.2:2379]\npair: p1'), tmpdir());
    const c = loadConfigText(withWitness('endpoints: [127.0.0.1:2379]\npair: p2\nlease-ttl: 3s'), tmpdir());
    const none = loadConfigText(BASE, tmpdir());
    expect(matchingValues(a)).toMatchObject({ 'witness.etcd.key': '/srp-ha/p1/active', 'witness.etcd.lease-ttl': '2000' });
    expect(differingKeys(matchingValues(a), matchingValues(b))).toEqual([]);
    expect(differingKeys(matchingValues(a), matchingValues(c))).toEqual(['witness.etcd.key', 'witness.etcd.lease-ttl']);
    expect(differingKeys(matchingValues(a), matchingValues(none))).toEqual(['witness.etcd.key', 'witness.etcd.lease-ttl']);
    expect(Object.keys(matchingValues(none)).some((k) => k.startsWith('witness'))).toBe(false);
  });
});

describe('witness timings', () => {
  it('renews every T/3, gives each request T/4 and holds for 0.9 T after the last renewal sent', () => {
    expect(witnessTimings(2000)).toEqual({ leaseTtlMs: 2000, renewEveryMs: 666, requestTimeoutMs: 500, heldForMs: 1800 });
    expect(witnessTimings(30_000)).toEqual({ leaseTtlMs: 30_000, renewEveryMs: 10_000, requestTimeoutMs: 7500, heldForMs: 27_000 });
  });

  it('survives two lost renewals and a stall shorter than dead-interval when lease-ttl >= 2 x dead-interval', () => {
    for (const dead of [300, 1000, 3000, 15_000]) {
      const t = witnessTimings(minLeaseTtlMs(dead));
      expect(t.requestTimeoutMs).toBeLessThan(t.renewEveryMs);
      expect(2 * t.renewEveryMs).toBeLessThan(t.heldForMs);
      // The longest stall after a renewal that still finds the lease held at the next renewal.
      expect(t.heldForMs - t.renewEveryMs).toBeGreaterThan(dead);
    }
  });
});
