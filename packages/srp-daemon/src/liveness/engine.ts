// The liveness engine: sends our Hello every hello-interval, receives and judges the peer's,
// and watches the main thread. It runs in the liveness worker (worker.ts) with real time and a
// UDP socket; tests run it with a manual clock and an in-memory port. Nothing here touches the
// chassis state machine: verdicts go to the main thread as messages.
import type { KeyObject } from 'node:crypto';
import { decodeHelloDatagram, encodeHelloDatagram, helloDatagramKey, isWireError, type Hello } from '@srp-ha/wire';
import type { Clock, TimerHandle } from '@srp-ha/common';
import { CpuAccount, type CpuSample } from './cpu-account.js';
import { LivenessDetector, type DetectorConfig } from './detector.js';
import {
  BOARD,
  DATAGRAM_REFUSALS,
  FAULT_CODES,
  type DatagramRefusal,
  type LivenessSettings,
  type LocalStatus,
  type WorkerToMain,
} from './protocol.js';

/** Datagrams in and out. */
export interface DatagramPort {
  send(bytes: Buffer): void;
  onDatagram(cb: (bytes: Buffer, from: { address: string; port: number }) => void): void;
  close(): void;
}

export interface EngineOptions {
  settings: Omit<LivenessSettings, 'bind' | 'peer'>;
  clock: Clock;
  port: DatagramPort;
  post: (msg: WorkerToMain) => void;
  /** Source addresses a Hello may come from (the peer's resolved address); null: any. */
  acceptFrom: () => ReadonlySet<string> | null;
  /** This thread's CPU accounting, sampled at every check: a stall says where its time went. */
  cpu?: { sample(): CpuSample | null };
  /**
   * Why the main thread cannot turn although its watchdog has not run out (the Hello process
   * sees srpd's process stopped), or null: Hellos stop at once, as on a missed watchdog.
   */
  mainHeld?: () => string | null;
}

/** At most one log line per refusal reason in this many ms. */
const REFUSAL_LOG_EVERY_MS = 5000;

export class LivenessEngine {
  private detector: LivenessDetector;
  private readonly board: Float64Array;
  private keys: KeyObject[];
  private status: LocalStatus | null = null;
  private timer: TimerHandle | null = null;
  /** Fires the dead-interval verdict on time, between two beats. */
  private deadTimer: TimerHandle | null = null;
  private stopped = false;
  private vouching = true;
  private unvouchedSince = 0;
  /** The main thread's last beat value and when (our clock) we saw it change. */
  private beatSeen = -1;
  private beatChangedAt: number;
  private readonly lastRefusalLog = new Map<DatagramRefusal, number>();
  private cfg: EngineOptions['settings'];
  /**
   * Set by a stall that the peer may have taken for our death, until a fresh Hello is heard or,
   * with no Hello at all, a dead interval has passed (as the state machine's fence: nobody
   * took over that we could hear, and this chassis serves alone).
   */
  private stallFence = false;
  /** When stallFence lapses (Infinity once a Hello was heard after the stall). */
  private stallFenceLapsesAt = Infinity;
  /** A stall was just noticed: no Hello leaves before the socket has been read (it would say we hear nothing). */
  private readingAfterStall = false;
  /** The CPU accounting at the last check (opts.cpu). */
  private cpuAt: CpuSample | null = null;

  constructor(private readonly opts: EngineOptions) {
    this.cfg = opts.settings;
    const now = opts.clock.now();
    this.detector = new LivenessDetector(
      detectorConfig(this.cfg),
      this.cfg.bootId,
      now,
    );
    this.board = new Float64Array(this.cfg.board);
    this.board[BOARD.vouching] = 1;
    this.board[BOARD.peerLastHeardUsAgoMs] = -1;
    this.beatChangedAt = now;
    this.keys = this.cfg.keys.map((k) => helloDatagramKey(k));
    opts.port.onDatagram((bytes, from) => this.onDatagram(bytes, from));
  }

  start(): void {
    this.tick();
  }

  setStatus(status: LocalStatus): void {
    this.status = status;
  }

  /** The chassis rebooted under this process: a new boot, nothing known of the peer. */
  reboot(bootId: number): void {
    this.cfg = { ...this.cfg, bootId };
    this.detector = new LivenessDetector(
      detectorConfig(this.cfg),
      bootId,
      this.opts.clock.now(),
    );
    this.stallFence = false;
  }

  setKeys(keys: Uint8Array[]): void {
    this.keys = keys.map((k) => helloDatagramKey(k));
  }

  /** Sends a Hello now (a state change the peer must learn at once), outside the regular beat. */
  sendNow(): void {
    if (!this.stopped && !this.readingAfterStall) this.sendHello();
  }

  /** Last Hello with the goodbye flag (so the peer need not wait out the dead interval), then stop. */
  stop(takeoverNow: boolean): void {
    if (this.stopped) return;
    if (this.status) this.sendHello({ goodbye: true, takeoverNow });
    this.stopped = true;
    if (this.timer) this.opts.clock.clearTimeout(this.timer);
    if (this.deadTimer) this.opts.clock.clearTimeout(this.deadTimer);
    this.timer = this.deadTimer = null;
    this.opts.port.close();
  }

  private tick(): void {
    this.timer = null;
    if (this.stopped) return;
    const now = this.opts.clock.now();
    const stall = this.detector.noticeStall(now);
    const cpu = this.opts.cpu?.sample() ?? null;
    if (stall.stalled && cpu !== null && this.cpuAt !== null) {
      for (const e of stall.events) {
        if (e.type === 'stalled') e.cause += `: ${CpuAccount.describe(CpuAccount.account(this.cpuAt, cpu, e.ms))}`;
      }
    }
    this.cpuAt = cpu;
    if (stall.stalled) {
      // This process was stalled: read what the peer sent meanwhile (the next poll of the
      // socket) before our next Hello says what we hear, and before any verdict.
      this.beatChangedAt = now; // the main thread stalled with us: give it a fresh watchdog
      this.readingAfterStall = true;
      this.emitEvents(stall.events);
      this.timer = this.opts.clock.setTimeout(() => this.tick(), 0);
      return;
    }
    this.readingAfterStall = false;
    if (this.stallFence && now >= this.stallFenceLapsesAt) this.stallFence = false;
    this.watchdog(now);
    if (this.vouching) this.sendHello();
    this.emitEvents(this.detector.check(now));
    this.timer = this.opts.clock.setTimeout(() => this.tick(), this.cfg.helloIntervalMs);
  }

  private emitEvents(events: ReturnType<LivenessDetector['check']>): void {
    for (const event of events) {
      if (event.type === 'stalled') {
        // Say so in our Hellos at once, before the main thread has read the event: a peer that
        // took over meanwhile must not step down for a chassis that served nothing.
        this.stallFence = true;
        this.stallFenceLapsesAt = this.opts.clock.now() + this.cfg.deadIntervalMs;
      }
      if (event.type === 'peer-dead') this.board[BOARD.hellosMissed] += Math.max(0, Math.floor(event.silentMs / this.cfg.helloIntervalMs) - 1);
      if (event.type === 'link-fault') this.board[BOARD.fault] = FAULT_CODES.indexOf(event.fault);
      this.opts.post({ type: 'event', event });
    }
  }

  /** Stops vouching for the chassis while the main thread misses its watchdog. */
  private watchdog(now: number): void {
    const beat = this.board[BOARD.mainBeatAt];
    if (beat !== this.beatSeen) {
      this.beatSeen = beat;
      this.beatChangedAt = now;
    }
    const quiet = now - this.beatChangedAt;
    const held = this.opts.mainHeld?.() ?? null;
    const tripped = held !== null || quiet > this.cfg.watchdogMs;
    if (this.vouching && tripped) {
      this.vouching = false;
      this.unvouchedSince = this.beatChangedAt;
      this.board[BOARD.vouching] = 0;
      this.opts.post({
        type: 'vouching',
        vouching: false,
        cause: held ?? `the main thread missed its watchdog (${Math.round(quiet)} ms > ${this.cfg.watchdogMs} ms): Hellos stop`,
      });
    } else if (!this.vouching && !tripped) {
      this.vouching = true;
      this.board[BOARD.vouching] = 1;
      this.opts.post({ type: 'vouching', vouching: true, cause: 'the main thread answers its watchdog again: Hellos resume' });
      this.emitEvents(this.detector.vouchingResumed(this.unvouchedSince, now));
    }
  }

  private sendHello(extra: { goodbye?: boolean; takeoverNow?: boolean } = {}): void {
    const s = this.status;
    if (!s || !s.helloAllowed) return;
    const now = this.opts.clock.now();
    const seq = this.detector.nextSequence();
    const heard = this.detector.heard(now);
    const peer = this.detector.status(now).peerHello;
    const hello: Hello = {
      chassisId: s.chassisId,
      mode: s.mode,
      state: s.state,
      priority: s.priority,
      cfMac: s.cfMac,
      routeModifier: s.routeModifier,
      configDigest: s.configDigest,
      sessionCount: s.sessionCount,
      standbyReady: s.standbyReady,
      sequence: seq,
      sentAtMs: Math.round(now),
      // The peer's send time plus how long we held it: its RTT excludes our hold time.
      echoSentAtMs: peer && peer.sentAtMs > 0 ? Math.round(peer.sentAtMs + heard.heardAgeMs) : 0,
      eligibleCount: s.eligibleCount,
      bootId: this.cfg.bootId,
      epoch: s.epoch,
      baseEpoch: s.baseEpoch,
      ...heard,
      fenced: s.fenced || this.stallFence,
      partialTable: s.partialTable,
      goodbye: extra.goodbye ?? false,
      takeoverNow: extra.takeoverNow ?? false,
    };
    let bytes: Buffer;
    try {
      bytes = encodeHelloDatagram(hello, this.keys[0]);
    } catch (err) {
      this.opts.post({ type: 'failed', message: `cannot encode our Hello: ${(err as Error).message}` });
      return;
    }
    this.opts.port.send(bytes);
    this.detector.sent(seq, now);
    this.board[BOARD.hellosSent]++;
  }

  private onDatagram(bytes: Buffer, from: { address: string; port: number }): void {
    if (this.stopped) return;
    const remote = `${from.address}:${from.port}`;
    const allowed = this.opts.acceptFrom();
    if (allowed && !allowed.has(from.address)) {
      this.refuse('not-peer-address', remote, `a datagram from ${from.address}, which is not the peer's address`);
      return;
    }
    let hello: Hello;
    try {
      hello = decodeHelloDatagram(bytes, this.keys).hello;
    } catch (err) {
      this.refuse(refusalOf(err), remote, (err as Error).message);
      return;
    }
    const now = this.opts.clock.now();
    if (this.status && hello.chassisId === this.status.chassisId && hello.bootId !== this.cfg.bootId) {
      this.refuse('same-chassis-id', remote, `the peer claims our own chassis-id ${hello.chassisId}`);
      return;
    }
    // A stall is noticed before the first datagram read after it is judged (see stallFence).
    const stall = this.detector.noticeStall(now);
    if (stall.stalled) this.beatChangedAt = now;
    this.emitEvents(stall.events);
    const verdict = this.detector.onHello(hello, now);
    if (!verdict.accepted) {
      this.refuse(verdict.reason, remote, `Hello ${hello.sequence} of boot ${hello.bootId} refused: ${verdict.reason}`);
      return;
    }
    if (verdict.fresh) this.stallFence = false;
    this.stallFenceLapsesAt = Infinity;
    // The verdict on time: a check exactly a dead interval after this Hello, not at the next beat.
    if (this.deadTimer) this.opts.clock.clearTimeout(this.deadTimer);
    this.deadTimer = this.opts.clock.setTimeout(() => {
      this.deadTimer = null;
      if (!this.stopped) this.emitEvents(this.detector.check(this.opts.clock.now()));
    }, this.cfg.deadIntervalMs);
    this.board[BOARD.hellosReceived]++;
    this.board[BOARD.lastHeardAt] = now;
    const ago = this.detector.status(now).peerLastHeardUsAgoMs;
    this.board[BOARD.peerLastHeardUsAgoMs] = ago ?? -1;
    const rttMs = hello.echoSentAtMs > 0 && now - hello.echoSentAtMs >= 0 && now - hello.echoSentAtMs < 60_000 ? now - hello.echoSentAtMs : null;
    this.opts.post({ type: 'hello', hello, newBoot: verdict.newBoot, fresh: verdict.fresh, rttMs });
    // A peer heard for the first time (or restarted) needs a Hello of ours that echoes it, to
    // believe our state: answer now rather than at the next beat.
    if (verdict.first && this.vouching) this.sendHello();
    // A goodbye, or a peer that now hears us again, changes the one-way state at once.
    this.emitEvents(this.detector.check(now));
  }

  private refuse(reason: DatagramRefusal, remote: string, cause: string): void {
    this.board[BOARD.refusedBase + DATAGRAM_REFUSALS.indexOf(reason)]++;
    const now = this.opts.clock.now();
    const last = this.lastRefusalLog.get(reason);
    if (last !== undefined && now - last < REFUSAL_LOG_EVERY_MS) return;
    this.lastRefusalLog.set(reason, now);
    this.opts.post({ type: 'refused', reason, remote, cause });
  }
}

function refusalOf(err: unknown): DatagramRefusal {
  if (!isWireError(err)) return 'bad-frame';
  switch (err.code) {
    case 'SRP_ERR_BAD_MAC':
      return 'bad-mac';
    case 'SRP_ERR_BAD_MAGIC':
      return 'garbage';
    case 'SRP_ERR_BAD_VERSION':
      return 'bad-version';
    case 'SRP_ERR_FRAME_TOO_LARGE':
      return 'frame-too-large';
    case 'SRP_ERR_REPLAY':
      return 'replay';
    default:
      return 'bad-frame';
  }
}

function detectorConfig(s: Pick<LivenessSettings, 'helloIntervalMs' | 'deadIntervalMs' | 'peerClaimHoldMs'>): DetectorConfig {
  return { helloIntervalMs: s.helloIntervalMs, deadIntervalMs: s.deadIntervalMs, peerClaimHoldMs: s.peerClaimHoldMs };
}
