// The `checkpoint:`, `standby:` and `audit:` sections of srpd's YAML, mapped onto the engine's
// CheckpointConfig and validated by the engine's own rules (resolveCheckpointConfig), so the
// daemon never accepts a value the engine would refuse. Every problem names the key and why.
//
//   checkpoint:
//     session-duration: 60s          # duration (ms/s/m/h or seconds); 0s replicates at once
//     session-duration-ims: 60s
//     periodic-interval: 45          # minutes, 30..1440, a multiple of 15
//     counter-sync-every: 100        # counters replicated every N increments
//     write-ack: applied             # applied | replicated: when the session API answers a write
//     write-ack-timeout: 1s          # with replicated: the longest wait for the Standby's ack
//     nack:
//       micro: true
//       macro: true
//       max-response: 3              # NACKs per 10 minutes
//   standby:
//     database-recovery: normal      # normal | aggressive
//   audit:
//     enabled: true
//     daily-start-time: "00:00"      # HH:MM UTC
//     periodicity: 60                # minutes, 60..1440
import {
  CheckpointError,
  DEFAULT_CHECKPOINT_CONFIG,
  resolveCheckpointConfig,
  type CheckpointConfig,
} from '@srp-ha/checkpoint';
import { parseDuration } from '@srp-ha/common';
import { isMapping } from './fields.js';
import type { ConfigIssue } from './schema.js';

export interface ReplicationSections {
  checkpoint?: unknown;
  standby?: unknown;
  audit?: unknown;
}

type Field = keyof CheckpointConfig;
type Kind = 'duration' | 'int' | 'bool' | 'string';

interface KeySpec {
  field: Field;
  kind: Kind;
}

/** YAML key (dotted, under its section) -> engine field. */
const SECTIONS: Record<'checkpoint' | 'standby' | 'audit', Record<string, KeySpec | Record<string, KeySpec>>> = {
  checkpoint: {
    'session-duration': { field: 'sessionDurationMs', kind: 'duration' },
    'session-duration-ims': { field: 'sessionDurationImsMs', kind: 'duration' },
    'periodic-interval': { field: 'periodicIntervalMin', kind: 'int' },
    'counter-sync-every': { field: 'counterSyncEvery', kind: 'int' },
    'write-ack': { field: 'writeAck', kind: 'string' },
    'write-ack-timeout': { field: 'writeAckTimeoutMs', kind: 'duration' },
    nack: {
      micro: { field: 'nackMicro', kind: 'bool' },
      macro: { field: 'nackMacro', kind: 'bool' },
      'max-response': { field: 'nackMaxResponse', kind: 'int' },
    },
  },
  standby: {
    'database-recovery': { field: 'databaseRecovery', kind: 'string' },
  },
  audit: {
    enabled: { field: 'auditEnabled', kind: 'bool' },
    'daily-start-time': { field: 'auditDailyStartTime', kind: 'string' },
    periodicity: { field: 'auditPeriodicityMin', kind: 'int' },
  },
};

const isSpec = (v: KeySpec | Record<string, KeySpec>): v is KeySpec => typeof (v as KeySpec).field === 'string';

function convert(kind: Kind, value: unknown): { ok: true; value: unknown } | { ok: false; reason: string } {
  switch (kind) {
    case 'duration': {
      const ms = parseDuration(value);
      return typeof ms === 'string' ? { ok: false, reason: ms } : { ok: true, value: ms };
    }
    case 'int':
      return typeof value === 'number' && Number.isInteger(value)
        ? { ok: true, value }
        : { ok: false, reason: `must be an integer, got ${JSON.stringify(value)}` };
    case 'bool':
      return typeof value === 'boolean' ? { ok: true, value } : { ok: false, reason: `must be true or false, got ${JSON.stringify(value)}` };
    case 'string':
      return typeof value === 'string' ? { ok: true, value } : { ok: false, reason: `must be a string, got ${JSON.stringify(value)}` };
  }
}

/** The engine's reason without its own key naming ("checkpoint periodic-interval must be ..."). */
function engineReason(err: unknown): string {
  const msg = err instanceof CheckpointError ? err.message : String(err);
  const m = /\bmust\b.*$/.exec(msg);
  return m ? m[0] : msg;
}

/**
 * Parses the three sections. Returns the engine config (defaults filled in) and the issues;
 * when there are issues the config holds defaults for the keys in error.
 */
export function parseReplicationConfig(raw: ReplicationSections): { config: CheckpointConfig; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const partial: Partial<Record<Field, unknown>> = {};
  const keyOf = new Map<Field, string>();

  const walk = (prefix: string, value: unknown, table: Record<string, KeySpec | Record<string, KeySpec>>): void => {
    if (value === undefined || value === null) return;
    if (!isMapping(value)) {
      issues.push({ key: prefix, reason: 'must be a mapping' });
      return;
    }
    for (const [k, v] of Object.entries(value)) {
      const key = `${prefix}.${k}`;
      const spec = table[k];
      if (!spec) {
        issues.push({ key, reason: `unknown key (known: ${Object.keys(table).join(', ')})` });
        continue;
      }
      if (!isSpec(spec)) {
        walk(key, v, spec);
        continue;
      }
      const c = convert(spec.kind, v);
      if (!c.ok) {
        issues.push({ key, reason: c.reason });
        continue;
      }
      // The engine's own validation, one field at a time, so the issue names this key.
      try {
        resolveCheckpointConfig({ [spec.field]: c.value });
      } catch (err) {
        issues.push({ key, reason: engineReason(err) });
        continue;
      }
      partial[spec.field] = c.value;
      keyOf.set(spec.field, key);
    }
  };
  walk('checkpoint', raw.checkpoint, SECTIONS.checkpoint);
  walk('standby', raw.standby, SECTIONS.standby);
  walk('audit', raw.audit, SECTIONS.audit);

  let config: CheckpointConfig;
  try {
    config = resolveCheckpointConfig(partial as Partial<CheckpointConfig>);
  } catch (err) {
    // A cross-field rule (none today): report it against the first key given.
    issues.push({ key: [...keyOf.values()][0] ?? 'checkpoint', reason: engineReason(err) });
    config = { ...DEFAULT_CHECKPOINT_CONFIG };
  }
  return { config, issues };
}

/** The operator-facing keys and their effective values (show srp checkpoint statistics). */
export function describeReplicationConfig(c: CheckpointConfig): Record<string, string | number | boolean> {
  return {
    'checkpoint.session-duration': `${c.sessionDurationMs / 1000}s`,
    'checkpoint.session-duration-ims': `${c.sessionDurationImsMs / 1000}s`,
    'checkpoint.periodic-interval': c.periodicIntervalMin,
    'checkpoint.counter-sync-every': c.counterSyncEvery,
    'checkpoint.write-ack': c.writeAck,
    'checkpoint.write-ack-timeout': `${c.writeAckTimeoutMs / 1000}s`,
    'checkpoint.nack.micro': c.nackMicro,
    'checkpoint.nack.macro': c.nackMacro,
    'checkpoint.nack.max-response': c.nackMaxResponse,
    'standby.database-recovery': c.databaseRecovery,
    'audit.enabled': c.auditEnabled,
    'audit.daily-start-time': c.auditDailyStartTime,
    'audit.periodicity': c.auditPeriodicityMin,
  };
}
