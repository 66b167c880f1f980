import type { CallLossRecord } from '../call-loss.js';
import type { Clock } from '../clock.js';
import type { CheckpointConfig } from '../config.js';
import type { CheckpointTransport, SessionClassName } from '../messages.js';
import type { CheckpointObserver } from '../stats.js';

export type EngineRole = 'init' | 'active' | 'standby';

export interface CheckpointEngineOptions {
  transport: CheckpointTransport;
  clock?: Clock;
  config?: Partial<CheckpointConfig>;
  observer?: CheckpointObserver;
}

export interface SessionInput {
  id: string;
  class?: SessionClassName; // default non-ims
  lifetimeMs: number;
  createdAt?: number; // default now
  attrs?: Record<string, string>;
  counters?: Record<string, bigint>;
}

export interface PeerHelloInfo {
  sessionCount: number;
  eligibleCount: number;
  /** The peer is a ready Standby: it holds our table and has no hand-over of its own waiting. */
  standbyReady?: boolean;
}

export interface TakeoverResult {
  recovered: number;
  durationMs: number;
  callLoss: CallLossRecord | null;
}

export interface TableSummary {
  count: number;
  eligible: number;
  digest: string;
}
