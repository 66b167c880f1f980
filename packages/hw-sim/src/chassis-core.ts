// The shared state of one simulated chassis (its CF cards, line cards, timers, counters, history
// and event stream) and the small helpers every chassis module uses: the history log, timers
// that die with the chassis, checked RF transitions, the active-CF report, incremental sync and
// card lookups. The CF lifecycle (cf-cards.ts), switchover (switchover.ts), line cards
// (line-card-runner.ts) and fault injection (faults.ts) all act on this one object; the public
// `Chassis` (chassis.ts) owns it and delegates. Not exported from the package.
import { systemClock, type Clock } from './clock.js';
import type { HardwareConfig } from './config.js';
import { HwSimError } from './errors.js';
import { TypedEmitter, type ChassisEvents } from './events.js';
import { LineCard } from './line-card.js';
import { MODE_BEHAVIOUR, type ModeBehaviour, type SyncItem } from './modes.js';
import { RfClientRegistry } from './rf-clients.js';
import { rfStep, type RfEvent } from './rf-fsm.js';
import { RF_STATES, isActiveFamily, rfStateName, type RfState } from './rf-states.js';
import { TrafficGenerator } from './traffic.js';
import type { CfCard, ChassisCounters, ChassisOptions, HistoryEntry, LastSwitchover, PacketCounters } from './chassis-types.js';

const HISTORY_LIMIT = 500;

export class ChassisCore {
  readonly config: HardwareConfig;
  readonly clock: Clock;
  readonly events = new TypedEmitter<ChassisEvents>();
  readonly clients: RfClientRegistry;
  readonly traffic: TrafficGenerator | null;
  readonly behaviour: ModeBehaviour;
  readonly cfs: [CfCard, CfCard];
  readonly lcs: LineCard[];
  readonly timers = new Set<unknown>();
  readonly history: HistoryEntry[] = [];
  readonly packets: PacketCounters = { forwarded: 0, dropped: 0, droppedNoRoute: 0, droppedCardDown: 0, droppedNoLineCard: 0 };
  readonly counters: ChassisCounters = {
    switchovers: 0,
    switchoversByCause: { crash: 0, 'declared-dead': 0, forced: 0, removed: 0 },
    chassisResets: 0,
    standbyFailures: 0,
    bulkSyncs: 0,
    bulkSyncsAborted: 0,
    incrementalSyncs: 0,
    lineCardStatusEvents: 0,
  };
  started = false;
  startedAt = 0;
  switching: Promise<void> | null = null;
  lastSwitchover: LastSwitchover | null = null;
  guardUntil = -Infinity;
  private reportedActive: number | null = null;

  constructor(config: HardwareConfig, options: ChassisOptions) {
    this.config = config;
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

  // ---------------------------------------------------------------- queries

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

  inGuardPeriod(): boolean {
    return this.clock.now() < this.guardUntil;
  }

  guardRemainingMs(): number {
    return Math.max(0, this.guardUntil - this.clock.now());
  }

  // ---------------------------------------------------------------- helpers

  /** A change of an item the mode synchronises, while the standby is HOT: counted, and SSO clients hear of it. */
  incremental(item: SyncItem, detail: string): void {
    const a = this.cfs.find((c) => c.present && c.rf === RF_STATES.ACTIVE);
    if (!a) return;
    const s = this.peerOf(a);
    if (s.rf !== RF_STATES.STANDBY_HOT || !this.behaviour.synchronised.includes(item)) return;
    this.counters.incrementalSyncs++;
    if (this.behaviour.clientSync) {
      void this.clients.notifyAll({ kind: 'incremental', activeSlot: a.slot, standbySlot: s.slot, change: { item, detail } });
    }
  }

  /** Apply an RF event to a CF; an illegal one is a bug in this model and throws. */
  setRf(c: CfCard, event: RfEvent): void {
    const r = rfStep(c.rf, event);
    if (!r.ok) throw new HwSimError('HW_ERR_ILLEGAL_TRANSITION', `slot ${c.slot}: ${r.reason}`);
    const previous = c.rf;
    c.rf = r.state;
    c.since = this.clock.now();
    const peer = this.peerOf(c);
    this.log(`slot ${c.slot}: *my state = ${rfStateName(c.rf)}(${c.rf}) *peer state = ${rfStateName(peer.rf)}(${peer.rf})`);
    this.events.emit('rf-state', { at: c.since, card: c.slot, state: c.rf, name: rfStateName(c.rf), previous });
  }

  /** Emit `active-cf-changed` when the CF in charge differs from the one last reported. */
  reportActive(): void {
    const a = this.activeCf();
    const slot = a?.slot ?? null;
    if (slot === this.reportedActive) return;
    this.reportedActive = slot;
    this.events.emit('active-cf-changed', { at: this.clock.now(), slot, mac: a?.mac ?? null });
  }

  /** Open (or extend) the guard period after a local CF fault, switchover or chassis reset. */
  openGuard(): void {
    this.guardUntil = Math.max(this.guardUntil, this.clock.now() + this.config.guardTimerMs);
  }

  log(text: string): void {
    this.history.push({ at: this.clock.now(), text });
    if (this.history.length > HISTORY_LIMIT) this.history.splice(0, this.history.length - HISTORY_LIMIT);
  }

  /** A timer that `clearTimers()` cancels. */
  after(ms: number, fn: () => void): void {
    const h = this.clock.setTimeout(() => {
      this.timers.delete(h);
      fn();
    }, ms);
    this.timers.add(h);
  }

  clearTimers(): void {
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers.clear();
  }

  peerOf(c: CfCard): CfCard {
    return this.cfs[0] === c ? this.cfs[1] : this.cfs[0];
  }

  cf(slot: number): CfCard {
    const c = this.cfs.find((x) => x.slot === slot);
    if (!c) throw new HwSimError('HW_ERR_NO_SUCH_CARD', `no CF slot ${slot} (CF slots: ${this.config.cfSlots.join(', ')})`);
    return c;
  }

  isLcSlot(slot: number): boolean {
    return this.lcs.some((x) => x.slot === slot);
  }

  lc(slot: number): LineCard {
    const lc = this.lcs.find((x) => x.slot === slot);
    if (!lc) throw new HwSimError('HW_ERR_NO_SUCH_CARD', `no line card in slot ${slot}`);
    return lc;
  }
}
