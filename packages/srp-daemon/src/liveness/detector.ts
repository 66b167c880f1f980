// The failure detector of the liveness channel, as a pure object: Hellos in, verdicts out, time
// passed in by the caller. It runs in the liveness worker (engine.ts), apart from session work.
//
// What it decides:
// - which Hellos to believe: a Hello of the known peer boot must carry a higher sequence than
//   the last one (else it is a replay or a reordered copy); a Hello of another boot is believed
//   only when it is fresh, i.e. it echoes our own boot and one of our recent Hellos, which a
//   recorded Hello cannot do. The first peer ever seen is taken as it comes.
// - whether the peer is dead: no believed Hello for the dead interval, judged only when this
//   process was not itself stalled just before (a stalled process first reads what its peer
//   sent meanwhile: see `check`);
// - whether this process was stalled (SIGSTOP, a VM pause, a long GC of the worker): the gap
//   between two checks; a stall that the peer may have taken for our death (a silence of
//   dead - hello or more, while the peer was heard) is reported, so the chassis fences itself
//   until it hears its peer;
// - one-way faults: the peer's Hellos say how long ago it last heard us. Hearing a peer that no
//   longer hears us is a link fault, not a dead peer.
import type { Hello } from '@srp-ha/wire';

export interface DetectorConfig {
  helloIntervalMs: number;
  deadIntervalMs: number;
  /**
   * The least time from a peer's start to its claim of Active with nobody in sight: its
   * delay-interval plus start-up hold, taken as ours (the pair runs the same timers). Without
   * it every long enough stall is reported (see mayHaveTakenOver).
   */
  peerClaimHoldMs?: number;
}

export type HelloRefusal = 'replay' | 'stale-boot' | 'reflected';

export type HelloVerdict =
  /** first: the first Hello believed of this boot of the peer (answer it at once: it needs ours to be fresh). */
  | { accepted: true; newBoot: boolean; fresh: boolean; first: boolean }
  | { accepted: false; reason: HelloRefusal };

export type DetectorEvent =
  /** No believed Hello for the dead interval. */
  | { type: 'peer-dead'; silentMs: number }
  /** This process was stalled for `ms` (checks that should have run did not). */
  | { type: 'stalled'; ms: number; cause: string }
  /** The one-way state changed (see LinkFault). */
  | { type: 'link-fault'; fault: LinkFault };

/**
 * - none: both directions work (or nothing is known yet);
 * - peer-does-not-hear-us: we hear the peer, its Hellos say it has not heard us for most of the
 *   dead interval (our direction is failing);
 * - we-do-not-hear-peer: the peer is silent (dead, or its direction is failing: from this side
 *   the two look the same).
 */
export type LinkFault = 'none' | 'peer-does-not-hear-us' | 'we-do-not-hear-peer';

export interface LivenessStatus {
  hearing: boolean;
  heardBy: boolean;
  fault: LinkFault;
  /** ms since the last believed Hello; null before the first. */
  lastHeardAgoMs: number | null;
  /** The peer's silence about us: ms since it last heard us, as its last Hello says; null when unknown. */
  peerLastHeardUsAgoMs: number | null;
  peerBootId: number | null;
  /** The last believed Hello of the peer. */
  peerHello: Hello | null;
}

interface PeerRecord {
  bootId: number;
  lastSeq: number;
  lastHeardAt: number;
  hello: Hello;
}

/** How many of our own sent Hellos are remembered to judge freshness. */
const SENT_RING = 512;

export class LivenessDetector {
  private peer: PeerRecord | null = null;
  private readonly sentSeq = new Float64Array(SENT_RING);
  private readonly sentAt = new Float64Array(SENT_RING);
  private seq = 0;
  private lastCheckAt: number;
  private lastSentAt: number;
  /** After a stall: no dead verdict before this time (the socket is read first). */
  private listenUntil = 0;
  /** Our first Hello after the last stall: a peer Hello echoing it (or later) is fresh. */
  private resumeSeq = 0;
  private deadReported = false;
  private fault: LinkFault = 'none';

  constructor(
    private readonly cfg: DetectorConfig,
    readonly ownBootId: number,
    now: number,
  ) {
    this.lastCheckAt = now;
    this.lastSentAt = now;
  }

  /** Longest gap between two checks that is not a stall. */
  get stallThresholdMs(): number {
    return this.cfg.helloIntervalMs + Math.max(this.cfg.helloIntervalMs, 20);
  }

  /** How long a stalled process listens before it may judge its peer dead. */
  get listenWindowMs(): number {
    return Math.max(2 * this.cfg.helloIntervalMs, 20);
  }

  /** A silence (as the peer saw it) at which the peer may be about to judge us dead. */
  get fenceSilenceMs(): number {
    return Math.max(this.cfg.deadIntervalMs - this.cfg.helloIntervalMs, this.cfg.helloIntervalMs);
  }

  /**
   * The peer says it has not heard us for this long: our direction of the link is failing (it
   * is about to judge us dead). Higher than fenceSilenceMs, so that scheduling jitter on a busy
   * host is not taken for a one-way fault; the fault clears below half the dead interval.
   */
  get deafSilenceMs(): number {
    return Math.max(this.fenceSilenceMs, 0.8 * this.cfg.deadIntervalMs);
  }

  /** The sequence number of the next Hello; call sent() once it is on its way. */
  nextSequence(): number {
    return this.seq + 1;
  }

  /** What our next Hello says about what we hear. */
  heard(now: number): { heardBootId: number; heardSequence: number; heardAgeMs: number } {
    const p = this.peer;
    if (!p) return { heardBootId: 0, heardSequence: 0, heardAgeMs: 0 };
    return { heardBootId: p.bootId, heardSequence: p.lastSeq, heardAgeMs: Math.min(0xffffffff, Math.max(0, Math.round(now - p.lastHeardAt))) };
  }

  /** Hello `seq` (from nextSequence()) was sent at `now`. */
  sent(seq: number, now: number): void {
    this.seq = seq;
    const i = seq % SENT_RING;
    this.sentSeq[i] = seq;
    this.sentAt[i] = now;
    this.lastSentAt = now;
  }

  /** When our Hello `seq` was sent, if it is still remembered. */
  private sentTime(seq: number): number | null {
    const i = seq % SENT_RING;
    return seq > 0 && this.sentSeq[i] === seq ? this.sentAt[i] : null;
  }

  /** The Hello echoes this boot of ours and a Hello we sent within the dead interval (or after our last stall). */
  private isFresh(h: Hello, now: number): boolean {
    if (h.heardBootId !== this.ownBootId || h.heardSequence > this.seq) return false;
    const at = this.sentTime(h.heardSequence);
    return at !== null && now - at <= this.cfg.deadIntervalMs + this.cfg.helloIntervalMs;
  }

  /** Judges one authenticated Hello of the peer. */
  onHello(h: Hello, now: number): HelloVerdict {
    if (h.bootId === this.ownBootId) return { accepted: false, reason: 'reflected' };
    const p = this.peer;
    const fresh = this.isFresh(h, now);
    let newBoot = false;
    if (p && h.bootId === p.bootId) {
      if (h.sequence <= p.lastSeq) return { accepted: false, reason: 'replay' };
    } else if (p) {
      // Another boot of the peer: a restart, or a Hello recorded from an earlier one.
      if (!fresh) return { accepted: false, reason: 'stale-boot' };
      newBoot = true;
    }
    const first = p === null || newBoot;
    this.peer = { bootId: h.bootId, lastSeq: h.sequence, lastHeardAt: now, hello: h };
    this.deadReported = false;
    return { accepted: true, newBoot, fresh: fresh && h.heardSequence >= this.resumeSeq, first };
  }

  /**
   * Called every hello interval (and when a check is due). Detects a stall of this process,
   * judges the peer, and tracks one-way faults. Returns what changed.
   */
  check(now: number): DetectorEvent[] {
    const events = this.noticeStall(now).events;
    const p = this.peer;
    if (p && !this.deadReported && now >= this.listenUntil) {
      const silent = now - p.lastHeardAt;
      if (silent >= this.cfg.deadIntervalMs) {
        this.deadReported = true;
        events.push({ type: 'peer-dead', silentMs: Math.round(silent) });
      }
    }
    const fault = this.linkFault(now);
    if (fault !== this.fault) {
      this.fault = fault;
      events.push({ type: 'link-fault', fault });
    }
    return events;
  }

  /**
   * Notices a stall of this process: the time since the last check (or datagram) is longer than
   * a check period allows. What the peer sent meanwhile waits in the socket, so no verdict is
   * given for a listen window; the peer has not heard us since our last Hello before the stall,
   * and when that silence may have made it take over, a `stalled` event says so.
   */
  noticeStall(now: number): { stalled: boolean; events: DetectorEvent[] } {
    const gap = now - this.lastCheckAt;
    this.lastCheckAt = now;
    if (gap <= this.stallThresholdMs) return { stalled: false, events: [] };
    this.listenUntil = now + this.listenWindowMs;
    this.resumeSeq = this.seq + 1;
    const events: DetectorEvent[] = this.mayHaveTakenOver(this.lastSentAt, now)
      ? [{ type: 'stalled', ms: Math.round(gap), cause: 'this process was stalled' }]
      : [];
    return { stalled: true, events };
  }

  /**
   * The main thread was unresponsive (the watchdog stopped our Hellos) from `since` to `now`:
   * like a stall, the peer may have taken over. Reported when the silence may have been long
   * enough for that.
   */
  vouchingResumed(since: number, now: number): DetectorEvent[] {
    this.resumeSeq = this.seq + 1;
    return this.mayHaveTakenOver(Math.min(since, this.lastSentAt), now)
      ? [{ type: 'stalled', ms: Math.round(now - since), cause: 'the main thread did not answer its watchdog' }]
      : [];
  }

  /**
   * Whether the peer may have taken over while we were silent from `from` (our last Hello, or
   * when the watchdog stopped them if earlier) to `now`: the silence was long enough for its
   * dead verdict (dead - hello: it may be about to judge), and either it was heard within the
   * dead interval before the silence began, or the silence was long enough for a peer that
   * started meanwhile to wait out its start-up hold. A peer already silent for a dead interval
   * before (down, restarting, or unheard) cannot have taken over because of our silence unless
   * it started during it, and then its hold keeps it from claiming Active until it could have
   * heard us again. (One that hears us while we do not hear it may still take over; it steps
   * down again on our Hellos, which say we do not hear it: see the split-brain rules.) The
   * peer's hold is taken as ours (configuration validation compares delay-interval and
   * start-up hold, and reports a pair that differs).
   */
  private mayHaveTakenOver(from: number, now: number): boolean {
    if (now - from < this.fenceSilenceMs) return false;
    const p = this.peer;
    const heardBefore = p !== null && from - p.lastHeardAt < this.cfg.deadIntervalMs;
    const hold = this.cfg.peerClaimHoldMs;
    return heardBefore || hold === undefined || now - from + this.cfg.helloIntervalMs >= hold;
  }

  /** How long the peer had not heard us when it sent its last Hello (Infinity: never this boot). */
  private peerSilenceAboutUs(): number | null {
    const p = this.peer;
    // A fenced peer (it was stalled) says what it heard before its stall: that says nothing
    // about our direction of the link.
    if (!p || p.hello.fenced) return null;
    return p.hello.heardBootId === this.ownBootId ? p.hello.heardAgeMs : Infinity;
  }

  private linkFault(now: number): LinkFault {
    const p = this.peer;
    if (!p) return 'none';
    if (now - p.lastHeardAt >= this.cfg.deadIntervalMs) return 'we-do-not-hear-peer';
    // Only what the peer said counts: while it is merely silent we know nothing of what it hears.
    // A peer that has never heard this boot of ours is not a fault before the dead interval
    // after our first Hello (it learns our boot by hearing us).
    const silence = this.peerSilenceAboutUs();
    if (silence === null || now - this.firstSentAt() < this.cfg.deadIntervalMs) return 'none';
    const threshold = this.fault === 'peer-does-not-hear-us' ? this.cfg.deadIntervalMs / 2 : this.deafSilenceMs;
    return silence >= threshold ? 'peer-does-not-hear-us' : 'none';
  }

  private firstSentAt(): number {
    const at = this.sentTime(1);
    return at ?? (this.seq > 0 ? -Infinity : Infinity);
  }

  status(now: number): LivenessStatus {
    const p = this.peer;
    const hearing = p !== null && now - p.lastHeardAt < this.cfg.deadIntervalMs;
    const silence = this.peerSilenceAboutUs();
    const ago = p && silence !== null && silence !== Infinity ? now - p.lastHeardAt + silence : null;
    const fault = this.linkFault(now);
    return {
      hearing,
      heardBy: hearing && ago !== null && fault === 'none',
      fault,
      lastHeardAgoMs: p ? Math.round(now - p.lastHeardAt) : null,
      peerLastHeardUsAgoMs: ago === null ? null : Math.round(ago),
      peerBootId: p?.bootId ?? null,
      peerHello: p?.hello ?? null,
    };
  }
}
