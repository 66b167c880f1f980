// One simulated chassis: two CF cards with intra-chassis redundancy (HSA / RPR / RPR+ / SSO),
// line cards that forward with their last FIB, RF clients, fault injection, and the subscriber
// traffic generator. Legality of every RF and line-card transition comes from the tables in
// rf-fsm.ts and line-card.ts. This class is the public API and a thin runner: the state lives in
// chassis-core.ts, and the work is done by cf-cards.ts (boot, election, standby sync),
// switchover.ts (switchover, chassis reset), line-card-runner.ts (line cards, data plane),
// faults.ts (fault injection) and chassis-snapshot.ts (views); the types are chassis-types.ts.
import type { Clock } from './clock.js';
import { resolveHardwareConfig, type HardwareConfig, type HardwareConfigInput } from './config.js';
import { HwSimError } from './errors.js';
import type { ChassisEvents, TypedEmitter } from './events.js';
import type { LineCardView } from './line-card.js';
import type { RedundancyMode } from './modes.js';
import type { RfClient, RfClientRegistry } from './rf-clients.js';
import type { RfState } from './rf-states.js';
import type { SessionSink, TrafficGenerator } from './traffic.js';
import { powerOn } from './cf-cards.js';
import { ChassisCore } from './chassis-core.js';
import { operatingMode, redundancyCounters, snapshot, uptimeMs } from './chassis-snapshot.js';
import type { ChassisOptions, ChassisSnapshot, HistoryEntry, RedundancyCounters } from './chassis-types.js';
import { crashCard, crashLineCard, hangCard, insertCard, removeCard } from './faults.js';
import { forward, lcApply } from './line-card-runner.js';
import { chassisReset, forceSwitchover } from './switchover.js';

export type {
  CfCardView,
  ChassisOptions,
  ChassisSnapshot,
  HistoryEntry,
  LastSwitchover,
  PacketCounters,
  RedundancyCounters,
} from './chassis-types.js';

export class Chassis {
  readonly config: HardwareConfig;
  readonly clock: Clock;
  readonly events: TypedEmitter<ChassisEvents>;
  readonly clients: RfClientRegistry;
  readonly traffic: TrafficGenerator | null;
  private readonly core: ChassisCore;

  constructor(config: HardwareConfigInput | HardwareConfig = {}, options: ChassisOptions = {}) {
    this.core = new ChassisCore(resolveHardwareConfig(config), options);
    this.config = this.core.config;
    this.clock = this.core.clock;
    this.events = this.core.events;
    this.clients = this.core.clients;
    this.traffic = this.core.traffic;
  }

  // ---------------------------------------------------------------- lifecycle

  /** Power on every card. */
  start(): void {
    const core = this.core;
    if (core.started) throw new HwSimError('HW_ERR_CARD_STATE', 'chassis already started');
    core.started = true;
    core.startedAt = this.clock.now();
    for (const c of core.cfs) if (c.present) powerOn(core, c);
    for (const lc of core.lcs) lcApply(core, lc, 'reload', 'none');
    if (this.traffic?.config.autoStart) this.traffic.start();
  }

  /** Stop every timer (the model freezes where it is). */
  dispose(): void {
    this.core.clearTimers();
    this.traffic?.stop();
  }

  /** `reload`: a full reload of the box (not a switchover: every table is lost, line cards reset). */
  reload(): void {
    chassisReset(this.core, 'reload command');
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
    return this.core.activeCf();
  }

  /** An ACTIVE (13), responsive CF: the control plane can take new work. */
  hasActiveCf(): boolean {
    return this.core.hasActiveCf();
  }

  /** The standby has reached the state its mode needs to take over without a chassis reset. */
  standbyReady(): boolean {
    return this.core.standbyReady();
  }

  switchoverInProgress(): boolean {
    return this.core.switching !== null;
  }

  /** Within the guard period after a local CF switchover, chassis reset or card reboot. */
  inGuardPeriod(): boolean {
    return this.core.inGuardPeriod();
  }

  guardRemainingMs(): number {
    return this.core.guardRemainingMs();
  }

  rfState(slot: number): RfState {
    return this.core.cf(slot).rf;
  }

  lineCard(slot: number): LineCardView {
    return this.core.lc(slot).view();
  }

  historyEntries(): readonly HistoryEntry[] {
    return this.core.history;
  }

  uptimeMs(): number {
    return uptimeMs(this.core);
  }

  redundancyCounters(): RedundancyCounters {
    return redundancyCounters(this.core);
  }

  /** Point-in-time view for metrics and `show` commands. */
  snapshot(): ChassisSnapshot {
    return snapshot(this.core);
  }

  /**
   * The mode the pair runs in now: the configured one once the standby is ready; RPR while a
   * stateful standby is still syncing; Non-redundant without a standby.
   */
  operatingMode(): RedundancyMode | 'Non-redundant' {
    return operatingMode(this.core);
  }

  // ---------------------------------------------------------------- data plane

  /**
   * Offer `packets` to the chassis, spread over the present line cards; each forwards with the
   * FIB it holds. Returns what was forwarded and dropped.
   */
  forward(packets: number, prefix: string = this.config.routes[0] ?? '0.0.0.0/0'): { forwarded: number; dropped: number } {
    return forward(this.core, packets, prefix);
  }

  // ---------------------------------------------------------------- fault injection

  /** Crash a card: a CF crashes and reloads; a line card crashes and reloads (SLCR). */
  crashCard(slot: number): void {
    crashCard(this.core, slot);
  }

  /** Hang a card: it stops responding and is declared dead after the hang-detect timer. */
  hangCard(slot: number): void {
    hangCard(this.core, slot);
  }

  /** Online removal of a card. */
  removeCard(slot: number): void {
    removeCard(this.core, slot);
  }

  /** Online insertion of a card into an empty slot. */
  insertCard(slot: number): void {
    insertCard(this.core, slot);
  }

  /** Line-card crash: the card goes down and reloads by itself. */
  crashLineCard(slot: number): void {
    crashLineCard(this.core, slot);
  }

  /**
   * `redundancy force-switchover`: a graceful switchover to a ready standby. Refused (with a
   * reason) when there is no ACTIVE CF, a switchover is running, or the standby is not ready.
   * Resolves when the new active reaches ACTIVE.
   */
  forceSwitchover(): Promise<void> {
    return forceSwitchover(this.core);
  }
}
