// A small ManagedDaemon with real state for the management tests: an Active chassis with a
// Standby peer whose readiness, link and configuration the test sets. Switchover changes the
// state and emits the same events the core does.
import { Registry } from 'prom-client';
import type {
  ChassisStateName,
  ConfigValidationResult,
  ManagedDaemon,
  SrpEvent,
  SrpInfo,
  SrpStatistics,
  SwitchoverReason,
  SwitchoverResult,
} from '../src/api/contract.js';

export class FakeDaemon implements ManagedDaemon {
  readonly registry = new Registry();
  state: ChassisStateName = 'Active';
  link: 'up' | 'down' = 'up';
  peerReady = true;
  peerConfig: Record<string, string> | null = { 'hello-interval': '3', 'dead-interval': '10' };
  localConfig: Record<string, string> = { 'hello-interval': '3', 'dead-interval': '10' };
  routeModifier = 32;
  sessions = 1200;
  readonly stats: SrpStatistics = {
    hellos: { sent: 10, received: 9, missed: 1 },
    switchovers: { 'no-peer-at-start': 1 },
    configValidation: { checks: 0, mismatches: 0, lastResult: 'unknown', differingKeys: [] },
    refusedConnections: { 'bad-mac': 2 },
    refusedDatagrams: { replay: 3 },
    liveness: { stalls: 1, fences: 1, watchdogTrips: 0, linkFaults: 2 },
    link: { connects: 1, disconnects: 0, framesIn: 100, framesOut: 120, bytesIn: 5000, bytesOut: 6000 },
  };
  lastSwitchover: SrpInfo['lastSwitchover'] = null;
  /** Throws from info() when set, to exercise the 500 path. */
  failInfo: Error | null = null;
  private readonly listeners = new Set<(e: SrpEvent) => void>();
  private readonly started = new Date('2024-05-01T10:00:00.000Z');

  info(): SrpInfo {
    if (this.failInfo) throw this.failInfo;
    const peerState: ChassisStateName = this.state === 'Active' ? 'Standby' : 'Active';
    return {
      chassisId: 'chassis-a',
      mode: 'primary',
      state: this.state,
      priority: 10,
      effectivePriority: 10,
      cfMac: '00:11:22:33:44:55',
      routeModifier: this.routeModifier,
      link: this.link,
      peer:
        this.link === 'up'
          ? {
              chassisId: 'chassis-b',
              epoch: 4,
              fenced: false,
              state: peerState,
              mode: 'backup',
              priority: 20,
              cfMac: '00:11:22:33:44:66',
              routeModifier: this.routeModifier + 1,
              standbyReady: peerState === 'Standby' && this.peerReady,
              sessions: this.sessions,
              address: '127.0.0.1:9101',
              lastHelloAt: '2024-05-01T10:05:00.000Z',
            }
          : null,
      standbyReady: false,
      sessions: this.sessions,
      lastSwitchover: this.lastSwitchover,
      helloIntervalMs: 3000,
      deadIntervalMs: 10000,
      delayIntervalMs: 0,
      compression: this.link === 'up' ? 'zlib' : null,
      digitRuns: this.link === 'up',
      configDigest: digest(this.localConfig),
      bind: '127.0.0.1:9100',
      peerAddress: '127.0.0.1:9101',
      startedAt: this.started.toISOString(),
      uptimeSeconds: 3725,
      epoch: 4,
      baseEpoch: 3,
      fenced: null,
      witness: null,
      liveness: {
        hearing: this.link === 'up',
        heardByPeer: this.link === 'up',
        linkFault: this.link === 'up' ? 'none' : 'we-do-not-hear-peer',
        lastHeardAgoMs: this.link === 'up' ? 120 : 9000,
        peerLastHeardUsAgoMs: this.link === 'up' ? 140 : null,
        vouching: true,
        watchdogMs: 30_000,
        startupHoldMs: 10_000,
        scheduling: 'SCHED_RR 50',
        helloPath: 'process 4242',
      },
    };
  }

  statistics(): SrpStatistics {
    return structuredClone(this.stats);
  }

  validateSwitchover(): SwitchoverResult {
    const reasons: string[] = [];
    if (this.state !== 'Active') reasons.push(`this chassis is ${this.state}, not Active`);
    if (this.link !== 'up') reasons.push('SRP link is down');
    else if (!this.peerReady) reasons.push('peer is not ready (bulk sync not complete)');
    return { accepted: reasons.length === 0, reasons };
  }

  async initiateSwitchover(force: boolean): Promise<SwitchoverResult> {
    await Promise.resolve();
    const check = this.validateSwitchover();
    if (!check.accepted && !(force && this.state === 'Active')) return check;
    const reason: SwitchoverReason = force ? 'manual-force' : 'manual';
    this.move('Pending-Standby', reason);
    this.move('Standby', reason);
    this.routeModifier++;
    this.stats.switchovers[reason] = (this.stats.switchovers[reason] ?? 0) + 1;
    this.lastSwitchover = { at: new Date().toISOString(), reason, from: 'Active', to: 'Standby' };
    this.emit({ type: 'switchover', at: new Date().toISOString(), reason, from: 'Active', to: 'Standby', cause: `srpctl ${reason}` });
    return { accepted: true, reasons: [] };
  }

  async validateConfiguration(): Promise<ConfigValidationResult> {
    await Promise.resolve();
    this.stats.configValidation.checks++;
    const localDigest = digest(this.localConfig);
    if (!this.peerConfig) return { match: null, localDigest, peerDigest: null, differingKeys: [] };
    const keys = new Set([...Object.keys(this.localConfig), ...Object.keys(this.peerConfig)]);
    const differingKeys = [...keys].filter((k) => this.localConfig[k] !== this.peerConfig![k]).sort();
    const match = differingKeys.length === 0;
    if (!match) this.stats.configValidation.mismatches++;
    this.stats.configValidation.lastResult = match ? 'match' : 'mismatch';
    this.stats.configValidation.differingKeys = differingKeys;
    this.emit({ type: 'config-validation', at: new Date().toISOString(), match, differingKeys, cause: 'validate-configuration' });
    return { match, localDigest, peerDigest: digest(this.peerConfig), differingKeys };
  }

  onEvent(listener: (event: SrpEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  listenerCount(): number {
    return this.listeners.size;
  }

  emit(event: SrpEvent): void {
    for (const l of this.listeners) l(event);
  }

  private move(to: ChassisStateName, reason: SwitchoverReason): void {
    const from = this.state;
    this.state = to;
    this.emit({ type: 'state-change', at: new Date().toISOString(), from, to, cause: reason });
  }
}

function digest(cfg: Record<string, string>): string {
  let h = 0x811c9dc5;
  for (const ch of JSON.stringify(Object.entries(cfg).sort())) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}
