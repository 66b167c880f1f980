// What the lab shows of one chassis, read through srpd's public API only. Fields the running
// srpd does not offer (yet) stay null and are shown as "-".
import type { SrpApi } from '../api.js';
import { now } from '../poller.js';

export interface ChassisSnapshot {
  name: string;
  url: string;
  up: boolean;
  frozen: boolean;
  note: string | null;
  state: string | null;
  mode: string | null;
  chassisId: string | null;
  routeModifier: number | null;
  link: string | null;
  standbyReady: boolean | null;
  sessions: number | null;
  /** Micro-checkpoint items per second (sent when Active, applied when Standby). */
  checkpointRate: number | null;
  lagMs: number | null;
  nacks: number | null;
  lastSwitchover: string | null;
}

/** Candidate routes of the checkpoint statistics (`show srp checkpoint statistics`). */
export const CHECKPOINT_STATS_PATHS = ['/v1/srp/checkpoint/statistics', '/v1/checkpoint/statistics'];

interface CheckpointStatsLike {
  micro?: { sent?: number; applied?: number; received?: number };
  nacks?: { sent?: number; received?: number };
  replicationLagMs?: { last?: number | null };
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Reads one chassis; remembers counters between calls to turn them into rates. */
export class ChassisReader {
  private prev: { t: number; items: number } | null = null;
  private statsPath: string | null | undefined = undefined; // undefined: not probed yet

  constructor(
    readonly name: string,
    private readonly api: () => SrpApi,
  ) {}

  async read(frozen: boolean, note: string | null = null): Promise<ChassisSnapshot> {
    const api = this.api();
    const snap: ChassisSnapshot = {
      name: this.name,
      url: api.baseUrl,
      up: false,
      frozen,
      note,
      state: null,
      mode: null,
      chassisId: null,
      routeModifier: null,
      link: null,
      standbyReady: null,
      sessions: null,
      checkpointRate: null,
      lagMs: null,
      nacks: null,
      lastSwitchover: null,
    };
    if (frozen) return snap;
    try {
      const info = await api.info(400);
      snap.up = true;
      snap.state = info.state;
      snap.mode = info.mode;
      snap.chassisId = info.chassisId;
      snap.routeModifier = num(info.routeModifier);
      snap.link = info.link;
      snap.standbyReady = info.standbyReady;
      snap.sessions = num(info.sessions);
      const ls = info.lastSwitchover;
      if (ls) snap.lastSwitchover = `${ls.at.slice(11, 19)} to ${ls.to} (${ls.reason})`;
    } catch {
      this.prev = null;
      return snap;
    }
    await this.readCheckpoint(api, snap).catch(() => undefined);
    return snap;
  }

  private async readCheckpoint(api: SrpApi, snap: ChassisSnapshot): Promise<void> {
    if (this.statsPath === undefined) {
      this.statsPath = null;
      for (const p of CHECKPOINT_STATS_PATHS) {
        const r = await api.request('GET', p, undefined, 400).catch(() => null);
        if (r && r.status === 200) {
          this.statsPath = p;
          break;
        }
      }
    }
    if (this.statsPath === null) return;
    const s = await api.json<CheckpointStatsLike>('GET', this.statsPath, undefined, 400);
    const items = (num(s.micro?.sent) ?? 0) + (num(s.micro?.applied) ?? 0);
    const t = now();
    if (this.prev && t > this.prev.t) snap.checkpointRate = Math.max(0, ((items - this.prev.items) * 1000) / (t - this.prev.t));
    this.prev = { t, items };
    snap.lagMs = num(s.replicationLagMs?.last ?? null);
    const nacks = (num(s.nacks?.sent) ?? 0) + (num(s.nacks?.received) ?? 0);
    snap.nacks = nacks;
  }
}
