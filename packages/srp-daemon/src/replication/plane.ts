// The checkpoint engine inside srpd (DESIGN.md "Checkpoints"): builds the CheckpointEngine over
// the SRP link and offers the daemon what it needs from it:
//   - seams for the core (runtime/seams.ts): session counts for the Hello, Standby readiness,
//     beforeActive (apply everything, then take over), criticalFlush (planned switchover),
//     checkpoint messages from the peer, every peer Hello, state changes, encoded byte counts;
//   - management routes (session API, show commands, debug hooks) and srpctl commands;
//   - `srp_checkpoint_*` metrics on the daemon's registry and checkpoint events on its stream.
// The plane is built before the daemon (the seams go into its constructor) and attached to it
// once the daemon exists.
import { systemClock, toWallMs } from '@srp-ha/common';
import { ChassisState, type Hello, type SrpMessage } from '@srp-ha/wire';
import {
  CHECKPOINT_MESSAGE_KINDS,
  CheckpointEngine,
  NackKind,
  isCheckpointMessage,
  type CheckpointConfig,
  type Clock,
} from '@srp-ha/checkpoint';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ChassisStateName, SrpEvent } from '../contract.js';
import type { CommandSpec } from '../management/commands.js';
import type { Route } from '../management/router.js';
import type { DaemonSeams } from '../runtime/seams.js';
import { REPLICATION_COMMANDS } from './commands.js';
import { registerReplicationMetrics, type ReplicationMetrics } from './metrics.js';
import { checkpointRoutes } from './routes.js';
import { sessionRoutes, type SessionApiHost } from './sessions.js';
import { LinkTransport, type PeerChannel } from './transport.js';
import { MeasurementWindow } from './window.js';

/** What the plane needs from the daemon once it exists (SrpDaemon implements all of it). */
export interface ReplicationHost extends PeerChannel, SessionApiHost {
  readonly registry: Registry;
  refreshReadiness(): void;
  onEvent(listener: (event: SrpEvent) => void): () => void;
}

export interface ReplicationPlaneOptions {
  config: CheckpointConfig;
  logger: Logger;
  clock?: Clock;
  /**
   * Standby readiness watchdog: a Standby not ready this long after it started waiting asks
   * the Active for a fresh bulk sync (a macro NACK). The limit scales with the table:
   * base + perSession x the sessions the Active reports. Defaults: 10 s + 50 us per session.
   */
  readinessBaseMs?: number;
  readinessPerSessionMs?: number;
}

export type ReplicationSeams = Required<
  Pick<
    DaemonSeams,
    | 'sessions'
    | 'readiness'
    | 'beforeActive'
    | 'criticalFlush'
    | 'onPeerMessage'
    | 'onLinkSwitched'
    | 'onStateChange'
    | 'onPeerHello'
    | 'onEncoded'
    | 'onFence'
    | 'onSplitHandoff'
  >
>;

export interface ReplicationPlane {
  readonly engine: CheckpointEngine;
  readonly transport: LinkTransport;
  readonly seams: ReplicationSeams;
  readonly routes: Route[];
  readonly commands: CommandSpec[];
  /** Binds the plane to the daemon: link, metrics, events. Call once, before daemon.start(). */
  attach(host: ReplicationHost): void;
  /** checkpoint-* events (macro, NACK, audit, readiness, call loss) for the event stream. */
  onEvent(listener: (event: SrpEvent) => void): () => void;
  /** Standby: the current readiness deadline in ms (0 when not waiting). */
  readinessTimeoutMs(): number;
  dispose(): void;
}

const WIRE_STANDBY = ChassisState.CHASSIS_STATE_STANDBY;

export function createReplicationPlane(opts: ReplicationPlaneOptions): ReplicationPlane {
  const log = opts.logger.child({ component: 'checkpoint' });
  const transport = new LinkTransport();
  const window = new MeasurementWindow();
  let metrics: ReplicationMetrics | null = null;
  const engine = new CheckpointEngine({
    transport,
    config: opts.config,
    ...(opts.clock ? { clock: opts.clock } : {}),
    observer: {
      replicationLag(seconds) {
        window.addLagMs(seconds * 1000);
        metrics?.replicationLag(seconds);
      },
      macroCompleted(seconds, reason, sessions) {
        metrics?.macroCompleted(seconds, reason);
        log.info({ seconds, reason, sessions }, 'macro checkpoint completed');
      },
    },
  });
  const readinessBaseMs = opts.readinessBaseMs ?? 10_000;
  const readinessPerSessionMs = opts.readinessPerSessionMs ?? 0.05;

  let host: ReplicationHost | null = null;
  const unsubscribe: Array<() => void> = [];
  let linkUp = false;
  let peerState: ChassisState | null = null;
  let peerBoot: number | null = null;
  let peerSessions = 0;
  /** The peer boot the current bulk sync was started for (Active side); null: none. */
  let joinedBoot: number | null = null;
  let handoffSentAt = 0;
  const sendHandoff = (): void => {
    if (!linkUp || !engine.handoffPending) return;
    handoffSentAt = systemClock.now();
    engine.sendHandoff();
  };
  let readinessTimer: NodeJS.Timeout | null = null;
  let readinessDeadlineMs = 0;
  let waitingSince = 0;

  const listeners = new Set<(event: SrpEvent) => void>();
  const publish = (event: SrpEvent): void => {
    for (const l of [...listeners]) {
      try {
        l(event);
      } catch (err) {
        log.error({ err }, 'event listener threw');
      }
    }
  };

  unsubscribe.push(
    engine.onEvent((e) => {
      const { at, ...rest } = e;
      publish({ ...rest, at: new Date(toWallMs(at)).toISOString() });
      if (e.type === 'checkpoint-standby-ready') {
        log.info({ sessions: e.sessions }, 'standby ready: bulk sync applied');
        stopReadinessWatch();
        host?.refreshReadiness();
      } else if (e.type === 'checkpoint-nack-sent' || e.type === 'checkpoint-nack-received') {
        log.warn({ kind: e.kind, commandId: e.commandId, cause: e.cause }, e.type === 'checkpoint-nack-sent' ? 'NACK sent' : 'NACK received');
      } else if (e.type === 'checkpoint-call-loss') {
        log.info({ expected: e.expected, recovered: e.recovered, cause: e.cause }, 'call loss recorded');
      }
    }),
  );

  const state = (): ChassisStateName | null => host?.state ?? null;

  /** Active with a Standby peer on an up link: start the bulk sync once per peer boot. */
  const maybeJoin = (): void => {
    if (!linkUp || state() !== 'Active' || engine.role !== 'active') return;
    if (peerState !== WIRE_STANDBY || peerBoot === null || joinedBoot === peerBoot) return;
    joinedBoot = peerBoot;
    log.info({ peerSessions, sessions: engine.store.size }, 'standby peer joined: bulk sync');
    engine.peerJoined();
  };

  // ---- Standby readiness watchdog (scales with the table, no fixed limit) -------------------

  function stopReadinessWatch(): void {
    if (readinessTimer) clearTimeout(readinessTimer);
    readinessTimer = null;
    readinessDeadlineMs = 0;
  }

  function armReadinessWatch(): void {
    if (state() !== 'Standby' || !linkUp || engine.standbyReady) {
      stopReadinessWatch();
      return;
    }
    const limit = Math.round(readinessBaseMs + readinessPerSessionMs * peerSessions);
    if (readinessTimer && limit === readinessDeadlineMs) return;
    if (!readinessTimer) waitingSince = systemClock.now();
    if (readinessTimer) clearTimeout(readinessTimer);
    readinessDeadlineMs = limit;
    const left = Math.max(0, waitingSince + limit - systemClock.now());
    readinessTimer = setTimeout(() => {
      readinessTimer = null;
      if (state() !== 'Standby' || !linkUp || engine.standbyReady) return;
      const cause = `not ready ${Math.round((systemClock.now() - waitingSince) / 1000)} s after the link came up (limit ${limit} ms for ${peerSessions} sessions): asking for a new bulk sync`;
      log.warn({ limitMs: limit, peerSessions }, cause);
      publish({ type: 'checkpoint-readiness-timeout', at: new Date().toISOString(), limitMs: limit, sessions: peerSessions, cause });
      transport.send({ kind: 'nack', body: { kind: NackKind.Macro, commandId: 0, sessionId: '', reason: 'standby readiness timeout', sequence: 0 } });
      waitingSince = systemClock.now();
      armReadinessWatch();
    }, left);
    readinessTimer.unref();
  }

  // ---- seams -------------------------------------------------------------------------------

  const seams: ReplicationSeams = {
    sessions: { sessionCount: () => engine.store.size, eligibleCount: () => engine.store.eligibleCount },
    readiness: (ctx) => ctx.state === 'Standby' && engine.standbyReady,
    beforeActive: async ({ reason }) => {
      stopReadinessWatch();
      const r = await engine.becomeActive({ cause: reason });
      log.info(
        { reason, recovered: r.recovered, durationMs: r.durationMs, callLoss: r.callLoss },
        `checkpoint table active: ${r.recovered} sessions recovered in ${r.durationMs} ms`,
      );
    },
    criticalFlush: async () => {
      const started = systemClock.now();
      await engine.flush();
      const s = engine.statistics();
      log.info({ ms: systemClock.now() - started, batches: s.micro.batchesSent }, 'critical flush acknowledged by the standby');
      return { flushedUpTo: s.micro.batchesSent };
    },
    onLinkSwitched: () => {
      // What the Active sent on the replaced connection may be lost: the start of a bulk sync
      // (the Standby then NACKed chunks of a snapshot it never saw begin, and the whole macro
      // went again), or micro batches (a later batch's ack would have covered them). Start the
      // stream over, as after a link bounce: a new bulk sync at once. Only the Active acts: it
      // sends only on its current connection, so when its connection did not change, nothing
      // of the stream was lost, whatever the Standby's side saw.
      if (!linkUp || engine.role !== 'active') return;
      log.info({ peerSessions, sessions: engine.store.size }, 'SRP connection replaced: checkpoint stream starts over');
      joinedBoot = null;
      engine.linkDown();
      engine.setCodec(host?.info().compression ?? null);
      maybeJoin();
    },
    onPeerMessage: (msg: SrpMessage) => {
      if (isCheckpointMessage(msg)) engine.handle(msg);
      else log.debug({ kind: msg.kind }, 'message without a consumer');
    },
    onPeerHello: (h: Hello) => {
      peerSessions = h.sessionCount;
      engine.peerHello({ sessionCount: h.sessionCount, eligibleCount: h.eligibleCount });
      if (peerBoot !== null && h.bootId !== peerBoot) {
        // The peer restarted behind a link that never looked down: start over with it.
        joinedBoot = null;
      }
      peerBoot = h.bootId;
      peerState = h.state;
      // A hand-over not acknowledged yet goes again while the peer is Active (it may have been
      // dropped on a connection that closed).
      if (h.state === ChassisState.CHASSIS_STATE_ACTIVE && engine.handoffPending && systemClock.now() - handoffSentAt > 2000) sendHandoff();
      maybeJoin();
      if (state() === 'Standby') armReadinessWatch();
    },
    onStateChange: ({ from, to, reason }) => {
      if (to === 'Standby') {
        engine.becomeStandby();
        joinedBoot = null;
        armReadinessWatch();
      } else {
        stopReadinessWatch();
      }
      if (to === 'Active' && engine.role !== 'active') {
        // beforeActive normally did this; a path to Active without it still needs the table.
        engine.becomeActive({ cause: reason ?? `${from} -> ${to}` }).then(maybeJoin, (err: unknown) => log.error({ err }, 'becomeActive failed'));
      }
      maybeJoin();
    },
    onFence: (fenced, cause) => {
      engine.setWriteGate(fenced ? cause : null);
    },
    onSplitHandoff: (cause) => {
      const h = engine.captureHandoff(host?.info().epoch ?? 0);
      log.warn({ cause, sessions: h?.sessions.length ?? 0, deletes: h?.deletes.length ?? 0 }, 'stepping down for the peer: handing over what was acknowledged while apart');
      sendHandoff();
    },
    onEncoded: (kind, before, after) => {
      if (CHECKPOINT_MESSAGE_KINDS.has(kind)) engine.recordCompression(before, after);
    },
  };

  const sessionHost: SessionApiHost = {
    get state() {
      return host?.state ?? 'Init';
    },
    info: () => {
      if (!host) throw new Error('replication plane not attached');
      return host.info();
    },
  };

  const routes: Route[] = [
    ...sessionRoutes(engine, sessionHost),
    ...checkpointRoutes({ engine, host: sessionHost, window, transportDropped: () => transport.dropped, probes: transport.probes }),
  ];

  return {
    engine,
    transport,
    seams,
    routes,
    commands: REPLICATION_COMMANDS,
    attach(h) {
      if (host) throw new Error('replication plane already attached');
      host = h;
      transport.bind(h);
      metrics = registerReplicationMetrics(engine, h.registry);
      unsubscribe.push(
        h.onEvent((e) => {
          if (e.type !== 'link') return;
          if (e.status === 'up') {
            linkUp = true;
            engine.setCodec(h.info().compression);
            log.info({ codec: h.info().compression }, 'checkpoint link up');
            sendHandoff();
            maybeJoin();
            armReadinessWatch();
          } else if (e.status === 'down') {
            linkUp = false;
            joinedBoot = null;
            peerState = null;
            stopReadinessWatch();
            engine.linkDown();
            h.refreshReadiness();
          }
        }),
      );
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    readinessTimeoutMs: () => readinessDeadlineMs,
    dispose() {
      stopReadinessWatch();
      for (const u of unsubscribe.splice(0)) u();
      transport.unbind();
      window.dispose();
      engine.close();
    },
  };
}

// Joins the daemon's event stream with more sources for the management server (kept here for
// importers of the replication entry point; it lives in management/event-sources.ts).
export { withEventSources } from '../management/event-sources.js';
