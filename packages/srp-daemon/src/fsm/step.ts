// One step of the chassis state machine in progress (fsm/chassis.ts): the copied state, the
// effects so far, and the helpers every handler shares (transitions, takeover, fencing).
import type { ChassisStateName, SwitchoverReason } from '../api/contract.js';
import { nextRouteModifier, winsElection, type Candidate } from './election.js';
import { IllegalTransitionError, TRANSITIONS, type Effect, type FsmEvent, type FsmState, type PeerHello, type PeerView, type TimerName } from './types.js';

export interface SwitchoverCheck {
  /** Reasons no `force` can override (no peer, not Active, ...). */
  blocking: string[];
  /** Reasons `force` overrides (peer not ready). */
  overridable: string[];
}

/** `srp validate-switchover`: may this chassis hand over to its peer now? */
export function checkSwitchover(s: FsmState): SwitchoverCheck {
  const blocking: string[] = [];
  const overridable: string[] = [];
  if (s.name !== 'Active') blocking.push(`this chassis is ${s.name}, not Active`);
  if (s.switchover) blocking.push('a switchover is already in progress');
  if (s.fenced) blocking.push(`this chassis is fenced (${s.fenced.cause})`);
  if (!s.peer || !s.peer.alive || !s.linkUp) blocking.push('no peer on the SRP link');
  else {
    if (s.peer.state !== 'Standby') blocking.push(`peer is ${s.peer.state}, not Standby`);
    else if (!s.peer.standbyReady) overridable.push('peer Standby is not ready (bulk sync not complete)');
  }
  return { blocking, overridable };
}

export function candidateOf(s: FsmState): Candidate {
  const c = s.config;
  return {
    chassisId: c.chassisId,
    mode: c.mode,
    priority: s.effectivePriority,
    cfMac: s.cfMac,
    routeModifier: s.routeModifier,
    epoch: s.epoch,
    baseEpoch: s.baseEpoch,
    fenced: s.fenced !== null,
    eligible: s.eligible,
    partialTable: s.partialTable,
  };
}

export function peerCandidate(p: PeerHello): Candidate {
  return { ...p, fenced: p.fenced };
}

/** One step in progress: the copied state, the effects so far and the helpers handlers share. */
export class Step {
  readonly effects: Effect[] = [];

  constructor(
    readonly s: FsmState,
    readonly event: FsmEvent,
    readonly now: number,
  ) {}

  get cfg(): FsmState['config'] {
    return this.s.config;
  }

  go(to: ChassisStateName, reason: SwitchoverReason | null, cause: string): void {
    const s = this.s;
    const from = s.name;
    if (!TRANSITIONS[from].includes(to)) throw new IllegalTransitionError(from, to);
    s.name = to;
    const eff: Effect = { type: 'transition', from, to, reason, cause };
    if (to === 'Pending-Active') s.pendingActive = { reason: reason ?? 'election', since: this.now };
    if (from === 'Pending-Active' && s.pendingActive) {
      eff.takeoverSince = s.pendingActive.since;
      s.pendingActive = null;
    }
    if (to === 'Standby' || to === 'Active') {
      if (s.deadlines.switchover !== null) {
        s.deadlines.switchover = null;
        this.effects.push({ type: 'cancel-timer', timer: 'switchover' });
      }
      s.switchover = null;
    }
    if (s.deadlines.startup !== null && from === 'Init') {
      s.deadlines.startup = null;
      this.effects.push({ type: 'cancel-timer', timer: 'startup' });
    }
    s.preemptRequested = false;
    this.effects.push(eff);
    if (to === 'Standby') this.unfence('a Standby acknowledges no writes');
    this.effects.push({ type: 'send-hello' });
  }

  arm(timer: TimerName, delayMs: number): void {
    this.s.deadlines[timer] = this.now + delayMs;
    this.effects.push({ type: 'arm-timer', timer, delayMs });
  }

  /** Standby (or Init) -> Pending-Active: a new epoch, and a new route modifier from Standby. */
  takeOver(reason: SwitchoverReason, cause: string, flushedUpTo: number | null, since = this.now): void {
    const s = this.s;
    if (s.name === 'Standby') {
      s.routeModifier = nextRouteModifier(Math.max(s.routeModifier, s.peer?.routeModifier ?? 0), this.cfg.routeModifier);
    }
    // A Standby that never finished a bulk sync takes over with what it has (better than no
    // Active), and says so in its Hellos: it steps down if the old Active turns out alive.
    // One from Init holds the only table there is.
    s.partialTable = s.name === 'Standby' && !s.synced;
    if (s.name === 'Init') s.synced = true;
    s.baseEpoch = s.epoch;
    s.epoch = Math.max(s.epoch, s.maxSeenEpoch) + 1;
    this.go('Pending-Active', reason, cause);
    if (s.pendingActive) s.pendingActive.since = since;
    this.effects.push({ type: 'before-active', reason, flushedUpTo });
  }

  becomeStandbyOf(peer: PeerView, reason: SwitchoverReason, cause: string): void {
    this.go('Standby', reason, cause);
    this.s.routeModifier = peer.routeModifier; // the pair shares the Active's value
  }

  fence(cause: string): void {
    if (this.s.fenced) return;
    this.s.fenced = { since: this.now, cause };
    this.effects.push({ type: 'fence', fenced: true, cause }, { type: 'send-hello' });
  }

  unfence(cause: string): void {
    if (!this.s.fenced) return;
    this.s.fenced = null;
    this.effects.push({ type: 'fence', fenced: false, cause }, { type: 'send-hello' });
  }

  maybePreempt(): void {
    const s = this.s;
    const p = s.peer;
    if (!this.cfg.preemption || !s.preemptAllowed || s.name !== 'Standby' || !s.localReady || s.preemptRequested) return;
    if (!p || !p.alive || p.state !== 'Active' || !winsElection(candidateOf(s), peerCandidate(p))) return;
    s.preemptRequested = true;
    const requestId = s.nextRequestId++;
    this.effects.push(
      { type: 'log', level: 'info', msg: `preemption: asking ${p.chassisId} to hand over` },
      { type: 'send-switchover-request', requestId, force: false, reason: 'preemption', flushedUpTo: 0 },
    );
  }

  refuse(reason: string): void {
    this.effects.push({ type: 'refused', event: this.event.type, reason });
  }

  log(level: 'debug' | 'info' | 'warn', msg: string): void {
    this.effects.push({ type: 'log', level, msg });
  }
}

/** A ready Standby holds its Active's table: its epoch is the Active's. */
export function adoptPeerEpoch(s: FsmState): void {
  const p = s.peer;
  if (s.name === 'Standby' && s.localReady && p && p.state === 'Active') {
    s.epoch = p.epoch;
    s.baseEpoch = p.epoch;
  }
}
