// The runner's effect interpreter: what each effect the state machine returns does (timers,
// switchover messages, the session service's flush and takeover, results, logs and events).
// The runner (daemon.ts) calls it for every effect, in order, inside one dispatch.
import type { Logger } from 'pino';
import type { SrpEvent } from '../api/contract.js';
import type { Effect, FsmEvent } from '../fsm/chassis.js';
import type { TimerTable } from '../fsm/timers.js';
import type { MessagePort } from '../link/port.js';
import type { LivenessBridge } from './liveness-bridge.js';
import type { ChassisListener, SessionService } from './parts.js';
import type { SwitchoverRequests } from './switchover-requests.js';
import type { WriteGate } from './write-gate.js';

export type TransitionEffect = Extract<Effect, { type: 'transition' }>;

/** What the effects act on: the runner's parts and the runner's own reactions. */
export interface EffectHost {
  readonly log: Logger;
  readonly timers: TimerTable;
  readonly link: Pick<MessagePort, 'send'>;
  readonly sessions: SessionService;
  readonly gate: WriteGate;
  readonly liveness: LivenessBridge;
  readonly switchovers: SwitchoverRequests;
  dispatch(event: FsmEvent): void;
  emit(event: SrpEvent): void;
  /** The state changed: tell the gate, the reporter and the listeners. */
  transitioned(e: TransitionEffect): void;
  /** Hands the liveness channel what our Hellos say; `now` sends one at once. */
  pushStatus(now: boolean): void;
  /** Tells every chassis listener (one that throws is logged). */
  tell(what: string, fn: (l: ChassisListener) => void): void;
}

export function performEffect(e: Effect, h: EffectHost): void {
  switch (e.type) {
    case 'transition':
      h.transitioned(e);
      break;
    case 'arm-timer':
      h.timers.arm(e.timer, e.delayMs);
      break;
    case 'cancel-timer':
      h.timers.cancel(e.timer);
      break;
    case 'send-hello':
      // The status first (the channel's next Hello says what changed), then a Hello now.
      h.pushStatus(true);
      break;
    case 'send-switchover-request':
      h.gate.handingOver();
      void h.link.send({
        kind: 'switchoverRequest',
        body: { requestId: e.requestId, force: e.force, reason: e.reason, flushedUpTo: e.flushedUpTo },
      });
      break;
    case 'send-switchover-response':
      void h.link.send({
        kind: 'switchoverResponse',
        body: { requestId: e.requestId, accepted: e.accepted, refusalReasons: e.reasons },
      });
      break;
    case 'critical-flush': {
      const requestId = e.requestId;
      h.sessions.criticalFlush().then(
        (r) => h.dispatch({ type: 'flush-done', requestId, flushedUpTo: r.flushedUpTo }),
        (err: unknown) => h.dispatch({ type: 'flush-failed', requestId, error: String(err) }),
      );
      break;
    }
    case 'before-active':
      h.gate.whenLeaseHeld(() => {
        h.sessions
          .beforeActive({ reason: e.reason, flushedUpTo: e.flushedUpTo })
          .catch((err: unknown) => {
            // We must serve anyway: the peer is gone or has handed over.
            h.log.error({ err }, 'beforeActive failed; becoming Active with what was applied');
          })
          .finally(() => h.dispatch({ type: 'before-active-done' }));
      });
      break;
    case 'switchover-result':
      h.switchovers.settle(e.requestId, { accepted: e.accepted, reasons: e.reasons });
      h.log.info({ requestId: e.requestId, accepted: e.accepted, reasons: e.reasons }, 'manual switchover request');
      break;
    case 'peer-lost':
      h.log.warn({ cause: e.cause }, 'peer lost');
      h.emit({ type: 'peer-lost', at: new Date().toISOString(), cause: e.cause });
      h.tell('peerLost', (l) => l.peerLost?.(e.cause));
      break;
    case 'fence':
      if (e.fenced) h.liveness.counts.fences++;
      h.log[e.fenced ? 'warn' : 'info']({ fenced: e.fenced, cause: e.cause }, e.fenced ? `fenced: writes refused until the peer is heard (${e.cause})` : `unfenced: ${e.cause}`);
      h.emit({ type: 'fence', at: new Date().toISOString(), fenced: e.fenced, cause: e.cause });
      break;
    case 'split-handoff':
      h.tell('splitHandoff', (l) => l.splitHandoff?.(e.cause));
      break;
    case 'log':
      h.log[e.level](e.msg);
      break;
    case 'refused':
      h.log.debug({ event: e.event, reason: e.reason }, 'event refused in this state');
      break;
  }
}
