// `srp_checkpoint_*` and `srp_call_loss_*` metrics on the daemon's registry. Counters mirror the
// engine's statistics at scrape time (TYPE counter, never going down); histograms are fed by
// the engine's observer (replication lag, macro duration).
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { REPLICATION_OUTCOMES, type CheckpointEngine } from '@srp-ha/checkpoint';
import { Counter, exponentialBuckets, Gauge, Histogram, type Registry } from 'prom-client';
import { CounterMirror } from '../util/counter-mirror.js';

export const LAG_BUCKETS = exponentialBuckets(0.0005, 2, 14); // 0.5 ms .. ~4 s
export const MACRO_BUCKETS = exponentialBuckets(0.01, 2, 14); // 10 ms .. ~82 s
const MACRO_REASONS = ['bulk-sync', 'periodic', 'nack', 'audit', 'manual'] as const;
const ROLES = ['init', 'active', 'standby'] as const;

export interface ReplicationMetrics {
  replicationLag(seconds: number): void;
  macroCompleted(seconds: number, reason: string): void;
  /** A write call answered with the replicated acknowledgement: how long it waited. */
  writeAckWait(seconds: number): void;
}

/** Statistics of the event-loop delay gauge: label value and percentile (100: the maximum). */
const LOOP_STATS = [
  ['p50', 50],
  ['p99', 99],
  ['max', 100],
] as const;

let loopMonitor: IntervalHistogram | null = null;

/** One event-loop delay monitor per process (a daemon is one process; tests build many planes). */
function eventLoopMonitor(): IntervalHistogram {
  if (!loopMonitor) {
    loopMonitor = monitorEventLoopDelay({ resolution: 2 });
    loopMonitor.enable();
  }
  return loopMonitor;
}

export function registerReplicationMetrics(engine: CheckpointEngine, registry: Registry): ReplicationMetrics {
  const registers = [registry];
  const mirror = new CounterMirror();
  // One statistics() per scrape would be nicer; it is a cheap clone, and collect() runs per metric.
  const stats = (): ReturnType<CheckpointEngine['statistics']> => engine.statistics();

  const counter = (name: string, help: string, read: () => number): void => void mirror.counter(name, help, registers, read);
  counter('srp_checkpoint_micro_sent_total', 'Micro-checkpoint items sent to the Standby', () => stats().micro.sent);
  counter('srp_checkpoint_micro_received_total', 'Micro-checkpoint items received from the Active', () => stats().micro.received);
  counter('srp_checkpoint_micro_applied_total', 'Micro-checkpoint items applied', () => stats().micro.applied);
  counter('srp_checkpoint_micro_failed_total', 'Micro-checkpoint items that failed to apply', () => stats().micro.failed);
  counter('srp_checkpoint_micro_stale_total', 'Micro-checkpoint items dropped as older than the local version', () => stats().micro.stale);
  counter('srp_checkpoint_micro_coalesced_total', 'Changes folded into a pending change of the same session', () => stats().micro.coalesced);
  counter('srp_checkpoint_macro_sent_total', 'Macro checkpoints (full snapshots) sent', () => stats().macro.sent);
  counter('srp_checkpoint_macro_received_total', 'Macro checkpoints received', () => stats().macro.received);
  counter('srp_checkpoint_macro_applied_total', 'Macro checkpoints applied', () => stats().macro.applied);
  counter('srp_checkpoint_macro_failed_total', 'Macro checkpoints that failed (digest mismatch or abandoned)', () => stats().macro.failed);
  counter('srp_checkpoint_nacks_sent_total', 'NACKs sent to the Active', () => stats().nacks.sent);
  counter('srp_checkpoint_nacks_received_total', 'NACKs received from the Standby', () => stats().nacks.received);
  counter('srp_checkpoint_nacks_suppressed_total', 'NACKs not sent (disabled command or max-response reached)', () => stats().nacks.suppressed);
  counter('srp_checkpoint_bytes_before_compression_total', 'Checkpoint payload bytes before compression', () => stats().bytes.beforeCompression);
  counter('srp_checkpoint_bytes_after_compression_total', 'Checkpoint payload bytes after compression (as framed)', () => stats().bytes.afterCompression);

  counter('srp_checkpoint_peer_failed_items_total', 'Active: items the Standby says it could not apply (its table may differ until a macro)', () => stats().micro.peerFailed);
  counter('srp_split_handoffs_sent_total', 'Hand-overs sent after stepping down for a peer that was Active too', () => stats().split.handoffsSent);
  counter('srp_split_handoffs_applied_total', 'Hand-overs received from a peer that stepped down, and applied', () => stats().split.handoffsApplied);
  counter('srp_split_records_applied_total', "Sessions and deletions of a peer's hand-over applied as they were", () => stats().split.recordsApplied + stats().split.deletesApplied);
  counter('srp_split_conflicts_total', 'Sessions both chassis changed while apart, merged by the conflict rule', () => stats().split.conflicts);
  counter('srp_split_deletes_dropped_total', 'Deletions past the journal limit, not handed over (call loss)', () => stats().split.deletesDropped);
  counter('srp_split_peer_deletes_unkept_total', "The peer's deletions past the limit kept while our own hand-over waits: taken back, it re-creates them", () => stats().split.peerDeletesUnkept);
  const journal = new Gauge({
    name: 'srp_split_journal_sessions',
    help: 'Sessions recorded for a hand-over (changed while no Standby holds this table; -1 when it covers the whole table)',
    registers,
    collect() {
      const s = stats().split;
      journal.set(s.journalWhole ? -1 : s.journalSessions);
    },
  });
  counter('srp_checkpoint_audit_runs_total', 'Session-table audits run (periodic and manual)', () => engine.auditStatistics().runs);
  counter('srp_checkpoint_audit_resynced_sessions_total', 'Sessions re-sent by audits with sync', () => engine.auditStatistics().sessionsResynced);

  const sessions = new Gauge({
    name: 'srp_checkpoint_sessions',
    help: 'Sessions in the checkpoint table, under the role this chassis holds (0 for the other roles)',
    labelNames: ['role'],
    registers,
    collect() {
      const role = engine.role;
      for (const r of ROLES) sessions.set({ role: r }, r === role ? engine.size : 0);
    },
  });
  const eligible = new Gauge({
    name: 'srp_checkpoint_eligible_sessions',
    help: 'Sessions old enough to be checkpointed (session-duration)',
    registers,
    collect() {
      eligible.set(engine.eligibleCount);
    },
  });
  const pending = new Gauge({
    name: 'srp_checkpoint_pending_sessions',
    help: 'Sessions with a change not yet sent to the Standby (coalesced)',
    registers,
    collect() {
      pending.set(engine.statistics().pending.sessions);
    },
  });

  const callLoss: Counter<'kind'> = new Counter({
    name: 'srp_call_loss_sessions_total',
    help: 'Sessions lost at a takeover: eligible (checkpointed, should be 0) or young (below session-duration, by design)',
    labelNames: ['kind'],
    registers,
    collect() {
      const s = engine.callLoss.summary();
      mirror.sync(callLoss, s.lostEligible, { kind: 'eligible' });
      mirror.sync(callLoss, s.lostYoung, { kind: 'young' });
    },
  });

  const lag = new Histogram({
    name: 'srp_checkpoint_replication_lag_seconds',
    help: 'Time from a session change on the Active to its apply acknowledged by the Standby',
    buckets: LAG_BUCKETS,
    registers,
  });
  const macro = new Histogram({
    name: 'srp_checkpoint_macro_duration_seconds',
    help: 'Duration of macro checkpoints, from Begin to the apply of End, by reason',
    labelNames: ['reason'],
    buckets: MACRO_BUCKETS,
    registers,
  });
  for (const r of MACRO_REASONS) macro.zero({ reason: r });
  const writeAcks: Counter<'outcome'> = new Counter({
    name: 'srp_session_write_acks_total',
    help: 'Write calls answered with the replicated acknowledgement, by outcome (replicated: the Standby acknowledged them)',
    labelNames: ['outcome'],
    registers,
    collect() {
      const by = stats().writeAcks;
      for (const o of REPLICATION_OUTCOMES) mirror.sync(writeAcks, by[o], { outcome: o });
    },
  });
  const writeAckWait = new Histogram({
    name: 'srp_session_write_ack_wait_seconds',
    help: "Session API: a write call's wait for the Standby's acknowledgement (replicated acknowledgement)",
    buckets: LAG_BUCKETS,
    registers,
  });

  // Event-loop delay since the previous scrape (perf_hooks, 2 ms resolution): what a bulk sync
  // or a burst of session API calls costs the Hellos. A gauge with a `stat` label (p50, p99,
  // max): promtool reserves `quantile` for summaries, and prom-client's Summary computes its own
  // quantiles from observations.
  const loop = eventLoopMonitor();
  const loopDelay = new Gauge({
    name: 'srp_event_loop_delay_seconds',
    help: 'Event-loop delay since the previous scrape (stat: p50, p99, max), from perf_hooks.monitorEventLoopDelay',
    labelNames: ['stat'],
    registers,
    collect() {
      const any = loop.count > 0;
      for (const [stat, p] of LOOP_STATS) loopDelay.set({ stat }, any ? (p === 100 ? loop.max : loop.percentile(p)) / 1e9 : 0);
      loop.reset();
    },
  });

  return {
    replicationLag(seconds) {
      if (Number.isFinite(seconds) && seconds >= 0) lag.observe(seconds);
    },
    macroCompleted(seconds, reason) {
      if (!Number.isFinite(seconds) || seconds < 0) return;
      macro.observe({ reason: (MACRO_REASONS as readonly string[]).includes(reason) ? reason : 'manual' }, seconds);
    },
    writeAckWait(seconds) {
      if (Number.isFinite(seconds) && seconds >= 0) writeAckWait.observe(seconds);
    },
  };
}
