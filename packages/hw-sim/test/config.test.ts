import { describe, expect, it } from 'vitest';
import { HwSimError, hardwareConfigFromYaml, resolveHardwareConfig } from '../src/index.js';

describe('hardware config', () => {
  it('has defaults', () => {
    const c = resolveHardwareConfig();
    expect(c).toMatchObject({ redundancyMode: 'SSO', guardTimerMs: 60_000, cfSlots: [1, 2], traffic: null });
    expect(c.lineCards).toHaveLength(2);
    expect(c.timers.switchoverMs).toEqual({ HSA: 30_000, RPR: 30_000, 'RPR+': 3_000, SSO: 3_000 });
  });

  it('maps the kebab-case hardware: section of srpd YAML', () => {
    const c = hardwareConfigFromYaml(
      {
        'cf-macs': ['00:02:43:03:1c:2b', '00-02-43-03-01-3B'],
        'line-cards': 3,
        'redundancy-mode': 'rpr+',
        'guard-timer': 30,
        timers: { switchover: { sso: '500ms' }, 'hang-detect': 2 },
        traffic: { rate: 20, 'max-sessions': 100, duration: '2m', seed: 7 },
      },
      'chassis-b',
    );
    expect(c).toMatchObject({
      chassisId: 'chassis-b',
      cfMacs: ['00-02-43-03-1C-2B', '00-02-43-03-01-3B'],
      redundancyMode: 'RPR+',
      guardTimerMs: 30_000,
      traffic: { rate: 20, maxSessions: 100, durationMs: 120_000, seed: 7 },
    });
    expect(c.timers.switchoverMs.SSO).toBe(500);
    expect(c.timers.hangDetectMs).toBe(2_000);
    expect(c.lineCards).toHaveLength(3);
  });

  it('refuses bad input with clear errors', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as HwSimError).code + ': ' + (e as HwSimError).message;
      }
      return 'no error';
    };
    expect(code(() => hardwareConfigFromYaml({ 'cf-macs': ['nope', '00-02-43-03-01-3B'] }))).toMatch(/^HW_ERR_BAD_MAC: hardware config: cf-macs\[0\] must be a MAC address such as 00-02-43-03-1C-2B/);
    expect(code(() => hardwareConfigFromYaml({ 'redundancy-mode': 'NSF' }))).toMatch(/^HW_ERR_BAD_CONFIG: .*redundancy-mode/);
    expect(code(() => hardwareConfigFromYaml({ 'line-card': 2 }))).toMatch(/unknown key\(s\) in hardware: line-card/);
    expect(code(() => hardwareConfigFromYaml({ 'cf-macs': ['00-02-43-03-01-3B', '00:02:43:03:01:3b'] }))).toMatch(/must differ/);
    expect(code(() => hardwareConfigFromYaml({ 'guard-timer': '3 fortnights' }))).toMatch(/^HW_ERR_BAD_CONFIG: hardware config: guard-timer must be a duration/);
    expect(code(() => hardwareConfigFromYaml({ timers: { 'cf-boot': -1 } }))).toMatch(/timers\.cf-boot must be a non-negative number of seconds/);
  });
});
