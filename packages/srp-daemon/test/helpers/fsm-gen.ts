// Random inputs for the chassis state machine (configs, peer Hellos, every kind of event) and
// the invariants every step must keep, for the property tests (fsm-property.test.ts).
import { isDeepStrictEqual } from 'node:util';
import { CHASSIS_STATES, SERVICE_SWITCHOVER_REASONS, type ChassisStateName } from '../../src/api/contract.js';
import { TRANSITIONS, type FsmConfig, type FsmEvent, type FsmState, type PeerHello, type StepResult, type TimerName } from '../../src/fsm/chassis.js';
import type { Prng } from './property.js';

export const TIMERS: readonly TimerName[] = ['startup', 'switchover'];

/** A chassis config; `timing` fixes the intervals (two chassis of a pair share them). */
export function randomConfig(rng: Prng, chassisId: string, timing: { deadIntervalMs: number } = { deadIntervalMs: rng.pick([300, 1000, 3000]) }): FsmConfig {
  const dead = timing.deadIntervalMs;
  return {
    chassisId,
    mode: rng.pick(['primary', 'backup'] as const),
    priority: rng.pick([1, 10, 20, 255]),
    // Few distinct MACs, so that elections also meet equal ones.
    cfMac: Uint8Array.from([0x00, 0x02, 0x43, 0x00, 0x00, rng.int(1, 3)]),
    deadIntervalMs: dead,
    delayIntervalMs: rng.pick([0, 0, dead / 2]),
    startupHoldMs: rng.pick([0, dead, 3 * dead]),
    preemption: rng.chance(0.4),
    routeModifier: { initial: 1, threshold: rng.pick([2, 3, 16]) },
    switchoverTimeoutMs: rng.pick([dead, 10 * dead]),
    witness: rng.chance(0.3),
  };
}

/** The states a peer is likely in while we are in `ours` (the rest stay possible). */
const LIKELY_PEER: Record<ChassisStateName, readonly ChassisStateName[]> = {
  Init: ['Init', 'Active', 'Standby'],
  'Pending-Active': ['Active', 'Standby', 'Pending-Standby'],
  Active: ['Standby', 'Pending-Active', 'Active'],
  'Pending-Standby': ['Standby', 'Pending-Active', 'Active'],
  Standby: ['Active', 'Pending-Active', 'Standby'],
};

/** A peer Hello as the liveness detector passes it on, with random fields. */
export function randomHello(rng: Prng, s: FsmState, peerId = 'peer'): PeerHello {
  const epoch = rng.int(0, 6);
  return {
    chassisId: rng.chance(0.97) ? peerId : rng.pick(['stranger', s.config.chassisId]),
    mode: rng.pick(['primary', 'backup'] as const),
    state: rng.chance(0.7) ? rng.pick(LIKELY_PEER[s.name]) : rng.pick(CHASSIS_STATES),
    priority: rng.pick([1, 10, 20, 255]),
    cfMac: rng.chance(0.2) ? Uint8Array.from(s.cfMac) : Uint8Array.from([0x00, 0x02, 0x43, 0x00, 0x00, rng.int(1, 3)]),
    routeModifier: rng.int(0, 20),
    standbyReady: rng.chance(),
    bootId: String(rng.int(1, 3)),
    epoch,
    baseEpoch: rng.int(0, epoch),
    fenced: rng.chance(0.15),
    eligible: rng.pick([0, 0, 5, 1000]),
    sessions: rng.pick([0, 5, 1000, 2000]),
    configDigest: rng.chance(0.9) ? new Uint8Array(8) : Uint8Array.from([rng.int(0, 255), 1, 2, 3, 4, 5, 6, 7]),
    fresh: rng.chance(0.8),
    newBoot: rng.chance(0.1),
    goodbye: rng.chance(0.04),
    takeoverNow: rng.chance(),
    partialTable: rng.chance(0.1),
  };
}

/** Any event but `timer` (timers fire as time passes), with random fields. */
export function randomEvent(rng: Prng, s: FsmState, nextRequestId: () => number): FsmEvent {
  const sw = s.switchover;
  const requestId = (): number => (sw && rng.chance(0.8) ? sw.requestId : rng.chance(0.5) ? nextRequestId() : rng.int(1, 5));
  const kind = rng.weighted<FsmEvent['type']>([
    ['hello', 30],
    ['start', 1],
    ['peer-dead', 4],
    ['stalled', 3],
    ['peer-deaf', 3],
    ['goodbye', 1],
    ['link-up', 3],
    ['link-down', 2],
    ['readiness', 4],
    ['table', 2],
    ['witness', 3],
    ['manual-switchover', 5],
    ['service-health', 3],
    ['flush-done', 3],
    ['flush-failed', 1],
    ['switchover-request', 3],
    ['switchover-response', 3],
    ['before-active-done', 5],
    ['cf-mac', 1],
  ]);
  switch (kind) {
    case 'hello':
      return { type: 'hello', hello: randomHello(rng, s) };
    case 'peer-dead':
      return { type: 'peer-dead', silentMs: rng.int(0, 3 * s.config.deadIntervalMs) };
    case 'stalled':
      return { type: 'stalled', ms: rng.int(1, 5 * s.config.deadIntervalMs), cause: 'event loop' };
    case 'peer-deaf':
      return { type: 'peer-deaf', deaf: rng.chance(), cause: 'peer-does-not-hear-us' };
    case 'goodbye':
      return { type: 'goodbye', reason: rng.pick(['', 'SIGTERM']), takeoverNow: rng.chance() };
    case 'readiness':
      return { type: 'readiness', ready: rng.chance(0.7) };
    case 'table':
      return { type: 'table', eligible: rng.pick([0, 1, 1000]) };
    case 'witness': {
      const held = rng.chance();
      return { type: 'witness', held, reachable: held || rng.chance(), holder: held ? s.config.chassisId : rng.pick([null, 'peer', s.config.chassisId]) };
    }
    case 'manual-switchover': {
      const service = rng.chance(0.2) ? { reason: rng.pick(SERVICE_SWITCHOVER_REASONS), cause: 'monitor down' } : {};
      return { type: 'manual-switchover', force: rng.chance(), requestId: nextRequestId(), ...service };
    }
    case 'service-health':
      // Out of range and fractional on purpose: the machine clamps and rounds.
      return { type: 'service-health', priority: rng.pick([0, 1, 10.4, 20, 254.6, 300]), preemptAllowed: rng.chance(0.7) };
    case 'flush-done':
      return { type: 'flush-done', requestId: requestId(), flushedUpTo: rng.int(0, 100) };
    case 'flush-failed':
      return { type: 'flush-failed', requestId: requestId(), error: 'link down' };
    case 'switchover-request':
      return {
        type: 'switchover-request',
        requestId: rng.int(1, 50),
        force: rng.chance(),
        reason: rng.pick(['manual', 'manual-force', 'preemption', ...SERVICE_SWITCHOVER_REASONS, 'nonsense']),
        flushedUpTo: rng.int(0, 100),
      };
    case 'switchover-response':
      return { type: 'switchover-response', requestId: requestId(), accepted: rng.chance(), reasons: rng.chance() ? [] : ['busy'] };
    case 'cf-mac':
      return { type: 'cf-mac', cfMac: rng.bytes(rng.pick([6, 6, 6, 5, 7])) };
    default:
      return { type: kind } as FsmEvent; // start, link-up, link-down, before-active-done
  }
}

/** One line for the trail of a run. */
export function describeEvent(e: FsmEvent): string {
  if (e.type === 'hello') {
    const h = e.hello;
    const flags = (['fresh', 'newBoot', 'goodbye', 'takeoverNow', 'fenced', 'standbyReady', 'partialTable'] as const).filter((f) => h[f]).join(',');
    return `hello ${h.chassisId} ${h.state} ${h.mode} prio ${h.priority} mac ..${h.cfMac[5] ?? '?'} rm ${h.routeModifier} epoch ${h.epoch}/${h.baseEpoch} boot ${h.bootId} eligible ${h.eligible} [${flags}]`;
  }
  const { type, ...rest } = e;
  const fields = Object.entries(rest).map(([k, v]) => `${k}=${v instanceof Uint8Array ? `${v.length} octets` : JSON.stringify(v)}`);
  return [type, ...fields].join(' ');
}

/**
 * The invariants of one step from `before` to `r`, given which timers the runner has armed
 * after performing its effects (`armed`: each name's due time, or null where only the names
 * are known). Throws an Error saying which one broke.
 */
export function checkStep(before: FsmState, event: FsmEvent, r: StepResult, armed: ReadonlyMap<TimerName, number | null>): void {
  const s = r.state;
  const fail = (what: string): never => {
    throw new Error(`${what} (after ${describeEvent(event)}; ${before.name} -> ${s.name})`);
  };
  // Transitions: a chain from the old state to the new one, each in the table.
  let name = before.name;
  for (const e of r.effects) {
    if (e.type === 'transition') {
      if (e.from !== name) fail(`a transition from ${e.from} while in ${name}`);
      if (!TRANSITIONS[e.from].includes(e.to)) fail(`an illegal transition ${e.from} -> ${e.to} was reported`);
      name = e.to;
    }
    if (e.type === 'arm-timer' && !(Number.isFinite(e.delayMs) && e.delayMs >= 0)) fail(`timer ${e.timer} armed for ${e.delayMs} ms`);
    if (e.type === 'refused' && !isDeepStrictEqual(before, s)) fail(`refused ${e.event} (${e.reason}) but changed the state`);
  }
  if (name !== s.name) fail(`state is ${s.name} but the transitions end in ${name}`);
  // Armed timers and deadlines agree: a deadline is set exactly while its timer is armed, and
  // the timer fires at it (or up to 1 ms later, after an early firing was armed again).
  for (const t of TIMERS) {
    const deadline = s.deadlines[t];
    const has = armed.has(t);
    if (deadline === null && has) fail(`timer ${t} is armed but its deadline is null`);
    if (deadline !== null && !has) fail(`deadline ${t} is ${deadline} but no timer is armed`);
    const due = armed.get(t);
    if (deadline !== null && due != null && !(due >= deadline && due - deadline < 1)) fail(`timer ${t} fires at ${due}, its deadline is ${deadline}`);
  }
  if (s.deadlines.startup !== null && s.name !== 'Init') fail(`a start-up deadline in ${s.name}`);
  if (s.deadlines.switchover !== null && s.name !== 'Pending-Standby') fail(`a switchover deadline in ${s.name}`);
  if ((s.switchover !== null) !== (s.name === 'Pending-Standby')) fail(`switchover ${JSON.stringify(s.switchover)} in ${s.name}`);
  if ((s.pendingActive !== null) !== (s.name === 'Pending-Active')) fail(`pendingActive ${JSON.stringify(s.pendingActive)} in ${s.name}`);
  if (s.fenced && s.name !== 'Active' && s.name !== 'Pending-Active') fail(`fenced in ${s.name}`);
  if (s.name !== 'Init' && !s.started) fail(`${s.name} without a start`);
  if (s.epoch < s.baseEpoch) fail(`epoch ${s.epoch} below its base ${s.baseEpoch}`);
  if (!Number.isInteger(s.effectivePriority) || s.effectivePriority < 1 || s.effectivePriority > 255) fail(`effective priority ${s.effectivePriority}`);
}
