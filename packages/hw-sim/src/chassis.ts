// One simulated chassis: two CF cards with intra-chassis redundancy (HSA / RPR / RPR+ / SSO),
// line cards that forward with their last FIB, RF clients, fault injection, and the subscriber
// traffic generator. Legality of every RF and line-card transition comes from the tables in
// rf-fsm.ts and line-card.ts; this class is the runner that decides when events happen.
// It is longer than the ~400 lines a file keeps to because CF lifecycle, switchover, line cards
// and fault injection all act on the same cards, timers and event stream of one chassis.
import { systemClock, type Clock } from './clock.js';
import { resolveHardwareConfig, type HardwareConfig, type HardwareConfigInput } from './config.js';
import { HwSimError } from './errors.js';
import { TypedEmitter, type CardFaultKind, type ChassisEvents, type SwitchoverCause } from './events.js';
import { LineCard, type LineCardAlarm, type LineCardEvent, type LineCardView } from './line-card.js';
import { MODE_BEHAVIOUR, type ModeBehaviour, type RedundancyMode, type SyncItem } from './modes.js';
import { RfClientRegistry, type RfClient } from './rf-clients.js';
import { rfStep, type RfEvent } from './rf-fsm.js';
import { RF_STATES, isActiveFamily, rfStateName, type RfState } from './rf-states.js';
import { TrafficGenerator, type SessionSink, type TrafficStats } from './traffic.js';

export interface CfCardView {
  slot: number;
  mac: string;
  present: boolean;
  hung: boolean;
  rfState: RfState;
  rfStateName: string;
  role: 'active' | 'standby' | 'booting' | 'offline' | 'removed';
  inStateMs: number;
}

export interface RedundancyCounters {
  switchovers: number;
  switchoversByCause: Record<SwitchoverCause, number>;
  chassisResets: number;
  standbyFailures: number;
  bulkSyncs: number;
  bulkSyncsAborted: number;
  incrementalSyncs: number;
  lineCardStatusEvents: number;
  clientNotifications: number;
  clientNotificationErrors: number;
  clientNotificationTimeouts: number;
}

export interface PacketCounters {
  forwarded: number;
  dropped: number;
  droppedNoRoute: number;
  droppedCardDown: number;
  droppedNoLineCard: number;
}

export interface LastSwitchover {
  at: number;
  cause: SwitchoverCause;
  from: number;
  to: number;
  durationMs: number | null; // null while in progress
  reset: boolean;
}

export interface ChassisSnapshot {
  chassisId: string;
  at: number;
  uptimeMs: number;
  configuredMode: RedundancyMode;
  operatingMode: RedundancyMode | 'Non-redundant';
  hardwareMode: 'Duplex' | 'Simplex';
  activeCf: { slot: number; mac: string } | null;
  cfs: CfCardView[];
  lineCards: LineCardView[];
  packets: PacketCounters;
  sessions: TrafficStats | null;
  counters: RedundancyCounters;
  switchoverInProgress: boolean;
  lastSwitchover: LastSwitchover | null;
  guard: { active: boolean; remainingMs: number };
  rfClients: number;
}

export interface HistoryEntry {
  at: number;
  text: string;
}

interface CfCard {
  slot: number;
  mac: string;
  present: boolean;
  hung: boolean;
  rf: RfState;
  since: number;
  epoch: number; // bumped when the card fails or powers on: stale timers and awaits check it
}

export interface ChassisOptions {
  clock?: Clock;
  /** Where generated session operations go (can be set later with setSessionSink). */
  sink?: SessionSink | null;
  /** Extra RF clients registered before start. */
  clients?: RfClient[];
}

const HISTORY_LIMIT = 500;

export class Chassis {
  readonly config: HardwareConfig;
  readonly clock: Clock;
  readonly events = new TypedEmitter<ChassisEvents>();
  readonly clients: RfClientRegistry;
  readonly traffic: TrafficGenerator | null;
  private readonly behaviour: ModeBehaviour;
  private readonly cfs: [CfCard, CfCard];
  private readonly lcs: LineCard[];
  private readonly timers = new Set<unknown>();
  private readonly history: HistoryEntry[] = [];
  private readonly packets: PacketCounters = { forwarded: 0, dropped: 0, droppedNoRoute: 0, droppedCardDown: 0, droppedNoLineCard: 0 };
  private readonly counters: Omit<RedundancyCounters, 'clientNotifications' | 'clientNotificationErrors' | 'clientNotificationTimeouts'> = {
    switchovers: 0,
    switchoversByCause: { crash: 0, 'declared-dead': 0, forced: 0, removed: 0 },
    chassisResets: 0,
    standbyFailures: 0,
    bulkSyncs: 0,
    bulkSyncsAborted: 0,
    incrementalSyncs: 0,
    lineCardStatusEvents: 0,
  };
  private started = false;
  private startedAt = 0;
  private switching: Promise<void> | null = null;
  private lastSwitchover: LastSwitchover | null = null;
  private guardUntil = -Infinity;
  private reportedActive: number | null = null;

  constructor(config: HardwareConfigInput | HardwareConfig = {}, options: ChassisOptions = {}) {
    this.config = resolveHardwareConfig(config);
    this.clock = options.clock ?? systemClock;
    this.behaviour = MODE_BEHAVIOUR[this.config.redundancyMode];
    const now = this.clock.now();
    const mk = (i: 0 | 1): CfCard => ({
      slot: this.config.cfSlots[i],
      mac: this.config.cfMacs[i],
      present: true,
      hung: false,
      rf: RF_STATES.DISABLED,
      since: now,
      epoch: 0,
    });
    this.cfs = [mk(0), mk(1)];
    const firstLc = Math.max(...this.config.cfSlots) + 1;
    this.lcs = this.config.lineCards.map((lc, i) => new LineCard(firstLc + i, lc.ports));
    this.clients = new RfClientRegistry(this.clock, this.config.timers.clientNotificationMs);
    this.clients.onRecord = (r) => this.log(`client ${r.kind} notified: ${r.name}(${r.clientId}) seq=${r.clientSeq} ${r.outcome}`);
    for (const c of options.clients ?? []) this.clients.register(c);
    this.traffic = this.config.traffic
      ? new TrafficGenerator(this.config.traffic, this.clock, `${this.config.chassisId}-`, options.sink ?? null, {
          accepting: () => this.hasActiveCf(),
          pickLineCard: (r) => {
            const up = this.lcs.filter((lc) => lc.state === 'up');
            return up.length === 0 ? null : up[Math.floor(r * up.length)].slot;
          },
          sessionPlaced: (slot, d) => {
            const lc = this.lcs.find((x) => x.slot === slot);
            if (lc) lc.sessions = Math.max(0, lc.sessions + d);
          },
        })
      : null;
  }

  // ---------------------------------------------------------------- lifecycle

  /** Power on every card. */
  start(): void {
    if (this.started) throw new HwSimError('HW_ERR_CARD_STATE', 'chassis already started');
    this.started = true;
    this.startedAt = this.clock.now();
    for (const c of this.cfs) if (c.present) this.powerOn(c);
    for (const lc of this.lcs) this.lcApply(lc, 'reload', 'none');
    if (this.traffic?.config.autoStart) this.traffic.start();
  }

  /** Stop every timer (the model freezes where it is). */
  dispose(): void {
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers.clear();
    this.traffic?.stop();
  }

  /** `reload`: a full reload of the box (not a switchover: every table is lost, line cards reset). */
  reload(): void {
    this.chassisReset('reload command');
  }

  on<K extends keyof ChassisEvents>(name: K, fn: (e: ChassisEvents[K]) => void): () => void {
    return this.events.on(name, fn);
  }

  setSessionSink(sink: SessionSink | null): void {
    this.traffic?.setSink(sink);
  }

  registerClient(client: RfClient): () => void {
    return this.clients.register(client);
  }

  // ---------------------------------------------------------------- queries

  get mode(): RedundancyMode {
    return this.config.redundancyMode;
  }

  /** The CF in charge (ACTIVE FAST .. ACTIVE), if any. */
  activeCf(): { slot: number; mac: string; state: RfState } | null {
    const c = this.cfs.find((x) => x.present && isActiveFamily(x.rf));
    return c ? { slot: c.slot, mac: c.mac, state: c.rf } : null;
  }

  /** An ACTIVE (13), responsive CF: the control plane can take new work. */
  hasActiveCf(): boolean {
    return this.cfs.some((c) => c.present && !c.hung && c.rf === RF_STATES.ACTIVE);
  }

  /** The standby has reached the state its mode needs to take over without a chassis reset. */
  standbyReady(): boolean {
    const a = this.cfs.find((c) => c.present && isActiveFamily(c.rf));
    if (!a) return false;
    const s = this.peerOf(a);
    return s.present && !s.hung && s.rf === this.behaviour.standbyReadyState;
  }

  switchoverInProgress(): boolean {
    return this.switching !== null;
  }

  /** Within the guard period after a local CF switchover, chassis reset or card reboot. */
  inGuardPeriod(): boolean {
    return this.clock.now() < this.guardUntil;
  }

  guardRemainingMs(): number {
    return Math.max(0, this.guardUntil - this.clock.now());
  }

  rfState(slot: number): RfState {
    return this.cf(slot).rf;
  }

  lineCard(slot: number): LineCardView {
    return this.lc(slot).view();
  }

  historyEntries(): readonly HistoryEntry[] {
    return this.history;
  }

  uptimeMs(): number {
    return this.started ? this.clock.now() - this.startedAt : 0;
  }

  redundancyCounters(): RedundancyCounters {
    return {
      ...this.counters,
      switchoversByCause: { ...this.counters.switchoversByCause },
      clientNotifications: this.clients.stats.notifications,
      clientNotificationErrors: this.clients.stats.errors,
      clientNotificationTimeouts: this.clients.stats.timeouts,
    };
  }

  /** Point-in-time view for metrics and `show` commands. */
  snapshot(): ChassisSnapshot {
    const now = this.clock.now();
    const active = this.activeCf();
    const duplex = this.cfs.every((c) => c.present && c.rf !== RF_STATES.DISABLED);
    return {
      chassisId: this.config.chassisId,
      at: now,
      uptimeMs: this.uptimeMs(),
      configuredMode: this.mode,
      operatingMode: this.operatingMode(),
      hardwareMode: duplex ? 'Duplex' : 'Simplex',
      activeCf: active ? { slot: active.slot, mac: active.mac } : null,
      cfs: this.cfs.map((c) => this.cfView(c, now)),
      lineCards: this.lcs.map((lc) => lc.view()),
      packets: { ...this.packets },
      sessions: this.traffic?.stats() ?? null,
      counters: this.redundancyCounters(),
      switchoverInProgress: this.switching !== null,
      lastSwitchover: this.lastSwitchover ? { ...this.lastSwitchover } : null,
      guard: { active: this.inGuardPeriod(), remainingMs: this.guardRemainingMs() },
      rfClients: this.clients.count(),
    };
  }

  /**
   * The mode the pair runs in now: the configured one once the standby is ready; RPR while a
   * stateful standby is still syncing (seed: "during synchronization ... the configured mode
   * will be RPR"); Non-redundant without a standby.
   */
  operatingMode(): RedundancyMode | 'Non-redundant' {
    const a = this.cfs.find((c) => c.present && isActiveFamily(c.rf));
    if (!a) return 'Non-redundant';
    const s = this.peerOf(a);
    if (!s.present || s.rf < RF_STATES.STANDBY_COLD || isActiveFamily(s.rf)) return 'Non-redundant';
    return this.standbyReady() ? this.mode : 'RPR';
  }

  // ---------------------------------------------------------------- data plane

  /**
   * Offer `packets` to the chassis, spread over the present line cards; each forwards with the
   * FIB it holds. Returns what was forwarded and dropped.
   */
  forward(packets: number, prefix: string = this.config.routes[0] ?? '0.0.0.0/0'): { forwarded: number; dropped: number } {
    if (!Number.isInteger(packets) || packets < 0) throw new HwSimError('HW_ERR_BAD_CONFIG', 'packets must be a non-negative integer');
    const cards = this.lcs.filter((lc) => lc.state !== 'removed');
    if (cards.length === 0) {
      this.packets.dropped += packets;
      this.packets.droppedNoLineCard += packets;
      return { forwarded: 0, dropped: packets };
    }
    let forwarded = 0;
    const share = Math.floor(packets / cards.length);
    let rest = packets - share * cards.length;
    for (const lc of cards) {
      const n = share + (rest-- > 0 ? 1 : 0);
      const before = { ...lc.counters };
      forwarded += lc.forward(n, prefix);
      this.packets.droppedNoRoute += lc.counters.droppedNoRoute - before.droppedNoRoute;
      this.packets.droppedCardDown += lc.counters.droppedCardDown - before.droppedCardDown;
    }
    this.packets.forwarded += forwarded;
    this.packets.dropped += packets - forwarded;
    return { forwarded, dropped: packets - forwarded };
  }

  // ---------------------------------------------------------------- fault injection

  /** Crash a card: a CF crashes and reloads; a line card crashes and reloads (SLCR). */
  crashCard(slot: number): void {
    if (this.isLcSlot(slot)) return this.crashLineCard(slot);
    const c = this.cf(slot);
    if (!c.present || c.rf === RF_STATES.DISABLED) throw new HwSimError('HW_ERR_CARD_STATE', `CF in slot ${slot} is not running`);
    this.fault(slot, 'crash', 'cf');
    void this.cfFailed(c, 'crash', true);
  }

  /** Hang a card: it stops responding and is declared dead after the hang-detect timer. */
  hangCard(slot: number): void {
    if (this.isLcSlot(slot)) {
      const lc = this.lc(slot);
      this.lcApply(lc, 'hang', 'hung');
      this.fault(slot, 'hang', 'line-card');
      this.after(this.config.timers.hangDetectMs, () => {
        if (lc.state === 'down' && lc.alarm === 'hung') this.lcApply(lc, 'reload', 'reset');
      });
      return;
    }
    const c = this.cf(slot);
    if (!c.present || c.rf === RF_STATES.DISABLED || c.hung) throw new HwSimError('HW_ERR_CARD_STATE', `CF in slot ${slot} is not running`);
    c.hung = true;
    this.fault(slot, 'hang', 'cf');
    const epoch = c.epoch;
    this.after(this.config.timers.hangDetectMs, () => {
      if (c.epoch !== epoch || !c.hung) return;
      this.log(`slot ${slot}: CF declared dead (no response for ${this.config.timers.hangDetectMs} ms)`);
      void this.cfFailed(c, 'declared-dead', true);
    });
  }

  /** Online removal of a card. */
  removeCard(slot: number): void {
    if (this.isLcSlot(slot)) {
      const lc = this.lc(slot);
      this.lcApply(lc, 'remove', 'removed');
      this.fault(slot, 'remove', 'line-card');
      this.incremental('chassis-state', `line card ${slot} removed`);
      return;
    }
    const c = this.cf(slot);
    if (!c.present) throw new HwSimError('HW_ERR_CARD_STATE', `CF slot ${slot} is already empty`);
    this.fault(slot, 'remove', 'cf');
    c.present = false;
    if (c.rf !== RF_STATES.DISABLED) void this.cfFailed(c, 'removed', false);
    c.hung = false;
  }

  /** Online insertion of a card into an empty slot. */
  insertCard(slot: number): void {
    if (this.isLcSlot(slot)) {
      const lc = this.lc(slot);
      this.lcApply(lc, 'insert', 'none');
      this.fault(slot, 'insert', 'line-card');
      this.incremental('chassis-state', `line card ${slot} inserted`);
      return;
    }
    const c = this.cf(slot);
    if (c.present) throw new HwSimError('HW_ERR_CARD_STATE', `CF slot ${slot} is occupied`);
    c.present = true;
    c.hung = false;
    this.fault(slot, 'insert', 'cf');
    if (this.started) this.powerOn(c);
  }

  /** Line-card crash: the card goes down and reloads by itself. */
  crashLineCard(slot: number): void {
    const lc = this.lc(slot);
    this.lcApply(lc, 'crash', 'crashed');
    this.fault(slot, 'lc-crash', 'line-card');
    const epoch = lc.epoch;
    this.after(0, () => {
      if (lc.epoch === epoch) this.lcApply(lc, 'reload', 'reset');
    });
  }

  /**
   * `redundancy force-switchover`: a graceful switchover to a ready standby. Refused (with a
   * reason) when there is no ACTIVE CF, a switchover is running, or the standby is not ready.
   * Resolves when the new active reaches ACTIVE.
   */
  async forceSwitchover(): Promise<void> {
    const a = this.cfs.find((c) => c.present && c.rf === RF_STATES.ACTIVE && !c.hung);
    if (!a) throw new HwSimError('HW_ERR_SWITCHOVER_REFUSED', 'no CF is ACTIVE');
    if (this.switching) throw new HwSimError('HW_ERR_SWITCHOVER_REFUSED', 'a switchover is already in progress');
    if (!this.standbyReady()) {
      const s = this.peerOf(a);
      throw new HwSimError(
        'HW_ERR_SWITCHOVER_REFUSED',
        `standby not ready: peer state = ${s.present ? `${s.rf} -${rfStateName(s.rf)}` : 'removed'}, ${this.mode} needs ${this.behaviour.standbyReadyState} -${rfStateName(this.behaviour.standbyReadyState)}`,
      );
    }
    this.setRf(a, 'handback');
    this.log(`slot ${a.slot}: critical clean-up before yielding activity`);
    await this.cfFailed(a, 'forced', true);
  }

  // ---------------------------------------------------------------- internals: CF lifecycle

  private powerOn(c: CfCard): void {
    c.epoch++;
    c.hung = false;
    this.setRf(c, 'power-on');
    const epoch = c.epoch;
    this.after(this.config.timers.cfBootMs, () => {
      if (c.epoch !== epoch) return;
      this.setRf(c, 'init-done');
      this.negotiate(c);
    });
  }

  private negotiate(c: CfCard): void {
    const peer = this.peerOf(c);
    if (peer.present && isActiveFamily(peer.rf)) {
      this.setRf(c, 'elected-standby');
      this.startStandbySync(peer, c);
      return;
    }
    this.setRf(c, 'elected-active');
    this.reportActive();
    this.programAllLineCards();
  }

  /** Standby progression: COLD, then (RPR+, SSO) COLD-CONFIG, COLD-FILESYS, COLD-BULK, HOT. */
  private startStandbySync(active: CfCard, standby: CfCard): void {
    const b = this.behaviour;
    const aEpoch = active.epoch;
    const sEpoch = standby.epoch;
    const valid = () => active.epoch === aEpoch && standby.epoch === sEpoch && !active.hung && !standby.hung;
    if (!b.standbySyncs) {
      this.log(`slot ${standby.slot}: startup configuration synced; standby stays ${rfStateName(standby.rf)} (${this.mode})`);
      return;
    }
    const t = this.config.timers;
    this.setRf(standby, 'config-sync');
    this.after(t.configSyncMs, () => {
      if (!valid()) return this.abortedSync(standby);
      this.setRf(standby, 'config-synced');
      this.after(t.fileSysSyncMs, () => {
        if (!valid()) return this.abortedSync(standby);
        this.setRf(standby, 'filesys-synced');
        const bulkStart = this.clock.now();
        const finish = () => {
          if (!valid()) return this.abortedSync(standby);
          this.setRf(standby, 'bulk-synced');
          this.counters.bulkSyncs++;
          this.log(`%HA-6-STANDBY_READY: Standby CF in slot ${standby.slot} is operational in ${this.mode} mode`);
        };
        const afterClients = () => {
          if (!valid()) return this.abortedSync(standby);
          this.after(Math.max(0, bulkStart + t.bulkSyncMs - this.clock.now()), finish);
        };
        if (!b.clientSync) return afterClients();
        this.clients
          .notifyAll({ kind: 'bulk-sync', activeSlot: active.slot, standbySlot: standby.slot }, valid)
          .then(afterClients, afterClients);
      });
    });
  }

  private abortedSync(standby: CfCard): void {
    this.counters.bulkSyncsAborted++;
    this.log(`slot ${standby.slot}: standby sync aborted`);
  }

  /**
   * A CF failed (crash, declared dead, removed, or yielded by a forced switchover). Returns the
   * switchover promise when a switchover starts.
   */
  private cfFailed(c: CfCard, cause: SwitchoverCause, reloads: boolean): Promise<void> | undefined {
    const wasActive = isActiveFamily(c.rf);
    this.failCard(c);
    if (reloads) {
      const epoch = c.epoch;
      this.after(this.config.timers.cfReloadMs, () => {
        if (c.epoch === epoch && c.present && this.started) this.powerOn(c);
      });
    }
    this.openGuard();
    if (!wasActive) {
      if (this.cfs.some((x) => x.present && isActiveFamily(x.rf))) this.counters.standbyFailures++;
      return undefined;
    }
    const standby = this.peerOf(c);
    if (this.switching || !(standby.present && !standby.hung && standby.rf === this.behaviour.standbyReadyState)) {
      const why = this.switching
        ? 'the CF taking over failed during the switchover'
        : standby.present && standby.rf !== RF_STATES.DISABLED
          ? `switchover before bulk sync completed (standby ${standby.rf} -${rfStateName(standby.rf)})`
          : 'no standby CF';
      this.chassisReset(`active CF in slot ${c.slot} failed (${cause}): ${why}`);
      return undefined;
    }
    // The runner never rejects: an internal error (an illegal RF transition would be a bug in
    // this model) is logged and recovers the way the hardware would, with a chassis reset.
    const p = this.runSwitchover(c, standby, cause).catch((err: unknown) => {
      this.log(`switchover failed: ${err instanceof Error ? err.message : String(err)}`);
      this.chassisReset('internal error during switchover');
    });
    this.switching = p;
    return p;
  }

  private async runSwitchover(from: CfCard, to: CfCard, cause: SwitchoverCause): Promise<void> {
    const b = this.behaviour;
    const t0 = this.clock.now();
    const epoch = to.epoch;
    const reset = b.chassisResetOnSwitchover || b.lineCardsResetOnSwitchover;
    this.counters.switchovers++;
    this.counters.switchoversByCause[cause]++;
    this.lastSwitchover = { at: t0, cause, from: from.slot, to: to.slot, durationMs: null, reset };
    this.log(`switchover (${cause}) from slot ${from.slot} to slot ${to.slot} in ${this.mode} mode`);
    if (b.chassisResetOnSwitchover) {
      this.log('HSA cold restart: the new active CF reboots the router');
      this.events.emit('chassis-reset', { at: t0, cause: `HSA cold restart after ${cause}` });
    }
    if (b.lineCardsResetOnSwitchover) {
      for (const lc of this.lcs) if (lc.state === 'up' || lc.state === 'booting') this.lcApply(lc, 'reload', 'reset');
    } else if (!b.nonstopForwarding) {
      for (const lc of this.lcs) lc.flushFib();
    }
    if (!b.clientSync) {
      const lost = this.traffic?.dropAll() ?? 0;
      if (lost) this.log(`${lost} sessions lost: application state is not synchronised in ${this.mode}`);
    }
    this.setRf(to, 'switchover');
    this.reportActive();
    const stillWanted = () => to.epoch === epoch;
    await this.clients.notifyAll({ kind: 'switchover', activeSlot: to.slot, standbySlot: from.slot }, stillWanted);
    if (!stillWanted()) return;
    this.setRf(to, 'fast-done');
    this.setRf(to, 'drain-done');
    await new Promise<void>((resolve) => this.after(Math.max(0, t0 + this.config.timers.switchoverMs[this.mode] - this.clock.now()), resolve));
    if (!stillWanted()) return;
    this.setRf(to, 'preconfig-done');
    this.programAllLineCards();
    this.setRf(to, 'postconfig-done');
    const durationMs = this.clock.now() - t0;
    this.lastSwitchover = { ...this.lastSwitchover, durationMs };
    this.switching = null;
    this.openGuard();
    this.log(`switchover complete in ${durationMs} ms: slot ${to.slot} is ACTIVE`);
    this.events.emit('cf-switchover', { at: this.clock.now(), from: from.slot, to: to.slot, mode: this.mode, cause, durationMs, reset });
  }

  private chassisReset(cause: string): void {
    this.counters.chassisResets++;
    this.switching = null;
    this.log(`chassis reset: ${cause}`);
    for (const c of this.cfs) {
      if (c.rf !== RF_STATES.DISABLED) this.failCard(c);
      else c.epoch++;
    }
    this.reportActive();
    for (const lc of this.lcs) if (lc.state !== 'removed') this.lcApply(lc, 'reload', 'reset');
    const lost = this.traffic?.dropAll() ?? 0;
    if (lost) this.log(`${lost} sessions lost in the chassis reset`);
    this.openGuard();
    this.events.emit('chassis-reset', { at: this.clock.now(), cause });
    for (const c of this.cfs) if (c.present && this.started) this.powerOn(c);
  }

  private failCard(c: CfCard): void {
    c.epoch++;
    c.hung = false;
    if (c.rf !== RF_STATES.DISABLED) this.setRf(c, 'fail');
    // active-cf-changed is reported by the caller once the new active is known (no null blip
    // between the old and the new MAC on a switchover).
  }

  // ---------------------------------------------------------------- internals: line cards

  private lcApply(lc: LineCard, event: LineCardEvent, alarm: LineCardAlarm): void {
    const wasUp = lc.state === 'up';
    const r = lc.apply(event);
    if (!r.ok) throw new HwSimError('HW_ERR_ILLEGAL_TRANSITION', `slot ${lc.slot}: ${r.reason}`);
    lc.alarm = alarm;
    if (wasUp && lc.state !== 'up') this.lcStatus(lc, 'down');
    if (lc.state === 'booting') {
      const epoch = lc.epoch;
      this.after(this.config.timers.lineCardBootMs, () => {
        if (lc.epoch !== epoch) return;
        lc.apply('boot-done');
        lc.alarm = 'none';
        if (this.hasActiveCf()) lc.programFib(this.fibEntries(lc));
        this.lcStatus(lc, 'up');
      });
    }
  }

  /** Line cards report up/down and alarms to the active CF, which syncs them incrementally. */
  private lcStatus(lc: LineCard, status: 'up' | 'down'): void {
    this.counters.lineCardStatusEvents++;
    this.events.emit('linecard-status', { at: this.clock.now(), slot: lc.slot, status, alarm: lc.alarm });
    this.log(`line card ${lc.slot}: ${status}${lc.alarm !== 'none' ? ` (alarm: ${lc.alarm})` : ''}`);
    this.incremental('line-card-state', `line card ${lc.slot} ${status}`);
  }

  private fibEntries(lc: LineCard): { prefix: string; port: number }[] {
    return this.config.routes.map((prefix, i) => ({ prefix, port: i % lc.ports }));
  }

  private programAllLineCards(): void {
    for (const lc of this.lcs) if (lc.state === 'up') lc.programFib(this.fibEntries(lc));
    this.incremental('forwarding-table', 'FIB programmed on line cards');
  }

  // ---------------------------------------------------------------- internals: helpers

  private incremental(item: SyncItem, detail: string): void {
    const a = this.cfs.find((c) => c.present && c.rf === RF_STATES.ACTIVE);
    if (!a) return;
    const s = this.peerOf(a);
    if (s.rf !== RF_STATES.STANDBY_HOT || !this.behaviour.synchronised.includes(item)) return;
    this.counters.incrementalSyncs++;
    if (this.behaviour.clientSync) {
      void this.clients.notifyAll({ kind: 'incremental', activeSlot: a.slot, standbySlot: s.slot, change: { item, detail } });
    }
  }

  private setRf(c: CfCard, event: RfEvent): void {
    const r = rfStep(c.rf, event);
    if (!r.ok) throw new HwSimError('HW_ERR_ILLEGAL_TRANSITION', `slot ${c.slot}: ${r.reason}`);
    const previous = c.rf;
    c.rf = r.state;
    c.since = this.clock.now();
    const peer = this.peerOf(c);
    this.log(`slot ${c.slot}: *my state = ${rfStateName(c.rf)}(${c.rf}) *peer state = ${rfStateName(peer.rf)}(${peer.rf})`);
    this.events.emit('rf-state', { at: c.since, card: c.slot, state: c.rf, name: rfStateName(c.rf), previous });
  }

  private reportActive(): void {
    const a = this.activeCf();
    const slot = a?.slot ?? null;
    if (slot === this.reportedActive) return;
    this.reportedActive = slot;
    this.events.emit('active-cf-changed', { at: this.clock.now(), slot, mac: a?.mac ?? null });
  }

  private openGuard(): void {
    this.guardUntil = Math.max(this.guardUntil, this.clock.now() + this.config.guardTimerMs);
  }

  private fault(card: number, kind: CardFaultKind, cardType: 'cf' | 'line-card'): void {
    this.log(`slot ${card}: fault injected: ${kind}`);
    this.events.emit('card-fault', { at: this.clock.now(), card, kind, cardType });
  }

  private log(text: string): void {
    this.history.push({ at: this.clock.now(), text });
    if (this.history.length > HISTORY_LIMIT) this.history.splice(0, this.history.length - HISTORY_LIMIT);
  }

  private after(ms: number, fn: () => void): void {
    const h = this.clock.setTimeout(() => {
      this.timers.delete(h);
      fn();
    }, ms);
    this.timers.add(h);
  }

  private peerOf(c: CfCard): CfCard {
    return this.cfs[0] === c ? this.cfs[1] : this.cfs[0];
  }

  private cf(slot: number): CfCard {
    const c = this.cfs.find((x) => x.slot === slot);
    if (!c) throw new HwSimError('HW_ERR_NO_SUCH_CARD', `no CF slot ${slot} (CF slots: ${this.config.cfSlots.join(', ')})`);
    return c;
  }

  private isLcSlot(slot: number): boolean {
    return this.lcs.some((x) => x.slot === slot);
  }

  private lc(slot: number): LineCard {
    const lc = this.lcs.find((x) => x.slot === slot);
    if (!lc) throw new HwSimError('HW_ERR_NO_SUCH_CARD', `no line card in slot ${slot}`);
    return lc;
  }

  private cfView(c: CfCard, now: number): CfCardView {
    const role: CfCardView['role'] = !c.present
      ? 'removed'
      : isActiveFamily(c.rf)
        ? 'active'
        : c.rf >= RF_STATES.STANDBY_COLD
          ? 'standby'
          : c.rf === RF_STATES.DISABLED
            ? 'offline'
            : 'booting';
    return { slot: c.slot, mac: c.mac, present: c.present, hung: c.hung, rfState: c.rf, rfStateName: rfStateName(c.rf), role, inStateMs: now - c.since };
  }
}
