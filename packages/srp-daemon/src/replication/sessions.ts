// The session API of the management port (for applications and tests):
//   POST /v1/sessions          { ops: [ {op:"upsert", id, class?, attrs?, counters?, lifetimeMs?},
//                                       {op:"delete", id} ], versions?: true,
//                                ack?: "applied"|"replicated" }
//                              up to MAX_OPS per call, Active only
//                              -> { ops, created, updated, deleted, count, receivedAtMonotonicMs }
//                              (when the call reached the API: CLOCK_MONOTONIC ms, as the probe
//                              log's); with `versions: true` also each op's resulting session
//                              version (null: delete) and `createdOps`, the indexes of the
//                              upserts that made a session; with ack "replicated" (or the
//                              config's checkpoint.write-ack) the answer waits for the Standby's
//                              acknowledgement and says `replicated` and `replication` (why not)
//   POST /v1/sessions/lookup   { ids: [...] } -> { sessions: [ {id, version, attrs, counters} | null ] }
//   GET  /v1/sessions/summary  { count, eligible, digest } (the audit's digest: equal = equal tables)
//   GET  /v1/sessions/:id      one session (counters as decimal strings)
// A call is validated as a whole before anything is applied: one bad op rejects the call with
// the index and reason of every bad op (400). Writes on a non-Active answer 409 with the
// Active's address; reads work on both sides. A call is worked in slices of a few ms with the
// event loop's turns between them (write calls never interleave; a read may see part of a call
// applied). A chassis that stops being Active (or is fenced) during a call stops applying it
// and answers 409 (503) with how many of its ops were applied: the call is not acknowledged.
import { systemClock, toWallMs } from '@srp-ha/common';
import type { CheckpointEngine, ReplicationOutcome, SessionView } from '@srp-ha/checkpoint';
import { HttpError, Reply, type Route } from '../management/router.js';
import { Application } from './apply-ops.js';
import { CallTurns, Slicer } from './call-turns.js';
import { monotonicMs } from './probes.js';
import { fencedReply, notActiveReply, type SessionApiHost } from './replies.js';
import { lookupRoute } from './session-lookup.js';
import { validateOpsInSlices } from './validate-ops.js';

export type { SessionApiHost } from './replies.js';

const MAX_REPORTED_ERRORS = 100;

/** A session as JSON (bigint counters as decimal strings). */
export function sessionJson(v: SessionView): Record<string, unknown> {
  const counters: Record<string, string> = {};
  for (const [k, n] of Object.entries(v.counters)) counters[k] = n.toString();
  return {
    id: v.id,
    class: v.class,
    createdAt: new Date(toWallMs(v.createdAt)).toISOString(),
    lifetimeMs: v.lifetimeMs,
    expiresAt: new Date(toWallMs(v.expiresAt)).toISOString(),
    expiresInMs: Math.round(v.expiresAt - systemClock.now()),
    attrs: v.attrs,
    counters,
    version: v.version,
    eligible: v.eligible,
  };
}

/** `onWriteAck`: each replicated acknowledgement's wait (the metrics' histogram; the engine counts outcomes). */
export function sessionRoutes(engine: CheckpointEngine, host: SessionApiHost, onWriteAck?: (seconds: number) => void): Route[] {
  const turns = new CallTurns();
  /** Why a write call may not go on now (not Active, or fenced), after `applied` of its `total` ops; null: it may. */
  const refusal = (applied: number, total: number): Reply | null => {
    const partial = { applied, total };
    if (host.state !== 'Active' || engine.role !== 'active') return notActiveReply(host, 'writing sessions', partial);
    if (engine.fenced !== null) return fencedReply(host, engine.fenced, partial);
    return null;
  };
  return [
    {
      method: 'POST',
      path: '/v1/sessions',
      handler: async ({ body }) => {
        // When the call reached the API (its body read): the start of its replication lag.
        const receivedAtMonotonicMs = monotonicMs();
        const done = await turns.run(async (): Promise<Reply | { answer: Record<string, unknown>; wait: Promise<ReplicationOutcome> | null }> => {
          // Role, then validation of the whole call, then apply, in slices of a few ms (see
          // call-turns.ts); the role is checked again after every pause.
          const refused = refusal(0, 0);
          if (refused) return refused;
          const slicer = new Slicer();
          const { ops, errors, sessions, versions, ack } = await validateOpsInSlices(engine, body, slicer);
          if (errors.length > 0) {
            return Reply.json(400, {
              error: `${errors.length} bad op${errors.length === 1 ? '' : 's'}, nothing applied; first: op ${errors[0].index}: ${errors[0].reason}`,
              errors: errors.slice(0, MAX_REPORTED_ERRORS),
            });
          }
          const out: Array<number | null> | undefined = versions ? [] : undefined;
          const made: number[] | undefined = versions ? [] : undefined;
          const apply = new Application(engine, ops, sessions, out, made);
          if (slicer.paused) apply.paused();
          let step: Reply | null = slicer.paused ? refusal(0, ops.length) : null;
          while (step === null && !apply.run(slicer.due)) {
            // What is applied goes to the Standby now, not after the whole call.
            engine.sendPending();
            await slicer.pause();
            apply.paused();
            step = refusal(apply.applied, ops.length);
          }
          if (step) return step;
          // The call is a batch already: its changes go now, not after the batch delay (which
          // could otherwise end only after the next call's whole turn).
          engine.sendPending();
          const answer = { ops: ops.length, ...apply.counts, count: engine.size, receivedAtMonotonicMs, ...(out ? { versions: out, createdOps: made } : {}) };
          // Asked now, in the call's turn: the wait covers this call's changes and those before
          // it, and it runs outside the turn, so the next call is not held behind it.
          return { answer, wait: (ack ?? engine.config.writeAck) === 'replicated' ? engine.whenReplicated() : null };
        });
        if (done instanceof Reply) return done;
        if (!done.wait) return done.answer;
        const waitFrom = monotonicMs();
        const outcome = await done.wait;
        const waitedMs = monotonicMs() - waitFrom;
        onWriteAck?.(waitedMs / 1000);
        return { ...done.answer, ack: 'replicated', replicated: outcome === 'replicated', replication: outcome, replicationWaitMs: Math.round(waitedMs * 10) / 10 };
      },
    },
    lookupRoute(engine),
    {
      method: 'GET',
      path: '/v1/sessions/summary',
      handler: async () => ({ ...(await engine.contentSummary()), role: engine.role, state: host.state }),
    },
    {
      method: 'GET',
      path: '/v1/sessions/:id',
      handler: ({ params }) => {
        const v = engine.get(params.id ?? '');
        if (!v) throw new HttpError(404, `no session ${JSON.stringify(params.id)}`);
        return sessionJson(v);
      },
    },
  ];
}
