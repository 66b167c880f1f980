// Intra-chassis switchover of one chassis (HSA / RPR / RPR+ / SSO): what follows a CF failure
// (a switchover to a ready standby, or a full chassis reset when the standby is not ready), the
// switchover itself (ACTIVE FAST .. ACTIVE with RF clients notified, line cards reset or kept
// forwarding as the mode says), the chassis reset, and `redundancy force-switchover`.
import type { ChassisCore } from './chassis-core.js';
import type { CfCard } from './chassis-types.js';
import { failCard, powerOn } from './cf-cards.js';
import { HwSimError } from './errors.js';
import type { SwitchoverCause } from './events.js';
import { lcApply, programAllLineCards } from './line-card-runner.js';
import { isActiveFamily, rfStateName, RF_STATES } from './rf-states.js';

/**
 * A CF failed (crash, declared dead, removed, or yielded by a forced switchover). Returns the
 * switchover promise when a switchover starts.
 */
export function cfFailed(core: ChassisCore, c: CfCard, cause: SwitchoverCause, reloads: boolean): Promise<void> | undefined {
  const wasActive = isActiveFamily(c.rf);
  failCard(core, c);
  if (reloads) {
    const epoch = c.epoch;
    core.after(core.config.timers.cfReloadMs, () => {
      if (c.epoch === epoch && c.present && core.started) powerOn(core, c);
    });
  }
  core.openGuard();
  if (!wasActive) {
    if (core.cfs.some((x) => x.present && isActiveFamily(x.rf))) core.counters.standbyFailures++;
    return undefined;
  }
  const standby = core.peerOf(c);
  if (core.switching || !(standby.present && !standby.hung && standby.rf === core.behaviour.standbyReadyState)) {
    const why = core.switching
      ? 'the CF taking over failed during the switchover'
      : standby.present && standby.rf !== RF_STATES.DISABLED
        ? `switchover before bulk sync completed (standby ${standby.rf} -${rfStateName(standby.rf)})`
        : 'no standby CF';
    chassisReset(core, `active CF in slot ${c.slot} failed (${cause}): ${why}`);
    return undefined;
  }
  // The runner never rejects: an internal error (an illegal RF transition would be a bug in
  // this model) is logged and recovers the way the hardware would, with a chassis reset.
  const p = runSwitchover(core, c, standby, cause).catch((err: unknown) => {
    core.log(`switchover failed: ${err instanceof Error ? err.message : String(err)}`);
    chassisReset(core, 'internal error during switchover');
  });
  core.switching = p;
  return p;
}

async function runSwitchover(core: ChassisCore, from: CfCard, to: CfCard, cause: SwitchoverCause): Promise<void> {
  const b = core.behaviour;
  const mode = core.config.redundancyMode;
  const t0 = core.clock.now();
  const epoch = to.epoch;
  const reset = b.chassisResetOnSwitchover || b.lineCardsResetOnSwitchover;
  core.counters.switchovers++;
  core.counters.switchoversByCause[cause]++;
  core.lastSwitchover = { at: t0, cause, from: from.slot, to: to.slot, durationMs: null, reset };
  core.log(`switchover (${cause}) from slot ${from.slot} to slot ${to.slot} in ${mode} mode`);
  if (b.chassisResetOnSwitchover) {
    core.log('HSA cold restart: the new active CF reboots the router');
    core.events.emit('chassis-reset', { at: t0, cause: `HSA cold restart after ${cause}` });
  }
  if (b.lineCardsResetOnSwitchover) {
    for (const lc of core.lcs) if (lc.state === 'up' || lc.state === 'booting') lcApply(core, lc, 'reload', 'reset');
  } else if (!b.nonstopForwarding) {
    for (const lc of core.lcs) lc.flushFib();
  }
  if (!b.clientSync) {
    const lost = core.traffic?.dropAll() ?? 0;
    if (lost) core.log(`${lost} sessions lost: application state is not synchronised in ${mode}`);
  }
  core.setRf(to, 'switchover');
  core.reportActive();
  const stillWanted = () => to.epoch === epoch;
  await core.clients.notifyAll({ kind: 'switchover', activeSlot: to.slot, standbySlot: from.slot }, stillWanted);
  if (!stillWanted()) return;
  core.setRf(to, 'fast-done');
  core.setRf(to, 'drain-done');
  await new Promise<void>((resolve) => core.after(Math.max(0, t0 + core.config.timers.switchoverMs[mode] - core.clock.now()), resolve));
  if (!stillWanted()) return;
  core.setRf(to, 'preconfig-done');
  programAllLineCards(core);
  core.setRf(to, 'postconfig-done');
  const durationMs = core.clock.now() - t0;
  core.lastSwitchover = { ...core.lastSwitchover, durationMs };
  core.switching = null;
  core.openGuard();
  core.log(`switchover complete in ${durationMs} ms: slot ${to.slot} is ACTIVE`);
  core.events.emit('cf-switchover', { at: core.clock.now(), from: from.slot, to: to.slot, mode, cause, durationMs, reset });
}

/** A full reset of the box: both CFs reboot, line cards reset, sessions lost. */
export function chassisReset(core: ChassisCore, cause: string): void {
  core.counters.chassisResets++;
  core.switching = null;
  core.log(`chassis reset: ${cause}`);
  for (const c of core.cfs) {
    if (c.rf !== RF_STATES.DISABLED) failCard(core, c);
    else c.epoch++;
  }
  core.reportActive();
  for (const lc of core.lcs) if (lc.state !== 'removed') lcApply(core, lc, 'reload', 'reset');
  const lost = core.traffic?.dropAll() ?? 0;
  if (lost) core.log(`${lost} sessions lost in the chassis reset`);
  core.openGuard();
  core.events.emit('chassis-reset', { at: core.clock.now(), cause });
  for (const c of core.cfs) if (c.present && core.started) powerOn(core, c);
}

/**
 * `redundancy force-switchover`: a graceful switchover to a ready standby. Refused (with a
 * reason) when there is no ACTIVE CF, a switchover is running, or the standby is not ready.
 * Resolves when the new active reaches ACTIVE.
 */
export async function forceSwitchover(core: ChassisCore): Promise<void> {
  const a = core.cfs.find((c) => c.present && c.rf === RF_STATES.ACTIVE && !c.hung);
  if (!a) throw new HwSimError('HW_ERR_SWITCHOVER_REFUSED', 'no CF is ACTIVE');
  if (core.switching) throw new HwSimError('HW_ERR_SWITCHOVER_REFUSED', 'a switchover is already in progress');
  if (!core.standbyReady()) {
    const s = core.peerOf(a);
    const ready = core.behaviour.standbyReadyState;
    throw new HwSimError(
      'HW_ERR_SWITCHOVER_REFUSED',
      `standby not ready: peer state = ${s.present ? `${s.rf} -${rfStateName(s.rf)}` : 'removed'}, ${core.config.redundancyMode} needs ${ready} -${rfStateName(ready)}`,
    );
  }
  core.setRf(a, 'handback');
  core.log(`slot ${a.slot}: critical clean-up before yielding activity`);
  await cfFailed(core, a, 'forced', true);
}
