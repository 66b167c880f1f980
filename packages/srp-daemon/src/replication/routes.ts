// Management routes of the checkpoint engine (besides the session API in sessions.ts):
//   GET  /v1/srp/checkpoint/statistics[?verbose=true]   show srp checkpoint statistics [verbose]
//   GET  /v1/srp/call-loss/statistics                   show srp call-loss statistics
//   GET  /v1/srp/audit-statistics                       show srp audit-statistics
//   POST /v1/srp/audit {withSync?}                      srp initiate-audit manual-with-sync
//   POST /v1/srp/nack {commandId, enabled}              srp disable|enable nack micro-chkpt-cmd N
//   POST /v1/debug/checkpoint/fail-apply {count}        test hook: the next N micro applies fail
//   POST /v1/debug/checkpoint/window                    bench hook: figures since the last reset
//   POST /v1/debug/checkpoint/probes {prefix}           bench hook: record apply times of probe ids
//   GET  /v1/debug/checkpoint/probes                    bench hook: the apply times recorded
//   POST /v1/debug/memory                               bench hook: full GC (with --expose-gc), then memory
import { CheckpointError, type CheckpointEngine, type CheckpointStatistics } from '@srp-ha/checkpoint';
import { bodyObject, intField, onlyKeys, optionalBoolean } from '../management/body.js';
import { HttpError, Reply, type Route } from '../management/router.js';
import { describeReplicationConfig } from '../config/replication.js';
import type { ProbeLog } from './probes.js';
import { notActiveReply, type SessionApiHost } from './replies.js';
import type { MeasurementWindow, WindowFigures } from './window.js';

const AUDIT_TIMEOUT_MS = 60_000;

export interface CheckpointStatisticsReply extends CheckpointStatistics {
  verbose: boolean;
  window: WindowFigures;
  config: Record<string, string | number | boolean>;
  transportDropped: number;
  memory: { rssBytes: number; heapUsedBytes: number; bytesPerSession: number | null };
}

export interface RouteDeps {
  engine: CheckpointEngine;
  host: SessionApiHost;
  window: MeasurementWindow;
  transportDropped: () => number;
  /** The transport's probe log (bench lag probe); absent: the probe routes answer 404. */
  probes?: ProbeLog;
}

const MAX_PROBE_PREFIX = 64;

/**
 * Heap and off-heap memory, after a full GC when the process runs with --expose-gc. Dead
 * ArrayBuffers' memory is freed by a sweeper after the GC, so it collects, waits 500 ms and
 * collects again before reading `external`.
 */
async function memoryFigures(engine: CheckpointEngine): Promise<Record<string, unknown>> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    await new Promise((r) => setTimeout(r, 500));
    gc();
  }
  const m = process.memoryUsage();
  return {
    gc: gc !== undefined,
    sessions: engine.size,
    memoryUsage: { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers },
    arena: engine.arenaStats(),
  };
}

export function checkpointStatistics(d: RouteDeps, verbose: boolean): CheckpointStatisticsReply {
  const s = d.engine.statistics();
  if (!verbose) s.micro.byCommand = {};
  const mem = process.memoryUsage();
  const n = d.engine.size;
  return {
    ...s,
    verbose,
    window: d.window.figures(),
    config: describeReplicationConfig(d.engine.config),
    transportDropped: d.transportDropped(),
    memory: { rssBytes: mem.rss, heapUsedBytes: mem.heapUsed, bytesPerSession: n > 0 ? Math.round(mem.heapUsed / n) : null },
  };
}

export function checkpointRoutes(d: RouteDeps): Route[] {
  const { engine, host } = d;
  return [
    {
      method: 'GET',
      path: '/v1/srp/checkpoint/statistics',
      handler: ({ url }) => checkpointStatistics(d, url.searchParams.get('verbose') === 'true'),
    },
    {
      method: 'GET',
      path: '/v1/srp/call-loss/statistics',
      handler: () => ({ ...engine.callLoss.summary(), history: engine.callLoss.history() }),
    },
    { method: 'GET', path: '/v1/srp/audit-statistics', handler: () => engine.auditStatistics() },
    {
      method: 'POST',
      path: '/v1/srp/audit',
      handler: async ({ body }) => {
        const obj = bodyObject(body);
        onlyKeys(obj, ['withSync']);
        const withSync = optionalBoolean(obj, 'withSync', true);
        if (host.state !== 'Active' || engine.role !== 'active') return notActiveReply(host, 'an audit');
        let timer: NodeJS.Timeout | undefined;
        try {
          const result = await Promise.race([
            engine.initiateAudit({ withSync, trigger: 'manual' }),
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new HttpError(504, `the Standby did not answer the audit within ${AUDIT_TIMEOUT_MS / 1000} s`)), AUDIT_TIMEOUT_MS);
            }),
          ]);
          return { accepted: true, reasons: [], ...result };
        } catch (err) {
          if (err instanceof CheckpointError) return Reply.json(409, { accepted: false, reasons: [err.message], code: err.code });
          throw err;
        } finally {
          clearTimeout(timer);
        }
      },
    },
    {
      method: 'POST',
      path: '/v1/srp/nack',
      handler: ({ body }) => {
        const obj = bodyObject(body);
        onlyKeys(obj, ['commandId', 'enabled']);
        const commandId = intField(obj, 'commandId', 1, 255);
        if (typeof obj.enabled !== 'boolean') throw new HttpError(400, '"enabled" must be a boolean');
        engine.setNackEnabled(commandId, obj.enabled);
        return { commandId, enabled: obj.enabled, disabledCommands: engine.statistics().nacks.disabledCommands };
      },
    },
    {
      method: 'POST',
      path: '/v1/debug/checkpoint/fail-apply',
      handler: ({ body }) => {
        const obj = bodyObject(body);
        onlyKeys(obj, ['count']);
        const count = intField(obj, 'count', 1, 1_000_000, 1);
        engine.injectApplyFailure(count);
        return { injected: count, note: 'test hook: the next micro-checkpoint applies on this chassis fail' };
      },
    },
    {
      method: 'POST',
      path: '/v1/debug/checkpoint/window',
      handler: ({ body }) => {
        onlyKeys(bodyObject(body), []);
        return d.window.reset();
      },
    },
    {
      method: 'POST',
      path: '/v1/debug/checkpoint/probes',
      handler: ({ body }) => {
        const obj = bodyObject(body);
        onlyKeys(obj, ['prefix']);
        const prefix = obj.prefix;
        if (prefix !== null && (typeof prefix !== 'string' || prefix.length === 0 || prefix.length > MAX_PROBE_PREFIX)) {
          throw new HttpError(400, `"prefix" must be a string of 1..${MAX_PROBE_PREFIX} characters, or null to stop`);
        }
        if (!d.probes) throw new HttpError(404, 'no probe log on this chassis');
        d.probes.arm(prefix);
        return { prefix };
      },
    },
    {
      method: 'GET',
      path: '/v1/debug/checkpoint/probes',
      handler: () => {
        if (!d.probes) throw new HttpError(404, 'no probe log on this chassis');
        return d.probes.figures();
      },
    },
    { method: 'POST', path: '/v1/debug/memory', handler: () => memoryFigures(engine) },
  ];
}
