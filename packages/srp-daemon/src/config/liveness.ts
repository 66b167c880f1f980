// The `liveness:` section of srpd's config (the Hello path's watchdog and the start-up hold) and
// the `debug:` switch. Parsed apart from config.ts; config.ts calls parseLivenessConfig once.
import { formatDuration, parseDuration } from '@srp-ha/common';
import { unknownKeyReason, type Fail } from './fields.js';

export interface LivenessConfig {
  /** The main thread must answer its watchdog within this, or Hellos stop (the peer takes over). */
  watchdogMs: number;
  /** A freshly started chassis may not claim Active before this (after delay-interval). */
  startupHoldMs: number;
  /**
   * SCHED_RR priority (1-99) for the liveness worker thread, or null (`off`): a thread the
   * scheduler runs ahead of every ordinary one, so a loaded host does not hold Hellos back. It
   * sleeps between Hellos (tens of microseconds of work per Hello), so it cannot starve anything.
   */
  realtimePriority: number | null;
  /**
   * The priority is the default's (`auto`): where the process may not set it (no CAP_SYS_NICE),
   * Hellos run at normal priority with a notice, a warning only at a dead interval short enough
   * for it to matter. A priority set in the config that is refused is always a warning.
   */
  realtimeAuto: boolean;
  /**
   * Where the Hello path runs: `process` (a small Node process of its own, forked by srpd, with
   * a heap and collector that share nothing with the session work) or `thread` (a worker
   * thread of srpd's process).
   */
  helloPath: HelloPath;
}

export type HelloPath = 'process' | 'thread';
export const HELLO_PATHS: readonly HelloPath[] = ['process', 'thread'];

/** `realtime-priority: auto` (the default) asks for this SCHED_RR priority. */
export const AUTO_REALTIME_PRIORITY = 50;

export const LIVENESS_KEYS = ['watchdog', 'startup-hold', 'realtime-priority', 'hello-path'] as const;

/**
 * Defaults: the watchdog max(3 x dead-interval, 1 s); the start-up hold max(dead-interval, 1 s);
 * the Hello path in a process of its own, under SCHED_RR 50 where the process may (`auto`).
 */
export function livenessDefaults(deadIntervalMs: number): LivenessConfig {
  return {
    watchdogMs: Math.max(3 * deadIntervalMs, 1000),
    startupHoldMs: Math.max(deadIntervalMs, 1000),
    realtimePriority: AUTO_REALTIME_PRIORITY,
    realtimeAuto: true,
    helloPath: 'process',
  };
}

export function parseLivenessConfig(
  raw: unknown,
  deadIntervalMs: number,
  fail: Fail,
): LivenessConfig {
  const out = livenessDefaults(deadIntervalMs);
  if (raw === undefined || raw === null) return out;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    fail('liveness', 'must be a mapping with watchdog, startup-hold, realtime-priority and hello-path');
    return out;
  }
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!(LIVENESS_KEYS as readonly string[]).includes(k)) fail(`liveness.${k}`, unknownKeyReason(k, LIVENESS_KEYS));
  const read = (key: 'watchdog' | 'startup-hold', min: number, why: string): number | null => {
    const v = o[key];
    if (v === undefined || v === null) return null;
    const ms = parseDuration(v);
    if (typeof ms === 'string') {
      fail(`liveness.${key}`, ms);
      return null;
    }
    if (ms < min) {
      fail(`liveness.${key}`, `must be at least ${formatDuration(min)} (${why}), got ${formatDuration(ms)}`);
      return null;
    }
    return ms;
  };
  out.watchdogMs = read('watchdog', deadIntervalMs, 'the dead-interval: a busy main thread must not look dead sooner than a dead peer') ?? out.watchdogMs;
  out.startupHoldMs = read('startup-hold', deadIntervalMs, 'the dead-interval: a live peer must be heard first') ?? out.startupHoldMs;
  const prio = o['realtime-priority'];
  if (prio === 'off') {
    out.realtimePriority = null;
    out.realtimeAuto = false;
  } else if (prio !== undefined && prio !== null && prio !== 'auto') {
    if (typeof prio !== 'number' || !Number.isInteger(prio) || prio < 1 || prio > 99) {
      fail('liveness.realtime-priority', `must be auto, off or an integer 1-99 (a SCHED_RR priority), got ${JSON.stringify(prio)}`);
    } else {
      out.realtimePriority = prio;
      out.realtimeAuto = false;
    }
  }
  const path = o['hello-path'];
  if (path !== undefined && path !== null) {
    if (!(HELLO_PATHS as readonly unknown[]).includes(path)) fail('liveness.hello-path', `must be process or thread, got ${JSON.stringify(path)}`);
    else out.helloPath = path as HelloPath;
  }
  return out;
}
