import { CheckpointError } from './errors.js';

export type DatabaseRecovery = 'normal' | 'aggressive';

/**
 * When a write is acknowledged to its client: `applied`, once this Active applied it (the
 * Standby gets it asynchronously, within the replication lag); `replicated`, once the Standby
 * acknowledged it too (or the wait ended: see the session API).
 */
export type WriteAck = 'applied' | 'replicated';

/**
 * Engine configuration. The daemon maps its config keys onto these fields:
 *
 * | config key                           | field                   | default | range               |
 * |--------------------------------------|-------------------------|---------|---------------------|
 * | checkpoint.session-duration          | sessionDurationMs       | 60 s    | >= 0                |
 * | checkpoint.session-duration-ims      | sessionDurationImsMs    | 60 s    | >= 0                |
 * | checkpoint.periodic-interval         | periodicIntervalMin     | 45      | 30..1440, mult. 15  |
 * | checkpoint.nack.micro                | nackMicro               | true    |                     |
 * | checkpoint.nack.macro                | nackMacro               | true    |                     |
 * | checkpoint.nack.max-response         | nackMaxResponse         | 3       | 0..65535            |
 * | checkpoint.counter-sync-every        | counterSyncEvery        | 100     | 1..2^31             |
 * | checkpoint.write-ack                 | writeAck                | applied | applied / replicated|
 * | checkpoint.write-ack-timeout         | writeAckTimeoutMs       | 1 s     | 1 ms..10 min        |
 * | standby.database-recovery            | databaseRecovery        | normal  | normal / aggressive |
 * | audit.daily-start-time               | auditDailyStartTime     | "00:00" | HH:MM (UTC)         |
 * | audit.periodicity                    | auditPeriodicityMin     | 60      | 60..1440            |
 * | audit.enabled                        | auditEnabled            | true    |                     |
 *
 * Tuning (not operator-facing): batchMaxItems 512, batchDelayMs 2, maxUnackedBatches 64,
 * macroChunkSize 250, expirySweepIntervalMs 1000.
 *
 * macroChunkSize: the Standby decodes a chunk in one piece (one message), so the chunk bounds
 * its longest turn during a bulk sync. 1M sessions, two srpd: Standby event-loop delay p99
 * 25-30 ms with 1000, 19-23 with 500, 16-20 with 250 (zlib ratio 16.8x, 15.5x, 13.7x).
 */
export interface CheckpointConfig {
  sessionDurationMs: number;
  sessionDurationImsMs: number;
  periodicIntervalMin: number;
  nackMicro: boolean;
  nackMacro: boolean;
  nackMaxResponse: number;
  counterSyncEvery: number;
  writeAck: WriteAck;
  writeAckTimeoutMs: number;
  databaseRecovery: DatabaseRecovery;
  auditDailyStartTime: string;
  auditPeriodicityMin: number;
  auditEnabled: boolean;
  batchMaxItems: number;
  batchDelayMs: number;
  maxUnackedBatches: number;
  macroChunkSize: number;
  expirySweepIntervalMs: number;
}

export const DEFAULT_CHECKPOINT_CONFIG: Readonly<CheckpointConfig> = Object.freeze({
  sessionDurationMs: 60_000,
  sessionDurationImsMs: 60_000,
  periodicIntervalMin: 45,
  nackMicro: true,
  nackMacro: true,
  nackMaxResponse: 3,
  counterSyncEvery: 100,
  writeAck: 'applied',
  writeAckTimeoutMs: 1000,
  databaseRecovery: 'normal',
  auditDailyStartTime: '00:00',
  auditPeriodicityMin: 60,
  auditEnabled: true,
  batchMaxItems: 512,
  batchDelayMs: 2,
  maxUnackedBatches: 64,
  macroChunkSize: 250,
  expirySweepIntervalMs: 1000,
});

/** Hellos the Standby must hear after the link comes up before it reports ready. */
export const RECOVERY_HELLOS: Readonly<Record<DatabaseRecovery, number>> = { normal: 3, aggressive: 1 };

/** The NACK budget window of the seed: max-response NACKs per 10 minutes. */
export const NACK_WINDOW_MS = 10 * 60_000;

/** Audit buckets (fixed: both sides must agree). */
export const AUDIT_BUCKETS = 256;

function fail(message: string): never {
  throw new CheckpointError('SRP_ERR_CHECKPOINT_CONFIG', message);
}

function int(name: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) fail(`${name} must be an integer in ${min}..${max}, got ${v}`);
}

export function parseHhMm(s: string): number {
  const m = /^([01]?\d|2[0-3]):?([0-5]\d)$/.exec(s.trim().replace(/\s+/, ':'));
  if (!m) fail(`audit daily-start-time must be HH:MM, got ${JSON.stringify(s)}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Fills defaults and validates; throws CheckpointError SRP_ERR_CHECKPOINT_CONFIG. */
export function resolveCheckpointConfig(partial: Partial<CheckpointConfig> = {}): CheckpointConfig {
  const c: CheckpointConfig = { ...DEFAULT_CHECKPOINT_CONFIG, ...partial };
  int('checkpoint session-duration (ms)', c.sessionDurationMs, 0, 2 ** 31);
  int('checkpoint session-duration-ims (ms)', c.sessionDurationImsMs, 0, 2 ** 31);
  int('checkpoint periodic-interval', c.periodicIntervalMin, 30, 1440);
  if (c.periodicIntervalMin % 15 !== 0) fail(`checkpoint periodic-interval must be a multiple of 15, got ${c.periodicIntervalMin}`);
  int('checkpoint nack max-response', c.nackMaxResponse, 0, 65535);
  int('checkpoint counter-sync-every', c.counterSyncEvery, 1, 2 ** 31);
  if (c.writeAck !== 'applied' && c.writeAck !== 'replicated') fail(`checkpoint write-ack must be applied or replicated, got ${JSON.stringify(c.writeAck)}`);
  int('checkpoint write-ack-timeout (ms)', c.writeAckTimeoutMs, 1, 600_000);
  if (c.databaseRecovery !== 'normal' && c.databaseRecovery !== 'aggressive') fail(`standby database-recovery must be normal or aggressive`);
  parseHhMm(c.auditDailyStartTime);
  int('audit periodicity', c.auditPeriodicityMin, 60, 1440);
  int('batchMaxItems', c.batchMaxItems, 1, 65536);
  int('batchDelayMs', c.batchDelayMs, 0, 10_000);
  int('maxUnackedBatches', c.maxUnackedBatches, 1, 65536);
  int('macroChunkSize', c.macroChunkSize, 1, 1_000_000);
  int('expirySweepIntervalMs', c.expirySweepIntervalMs, 1, 3_600_000);
  return c;
}
