// `show srp info` (GET /v1/srp/info): the chassis, its peer, the link, liveness and witness, as
// one object built from the parts that own each fact.
import { toWallMs } from '@srp-ha/common';
import { formatHostPort, formatMac } from '@srp-ha/common';
import type { SrpConfig } from '../config/config.js';
import type { LivenessInfo, SrpInfo, SwitchoverRecord } from '../api/contract.js';
import type { FsmState } from '../fsm/chassis.js';
import type { Clock } from '../fsm/clock.js';
import type { ChassisLink } from '../link/link.js';
import { peerInfo } from './peer.js';

export interface InfoSources {
  config: SrpConfig;
  fsm: FsmState;
  link: Pick<ChassisLink, 'up' | 'remote' | 'compression' | 'digitRuns' | 'address'>;
  clock: Clock;
  sessions: number;
  lastSwitchover: SwitchoverRecord | null;
  configDigest: Buffer;
  startedAtIso: string;
  startedAt: number;
  liveness: LivenessInfo;
  witness: SrpInfo['witness'];
}

export function srpInfo(x: InfoSources): SrpInfo {
  const { config: c, fsm: s, link, clock } = x;
  const wall = (t: number): string => new Date(toWallMs(t, clock)).toISOString();
  return {
    chassisId: c.chassisId,
    mode: c.mode,
    state: s.name,
    priority: c.priority,
    effectivePriority: s.effectivePriority,
    cfMac: formatMac(s.cfMac),
    routeModifier: s.routeModifier,
    link: link.up ? 'up' : 'down',
    peer: peerInfo(s.peer, link.remote, (t) => toWallMs(t, clock)),
    standbyReady: s.name === 'Standby' && s.localReady,
    sessions: x.sessions,
    lastSwitchover: x.lastSwitchover,
    helloIntervalMs: c.helloIntervalMs,
    deadIntervalMs: c.deadIntervalMs,
    delayIntervalMs: c.delayIntervalMs,
    compression: link.compression,
    digitRuns: link.digitRuns,
    configDigest: x.configDigest.toString('hex'),
    bind: formatHostPort(link.address ?? c.bind),
    peerAddress: formatHostPort(c.peer),
    startedAt: x.startedAtIso,
    uptimeSeconds: Math.round((clock.now() - x.startedAt) / 1000),
    epoch: s.epoch,
    baseEpoch: s.baseEpoch,
    fenced: s.fenced ? { since: wall(s.fenced.since), cause: s.fenced.cause } : null,
    liveness: x.liveness,
    witness: x.witness,
  };
}
