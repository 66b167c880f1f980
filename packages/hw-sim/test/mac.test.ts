import { describe, expect, it } from 'vitest';
import { compareCfMac, formatMac, HwSimError, parseMac } from '../src/index.js';

describe('CF MAC tiebreak', () => {
  it("follows the seed's example: 00-02-43-03-1C-2B beats 00-02-43-03-01-3B", () => {
    expect(compareCfMac('00-02-43-03-1C-2B', '00-02-43-03-01-3B')).toBeGreaterThan(0);
    expect(compareCfMac('00-02-43-03-01-3B', '00-02-43-03-1C-2B')).toBeLessThan(0);
  });

  it('compares only the last three octets, left to right', () => {
    expect(compareCfMac('ff:ff:ff:00:00:01', '00:00:00:00:00:02')).toBeLessThan(0); // vendor code ignored
    expect(compareCfMac('00:02:43:04:00:00', '00:02:43:03:ff:ff')).toBeGreaterThan(0);
    expect(compareCfMac('aa:bb:cc:01:02:03', '11:22:33:01:02:03')).toBe(0);
  });

  it('parses colon and dash forms, any case, and formats canonically', () => {
    expect(parseMac('00:02:43:03:1c:2b')).toEqual([0, 2, 0x43, 3, 0x1c, 0x2b]);
    expect(formatMac('00:02:43:03:1c:2b')).toBe('00-02-43-03-1C-2B');
    expect(formatMac(parseMac('00-02-43-03-1C-2B'), ':')).toBe('00:02:43:03:1C:2B');
  });

  it.each(['', '00-02-43-03-1C', '00:02-43:03:1C:2B', '0002.4303.1C2B', '00-02-43-03-1C-2G', '000-02-43-03-1C-2B'])(
    'refuses %j with SRP_ERR_BAD_MAC and a clear message',
    (bad) => {
      try {
        parseMac(bad);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(HwSimError);
        expect((e as HwSimError).code).toBe('SRP_ERR_BAD_MAC');
        expect((e as HwSimError).message).toMatch(/invalid MAC address/);
      }
    },
  );
});
