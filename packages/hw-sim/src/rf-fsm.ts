// The RF state machine of one CF card, as an explicit table. The chassis runner decides when
// each event happens (timers, faults, the redundancy mode); this table decides what is legal.
import { RF_STATES as S, type RfState, rfStateName } from './rf-states.js';

export type RfEvent =
  | 'power-on' // card inserted or reloaded: boot the image
  | 'init-done' // system services up: look for the peer
  | 'elected-active' // negotiation: no active peer, this card takes activity
  | 'elected-standby' // negotiation: the peer is active
  | 'config-sync' // active starts sending startup/running config (RPR+, SSO)
  | 'config-synced' // configuration applied; file system next
  | 'filesys-synced' // file system synced; bulk client sync next
  | 'bulk-synced' // every client finished its bulk sync: STANDBY HOT, incremental from now on
  | 'switchover' // take over activity from the failed / yielding active
  | 'fast-done' // clients notified of the switchover
  | 'drain-done'
  | 'preconfig-done'
  | 'postconfig-done' // switchover finished: ACTIVE
  | 'handback' // forced switchover: the active does its critical clean-up before yielding
  | 'fail'; // crash, declared dead, removed, or reset

type Table = Partial<Record<RfEvent, RfState>>;

const STANDBY_FAIL: Table = { fail: S.DISABLED };

export const RF_TRANSITIONS: Readonly<Record<RfState, Table>> = {
  [S.DISABLED]: { 'power-on': S.INITIALIZATION },
  [S.INITIALIZATION]: { 'init-done': S.NEGOTIATION, ...STANDBY_FAIL },
  [S.NEGOTIATION]: { 'elected-active': S.ACTIVE, 'elected-standby': S.STANDBY_COLD, ...STANDBY_FAIL },
  // RPR and HSA standbys stay cold; a cold standby can still take over (reloading line cards).
  [S.STANDBY_COLD]: { 'config-sync': S.STANDBY_COLD_CONFIG, switchover: S.ACTIVE_FAST, ...STANDBY_FAIL },
  // Mid-sync states have no 'switchover': the runner resets the chassis instead (seed:
  // "if the active RP fails before the standby is ready to switch over ... full system reset").
  [S.STANDBY_COLD_CONFIG]: { 'config-synced': S.STANDBY_COLD_FILESYS, ...STANDBY_FAIL },
  [S.STANDBY_COLD_FILESYS]: { 'filesys-synced': S.STANDBY_COLD_BULK, ...STANDBY_FAIL },
  [S.STANDBY_COLD_BULK]: { 'bulk-synced': S.STANDBY_HOT, ...STANDBY_FAIL },
  [S.STANDBY_HOT]: { switchover: S.ACTIVE_FAST, ...STANDBY_FAIL },
  [S.ACTIVE_FAST]: { 'fast-done': S.ACTIVE_DRAIN, fail: S.DISABLED },
  [S.ACTIVE_DRAIN]: { 'drain-done': S.ACTIVE_PRECONFIG, fail: S.DISABLED },
  [S.ACTIVE_PRECONFIG]: { 'preconfig-done': S.ACTIVE_POSTCONFIG, fail: S.DISABLED },
  [S.ACTIVE_POSTCONFIG]: { 'postconfig-done': S.ACTIVE, fail: S.DISABLED },
  [S.ACTIVE]: { handback: S.ACTIVE_HANDBACK, fail: S.DISABLED },
  // Not entered by this model (feature boards); listed so every numbered state has a row.
  [S.ACTIVE_EXTRALOAD]: { fail: S.DISABLED },
  [S.ACTIVE_HANDBACK]: { fail: S.DISABLED },
};

export type RfStepResult = { ok: true; state: RfState } | { ok: false; reason: string };

/** Pure transition: the next state, or an explicit refusal. */
export function rfStep(state: RfState, event: RfEvent): RfStepResult {
  const next = RF_TRANSITIONS[state][event];
  if (next === undefined) {
    return { ok: false, reason: `RF event '${event}' is illegal in state ${state} -${rfStateName(state)}` };
  }
  return { ok: true, state: next };
}
