import { describe, expect, it } from 'vitest';
import { formatTable, emptyResult, lostLines, mark } from '../src/chaos/result.js';
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
  const timers = { helloIntervalMs: 50, deadIntervalMs: 150 };
  it('prints one row per run, n/a for unmeasured sessions, and verdicts only go up', () => {
    const r = emptyResult('kill-active', 1, timers, 100);
    r.takeoverMs = 1234;
    r.link = 'kernel';
    r.protectedMs = 420;
    r.finalStates = { a: 'Standby', b: 'Active' };
    mark(r, 'FAIL', 'x');
    mark(r, 'WARN', 'y');
    expect(r.verdict).toBe('FAIL');
    const s = emptyResult('storm', 1, timers, 100);
    s.takeoverSamplesMs = [30, 10, 20];
    s.protectBoundMs = 3000;
    const t = formatTable([r, s]);
    expect(t.split('\n')).toHaveLength(4);
    expect(t).toMatch(/\| kill-active \| 1\s+\| kernel \| 1234 ms\s+\| n\/a\s+\| n\/a\s+\| 0 ms\s+\| 420 ms/);
    expect(t).toMatch(/p50 20 ms max 30 ms/);
    // Not protected within the bound: the bound is shown.
    expect(t).toMatch(/\| > 3000 ms\s+\|/);
  });

  it('shows acknowledged writes lost of those checked, unsynced apart, and lists lost writes', () => {
    const r = emptyResult('kill-active-during-bulk-sync', 1, timers, 100);
    r.acked = { checked: 500, sessions: 120, unacked: 3, lostCount: 2, lostByKind: { create: 0, attr: 1, counter: 1 }, lost: [], callLossSessions: 7, callLossWrites: 9, callLossIds: [], unsyncedSessions: 40, unsyncedWrites: 45 };
    r.acked.lost = [
      { id: 's1', kind: 'attr', mark: 4, version: 99, ackedAt: 0, node: 'a', when: '-0.10 s before the fault', held: 'w=3 c=0 version 98' },
      { id: 's2', kind: 'counter', mark: 2, version: null, ackedAt: 1, node: 'a', when: '+0.05 s into the fault', held: 'absent' },
    ];
    const t = formatTable([r]);
    expect(t).toContain('2 of 500 (+45 unsynced)');
    expect(t).toMatch(/\| 7\s+\|/);
    expect(lostLines(r, 1)).toEqual(['lost acknowledged writes (0 creates, 1 attribute updates, 1 counter increments): s1 attr w=4 v99 on a -0.10 s before the fault (held: w=3 c=0 version 98); and 1 more (all in the JSON, up to 1000)']);
  });
});

describe('metrics parsing', () => {
  it('reads families and samples of an exposition', () => {
    const text = '# HELP srp_x help\n# TYPE srp_x counter\nsrp_x_total{reason="a b"} 3\n# TYPE srp_h histogram\nsrp_h_bucket{le="0.1"} 1\n';
    expect([...metricFamilies(text)]).toEqual(['srp_x', 'srp_h']);
    expect(parseMetrics(text).get('srp_x_total')).toEqual([{ labels: { reason: 'a b' }, value: 3 }]);
  });
});
