// The checkpoint engine inside srpd: builds the CheckpointEngine over the SRP link's message port
// and offers the daemon what it needs from it:
//   - the session service the runner is composed with (runtime/parts.ts): session counts for the
//     Hello, Standby readiness, beforeActive (apply everything, then take over), criticalFlush
//     (planned switchover), and a listener of the runner's decisions (state changes, peer Hellos,
//     the write gate, a split-brain hand-over);
//   - management routes (session API, show commands, debug hooks) and srpctl commands;
//   - `srp_checkpoint_*` metrics on the daemon's registry and checkpoint events on its stream.
// The checkpoint messages never pass through the runner: `attach` binds the plane to the link's
// message port (its message kinds, the link's state, encoded byte counts).
import { systemClock, toWallMs } from '@srp-ha/common';
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
import type { SrpEvent } from '../api/contract.js';
import type { PeerView } from '../fsm/types.js';
import type { LinkState, MessageKind, MessagePort } from '../link/port.js';
import type { CommandSpec } from '../management/commands.js';
import type { Route } from '../management/router.js';
import type { ChassisListener, SessionService } from '../runtime/parts.js';
import { Listeners } from '../util/listeners.js';
import { REPLICATION_COMMANDS } from './commands.js';
import { registerReplicationMetrics, type ReplicationMetrics } from './metrics.js';
import { checkpointRoutes } from './routes.js';
import { sessionRoutes, type SessionApiHost } from './sessions.js';
import { LinkTransport } from './transport.js';
import { MeasurementWindow } from './window.js';

/**
 * A hand-over not acknowledged yet goes again this long after the last send, while the peer is
 * Active (it may have gone on a connection that was replaced, or reached a chassis not Active yet).
 */
const HANDOFF_RESEND_MS = 1000;

/** What the plane needs from the daemon once it exists (SrpDaemon has all of it). */
export interface ReplicationHost extends SessionApiHost {
  readonly registry: Registry;
  /** The SRP link's message port: the checkpoint messages, the link's state. */
  readonly port: MessagePort;
  /** The runner's one record of the peer. */
  readonly peer: Readonly<PeerView> | null;
  refreshReadiness(): void;
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

export interface ReplicationPlane {
  readonly engine: CheckpointEngine;
  readonly transport: LinkTransport;
  /** The session service the runner is composed with. */
  readonly sessions: SessionService;
  /** Told of the runner's decisions; srpd gives it to the runner with the other listeners. */
  readonly listener: ChassisListener;
  readonly routes: Route[];
  readonly commands: CommandSpec[];
  /** Binds the plane to the daemon: its link's message port, metrics. Call once, before daemon.start(). */
  attach(host: ReplicationHost): void;
  /** checkpoint-* events (macro, NACK, audit, readiness, call loss) for the event stream. */
  onEvent(listener: (event: SrpEvent) => void): () => void;
  /** Standby: the current readiness deadline in ms (0 when not waiting). */
  readinessTimeoutMs(): number;
  dispose(): void;
}

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
  const linkUp = (): boolean => host?.port.up ?? false;
  const peerSessions = (): number => host?.peer?.sessions ?? 0;
  /** The peer boot the current bulk sync was started for (Active side); null: none. */
  let joinedBoot: string | null = null;
  /** The last peer boot a bulk sync was started for, kept across link bounces (see maybeJoin). */
  let streamedBoot: string | null = null;
  /** A peer Hello arrived since the link last came up (see maybeJoin). */
  let heardSinceLinkUp = false;
  let handoffSentAt = 0;
  /** The last send went to a peer that said it was Active: a resend would only repeat it. */
  let handoffSentToActive = false;
  const sendHandoff = (toActive = false): void => {
    if (!linkUp() || !engine.handoffPending) return;
    handoffSentAt = systemClock.now();
    handoffSentToActive = toActive;
    log.info('sending our hand-over of what we acknowledged while apart');
    engine.sendHandoff();
  };
  let readinessTimer: NodeJS.Timeout | null = null;
  let readinessDeadlineMs = 0;
  let waitingSince = 0;

  const listeners = new Listeners<SrpEvent>((err) => log.error({ err }, 'event listener threw'));
  const publish = (event: SrpEvent): void => listeners.emit(event);

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
      } else if (e.type === 'split-handoff-sent' || e.type === 'split-handoff-applied' || e.type === 'split-handoff-acked') {
        const { type, cause, ...fields } = rest as typeof rest & { cause: string; conflictIds?: string[] };
        delete fields.conflictIds;
        log.info({ event: type, ...fields }, cause);
        // A Standby is not ready while its hand-over waits to be applied.
        if (e.type === 'split-handoff-acked') host?.refreshReadiness();
      } else if (e.type === 'checkpoint-call-loss') {
        log.info({ expected: e.expected, recovered: e.recovered, cause: e.cause }, 'call loss recorded');
      }
    }),
  );

  const state = (): string | null => host?.state ?? null;

  /** Active with a Standby peer on an up link: start the bulk sync once per peer boot. */
  const maybeJoin = (): void => {
    if (!linkUp() || state() !== 'Active' || engine.role !== 'active') return;
    const p = host?.peer;
    if (!p?.alive || p.state !== 'Standby' || joinedBoot === p.bootId) return;
    // A Standby restarted within the dead interval connects before its old boot is judged
    // dead: until a Hello comes, the peer we know is the old boot (its table, its boot id),
    // and a bulk sync started for it was restarted by the new boot's first Hello (and not as
    // for an empty Standby). Wait for that Hello. (A connection that outlived a chassis reset
    // of the peer has the old boot id while the Hellos have the new: those keep coming.)
    const linkBoot = host?.port.peerBootId ?? null;
    if (linkBoot !== null && String(linkBoot) !== p.bootId && !heardSinceLinkUp) return;
    joinedBoot = p.bootId;
    // Empty as its Hellos say, and never streamed to in this boot (a Hello from before a
    // stream that a link bounce cut short could still say 0).
    const peerEmpty = p.sessions === 0 && streamedBoot !== p.bootId;
    streamedBoot = p.bootId;
    log.info({ peerSessions: p.sessions, sessions: engine.size, peerEmpty }, 'standby peer joined: bulk sync');
    engine.peerJoined({ peerEmpty });
  };

  // ---- Standby readiness watchdog (scales with the table, no fixed limit) -------------------

  function stopReadinessWatch(): void {
    if (readinessTimer) clearTimeout(readinessTimer);
    readinessTimer = null;
    readinessDeadlineMs = 0;
  }

  function armReadinessWatch(): void {
    if (state() !== 'Standby' || !linkUp() || engine.standbyReady) {
      stopReadinessWatch();
      return;
    }
    const limit = Math.round(readinessBaseMs + readinessPerSessionMs * peerSessions());
    if (readinessTimer && limit === readinessDeadlineMs) return;
    if (!readinessTimer) waitingSince = systemClock.now();
    if (readinessTimer) clearTimeout(readinessTimer);
    readinessDeadlineMs = limit;
    const left = Math.max(0, waitingSince + limit - systemClock.now());
    readinessTimer = setTimeout(() => {
      readinessTimer = null;
      if (state() !== 'Standby' || !linkUp() || engine.standbyReady) return;
      const sessions = peerSessions();
      const cause = `not ready ${Math.round((systemClock.now() - waitingSince) / 1000)} s after the link came up (limit ${limit} ms for ${sessions} sessions): asking for a new bulk sync`;
      log.warn({ limitMs: limit, peerSessions: sessions }, cause);
      publish({ type: 'checkpoint-readiness-timeout', at: new Date().toISOString(), limitMs: limit, sessions, cause });
      transport.send({ kind: 'nack', body: { kind: NackKind.Macro, commandId: 0, sessionId: '', reason: 'standby readiness timeout', sequence: 0 } });
      waitingSince = systemClock.now();
      armReadinessWatch();
    }, left);
    readinessTimer.unref();
  }

  // ---- the session service and the listener the runner is composed with -------------------

  const sessions: SessionService = {
    sessionCount: () => engine.size,
    eligibleCount: () => engine.eligibleCount,
    // Not while our hand-over waits: the Active lacks writes we acknowledged while apart.
    ready: (ctx) => ctx.state === 'Standby' && engine.standbyReady && !engine.handoffPending,
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
  };

  const listener: ChassisListener = {
    peerHello: (p) => {
      heardSinceLinkUp = true;
      engine.peerHello({ sessionCount: p.sessions, eligibleCount: p.eligible, standbyReady: p.state === 'Standby' && p.standbyReady });
      // A peer that is no longer Standby (it took over, or is taking over) no longer holds our
      // table when it is Standby again: that return is a join, even on the same connection.
      if (p.state !== 'Standby') joinedBoot = null;
      // A hand-over not acknowledged yet goes again once the peer is Active, when the last send
      // may have reached a chassis not Active yet; a new connection sends it again too (link
      // up). Not again and again to an Active peer on the same connection: a hand-over of a
      // whole table (a step-down during a bulk sync) took 10 s to send, and a resend every
      // second while the peer worked through it queued copies until srpd ran out of memory.
      if (p.state === 'Active' && engine.handoffPending && !handoffSentToActive && systemClock.now() - handoffSentAt > HANDOFF_RESEND_MS) sendHandoff(true);
      maybeJoin();
      if (state() === 'Standby') armReadinessWatch();
    },
    stateChanged: ({ from, to, reason }) => {
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
    peerLost: () => {
      // Writes from now on may never reach the peer: journal them for a split hand-over.
      engine.peerLost();
      // And the peer, when heard again as Standby, gets a new bulk sync: it may have taken over
      // meanwhile (a cut that the TCP connection outlived: no link down, no link up to start one).
      joinedBoot = null;
    },
    writeGate: (refused) => {
      engine.setWriteGate(refused);
    },
    splitHandoff: (cause) => {
      const captured = engine.captureHandoff(host?.info().epoch ?? 0);
      log.warn({ cause }, 'stepping down for the peer: handing over what was acknowledged while apart');
      captured.then(
        (h) => {
          log.info({ sessions: h?.sessions.length ?? 0, deletes: h?.deletes.length ?? 0 }, h ? 'hand-over captured' : 'nothing to hand over');
          sendHandoff();
        },
        (err: unknown) => log.error({ err }, 'capturing the hand-over failed'),
      );
    },
  };

  /** The link's state, from its message port. */
  const onLinkState = (s: LinkState, port: MessagePort): void => {
    if (s.type === 'up') {
      heardSinceLinkUp = false;
      engine.setCodec(port.compression);
      log.info({ codec: port.compression }, 'checkpoint link up');
      sendHandoff();
      maybeJoin();
      armReadinessWatch();
    } else if (s.type === 'down') {
      joinedBoot = null;
      stopReadinessWatch();
      engine.linkDown();
      host?.refreshReadiness();
    } else if (s.type === 'switched') {
      // A hand-over sent on the replaced connection may be lost with it: again, first thing.
      sendHandoff();
      // What the Active sent on the replaced connection may be lost: the start of a bulk sync
      // (the Standby then NACKed chunks of a snapshot it never saw begin, and the whole macro
      // went again), or micro batches (a later batch's ack would have covered them). Start the
      // stream over, as after a link bounce: a new bulk sync at once. Only the Active acts: it
      // sends only on its current connection, so when its connection did not change, nothing
      // of the stream was lost, whatever the Standby's side saw.
      if (!port.up || engine.role !== 'active') return;
      log.info({ peerSessions: peerSessions(), sessions: engine.size }, 'SRP connection replaced: checkpoint stream starts over');
      joinedBoot = null;
      engine.linkDown();
      engine.setCodec(port.compression);
      maybeJoin();
    }
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
    ...sessionRoutes(engine, sessionHost, (seconds) => metrics?.writeAckWait(seconds)),
    ...checkpointRoutes({ engine, host: sessionHost, window, transportDropped: () => transport.dropped, probes: transport.probes }),
  ];

  return {
    engine,
    transport,
    sessions,
    listener,
    routes,
    commands: REPLICATION_COMMANDS,
    attach(h) {
      if (host) throw new Error('replication plane already attached');
      host = h;
      const port = h.port;
      transport.bind(port);
      metrics = registerReplicationMetrics(engine, h.registry);
      unsubscribe.push(
        port.onMessage([...CHECKPOINT_MESSAGE_KINDS] as MessageKind[], (msg) => {
          if (isCheckpointMessage(msg)) engine.handle(msg);
        }),
        port.onState((s) => onLinkState(s, port)),
        port.onEncoded((kind, before, after) => {
          if (CHECKPOINT_MESSAGE_KINDS.has(kind)) engine.recordCompression(before, after);
        }),
      );
    },
    onEvent(listener) {
      return listeners.add(listener);
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
