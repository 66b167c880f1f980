// Data for `show redundancy [states | clients | history | counters]` and `show card table`,
// as plain objects (for --json and the HTTP API), plus text renderers in the seed's layout.
import type { Chassis, CfCardView } from './chassis.js';
import type { RedundancyMode } from './modes.js';
import { RF_STATES, formatRfState, rfStateName, type RfState } from './rf-states.js';

export interface ShowRedundancy {
  availableSystemUptimeMs: number;
  switchovers: number;
  standbyFailures: number;
  lastSwitchoverReason: string;
  hardwareMode: 'Duplex' | 'Simplex';
  configuredMode: RedundancyMode;
  operatingMode: RedundancyMode | 'Non-redundant';
  maintenanceMode: 'Disabled';
  communications: 'Up' | 'Down';
  current: ProcessorInfo | null;
  peer: ProcessorInfo | null;
}

export interface ProcessorInfo {
  location: string; // "slot 1"
  role: 'Active' | 'Standby';
  softwareState: string; // "ACTIVE", "STANDBY HOT"
  rfState: RfState;
  uptimeInStateMs: number;
  cfMac: string;
}

export interface ShowRedundancyStates {
  myState: RfState;
  myStateText: string; // "13 -ACTIVE"
  peerState: RfState;
  peerStateText: string;
  mode: 'Duplex' | 'Simplex';
  unit: 'Primary' | 'Secondary';
  unitId: number;
  redundancyModeOperational: string;
  redundancyModeConfigured: string;
  redundancyState: string;
  maintenanceMode: 'Disabled';
  manualSwact: 'Enabled' | 'Disabled';
  communications: 'Up' | 'Down';
  clientCount: number;
  clientNotificationTmrMs: number;
  rfDebugMask: string;
}

export interface ShowRedundancyClient {
  clientId: number;
  clientSeq: number;
  name: string;
}

export interface ShowRedundancyHistoryEntry {
  at: number;
  uptimeMs: number;
  text: string;
}

export interface CardTableRow {
  slot: number;
  kind: 'CFC' | 'LC';
  cardType: string;
  operState: 'Active' | 'Standby' | 'Booting' | 'Offline' | 'Empty';
  spof: 'Yes' | 'No' | '-';
  rfState: string | null;
  mac: string | null;
}

const SWITCHOVER_REASON = {
  crash: 'active unit failed',
  'declared-dead': 'active unit declared dead',
  forced: 'user forced',
  removed: 'active unit removed',
} as const;

/** "2 weeks, 23 hours, 41 minutes", "1 minute", "0 minutes". */
export function formatUptime(ms: number): string {
  let m = Math.floor(ms / 60_000);
  const units: [string, number][] = [
    ['week', 7 * 24 * 60],
    ['day', 24 * 60],
    ['hour', 60],
    ['minute', 1],
  ];
  const parts: string[] = [];
  for (const [name, size] of units) {
    const n = Math.floor(m / size);
    m -= n * size;
    if (n > 0 || (name === 'minute' && parts.length === 0)) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
  }
  return parts.join(', ');
}

function pair(chassis: Chassis): { me: CfCardView | null; peer: CfCardView | null } {
  const cfs = chassis.snapshot().cfs;
  const me = cfs.find((c) => c.role === 'active') ?? cfs.find((c) => c.present && c.rfState !== RF_STATES.DISABLED) ?? null;
  const peer = me ? (cfs.find((c) => c !== me) ?? null) : null;
  return { me, peer };
}

function processor(c: CfCardView | null): ProcessorInfo | null {
  if (!c || !c.present || c.rfState === RF_STATES.DISABLED) return null;
  return {
    location: `slot ${c.slot}`,
    role: c.role === 'active' ? 'Active' : 'Standby',
    softwareState: rfStateName(c.rfState),
    rfState: c.rfState,
    uptimeInStateMs: c.inStateMs,
    cfMac: c.mac,
  };
}

function communications(peer: CfCardView | null): 'Up' | 'Down' {
  return peer && peer.present && peer.rfState >= RF_STATES.STANDBY_COLD ? 'Up' : 'Down';
}

export function showRedundancy(chassis: Chassis): ShowRedundancy {
  const snap = chassis.snapshot();
  const { me, peer } = pair(chassis);
  return {
    availableSystemUptimeMs: snap.uptimeMs,
    switchovers: snap.counters.switchovers,
    standbyFailures: snap.counters.standbyFailures,
    lastSwitchoverReason: snap.lastSwitchover ? SWITCHOVER_REASON[snap.lastSwitchover.cause] : 'none',
    hardwareMode: snap.hardwareMode,
    configuredMode: snap.configuredMode,
    operatingMode: snap.operatingMode,
    maintenanceMode: 'Disabled',
    communications: communications(peer),
    current: processor(me),
    peer: processor(peer),
  };
}

export function renderShowRedundancy(d: ShowRedundancy): string {
  const lines = [
    'Redundant System Information :',
    `Available system uptime = ${formatUptime(d.availableSystemUptimeMs)}`,
    `Switchovers system experienced = ${d.switchovers}`,
    `Standby failures = ${d.standbyFailures}`,
    `Last switchover reason = ${d.lastSwitchoverReason}`,
    `Hardware Mode = ${d.hardwareMode}`,
    `Configured Redundancy Mode = ${d.configuredMode}`,
    `Operating Redundancy Mode = ${d.operatingMode}`,
    `Maintenance Mode = ${d.maintenanceMode}`,
    `Communications = ${d.communications}`,
  ];
  const proc = (title: string, p: ProcessorInfo | null) => {
    lines.push(`${title} :`);
    if (!p) {
      lines.push('(none)');
      return;
    }
    lines.push(
      `${p.role} Location = ${p.location}`,
      `Current Software state = ${p.softwareState}`,
      `Uptime in current state = ${formatUptime(p.uptimeInStateMs)}`,
      `CF MAC address = ${p.cfMac}`,
    );
  };
  proc('Current Processor Information', d.current);
  proc('Peer Processor Information', d.peer);
  return lines.join('\n') + '\n';
}

export function showRedundancyStates(chassis: Chassis): ShowRedundancyStates {
  const snap = chassis.snapshot();
  const { me, peer } = pair(chassis);
  const my = me?.rfState ?? RF_STATES.DISABLED;
  const ps = peer && peer.present ? peer.rfState : RF_STATES.DISABLED;
  const slots = chassis.config.cfSlots;
  return {
    myState: my,
    myStateText: formatRfState(my),
    peerState: ps,
    peerStateText: formatRfState(ps),
    mode: snap.hardwareMode,
    unit: me && me.slot !== Math.min(...slots) ? 'Secondary' : 'Primary',
    unitId: me?.slot ?? slots[0],
    redundancyModeOperational: snap.operatingMode,
    redundancyModeConfigured: snap.configuredMode,
    redundancyState: snap.operatingMode,
    maintenanceMode: 'Disabled',
    manualSwact: chassis.standbyReady() && !snap.switchoverInProgress ? 'Enabled' : 'Disabled',
    communications: communications(peer),
    clientCount: snap.rfClients,
    clientNotificationTmrMs: chassis.config.timers.clientNotificationMs,
    rfDebugMask: '0x0',
  };
}

export function renderShowRedundancyStates(d: ShowRedundancyStates): string {
  return (
    [
      `my state = ${d.myStateText}`,
      `peer state = ${d.peerStateText}`,
      `Mode = ${d.mode}`,
      `Unit = ${d.unit}`,
      `Unit ID = ${d.unitId}`,
      `Redundancy Mode (Operational) = ${d.redundancyModeOperational}`,
      `Redundancy Mode (Configured) = ${d.redundancyModeConfigured}`,
      `Redundancy State = ${d.redundancyState}`,
      `Maintenance Mode = ${d.maintenanceMode}`,
      `Manual Swact = ${d.manualSwact}`,
      `Communications = ${d.communications}`,
      `client count = ${d.clientCount}`,
      `client_notification_TMR = ${d.clientNotificationTmrMs} milliseconds`,
      `RF debug mask = ${d.rfDebugMask}`,
    ].join('\n') + '\n'
  );
}

export function showRedundancyClients(chassis: Chassis): ShowRedundancyClient[] {
  return chassis.clients.list().map((c) => ({ clientId: c.clientId, clientSeq: c.clientSeq, name: c.name }));
}

export function renderShowRedundancyClients(rows: readonly ShowRedundancyClient[]): string {
  return rows.map((r) => `clientID = ${String(r.clientId).padEnd(6)} clientSeq = ${String(r.clientSeq).padEnd(6)} ${r.name}`).join('\n') + '\n';
}

export function showRedundancyHistory(chassis: Chassis): ShowRedundancyHistoryEntry[] {
  const snap = chassis.snapshot();
  const startedAt = snap.at - snap.uptimeMs;
  return chassis.historyEntries().map((h) => ({ at: h.at, uptimeMs: Math.max(0, h.at - startedAt), text: h.text }));
}

function hms(ms: number): string {
  const s = Math.floor(ms / 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(Math.floor(s / 3600))}:${p(Math.floor(s / 60) % 60)}:${p(s % 60)}`;
}

export function renderShowRedundancyHistory(rows: readonly ShowRedundancyHistoryEntry[]): string {
  return rows.map((r) => `${hms(r.uptimeMs)} ${r.text}`).join('\n') + '\n';
}

export type ShowRedundancyCounters = ReturnType<Chassis['redundancyCounters']>;

export function showRedundancyCounters(chassis: Chassis): ShowRedundancyCounters {
  return chassis.redundancyCounters();
}

export function renderShowRedundancyCounters(c: ShowRedundancyCounters): string {
  const rows: [string, number][] = [
    ['switchovers', c.switchovers],
    ['switchovers (active unit failed)', c.switchoversByCause.crash],
    ['switchovers (active declared dead)', c.switchoversByCause['declared-dead']],
    ['switchovers (active unit removed)', c.switchoversByCause.removed],
    ['switchovers (user forced)', c.switchoversByCause.forced],
    ['chassis resets', c.chassisResets],
    ['standby failures', c.standbyFailures],
    ['bulk syncs', c.bulkSyncs],
    ['bulk syncs aborted', c.bulkSyncsAborted],
    ['incremental syncs', c.incrementalSyncs],
    ['line card status events', c.lineCardStatusEvents],
    ['client notifications', c.clientNotifications],
    ['client notification errors', c.clientNotificationErrors],
    ['client notification timeouts', c.clientNotificationTimeouts],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return ['Redundancy Facility OMs', ...rows.map(([k, v]) => `${k.padStart(w + 1)} = ${v}`)].join('\n') + '\n';
}

export function showCardTable(chassis: Chassis): CardTableRow[] {
  const snap = chassis.snapshot();
  const ready = chassis.standbyReady();
  const rows: CardTableRow[] = snap.cfs.map((c) => ({
    slot: c.slot,
    kind: 'CFC',
    cardType: c.present ? 'Control Function Virtual Card' : 'None',
    operState: !c.present ? 'Empty' : c.role === 'active' ? 'Active' : c.role === 'standby' ? 'Standby' : c.role === 'booting' ? 'Booting' : 'Offline',
    spof: c.role === 'active' ? (ready ? 'No' : 'Yes') : '-',
    rfState: c.present ? formatRfState(c.rfState) : null,
    mac: c.present ? c.mac : null,
  }));
  for (const lc of snap.lineCards) {
    rows.push({
      slot: lc.slot,
      kind: 'LC',
      cardType: lc.state === 'removed' ? 'None' : `${lc.ports}-Port Line Card`,
      operState: lc.state === 'up' ? 'Active' : lc.state === 'booting' ? 'Booting' : lc.state === 'down' ? 'Offline' : 'Empty',
      spof: lc.state === 'up' ? 'No' : '-',
      rfState: null,
      mac: null,
    });
  }
  return rows.sort((a, b) => a.slot - b.slot);
}

export function renderCardTable(rows: readonly CardTableRow[]): string {
  const head = `${'Slot'.padEnd(11)}  ${'Card Type'.padEnd(33)}  ${'Oper State'.padEnd(12)}  SPOF  RF State`;
  const rule = `${'-'.repeat(11)}  ${'-'.repeat(33)}  ${'-'.repeat(12)}  ----  ${'-'.repeat(22)}`;
  const body = rows.map((r) =>
    `${`${String(r.slot).padStart(2)}: ${r.kind}`.padEnd(11)}  ${r.cardType.padEnd(33)}  ${r.operState.padEnd(12)}  ${r.spof.padEnd(4)}  ${r.rfState ?? ''}`.trimEnd(),
  );
  return [head, rule, ...body].join('\n') + '\n';
}
