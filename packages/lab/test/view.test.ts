import { describe, expect, it } from 'vitest';
import { formatTable, emptyResult, mark } from '../src/chaos/result.js';
import { renderView, statusLine } from '../src/lab/view.js';
import type { ChassisSnapshot } from '../src/lab/snapshot.js';
import { parseMetrics, metricFamilies } from '../src/api.js';

const snap = (over: Partial<ChassisSnapshot>): ChassisSnapshot => ({
  name: 'a',
  url: 'http://127.0.0.1:1',
  up: true,
  frozen: false,
  note: null,
  state: 'Active',
  mode: 'primary',
  chassisId: 'lab-a',
  routeModifier: 1,
  link: 'up',
  standbyReady: false,
  sessions: 10,
  checkpointRate: null,
  lagMs: null,
  nacks: null,
  lastSwitchover: null,
  ...over,
});

describe('lab view', () => {
  it('shows "-" for what srpd does not offer, and frozen/down nodes', () => {
    const text = renderView(
      [snap({}), snap({ name: 'b', frozen: true, up: false, state: null })],
      [{ name: 'a', api: 'http://x', events: 'ws://x/v1/events', metrics: 'http://x/metrics' }],
      'ready',
      false,
    );
    expect(text).toMatch(/state\s+Active\s+FROZEN \(SIGSTOP\)/);
    expect(text).toMatch(/checkpoints\/s\s+-/);
    expect(text).toMatch(/keys: s switchover/);
    expect(text).not.toContain('\x1b[');
    expect(statusLine([snap({}), snap({ name: 'b', state: 'Standby', standbyReady: true })], new Date(0))).toBe(
      '1970-01-01T00:00:00.000Z a=Active sessions=10 rm=1 ckpt/s=- lag=- nacks=-  b=Standby_(ready) sessions=10 rm=1 ckpt/s=- lag=- nacks=-',
    );
  });
});

describe('chaos report', () => {
  it('prints one row per run, n/a for unmeasured sessions, and verdicts only go up', () => {
    const r = emptyResult('kill-active', 1);
    r.takeoverMs = 1234;
    r.finalStates = { a: 'Standby', b: 'Active' };
    mark(r, 'FAIL', 'x');
    mark(r, 'WARN', 'y');
    expect(r.verdict).toBe('FAIL');
    const s = emptyResult('storm', 1);
    s.takeoverSamplesMs = [30, 10, 20];
    const t = formatTable([r, s]);
    expect(t.split('\n')).toHaveLength(4);
    expect(t).toMatch(/\| kill-active \| 1\s+\| 1234 ms\s+\| n\/a/);
    expect(t).toMatch(/p50 20 ms max 30 ms/);
  });

  it('shows eligible sessions a cut-short bulk sync never sent apart from losses', () => {
    const r = emptyResult('kill-active-during-bulk-sync', 1);
    r.eligibleLost = 0;
    r.unsyncedLost = 1000;
    expect(formatTable([r])).toContain('0 (+1000 unsynced)');
  });
});

describe('metrics parsing', () => {
  it('reads families and samples of an exposition', () => {
    const text = '# HELP srp_x help\n# TYPE srp_x counter\nsrp_x_total{reason="a b"} 3\n# TYPE srp_h histogram\nsrp_h_bucket{le="0.1"} 1\n';
    expect([...metricFamilies(text)]).toEqual(['srp_x', 'srp_h']);
    expect(parseMetrics(text).get('srp_x_total')).toEqual([{ labels: { reason: 'a b' }, value: 3 }]);
  });
});
