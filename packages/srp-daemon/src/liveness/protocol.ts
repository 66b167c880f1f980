// What the main thread and the liveness worker say to each other, and the shared board of
// counters they both read. The worker owns the Hello datagrams (send, receive, judge); the main
// thread owns the chassis state machine and tells the worker what the next Hello must say.
import type { Hello } from '@srp-ha/wire';
import type { DetectorEvent, LinkFault } from './detector.js';

/** Everything in our Hello that the main thread decides. */
export interface LocalStatus {
  chassisId: string;
  mode: Hello['mode'];
  state: Hello['state'];
  priority: number;
  cfMac: Uint8Array;
  routeModifier: number;
  configDigest: Uint8Array;
  sessionCount: number;
  eligibleCount: number;
  standbyReady: boolean;
  epoch: number;
  baseEpoch: number;
  fenced: boolean;
  /** It took over before its bulk sync finished (Hello `partial_table`). */
  partialTable: boolean;
  /** False while the chassis has no CF card in charge (simulated hardware): no Hellos then. */
  helloAllowed: boolean;
}

export interface LivenessSettings {
  bind: { host: string; port: number };
  peer: { host: string; port: number };
  helloIntervalMs: number;
  deadIntervalMs: number;
  /** The main thread must beat its watchdog at least this often, or the worker stops vouching. */
  watchdogMs: number;
  /** A peer's delay-interval plus start-up hold (the pair's timers): see DetectorConfig. */
  peerClaimHoldMs: number;
  bootId: number;
  /** Shared keys accepted for Hellos; the first one signs. */
  keys: Uint8Array[];
  /** The shared board (see BOARD). */
  board: SharedArrayBuffer;
  /** SCHED_RR priority for the worker thread, or null (config liveness.realtime-priority). */
  realtimePriority: number | null;
}

export type MainToWorker =
  | { type: 'status'; status: LocalStatus }
  | { type: 'send-now' }
  | { type: 'keys'; keys: Uint8Array[] }
  /** The chassis rebooted under a running process (simulated hardware): a new boot id. */
  | { type: 'reboot'; bootId: number }
  | { type: 'stop'; takeoverNow: boolean };

export type DatagramRefusal =
  | 'bad-mac'
  | 'garbage'
  | 'bad-version'
  | 'bad-frame'
  | 'frame-too-large'
  | 'replay'
  | 'stale-boot'
  | 'reflected'
  | 'not-peer-address'
  | 'same-chassis-id';

export const DATAGRAM_REFUSALS: readonly DatagramRefusal[] = [
  'bad-mac',
  'garbage',
  'bad-version',
  'bad-frame',
  'frame-too-large',
  'replay',
  'stale-boot',
  'reflected',
  'not-peer-address',
  'same-chassis-id',
];

export type WorkerToMain =
  | { type: 'ready'; port: number }
  | { type: 'failed'; message: string }
  /** A believed Hello of the peer; `rttMs` when it echoed one of ours. */
  | { type: 'hello'; hello: Hello; newBoot: boolean; fresh: boolean; rttMs: number | null }
  | { type: 'event'; event: DetectorEvent }
  | { type: 'vouching'; vouching: boolean; cause: string }
  /** Rate-limited: the first refusal of a reason, then at most one line per reason every few seconds. */
  | { type: 'refused'; reason: DatagramRefusal; remote: string; cause: string }
  /** What became of liveness.realtime-priority (sent before ready, only when it is set). */
  | { type: 'priority'; ok: boolean; detail: string }
  | { type: 'stopped' };

/**
 * The Hello path in a process of its own (hello-process.ts) hears the same messages, plus its
 * settings in the first one and the main thread's watchdog beats (the board is not shared
 * between processes); it sends the same reports, plus copies of its board.
 */
export type MainToHelloProcess =
  | MainToWorker
  | { type: 'init'; settings: Omit<LivenessSettings, 'board'> }
  /** The main thread turned at `at` (processNowMs: the system's monotonic clock). */
  | { type: 'beat'; at: number };

export type HelloProcessToMain =
  /** Each report carries a copy of the board as it is after it (a Hello heard: lastHeardAt). */
  | (WorkerToMain & { board: number[] })
  /** A copy of the board when it changed and nothing else went for a while. */
  | { type: 'board'; board: number[] };

/**
 * Slots of the shared board (a Float64Array over a SharedArrayBuffer). Times are process
 * monotonic milliseconds (`processNowMs`), comparable between threads.
 */
export const BOARD = {
  /** Written by the main thread on every watchdog beat. */
  mainBeatAt: 0,
  hellosSent: 1,
  hellosReceived: 2,
  hellosMissed: 3,
  /** Time of the last believed Hello (0: none). */
  lastHeardAt: 4,
  /** The peer's silence about us as of its last Hello (-1: unknown). */
  peerLastHeardUsAgoMs: 5,
  vouching: 6,
  /** 0 none, 1 peer-does-not-hear-us, 2 we-do-not-hear-peer. */
  fault: 7,
  /** Refused datagrams, one slot per DatagramRefusal from here on. */
  refusedBase: 8,
} as const;
export const BOARD_SLOTS = BOARD.refusedBase + DATAGRAM_REFUSALS.length;

export const FAULT_CODES: readonly LinkFault[] = ['none', 'peer-does-not-hear-us', 'we-do-not-hear-peer'];

/**
 * Monotonic milliseconds (CLOCK_MONOTONIC): the same clock in every thread and every process of
 * the host (unlike performance.now()).
 */
export function processNowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export function newBoard(): SharedArrayBuffer {
  return new SharedArrayBuffer(BOARD_SLOTS * Float64Array.BYTES_PER_ELEMENT);
}
