// srpctl commands of the checkpoint engine, one entry each, with their human renderings.
import { toWallMs } from '@srp-ha/common';
import { REPLICATION_OUTCOMES, type AuditStatistics, type CallLossRecord, type MacroTimeSpent } from '@srp-ha/checkpoint';
import type { CommandSpec } from '../management/commands.js';
import { heading, keyValues, table, type Row } from '../management/format.js';
import type { CheckpointStatisticsReply } from './routes.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(toWallMs(ms)).toISOString());
const msText = (v: number | null | undefined): string | null => (v === null || v === undefined ? null : `${v} ms`);
/** An Active's last macro: where its time went (null on a Standby, or before the first). */
const timeSpentText = (t: MacroTimeSpent | null): string | null =>
  t === null ? null : `encoding ${t.encodingMs} ms, other work ${t.otherWorkMs} ms, link ${t.linkMs} ms, micro acks ${t.microAcksMs} ms, Standby after End ${t.standbyMs} ms`;
const mib = (b: number): string => `${(b / 1048576).toFixed(1)} MiB`;

export function renderCheckpointStatistics(s: CheckpointStatisticsReply): string {
  const ratio = s.bytes.afterCompression > 0 ? (s.bytes.beforeCompression / s.bytes.afterCompression).toFixed(2) : null;
  const w = s.window;
  const rows: Row[] = [
    ['Role', s.role],
    ['Standby Ready', s.role === 'standby' ? s.standbyReady : 'n/a'],
    ['Sessions Current', s.sessions.current],
    ['Sessions Ready (eligible)', s.sessions.ready],
    ['', ''],
    ['Micro Sent', s.micro.sent],
    ['Micro Received', s.micro.received],
    ['Micro Applied', s.micro.applied],
    ['Micro Failed', s.micro.failed],
    ['Micro Failed on the Standby', s.role === 'active' ? s.micro.peerFailed : 'n/a'],
    ['Micro Stale (dropped)', s.micro.stale],
    ['Micro Coalesced', s.micro.coalesced],
    ['Micro Batches Sent', s.micro.batchesSent],
    ['Micro Batches Received', s.micro.batchesReceived],
    ['', ''],
    ['Macro Sent', s.macro.sent],
    ['Macro Received', s.macro.received],
    ['Macro Applied', s.macro.applied],
    ['Macro Failed', s.macro.failed],
    ['Macro In Progress', s.macro.inProgress],
    ['Last Macro', s.macro.lastAt === null ? 'None' : `${iso(s.macro.lastAt)} (${s.macro.lastReason ?? '?'}, ${s.macro.lastSessions} sessions)`],
    ['Last Macro Duration', msText(s.macro.lastDurationMs)],
    ['Last Macro Time Spent', timeSpentText(s.macro.lastTimeSpent)],
    ['', ''],
    ['NACKs Sent', s.nacks.sent],
    ['NACKs Received', s.nacks.received],
    ['NACKs Suppressed', s.nacks.suppressed],
    ['NACK Disabled Commands', s.nacks.disabledCommands.join(', ') || 'None'],
    ['', ''],
    ['Compression', s.codec ?? 'n/a'],
    ['Bytes Before Compression', s.bytes.beforeCompression],
    ['Bytes After Compression', s.bytes.afterCompression],
    ['Compression Ratio', ratio],
    ['', ''],
    ['Replication Lag (last)', msText(s.replicationLagMs.last)],
    ['Replication Lag (max)', msText(s.replicationLagMs.max)],
    [`Replication Lag p50/p99 (${w.seconds} s)`, w.replicationLagMs.p50 === null ? null : `${w.replicationLagMs.p50} / ${w.replicationLagMs.p99} ms`],
    [`Event-Loop Delay p99/max (${w.seconds} s)`, `${w.eventLoopDelayMs.p99} / ${w.eventLoopDelayMs.max} ms`],
    ['Pending Sessions', s.pending.sessions],
    ['Pending Deletes', s.pending.deletes],
    ['Unacknowledged Batches', s.pending.unackedBatches],
    ['Replicated Acks (write calls)', REPLICATION_OUTCOMES.map((o) => `${s.writeAcks[o]} ${o}`).join(', ')],
    ['', ''],
    ['Split Journal', s.split.recording ? (s.split.journalWhole ? 'recording (the whole table)' : `recording (${s.split.journalSessions} sessions)`) : 'off (a Standby holds this table)'],
    ['Hand-overs Sent / Acknowledged / Withdrawn', `${s.split.handoffsSent} / ${s.split.handoffsAcked} / ${s.split.handoffsWithdrawn}`],
    ['Hand-overs Applied', s.split.handoffsApplied],
    ['Hand-over Records Applied', s.split.recordsApplied + s.split.deletesApplied],
    ['Split Conflicts (merged)', s.split.conflicts],
    ['Split Deletions Dropped / Peer Deletions Unkept', `${s.split.deletesDropped} / ${s.split.peerDeletesUnkept}`],
    ['Last Conflict Ids', s.split.lastConflictIds.slice(0, 5).join(', ') + (s.split.lastConflictIds.length > 5 ? ', ...' : '') || 'None'],
  ];
  const parts = [heading('SRP Checkpoint Statistics'), keyValues(rows)];
  if (s.verbose) {
    const cmds = Object.entries(s.micro.byCommand).map(([id, c]) => [Number(id), c.sent, c.applied, c.failed]);
    if (cmds.length > 0) parts.push('', table(['Micro Command', 'Sent', 'Applied', 'Failed'], cmds));
    parts.push(
      '',
      heading('Configuration'),
      keyValues(Object.entries(s.config)),
      '',
      keyValues([
        ['Memory RSS', mib(s.memory.rssBytes)],
        ['Memory Heap Used', mib(s.memory.heapUsedBytes)],
        ['Heap Bytes per Session', s.memory.bytesPerSession],
        ['Messages Dropped (link down)', s.transportDropped],
      ]),
    );
  }
  return parts.join('\n');
}

interface CallLossReply {
  switchovers: number;
  lost: number;
  lostEligible: number;
  lostYoung: number;
  history: CallLossRecord[];
}

export function renderCallLoss(c: CallLossReply): string {
  const parts = [
    heading('SRP Call-Loss Statistics'),
    keyValues([
      ['Takeovers', c.switchovers],
      ['Sessions Lost', c.lost],
      ['Lost Checkpointed (eligible)', c.lostEligible],
      ['Lost Young (below session-duration)', c.lostYoung],
    ]),
  ];
  if (c.history.length > 0) {
    parts.push(
      '',
      table(
        ['Time', 'Cause', 'Expected', 'Recovered', 'Lost Eligible', 'Lost Young'],
        c.history.map((r) => [iso(r.at), r.cause, r.expected, r.recovered, r.lostEligible, r.lostYoung]),
      ),
    );
  }
  return parts.join('\n');
}

export function renderAuditStatistics(a: AuditStatistics): string {
  return [
    heading('SRP Audit Statistics'),
    keyValues([
      ['Audits Run', a.runs],
      ['Last Run', iso(a.lastRunAt) ?? 'Never'],
      ['Last Trigger', a.lastTrigger],
      ['Buckets Compared', a.bucketsCompared],
      ['Buckets Differing', a.bucketsDiffering],
      ['Last Differing Buckets', a.lastDifferingBuckets.join(', ') || 'None'],
      ['Sessions Compared', a.sessionsCompared],
      ['Sessions Resynced', a.sessionsResynced],
      ['Next Run', iso(a.nextRunAt)],
    ]),
  ].join('\n');
}

interface AuditReply {
  accepted: boolean;
  reasons: string[];
  differingBuckets?: number[];
  sessionsCompared?: number;
  sessionsResynced?: number;
  error?: string;
}

function renderAudit(r: AuditReply): string {
  if (!r.accepted) return `Audit: refused\n${(r.reasons.length > 0 ? r.reasons : [r.error ?? '']).map((x) => `  - ${x}`).join('\n')}`;
  return keyValues([
    ['Audit', 'Completed'],
    ['Sessions Compared', r.sessionsCompared],
    ['Differing Buckets', r.differingBuckets?.join(', ') || 'None'],
    ['Sessions Resynced', r.sessionsResynced],
  ]);
}

const nackCommand = (verb: 'disable' | 'enable'): CommandSpec => ({
  words: ['srp', verb, 'nack', 'micro-chkpt-cmd'],
  args: [{ name: 'N', int: { min: 1, max: 255 } }],
  summary: `${verb} NACKs for one micro-checkpoint command id (1..255) on this chassis`,
  method: 'POST',
  path: '/v1/srp/nack',
  body: (a) => ({ commandId: a.N, enabled: verb === 'enable' }),
  render: (d: { commandId: number; enabled: boolean; disabledCommands: number[] }) =>
    `NACK for micro-chkpt-cmd ${d.commandId}: ${d.enabled ? 'enabled' : 'disabled'} (disabled now: ${d.disabledCommands.join(', ') || 'none'})`,
});

export const REPLICATION_COMMANDS: CommandSpec[] = [
  {
    words: ['show', 'srp', 'checkpoint', 'statistics'],
    args: [{ name: 'verbose', choices: ['verbose'], optional: true }],
    summary: 'micro/macro checkpoints, NACKs, compression, sessions, replication lag ([verbose]: per command, config, memory)',
    method: 'GET',
    path: (a) => `/v1/srp/checkpoint/statistics${a.verbose ? '?verbose=true' : ''}`,
    support: [{ verbose: 'verbose' }],
    render: (d: CheckpointStatisticsReply) => renderCheckpointStatistics(d),
  },
  {
    words: ['show', 'srp', 'call-loss', 'statistics'],
    summary: 'sessions lost at takeovers (checkpointed vs younger than session-duration)',
    method: 'GET',
    path: '/v1/srp/call-loss/statistics',
    render: (d: CallLossReply) => renderCallLoss(d),
  },
  {
    words: ['show', 'srp', 'audit-statistics'],
    summary: 'session-table audits: runs, differing buckets, sessions resynced, next run',
    method: 'GET',
    path: '/v1/srp/audit-statistics',
    render: (d: AuditStatistics) => renderAuditStatistics(d),
  },
  {
    words: ['srp', 'initiate-audit'],
    args: [{ name: 'manual-with-sync', choices: ['manual-with-sync'] }],
    summary: 'compare the session tables of both chassis now and re-sync the buckets that differ (Active)',
    method: 'POST',
    path: '/v1/srp/audit',
    body: () => ({ withSync: true }),
    render: (d: AuditReply) => renderAudit(d),
    refusal: (d: AuditReply) => `audit refused: ${d.reasons.join('; ') || d.error || 'no reason given'}`,
  },
  nackCommand('disable'),
  nackCommand('enable'),
];
