// Human renderings of the SRP API's JSON, used by srpctl. Each takes the API body as is.
import type { ConfigValidationResult, SrpEvent, SrpInfo, SrpStatistics, SwitchoverResult } from '../api/contract.js';
import { duration, heading, keyValues, ms, table, titleCase, type Row } from './format.js';

export function renderInfo(i: SrpInfo): string {
  const p = i.peer;
  const last = i.lastSwitchover;
  const rows: Row[] = [
    ['Chassis ID', i.chassisId],
    ['Chassis State', i.state],
    ['Chassis Mode', titleCase(i.mode)],
    ['Chassis Priority', i.priority],
    ['Effective Priority', i.effectivePriority],
    ['Chassis CF MAC', i.cfMac],
    ['Route-Modifier', i.routeModifier],
    ['Local Bind Address', i.bind],
    ['Peer Remote Address', i.peerAddress],
    ['Connection State', i.link === 'up' ? 'Connected' : 'Disconnected'],
    ['Negotiated Compression', i.compression === null ? 'n/a' : `${i.compression}${i.digitRuns ? ' (digit runs packed)' : ''}`],
    ['Standby Ready', i.state === 'Standby' || i.state === 'Pending-Standby' ? i.standbyReady : 'n/a'],
    ['Sessions', i.sessions],
    ['Table Epoch', i.baseEpoch !== i.epoch ? `${i.epoch} (took over with ${i.baseEpoch})` : i.epoch],
    ['Fenced', i.fenced ? `yes, since ${i.fenced.since}: ${i.fenced.cause}` : 'no'],
    ['Hearing Peer', i.liveness.hearing ? `yes (last Hello ${i.liveness.lastHeardAgoMs ?? '?'} ms ago)` : 'no'],
    ['Heard By Peer', i.liveness.heardByPeer ? 'yes' : i.liveness.peerLastHeardUsAgoMs === null ? 'unknown' : `no (not for ${i.liveness.peerLastHeardUsAgoMs} ms)`],
    ['Link Fault', i.liveness.linkFault],
    ['Witness', i.witness ? `${i.witness.held ? 'lease held' : `lease not held${i.witness.holder ? ` (held by ${i.witness.holder})` : ''}`}, ${i.witness.reachable ? 'reachable' : `UNREACHABLE${i.witness.lastError ? `: ${i.witness.lastError}` : ''}`}` : 'none'],
    ['Hellos Vouching', i.liveness.vouching ? 'yes' : 'no (the main thread missed its watchdog, or its process is stopped)'],
    ['Hello Interval', ms(i.helloIntervalMs)],
    ['Dead Interval', ms(i.deadIntervalMs)],
    ['Delay Interval', ms(i.delayIntervalMs)],
    ['Start-up Hold', ms(i.liveness.startupHoldMs)],
    ['Main-Thread Watchdog', ms(i.liveness.watchdogMs)],
    ['Hello Path', i.liveness.helloPath],
    ['Hello Thread Scheduling', i.liveness.scheduling],
    ['Configuration Digest', i.configDigest],
    ['Last Switchover', last ? `${last.at} (${last.reason}: ${last.from} -> ${last.to})` : 'None'],
    ['Started', i.startedAt],
    ['Uptime', duration(i.uptimeSeconds)],
    ['', ''],
    ['Peer Chassis ID', p?.chassisId],
    ['Peer State', p ? p.state : 'Unknown'],
    ['Peer Mode', p ? titleCase(p.mode) : undefined],
    ['Peer Priority', p?.priority],
    ['Peer CF MAC', p?.cfMac],
    ['Peer Route-Modifier', p?.routeModifier],
    ['Peer Table Epoch', p?.epoch],
    ['Peer Fenced', p?.fenced],
    ['Peer Standby Ready', p?.standbyReady],
    ['Peer Sessions', p?.sessions],
    ['Peer Address', p?.address],
    ['Peer Last Hello', p?.lastHelloAt],
  ];
  return `${heading('Service Redundancy Protocol')}\n${keyValues(rows)}`;
}

export function renderStatistics(s: SrpStatistics): string {
  const switchovers = Object.entries(s.switchovers).filter(([, n]) => (n ?? 0) > 0);
  const refused = Object.entries(s.refusedConnections);
  const totalSwitchovers = switchovers.reduce((a, [, n]) => a + (n ?? 0), 0);
  const parts = [
    heading('SRP Statistics'),
    keyValues([
      ['Hello Messages Sent', s.hellos.sent],
      ['Hello Messages Received', s.hellos.received],
      ['Hello Messages Missed', s.hellos.missed],
      ['Hello Datagrams Refused', Object.entries(s.refusedDatagrams).map(([r, n]) => `${r} ${n}`).join(', ') || 'None'],
      ['Stalls', s.liveness.stalls],
      ['Fences', s.liveness.fences],
      ['Watchdog Trips', s.liveness.watchdogTrips],
      ['Link Faults', s.liveness.linkFaults],
      ['', ''],
      ['Configuration Validations', s.configValidation.checks],
      ['Configuration Mismatches', s.configValidation.mismatches],
      ['Last Validation Result', titleCase(s.configValidation.lastResult)],
      ['Differing Keys', s.configValidation.differingKeys.join(', ') || 'None'],
      ['', ''],
      ['Link Connects', s.link.connects],
      ['Link Disconnects', s.link.disconnects],
      ['Frames In', s.link.framesIn],
      ['Frames Out', s.link.framesOut],
      ['Bytes In', s.link.bytesIn],
      ['Bytes Out', s.link.bytesOut],
      ['', ''],
      ['Switchovers', totalSwitchovers],
    ]),
  ];
  if (switchovers.length > 0) parts.push(table(['Switchover Reason', 'Count'], switchovers.map(([r, n]) => [r, n ?? 0])));
  parts.push('', keyValues([['Refused Connections', refused.reduce((a, [, n]) => a + n, 0)]]));
  if (refused.length > 0) parts.push(table(['Refusal Reason', 'Count'], refused));
  return parts.join('\n');
}

export function renderSwitchover(what: string, r: SwitchoverResult): string {
  return r.accepted ? `${what}: accepted` : `${what}: refused\n${r.reasons.map((x) => `  - ${x}`).join('\n')}`;
}

export function switchoverRefusal(what: string, r: SwitchoverResult): string {
  return `${what} refused: ${r.reasons.join('; ') || 'no reason given'}`;
}

export function renderConfigValidation(r: ConfigValidationResult): string {
  return keyValues([
    ['Configuration', r.match === true ? 'Match' : r.match === false ? 'Mismatch' : 'Unknown (no peer)'],
    ['Local Digest', r.localDigest],
    ['Peer Digest', r.peerDigest],
    ['Differing Keys', r.differingKeys.join(', ') || 'None'],
  ]);
}

export function configValidationRefusal(r: ConfigValidationResult): string {
  if (r.match === null) return 'configuration not validated: no peer to compare with';
  return `configuration mismatch with peer: ${r.differingKeys.join(', ') || 'digests differ'}`;
}

/** One line per event: time, type, the event's own fields, and its cause. */
export function renderEvent(e: SrpEvent): string {
  const loose: { type: string; at: string; cause: string; [k: string]: unknown } = e;
  const { type, at, cause, ...rest } = loose;
  let what: string;
  if ((type === 'state-change' || type === 'switchover') && typeof rest.from === 'string' && typeof rest.to === 'string') {
    const reason = typeof rest.reason === 'string' ? ` [${rest.reason}]` : '';
    what = `${rest.from} -> ${rest.to}${reason}`;
  } else {
    what = Object.entries(rest)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
  }
  return `${at}  ${type.padEnd(18)} ${what}${cause ? `  (${cause})` : ''}`;
}
