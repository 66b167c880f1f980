// srpctl commands of service monitoring, with their human renderings:
//   show srp monitor [all|authentication-probe|diameter]
//   srp reset-auth-probe-fail | srp reset-diameter-fail
import type { CommandSpec } from '../management/commands.js';
import { heading, keyValues, table, type Row } from '../management/format.js';
import type { MonitorKindView } from './controller.js';
import type { MonitorShow } from './plane.js';
import { MONITOR_KINDS_SHOWN, type ResetResult } from './routes.js';

const TITLES: Record<string, string> = { 'authentication-probe': 'AAA Monitor (authentication-probe)', diameter: 'Diameter Monitor', bgp: 'BGP Monitor' };
const time = (iso: string | null): string | null => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : null);
const secs = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

function renderKind(m: MonitorKindView): string {
  const diameter = m.kind === 'diameter';
  const head: Row[] = [
    ['Probing', m.probing ? 'Yes (Active)' : 'No (probing runs on the Active only)'],
    ['Failure Flag', m.failureFlag ? `${m.failureFlag}: ${m.failureFlagCause ?? ''}` : 'None'],
    ['Switchover', m.failing ? `group down since ${time(m.failing.since) ?? ''}, due ${time(m.failing.switchoverAt) ?? ''}: ${m.failing.decision}` : 'None pending'],
  ];
  const groups = table(
    ['Group', 'Members', 'Verdict'],
    m.groups.map((g) => [g.name, g.members.join(', '), g.verdict.toUpperCase()]),
  );
  const headers = ['Name', 'Address', 'Group', 'State', ...(diameter ? ['Connection', 'Peer Host'] : []), 'Last Probe', 'Result', 'RTT ms', 'Failures', 'Probes', 'Answers', 'Bad'];
  const members = table(
    headers,
    m.members.map((x) => [
      x.name,
      x.address,
      x.groups.join(','),
      x.state.toUpperCase(),
      ...(diameter ? [x.detail?.connection ?? null, x.detail?.peerHost ?? null] : []),
      time(x.lastProbeAt),
      x.lastResult,
      x.rttMs,
      x.failures,
      x.totals.probes,
      x.totals.answers,
      x.totals.badAnswers,
    ]),
  );
  const causes = m.members.map((x) => `  ${x.name}: ${x.cause}`).join('\n');
  return [heading(TITLES[m.kind] ?? m.kind), keyValues(head), '', groups, '', members, '', 'Causes:', causes].join('\n');
}

export function renderMonitor(s: MonitorShow): string {
  const g = s.guard;
  const t = s.tracking;
  const last = s.lastServiceSwitchover;
  const timers = Object.entries(g.timers.srpRedundancy)
    .map(([k, v]) => `${k} ${secs(v.guardPeriodMs)}/${secs(v.dampingPeriodMs)}`)
    .join(', ');
  const parts = [
    heading('SRP Monitor'),
    keyValues([
      ['Chassis ID', s.chassisId],
      ['Chassis State', s.state],
      ['Last Local Failure', g.localFailure ? `${time(g.localFailure.at) ?? ''} (${g.localFailure.cause})` : 'None'],
      ['Chassis Guard Timer', g.hardwareGuard === null ? 'n/a (no simulated hardware)' : g.hardwareGuard.active ? `running, ${secs(g.hardwareGuard.remainingMs)} left` : 'not running'],
      ['Redundancy Guard/Damping', timers],
      ['AAA Switchover Guard/Damping', `${secs(g.timers.switchover.aaa.guardPeriodMs)}/${secs(g.timers.switchover.aaa.dampingPeriodMs)}`],
      ['Diameter Switchover Guard/Damping', `${secs(g.timers.switchover.diam.guardPeriodMs)}/${secs(g.timers.switchover.diam.dampingPeriodMs)}`],
      ['Last Service Switchover', last ? `${time(last.at) ?? ''} ${last.reason} ${last.accepted ? 'accepted' : `refused (${last.refusals.join('; ')})`}` : 'None'],
    ]),
  ];
  if (s.monitors.length === 0) parts.push('', 'No monitor configured (monitor.authentication-probe, monitor.diameter).');
  for (const m of s.monitors) parts.push('', renderKind(m));
  parts.push(
    '',
    heading('Tracking'),
    keyValues([
      ['Configured Priority', t.configuredPriority],
      ['Effective Priority', t.effectivePriority],
      ['Failover Threshold', t.failoverThreshold ?? 'None'],
      ['Below Threshold', t.belowThreshold],
      ['Preemption', t.preemption ? `On (delay ${secs(t.preemptionDelayMs)})` : 'Off'],
      ['Preempt Held By', t.preemption ? (t.preemptHeldBy ?? 'nothing') : 'n/a'],
    ]),
  );
  if (t.objects.length > 0) {
    parts.push('', table(['Object', 'Type', 'State', 'Decrement', 'Cause'], t.objects.map((o) => [o.name, o.type, o.state.toUpperCase(), o.decrement, o.cause])));
  }
  return parts.join('\n');
}

function resetCommand(word: 'reset-auth-probe-fail' | 'reset-diameter-fail', summary: string): CommandSpec {
  return {
    words: ['srp', word],
    summary,
    method: 'POST',
    path: `/v1/srp/${word}`,
    render: (d: ResetResult) => (d.accepted ? `monitor.${d.monitor}: failure information reset to 0, failure flag cleared` : `refused: ${d.reasons.join('; ')}`),
    refusal: (d: ResetResult) => `refused: ${d.reasons.join('; ')}`,
  };
}

export const MONITOR_COMMANDS: CommandSpec[] = [
  {
    words: ['show', 'srp', 'monitor'],
    args: [{ name: 'monitor', choices: MONITOR_KINDS_SHOWN, optional: true }],
    summary: 'monitors (servers, peers, groups, last probe, round trip, failures), guard timers, tracked objects and priority',
    support: [{}],
    method: 'GET',
    path: (a) => (a.monitor && a.monitor !== 'all' ? `/v1/srp/monitor/${String(a.monitor)}` : '/v1/srp/monitor'),
    render: (d: MonitorShow) => renderMonitor(d),
  },
  resetCommand('reset-auth-probe-fail', 'reset the AAA monitor failure information to 0 and clear its failure flag'),
  resetCommand('reset-diameter-fail', 'reset the Diameter monitor failure information to 0 and clear its failure flag'),
];
