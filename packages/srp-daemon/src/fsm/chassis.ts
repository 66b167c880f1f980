// The chassis state machine as a pure function: step(state, event, now) -> { state, effects }.
// It never reads a clock, a socket or a timer; the runner (runtime/daemon.ts) performs the
// effects and feeds back the events. Whether the peer is alive is not judged here: the liveness
// worker judges it apart from session work and reports `peer-dead`, `stalled` and `peer-deaf`.
import { SERVICE_SWITCHOVER_REASONS, type SwitchoverReason } from '../api/contract.js';
import { onHello } from './on-hello.js';
import { adoptPeerEpoch, checkSwitchover, Step } from './step.js';
import type { FsmEvent, FsmState, StepResult, TimerName } from './types.js';

export * from './types.js';
export { checkSwitchover, candidateOf, peerCandidate, type SwitchoverCheck } from './step.js';

/** Applies one event. Pure: `state` is not modified. */
export function step(state: FsmState, event: FsmEvent, now: number): StepResult {
  const s: FsmState = {
    ...state,
    deadlines: { ...state.deadlines },
    peer: state.peer ? { ...state.peer } : null,
    switchover: state.switchover ? { ...state.switchover } : null,
    fenced: state.fenced ? { ...state.fenced } : null,
  };
  const t = new Step(s, event, now);
  switch (event.type) {
    case 'start':
      if (s.started) t.refuse('already started');
      else {
        s.started = true;
        // delay-interval postpones the first decision; the start-up hold gives a peer that is
        // alive the time to be heard before this (empty) chassis may claim Active.
        t.arm('startup', t.cfg.delayIntervalMs + t.cfg.startupHoldMs);
        t.effects.push({ type: 'send-hello' });
      }
      break;
    case 'hello':
      if (!s.started) t.refuse('not started');
      else onHello(t, event.hello);
      break;
    case 'peer-dead':
      onPeerDead(t, event.silentMs);
      break;
    case 'stalled':
      if (s.name === 'Active' || s.name === 'Pending-Active') {
        t.fence(`this chassis was stalled for ${event.ms} ms (${event.cause}): the peer may have taken over`);
        // A peer already judged dead gets no new verdict: one that started meanwhile and took
        // over is heard within a dead interval, else this chassis serves alone again.
        if (s.name === 'Active' && !s.peer?.alive) t.arm('fence-listen', t.cfg.deadIntervalMs);
      }
      break;
    case 'peer-deaf':
      s.peerDeaf = event.deaf;
      if (event.deaf && s.name === 'Active') t.fence(`the peer no longer hears us (${event.cause}): it may take over`);
      else if (!event.deaf && s.peer?.alive && s.peer.state !== 'Active' && s.peer.state !== 'Pending-Active') t.unfence('the peer hears us again');
      break;
    case 'timer':
      onTimer(t, event.timer);
      break;
    case 'goodbye':
      if (!s.started) t.refuse('not started');
      else onGoodbye(t, event.reason, event.takeoverNow);
      break;
    case 'link-up':
      s.linkUp = true;
      break;
    case 'link-down':
      // The TCP link carries checkpoints, not liveness: only the liveness worker judges the peer.
      s.linkUp = false;
      break;
    case 'cf-mac':
      if (event.cfMac.length !== 6) t.refuse(`a CF MAC has 6 octets, got ${event.cfMac.length}`);
      else {
        s.cfMac = Uint8Array.from(event.cfMac);
        t.effects.push({ type: 'send-hello' });
      }
      break;
    case 'readiness':
      if (s.localReady !== event.ready) t.effects.push({ type: 'send-hello' }); // tell the peer now
      s.localReady = event.ready;
      // A finished bulk sync makes the table complete: a chassis that took over with part of it
      // (and stepped down since) no longer says its table is partial.
      if (event.ready) {
        s.synced = true;
        s.partialTable = false;
      }
      if (!event.ready) s.preemptRequested = false;
      adoptPeerEpoch(s);
      t.maybePreempt();
      break;
    case 'table':
      s.eligible = event.eligible;
      break;
    case 'witness':
      if (s.witness) s.witness = { held: event.held, reachable: event.reachable, holder: event.holder };
      else t.refuse('no witness is configured');
      break;
    case 'service-health': {
      const priority = Math.min(255, Math.max(1, Math.round(event.priority)));
      if (priority !== s.effectivePriority) t.effects.push({ type: 'send-hello' }); // tell the peer now
      s.effectivePriority = priority;
      s.preemptAllowed = event.preemptAllowed;
      t.maybePreempt();
      break;
    }
    default:
      onSwitchoverEvent(t);
  }
  return { state: s, effects: t.effects };
}

function onPeerDead(t: Step, silentMs: number): void {
  const s = t.s;
  const dead = t.cfg.deadIntervalMs;
  const lastHelloAt = s.peer?.lastHelloAt;
  if (s.peer) s.peer.alive = false;
  const cause = `no Hello from ${s.peer?.chassisId ?? 'peer'} for ${silentMs} ms (dead-interval ${dead} ms)`;
  switch (s.name) {
    case 'Standby':
      t.takeOver('peer-dead', cause, null, lastHelloAt ?? t.now - silentMs);
      break;
    case 'Pending-Standby':
      t.go('Active', null, `peer lost during switchover (${cause}); resuming`);
      break;
    case 'Active':
      t.effects.push({ type: 'peer-lost', cause });
      t.unfence('the peer is silent: this chassis serves alone');
      break;
    default:
      break; // Init waits for its start-up timer; Pending-Active is taking over already
  }
}

function onTimer(t: Step, timer: TimerName): void {
  const s = t.s;
  const deadline = s.deadlines[timer];
  if (deadline === null) {
    t.log('debug', `stale ${timer} timer ignored`);
    return;
  }
  if (t.now < deadline) {
    // Real timers may fire a fraction of a millisecond early against a monotonic clock:
    // wait out the rest rather than lose the timer.
    t.effects.push({ type: 'arm-timer', timer, delayMs: Math.max(1, Math.ceil(deadline - t.now)) });
    return;
  }
  s.deadlines[timer] = null;
  if (timer === 'switchover') {
    if (s.name === 'Pending-Standby') t.go('Active', null, 'switchover timed out: the peer did not take over; resuming');
    return;
  }
  if (timer === 'fence-listen') {
    if (s.name === 'Active' && !s.peer?.alive) t.unfence(`no peer heard within ${t.cfg.deadIntervalMs} ms of the stall: this chassis serves alone`);
    return;
  }
  if (s.name !== 'Init') return;
  const hold = t.cfg.delayIntervalMs + t.cfg.startupHoldMs;
  const p = s.peer;
  if (p?.alive && (p.state === 'Active' || p.state === 'Pending-Active')) return; // Standby already
  t.takeOver(
    'no-peer-at-start',
    p?.alive ? `peer ${p.chassisId} is ${p.state} and did not take over within ${hold} ms of start` : `no peer within ${hold} ms of start`,
    null,
  );
}

function onGoodbye(t: Step, reason: string, takeoverNow: boolean): void {
  const s = t.s;
  if (s.peer) s.peer.alive = false;
  const cause = `peer said goodbye (${reason || 'no reason'})`;
  switch (s.name) {
    case 'Standby':
      t.takeOver('peer-goodbye', cause, null);
      break;
    case 'Init':
      if (takeoverNow) t.takeOver('peer-goodbye', cause, null);
      break;
    case 'Pending-Standby':
      t.go('Active', null, `${cause} during switchover; resuming`);
      break;
    default:
      t.effects.push({ type: 'peer-lost', cause });
      t.unfence('the peer stopped: this chassis serves alone');
  }
}

function onSwitchoverEvent(t: Step): void {
  const s = t.s;
  const event = t.event;
  switch (event.type) {
    case 'manual-switchover': {
      const check = checkSwitchover(s);
      const reasons = [...check.blocking, ...(event.force ? [] : check.overridable)];
      if (reasons.length > 0) {
        t.effects.push({ type: 'switchover-result', requestId: event.requestId, accepted: false, reasons });
        break;
      }
      const reason: SwitchoverReason = event.reason ?? (event.force ? 'manual-force' : 'manual');
      t.go('Pending-Standby', reason, event.cause ?? (event.force ? 'manual switchover (force)' : 'manual switchover'));
      t.effects.push({ type: 'switchover-result', requestId: event.requestId, accepted: true, reasons: [] });
      beginHandover(t, event.requestId, event.force, reason);
      break;
    }
    case 'flush-done': {
      const sw = s.switchover;
      if (s.name !== 'Pending-Standby' || !sw || sw.requestId !== event.requestId || sw.phase !== 'flushing') {
        t.refuse(`no switchover ${event.requestId} is flushing`);
        break;
      }
      sw.phase = 'requested';
      t.effects.push({ type: 'send-switchover-request', requestId: sw.requestId, force: sw.force, reason: sw.reason, flushedUpTo: event.flushedUpTo });
      break;
    }
    case 'flush-failed': {
      const sw = s.switchover;
      if (s.name !== 'Pending-Standby' || !sw || sw.requestId !== event.requestId) t.refuse(`no switchover ${event.requestId} is flushing`);
      else t.go('Active', null, `critical flush failed (${event.error}); switchover abandoned`);
      break;
    }
    case 'switchover-request':
      onSwitchoverRequest(t, event);
      break;
    case 'switchover-response': {
      const sw = s.switchover;
      if (s.name === 'Pending-Standby' && sw && sw.requestId === event.requestId && sw.phase === 'requested') {
        if (event.accepted) sw.phase = 'accepted';
        else t.go('Active', null, `peer refused the switchover: ${event.reasons.join('; ') || 'no reason given'}`);
      } else if (s.name === 'Standby' && !event.accepted) {
        t.log('info', `peer refused preemption: ${event.reasons.join('; ')}`);
      } else if (!event.accepted || s.name !== 'Standby') {
        t.refuse(`no switchover ${event.requestId} is waiting for an answer`);
      }
      break;
    }
    case 'before-active-done': {
      if (s.name !== 'Pending-Active') {
        t.refuse(`chassis is ${s.name}, not Pending-Active`);
        break;
      }
      t.go('Active', s.pendingActive?.reason ?? 'election', 'finished applying checkpoints; serving');
      break;
    }
    default:
      t.refuse(`unknown event ${(event as { type: string }).type}`);
  }
}

/** Pending-Standby: arm the switchover timer and start the critical flush. */
function beginHandover(t: Step, requestId: number, force: boolean, reason: SwitchoverReason): void {
  const s = t.s;
  s.switchover = { requestId, force, reason, phase: 'flushing', startedAt: t.now };
  t.arm('switchover', t.cfg.switchoverTimeoutMs);
  t.effects.push({ type: 'critical-flush', requestId });
}

function onSwitchoverRequest(t: Step, event: Extract<FsmEvent, { type: 'switchover-request' }>): void {
  const s = t.s;
  const service = SERVICE_SWITCHOVER_REASONS.find((r) => r === event.reason);
  const reason: SwitchoverReason = event.reason === 'preemption' ? 'preemption' : service ?? (event.force ? 'manual-force' : 'manual');
  const answer = (accepted: boolean, reasons: string[]): void => {
    t.effects.push({ type: 'send-switchover-response', requestId: event.requestId, accepted, reasons });
  };
  if (s.name === 'Standby') {
    if (!s.localReady && !event.force) {
      answer(false, ['standby not ready (bulk sync not complete)']);
      return;
    }
    answer(true, []);
    t.takeOver(reason, `peer handed over (${reason})`, event.flushedUpTo);
  } else if (s.name === 'Active' && event.reason === 'preemption') {
    const check = checkSwitchover(s);
    const reasons = [...check.blocking, ...check.overridable];
    if (!t.cfg.preemption) reasons.push('preemption is not configured on this chassis');
    if (reasons.length > 0) {
      answer(false, reasons);
      return;
    }
    t.go('Pending-Standby', 'preemption', `peer ${s.peer?.chassisId ?? ''} preempts`);
    beginHandover(t, s.nextRequestId++, false, 'preemption');
  } else {
    answer(false, [`chassis is ${s.name}, not Standby`]);
  }
}
