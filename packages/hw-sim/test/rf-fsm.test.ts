import { describe, expect, it } from 'vitest';
import { RF_STATES as S, RF_TRANSITIONS, formatRfState, lineCardStep, rfStep } from '../src/index.js';

describe('RF state table', () => {
  it('numbers the states as show redundancy states prints them', () => {
    expect(formatRfState(S.ACTIVE)).toBe('13 -ACTIVE');
    expect(formatRfState(S.STANDBY_HOT)).toBe('8 -STANDBY HOT');
    expect(formatRfState(S.STANDBY_COLD)).toBe('4 -STANDBY COLD');
    expect(Object.keys(RF_TRANSITIONS).map(Number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
  });

  it('walks boot, bulk sync and switchover', () => {
    const walk = (events: Parameters<typeof rfStep>[1][]) =>
      events.reduce<number>((s, e) => {
        const r = rfStep(s as never, e);
        if (!r.ok) throw new Error(r.reason);
        return r.state;
      }, S.DISABLED);
    expect(walk(['power-on', 'init-done', 'elected-standby', 'config-sync', 'config-synced', 'filesys-synced', 'bulk-synced'])).toBe(S.STANDBY_HOT);
    expect(
      walk(['power-on', 'init-done', 'elected-standby', 'config-sync', 'config-synced', 'filesys-synced', 'bulk-synced', 'switchover', 'fast-done', 'drain-done', 'preconfig-done', 'postconfig-done']),
    ).toBe(S.ACTIVE);
  });

  it('refuses illegal transitions explicitly', () => {
    const refused = rfStep(S.STANDBY_COLD_BULK, 'switchover');
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.reason).toMatch(/illegal in state 7 -STANDBY COLD-BULK/);
    expect(rfStep(S.DISABLED, 'fail').ok).toBe(false);
    expect(rfStep(S.ACTIVE, 'elected-active').ok).toBe(false);
    expect(lineCardStep('removed', 'crash').ok).toBe(false);
    expect(lineCardStep('up', 'crash')).toEqual({ ok: true, state: 'down' });
  });
});
