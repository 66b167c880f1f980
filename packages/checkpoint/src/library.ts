import type { Clock } from './clock.js';
import type { CheckpointConfig } from './config.js';
import { CheckpointEngine } from './engine/engine.js';
import type { EngineRole, PeerHelloInfo, SessionInput, TableSummary, TakeoverResult } from './engine/types.js';
import type { CheckpointMessage, CheckpointTransport } from './messages.js';
import type { CheckpointEvent, CheckpointObserver, CheckpointStatistics, ReplicationOutcome } from './stats.js';
import type { SessionView } from './table/view.js';

export interface ReplicatedSessionTableOptions {
  /** How checkpoint messages reach the peer (your own link, or the srp daemon's). */
  transport: CheckpointTransport;
  clock?: Clock;
  config?: Partial<CheckpointConfig>;
  observer?: CheckpointObserver;
}

/**
 * The engine as a library for a Node service that keeps its own sessions: write through
 * upsert/delete/incrementCounter on the Active, read with get on either side, and be told
 * when the role changes. Whoever decides roles (the srp daemon, or your own election) calls
 * becomeActive/becomeStandby/peerJoined/linkDown and feeds received messages to handle().
 */
export interface ReplicatedSessionTable {
  upsert(input: SessionInput): SessionView;
  updateAttrs(id: string, patch: Record<string, string | null>): void;
  incrementCounter(id: string, name: string, by?: bigint): bigint;
  refresh(id: string, lifetimeMs?: number): void;
  delete(id: string): boolean;
  get(id: string): SessionView | undefined;
  readonly size: number;
  readonly role: EngineRole;
  /** Counts and the audit's digest (ids and versions). */
  summary(): TableSummary;
  /** Counts and the content digest: equal on both sides means equal tables, content included. */
  contentSummary(): Promise<TableSummary>;
  onRoleChange(listener: (role: EngineRole) => void): () => void;
  onEvent(listener: (event: CheckpointEvent) => void): () => void;
  handle(msg: CheckpointMessage): void;
  becomeActive(opts?: { cause?: string }): Promise<TakeoverResult>;
  becomeStandby(): void;
  peerJoined(): void;
  linkDown(): void;
  peerHello(info: PeerHelloInfo): void;
  flush(): Promise<void>;
  /**
   * Sends pending changes now instead of after the batch delay (a few ms): call it after a
   * burst of changes made in one turn, which is a batch already.
   */
  sendPending(): void;
  /**
   * Resolves `replicated` once the Standby has acknowledged every change made so far, or with
   * why not (`no-standby`, `link-down`, `stepped-down`, `apply-failed`, `timeout` after `timeoutMs`, by default
   * the config's writeAckTimeoutMs): await it before answering a client that must not lose
   * the write to a crash of this process.
   */
  whenReplicated(timeoutMs?: number): Promise<ReplicationOutcome>;
  statistics(): CheckpointStatistics;
  close(): void;
  /** The underlying engine, for everything else (audit, NACK controls, ...). */
  readonly engine: CheckpointEngine;
}

export function createReplicatedSessionTable(opts: ReplicatedSessionTableOptions): ReplicatedSessionTable {
  const engine = new CheckpointEngine(opts);
  return {
    upsert: (input) => engine.upsert(input),
    updateAttrs: (id, patch) => engine.updateAttrs(id, patch),
    incrementCounter: (id, name, by) => engine.incrementCounter(id, name, by),
    refresh: (id, lifetimeMs) => engine.refresh(id, lifetimeMs),
    delete: (id) => engine.delete(id),
    get: (id) => engine.get(id),
    get size() {
      return engine.size;
    },
    get role() {
      return engine.role;
    },
    summary: () => engine.summary(),
    contentSummary: () => engine.contentSummary(),
    onRoleChange: (l) => engine.onRoleChange(l),
    onEvent: (l) => engine.onEvent(l),
    handle: (msg) => engine.handle(msg),
    becomeActive: (o) => engine.becomeActive(o),
    becomeStandby: () => engine.becomeStandby(),
    peerJoined: () => engine.peerJoined(),
    linkDown: () => engine.linkDown(),
    peerHello: (info) => engine.peerHello(info),
    flush: () => engine.flush(),
    sendPending: () => engine.sendPending(),
    whenReplicated: (timeoutMs) => engine.whenReplicated(timeoutMs),
    statistics: () => engine.statistics(),
    close: () => engine.close(),
    engine,
  };
}
