import { describe, expect, it } from 'vitest';
import { compareMacForElection, formatDuration, formatHostPort, formatMac, isLoopbackHost, parseDuration, parseHostPort, parseMac, type Mac } from '../src/index.js';

const mac = (text: string): Mac => {
  const m = parseMac(text);
  if (typeof m === 'string') throw new Error(m);
  return m;
};

describe('MAC addresses', () => {
  it('parses dash and colon forms, any case, and prints the canonical form', () => {
    expect(Array.from(mac('00:02:43:03:1c:2b'))).toEqual([0, 2, 0x43, 3, 0x1c, 0x2b]);
    expect(formatMac(mac(' 00:02:43:03:1c:2b '))).toBe('00-02-43-03-1C-2B');
  });

  it.each(['', '00-02-43-03-1C', '00:02-43:03:1C:2B', '0002.4303.1C2B', '00-02-43-03-1C-2G', '000-02-43-03-1C-2B', 42, null])(
    'refuses %j with a reason that shows the expected form',
    (bad) => {
      const r = parseMac(bad);
      expect(typeof r).toBe('string');
      expect(r).toMatch(/must be a MAC address such as 00-02-43-03-1C-2B/);
    },
  );

  it("breaks an election tie on the last three octets, the higher wins (the seed's example)", () => {
    expect(compareMacForElection(mac('00-02-43-03-1C-2B'), mac('00-02-43-03-01-3B'))).toBeGreaterThan(0);
    expect(compareMacForElection(mac('00-02-43-03-01-3B'), mac('00-02-43-03-1C-2B'))).toBeLessThan(0);
    expect(compareMacForElection(mac('ff:ff:ff:00:00:01'), mac('00:00:00:00:00:02'))).toBeLessThan(0); // vendor code ignored
    expect(compareMacForElection(mac('aa:bb:cc:01:02:03'), mac('11:22:33:01:02:03'))).toBe(0);
  });
});

describe('durations', () => {
  it('reads units and bare seconds as milliseconds', () => {
    expect(['100ms', '3s', '2m', '1h', ' 1.5 s '].map(parseDuration)).toEqual([100, 3000, 120_000, 3_600_000, 1500]);
    expect([2, 0.5, '0.5', 0].map(parseDuration)).toEqual([2000, 500, 500, 0]);
  });

  it.each(['soon', '3 fortnights', '-1s', '', -1, Number.NaN, null, {}])('refuses %j with a reason', (bad) => {
    expect(parseDuration(bad)).toMatch(/must be a (duration|non-negative number of seconds)/);
  });

  it('prints whole seconds as seconds', () => {
    expect([3000, 150, 0].map(formatDuration)).toEqual(['3s', '150ms', '0s']);
  });
});

describe('host:port', () => {
  it('parses names, IPv4 and bracketed IPv6, and prints them back', () => {
    expect(parseHostPort('127.0.0.1:7800', { allowZero: false })).toEqual({ host: '127.0.0.1', port: 7800 });
    expect(parseHostPort(' [::1]:0 ', { allowZero: true })).toEqual({ host: '::1', port: 0 });
    expect(parseHostPort('srpd-a:7801', { allowZero: false })).toEqual({ host: 'srpd-a', port: 7801 });
    expect(['127.0.0.1:7800', '[::1]:0', 'srpd-a:1'].map((t) => formatHostPort(parseHostPort(t, { allowZero: true }) as never))).toEqual([
      '127.0.0.1:7800',
      '[::1]:0',
      'srpd-a:1',
    ]);
  });

  it('says what is wrong', () => {
    expect(parseHostPort('7800', { allowZero: true })).toMatch(/must be host:port/);
    expect(parseHostPort('::1:7800', { allowZero: true })).toMatch(/must be host:port/);
    expect(parseHostPort('[nope]:1', { allowZero: true })).toMatch(/IPv6 address in the brackets/);
    expect(parseHostPort('127.0.0.1:99999', { allowZero: true })).toMatch(/out of range/);
    expect(parseHostPort('127.0.0.1:0', { allowZero: false })).toMatch(/port 0 is not allowed/);
    expect(parseHostPort(7800, { allowZero: true })).toMatch(/got number/);
  });

  it('knows loopback hosts', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', 'example.org'].some(isLoopbackHost)).toBe(false);
  });
});
