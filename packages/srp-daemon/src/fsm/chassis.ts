// The chassis state machine (DESIGN.md "The chassis state machine"), as a pure function:
// step(state, event, now) -> { state, effects }. It never reads a clock, a socket or a timer;
// the runner (runtime/daemon.ts) performs the effects and feeds back the events.
import { SERVICE_SWITCHOVER_REASONS, type ChassisModeName, type ChassisStateName, type SwitchoverReason } from '../contract.js';
import { losesSplitBrain, nextRouteModifier, winsElection, type Candidate } from './election.js';

export type TimerName = 'dead' | 'switchover';

export interface FsmConfig {
  chassisId: string;
  mode: ChassisModeName;
  priority: number;
  cfMac: Uint8Array;
  deadIntervalMs: number;
  delayIntervalMs: number;
  preemption: boolean;
  routeModifier: { initial: number; threshold: number };
  /** How long an Active in Pending-Standby waits for the peer to take over before it resumes. */
  switchoverTimeoutMs: number;
}

/** What the state machine needs from a peer's Hello. */
export interface PeerHello {
  chassisId: string;
  mode: ChassisModeName;
  state: ChassisStateName;
  priority: number;
  cfMac: Uint8Array;
  routeModifier: number;
  standbyReady: boolean;
  bootId: string;
}

export interface PeerView extends PeerHello {
  lastHelloAt: number;
  alive: boolean; // heard within the dead interval
}

export interface PendingSwitchover {
  requestId: number;
  force: boolean;
  reason: SwitchoverReason;
  phase: 'flushing' | 'requested' | 'accepted';
  startedAt: number;
}

export interface FsmState {
  readonly config: FsmConfig;
  name: ChassisStateName;
  started: boolean;
  routeModifier: number;
  localReady: boolean;
  linkUp: boolean;
  peer: PeerView | null;
  deadlines: Record<TimerName, number | null>;
  switchover: PendingSwitchover | null;
  /** Set while in Pending-Active: why, and since when the takeover counts. */
  pendingActive: { reason: SwitchoverReason; since: number } | null;
  preemptRequested: boolean;
  nextRequestId: number;
  /** The peer process we know (boot id from Capabilities or Hello): a new one means it restarted. */
  knownPeerBoot: string | null;
  /** The MAC of our active CF card: the configured one until the hardware says otherwise. */
  cfMac: Uint8Array;
  /**
   * This Init follows a chassis reset under a live SRP connection (start with `rebooted`): the
   * peer learns the new boot id only from our Hellos, so until then its Hellos describe our
   * previous boot. Cleared on leaving Init.
   */
  rebooted: boolean;
  /** The priority in Hellos and elections (service monitoring lowers it; see 'service-health'). */
  effectivePriority: number;
  /** Service monitoring allows this chassis to preempt (healthy for preemption-delay, no monitor flag). */
  preemptAllowed: boolean;
}

export type FsmEvent =
  /** `rebooted`: a restart after a chassis reset, the SRP connection kept (see FsmState.rebooted). */
  | { type: 'start'; rebooted?: boolean }
  | { type: 'hello'; hello: PeerHello }
  /** A connection to the peer completed its handshake; its Capabilities carry the boot id. */
  | { type: 'peer-boot'; bootId: string }
  | { type: 'timer'; timer: TimerName }
  | { type: 'goodbye'; reason: string; takeoverNow: boolean }
  | { type: 'link-up' }
  | { type: 'link-down' }
  | { type: 'readiness'; ready: boolean }
  /** `reason`/`cause`: a planned switchover started by service monitoring instead of an operator. */
  | { type: 'manual-switchover'; force: boolean; requestId: number; reason?: SwitchoverReason; cause?: string }
  /** Service monitoring (tracked objects, monitors): the effective priority and whether preemption is allowed. */
  | { type: 'service-health'; priority: number; preemptAllowed: boolean }
  | { type: 'flush-done'; requestId: number; flushedUpTo: number }
  | { type: 'flush-failed'; requestId: number; error: string }
  | { type: 'switchover-request'; requestId: number; force: boolean; reason: string; flushedUpTo: number }
  | { type: 'switchover-response'; requestId: number; accepted: boolean; reasons: string[] }
  | { type: 'before-active-done' }
  /** The active CF card changed (intra-chassis switchover in hw-sim): elections use the new MAC. */
  | { type: 'cf-mac'; cfMac: Uint8Array };

export type Effect =
  | {
      type: 'transition';
      from: ChassisStateName;
      to: ChassisStateName;
      reason: SwitchoverReason | null;
      cause: string;
      /** On reaching Active: when the takeover began (the peer's last Hello, or the request). */
      takeoverSince?: number;
    }
  | { type: 'arm-timer'; timer: TimerName; delayMs: number }
  | { type: 'cancel-timer'; timer: TimerName }
  | { type: 'send-hello' }
  | { type: 'send-switchover-request'; requestId: number; force: boolean; reason: string; flushedUpTo: number }
  | { type: 'send-switchover-response'; requestId: number; accepted: boolean; reasons: string[] }
  | { type: 'critical-flush'; requestId: number }
  | { type: 'before-active'; reason: SwitchoverReason; flushedUpTo: number | null }
  | { type: 'switchover-result'; requestId: number; accepted: boolean; reasons: string[] }
  | { type: 'peer-lost'; cause: string }
  | { type: 'log'; level: 'debug' | 'info' | 'warn'; msg: string }
  | { type: 'refused'; event: FsmEvent['type']; reason: string };

export interface StepResult {
  state: FsmState;
  effects: Effect[];
}

/** The legal transitions. Anything else is a bug and is refused with an exception. */
export const TRANSITIONS: Readonly<Record<ChassisStateName, readonly ChassisStateName[]>> = {
  Init: ['Pending-Active', 'Standby'],
  'Pending-Active': ['Active'],
  Active: ['Pending-Standby', 'Standby'],
  'Pending-Standby': ['Standby', 'Active'],
  Standby: ['Pending-Active'],
};

export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
  readonly code = 'SRP_ERR_ILLEGAL_TRANSITION';
  constructor(
    readonly from: ChassisStateName,
    readonly to: ChassisStateName,
  ) {
    super(`illegal chassis transition ${from} -> ${to}`);
  }
}

export function initialState(config: FsmConfig): FsmState {
  return {
    config,
    name: 'Init',
    started: false,
    routeModifier: config.routeModifier.initial,
    localReady: false,
    linkUp: false,
    peer: null,
    deadlines: { dead: null, switchover: null },
    switchover: null,
    pendingActive: null,
    preemptRequested: false,
    nextRequestId: 1,
    knownPeerBoot: null,
    cfMac: config.cfMac,
    rebooted: false,
    effectivePriority: config.priority,
    preemptAllowed: true,
  };
}

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
  if (!s.peer || !s.peer.alive || !s.linkUp) blocking.push('no peer on the SRP link');
  else {
    if (s.peer.state !== 'Standby') blocking.push(`peer is ${s.peer.state}, not Standby`);
    else if (!s.peer.standbyReady) overridable.push('peer Standby is not ready (bulk sync not complete)');
  }
  return { blocking, overridable };
}

function candidate(s: FsmState): Candidate {
  const c = s.config;
  return { chassisId: c.chassisId, mode: c.mode, priority: s.effectivePriority, cfMac: s.cfMac, routeModifier: s.routeModifier };
}

function peerCandidate(p: PeerHello): Candidate {
  return p;
}

/** Applies one event. Pure: `state` is not modified. */
export function step(state: FsmState, event: FsmEvent, now: number): StepResult {
  const s: FsmState = {
    ...state,
    deadlines: { ...state.deadlines },
    peer: state.peer ? { ...state.peer } : null,
    switchover: state.switchover ? { ...state.switchover } : null,
  };
  const effects: Effect[] = [];
  const cfg = s.config;

  const go = (to: ChassisStateName, reason: SwitchoverReason | null, cause: string): void => {
    const from = s.name;
    if (!TRANSITIONS[from].includes(to)) throw new IllegalTransitionError(from, to);
    s.name = to;
    const eff: Effect = { type: 'transition', from, to, reason, cause };
    if (to === 'Pending-Active') {
      s.pendingActive = { reason: reason ?? 'election', since: now };
    }
    if (from === 'Pending-Active' && s.pendingActive) {
      eff.takeoverSince = s.pendingActive.since;
      s.pendingActive = null;
    }
    if (to === 'Standby' || to === 'Active') {
      if (s.deadlines.switchover !== null) {
        s.deadlines.switchover = null;
        effects.push({ type: 'cancel-timer', timer: 'switchover' });
      }
      s.switchover = null;
    }
    s.preemptRequested = false;
    s.rebooted = false;
    effects.push(eff, { type: 'send-hello' });
  };

  const armDead = (delayMs: number): void => {
    s.deadlines.dead = now + delayMs;
    effects.push({ type: 'arm-timer', timer: 'dead', delayMs });
  };
  const cancelDead = (): void => {
    if (s.deadlines.dead !== null) effects.push({ type: 'cancel-timer', timer: 'dead' });
    s.deadlines.dead = null;
  };

  /** Standby (or Init) -> Pending-Active. A takeover from Standby is a switchover: bump the modifier. */
  const takeOver = (reason: SwitchoverReason, cause: string, flushedUpTo: number | null, since = now): void => {
    if (s.name === 'Standby') {
      s.routeModifier = nextRouteModifier(Math.max(s.routeModifier, s.peer?.routeModifier ?? 0), cfg.routeModifier);
    }
    go('Pending-Active', reason, cause);
    if (s.pendingActive) s.pendingActive.since = since;
    effects.push({ type: 'before-active', reason, flushedUpTo });
  };

  const becomeStandbyOf = (peer: PeerView, reason: SwitchoverReason, cause: string): void => {
    go('Standby', reason, cause);
    s.routeModifier = peer.routeModifier; // the pair shares the Active's value
  };

  const maybePreempt = (): void => {
    const p = s.peer;
    if (!cfg.preemption || !s.preemptAllowed || s.name !== 'Standby' || !s.localReady || s.preemptRequested) return;
    if (!p || !p.alive || p.state !== 'Active' || !winsElection(candidate(s), peerCandidate(p))) return;
    s.preemptRequested = true;
    const requestId = s.nextRequestId++;
    effects.push(
      { type: 'log', level: 'info', msg: `preemption: asking ${p.chassisId} to hand over` },
      { type: 'send-switchover-request', requestId, force: false, reason: 'preemption', flushedUpTo: 0 },
    );
  };

  const refuse = (reason: string): void => {
    effects.push({ type: 'refused', event: event.type, reason });
  };

  switch (event.type) {
    case 'start': {
      if (s.started) {
        refuse('already started');
        break;
      }
      s.started = true;
      s.rebooted = event.rebooted === true;
      // delay-interval postpones the first dead-interval timer after start.
      armDead(cfg.delayIntervalMs + cfg.deadIntervalMs);
      effects.push({ type: 'send-hello' });
      break;
    }

    case 'hello': {
      if (!s.started) {
        refuse('not started');
        break;
      }
      const h = event.hello;
      const restarted = s.knownPeerBoot !== null && s.knownPeerBoot !== h.bootId;
      s.knownPeerBoot = h.bootId;
      const peer: PeerView = { ...h, lastHelloAt: now, alive: true };
      s.peer = peer;
      // In Init, a peer in the middle of a handover must not keep us waiting forever, nor may a
      // Standby peer that has not reacted to our reboot: only the start-up timer decides then.
      const waitingOnPeer = s.name === 'Init' && (h.state === 'Pending-Standby' || (h.state === 'Standby' && s.rebooted));
      if (!waitingOnPeer && s.name !== 'Pending-Active') armDead(cfg.deadIntervalMs);

      switch (s.name) {
        case 'Init':
          if (h.state === 'Active' || h.state === 'Pending-Active') {
            becomeStandbyOf(peer, 'election', `peer ${h.chassisId} is ${h.state}`);
          } else if (h.state === 'Init') {
            if (winsElection(candidate(s), peerCandidate(h))) {
              takeOver('election', `won the start-up election against ${h.chassisId} (${electionBasis(cfg, h)})`, null);
            } else {
              becomeStandbyOf(peer, 'election', `lost the start-up election to ${h.chassisId} (${electionBasis(cfg, h)})`);
            }
          } else if (h.state === 'Standby' && s.rebooted) {
            // After a chassis reset the connection was kept: this Hello may predate the peer
            // reading our new boot id, i.e. the peer is still the Standby of our previous boot
            // and is about to take over (its sessions survived; ours did not). Taking the role
            // here would make two Actives, and the route modifier would then keep the chassis
            // without sessions. Wait: the peer's Pending-Active/Active Hello makes us Standby;
            // a peer still Standby when the start-up timer fires (delay + dead interval, not
            // re-armed by these Hellos) has no Active, and we take over then.
            if (state.peer?.state !== 'Standby') {
              effects.push({
                type: 'log',
                level: 'info',
                msg: `peer ${h.chassisId} is Standby but may not have seen our new boot id yet; waiting for it to take over`,
              });
            }
          } else if (h.state === 'Standby') {
            // The peer knows this boot of ours (a restart of its Active would have made it take
            // over on 'peer-boot', before it sent this Hello on the new connection) and still
            // waits: it lost the election to us, or it has no Active at all. Either way, serve.
            takeOver('election', `peer ${h.chassisId} is Standby and waiting for an Active`, null);
          }
          break;
        case 'Standby':
          if (restarted) {
            takeOver('peer-dead', `peer ${h.chassisId} restarted (new boot id) and lost its sessions`, null);
          } else if (h.state === 'Standby') {
            // Nobody is Active (both Standby): re-elect; the loser keeps waiting. A peer in
            // Init with the boot id we know is only a Hello sent before its own election.
            if (winsElection(candidate(s), peerCandidate(h))) {
              takeOver('election', `no Active chassis: peer ${h.chassisId} is Standby too`, null);
            }
          } else {
            if (h.state === 'Active') s.routeModifier = h.routeModifier;
            maybePreempt();
          }
          break;
        case 'Active':
          if (h.state === 'Active') {
            if (losesSplitBrain(candidate(s), peerCandidate(h))) {
              becomeStandbyOf(
                peer,
                'split-brain',
                `two Actives met: peer ${h.chassisId} wins (route modifier ${h.routeModifier} vs ${s.routeModifier}, priority ${h.priority} vs ${cfg.priority})`,
              );
            } else {
              effects.push(
                { type: 'log', level: 'warn', msg: `two Actives met: staying Active, peer ${h.chassisId} must step down` },
                { type: 'send-hello' },
              );
            }
          }
          break;
        case 'Pending-Standby':
          if (h.state === 'Active') {
            const reason = s.switchover?.reason ?? 'manual';
            becomeStandbyOf(peer, reason, `peer ${h.chassisId} is Active: switchover complete`);
          }
          break;
        case 'Pending-Active':
          break;
      }
      break;
    }

    case 'peer-boot': {
      const restarted = s.knownPeerBoot !== null && s.knownPeerBoot !== event.bootId;
      s.knownPeerBoot = event.bootId;
      if (restarted && s.name === 'Standby') {
        takeOver('peer-dead', 'peer restarted (new boot id on the SRP link) and lost its sessions', null);
      } else if (restarted && s.name === 'Pending-Standby') {
        go('Active', null, 'peer restarted during the switchover; resuming');
      }
      break;
    }

    case 'timer': {
      const deadline = s.deadlines[event.timer];
      if (deadline === null) {
        effects.push({ type: 'log', level: 'debug', msg: `stale ${event.timer} timer ignored` });
        break;
      }
      if (now < deadline) {
        // Real timers may fire a fraction of a millisecond early against a monotonic clock:
        // wait out the rest rather than lose the timer.
        effects.push({ type: 'arm-timer', timer: event.timer, delayMs: Math.max(1, Math.ceil(deadline - now)) });
        break;
      }
      s.deadlines[event.timer] = null;
      if (event.timer === 'switchover') {
        if (s.name === 'Pending-Standby') go('Active', null, 'switchover timed out: the peer did not take over; resuming');
        break;
      }
      const deadFor = cfg.deadIntervalMs;
      if (s.peer) s.peer.alive = false;
      switch (s.name) {
        case 'Init':
          takeOver(
            'no-peer-at-start',
            s.peer
              ? `no Active peer within ${cfg.delayIntervalMs + deadFor} ms of start`
              : `no peer within ${cfg.delayIntervalMs + deadFor} ms of start`,
            null,
          );
          break;
        case 'Standby':
          takeOver(
            'peer-dead',
            `no Hello from ${s.peer?.chassisId ?? 'peer'} for dead-interval (${deadFor} ms)`,
            null,
            s.peer?.lastHelloAt ?? now - deadFor,
          );
          break;
        case 'Pending-Standby':
          go('Active', null, `peer lost during switchover (no Hello for ${deadFor} ms); resuming`);
          break;
        case 'Active':
        case 'Pending-Active':
          effects.push({ type: 'peer-lost', cause: `no Hello from peer for dead-interval (${deadFor} ms)` });
          break;
      }
      break;
    }

    case 'goodbye': {
      if (s.peer) s.peer.alive = false;
      cancelDead();
      const cause = `peer said goodbye (${event.reason || 'no reason'})`;
      switch (s.name) {
        case 'Standby':
        case 'Init':
          if (event.takeoverNow || s.name === 'Standby') takeOver('peer-goodbye', cause, null);
          break;
        case 'Pending-Standby':
          go('Active', null, `${cause} during switchover; resuming`);
          break;
        default:
          effects.push({ type: 'peer-lost', cause });
      }
      break;
    }

    case 'link-up':
      s.linkUp = true;
      break;

    case 'cf-mac':
      if (event.cfMac.length !== 6) {
        refuse(`a CF MAC has 6 octets, got ${event.cfMac.length}`);
        break;
      }
      s.cfMac = Uint8Array.from(event.cfMac);
      effects.push({ type: 'send-hello' });
      break;

    case 'link-down':
      // A flap shorter than the dead interval changes nothing: only the dead timer decides.
      s.linkUp = false;
      break;

    case 'service-health': {
      const priority = Math.min(255, Math.max(1, Math.round(event.priority)));
      if (priority !== s.effectivePriority) effects.push({ type: 'send-hello' }); // tell the peer now
      s.effectivePriority = priority;
      s.preemptAllowed = event.preemptAllowed;
      maybePreempt();
      break;
    }

    case 'readiness':
      if (s.localReady !== event.ready) effects.push({ type: 'send-hello' }); // tell the peer now
      s.localReady = event.ready;
      if (!event.ready) s.preemptRequested = false;
      maybePreempt();
      break;

    case 'manual-switchover': {
      const check = checkSwitchover(s);
      const reasons = [...check.blocking, ...(event.force ? [] : check.overridable)];
      if (reasons.length > 0) {
        effects.push({ type: 'switchover-result', requestId: event.requestId, accepted: false, reasons });
        break;
      }
      const reason: SwitchoverReason = event.reason ?? (event.force ? 'manual-force' : 'manual');
      go('Pending-Standby', reason, event.cause ?? (event.force ? 'manual switchover (force)' : 'manual switchover'));
      s.switchover = { requestId: event.requestId, force: event.force, reason, phase: 'flushing', startedAt: now };
      s.deadlines.switchover = now + cfg.switchoverTimeoutMs;
      effects.push(
        { type: 'switchover-result', requestId: event.requestId, accepted: true, reasons: [] },
        { type: 'arm-timer', timer: 'switchover', delayMs: cfg.switchoverTimeoutMs },
        { type: 'critical-flush', requestId: event.requestId },
      );
      break;
    }

    case 'flush-done': {
      const sw = s.switchover;
      if (s.name !== 'Pending-Standby' || !sw || sw.requestId !== event.requestId || sw.phase !== 'flushing') {
        refuse(`no switchover ${event.requestId} is flushing`);
        break;
      }
      sw.phase = 'requested';
      effects.push({
        type: 'send-switchover-request',
        requestId: sw.requestId,
        force: sw.force,
        reason: sw.reason,
        flushedUpTo: event.flushedUpTo,
      });
      break;
    }

    case 'flush-failed': {
      const sw = s.switchover;
      if (s.name !== 'Pending-Standby' || !sw || sw.requestId !== event.requestId) {
        refuse(`no switchover ${event.requestId} is flushing`);
        break;
      }
      go('Active', null, `critical flush failed (${event.error}); switchover abandoned`);
      break;
    }

    case 'switchover-request': {
      const service = SERVICE_SWITCHOVER_REASONS.find((r) => r === event.reason);
      const reason: SwitchoverReason =
        event.reason === 'preemption' ? 'preemption' : service ?? (event.force ? 'manual-force' : 'manual');
      if (s.name === 'Standby') {
        if (!s.localReady && !event.force) {
          effects.push({
            type: 'send-switchover-response',
            requestId: event.requestId,
            accepted: false,
            reasons: ['standby not ready (bulk sync not complete)'],
          });
          break;
        }
        effects.push({ type: 'send-switchover-response', requestId: event.requestId, accepted: true, reasons: [] });
        takeOver(reason, `peer handed over (${reason})`, event.flushedUpTo);
      } else if (s.name === 'Active' && event.reason === 'preemption') {
        const check = checkSwitchover(s);
        const reasons = [...check.blocking, ...check.overridable];
        if (!cfg.preemption) reasons.push('preemption is not configured on this chassis');
        if (reasons.length > 0) {
          effects.push({ type: 'send-switchover-response', requestId: event.requestId, accepted: false, reasons });
          break;
        }
        const requestId = s.nextRequestId++;
        go('Pending-Standby', 'preemption', `peer ${s.peer?.chassisId ?? ''} preempts`);
        s.switchover = { requestId, force: false, reason: 'preemption', phase: 'flushing', startedAt: now };
        s.deadlines.switchover = now + cfg.switchoverTimeoutMs;
        effects.push(
          { type: 'arm-timer', timer: 'switchover', delayMs: cfg.switchoverTimeoutMs },
          { type: 'critical-flush', requestId },
        );
      } else {
        effects.push({
          type: 'send-switchover-response',
          requestId: event.requestId,
          accepted: false,
          reasons: [`chassis is ${s.name}, not Standby`],
        });
      }
      break;
    }

    case 'switchover-response': {
      const sw = s.switchover;
      if (s.name === 'Pending-Standby' && sw && sw.requestId === event.requestId && sw.phase === 'requested') {
        if (event.accepted) sw.phase = 'accepted';
        else go('Active', null, `peer refused the switchover: ${event.reasons.join('; ') || 'no reason given'}`);
      } else if (s.name === 'Standby' && !event.accepted) {
        effects.push({ type: 'log', level: 'info', msg: `peer refused preemption: ${event.reasons.join('; ')}` });
      } else if (!event.accepted || s.name !== 'Standby') {
        refuse(`no switchover ${event.requestId} is waiting for an answer`);
      }
      break;
    }

    case 'before-active-done': {
      if (s.name !== 'Pending-Active') {
        refuse(`chassis is ${s.name}, not Pending-Active`);
        break;
      }
      const reason = s.pendingActive?.reason ?? 'election';
      go('Active', reason, 'finished applying checkpoints; serving');
      if (s.peer?.alive) armDead(Math.max(0, s.peer.lastHelloAt + cfg.deadIntervalMs - now));
      break;
    }
  }
  return { state: s, effects };
}

function electionBasis(cfg: FsmConfig, h: PeerHello): string {
  if (cfg.mode !== h.mode) return `mode ${cfg.mode} vs ${h.mode}`;
  if (cfg.priority !== h.priority) return `priority ${cfg.priority} vs ${h.priority}`;
  return 'equal priority: CF MAC decides';
}
