// The CF card lifecycle of one chassis up to redundancy: power-on and boot, negotiation (the
// first CF with no active peer becomes ACTIVE, the other STANDBY), the standby's progression
// through COLD-CONFIG, COLD-FILESYS and COLD-BULK to HOT in the modes that sync (RPR+, SSO, with
// SSO's RF clients notified during bulk sync), and a card failing. What happens when an active
// CF fails (switchover or chassis reset) is switchover.ts.
import type { ChassisCore } from './chassis-core.js';
import type { CfCard } from './chassis-types.js';
import { programAllLineCards } from './line-card-runner.js';
import { isActiveFamily, rfStateName, RF_STATES } from './rf-states.js';

/** Power a CF on: INITIALIZATION now, NEGOTIATION after `cf-boot`, then the election. */
export function powerOn(core: ChassisCore, c: CfCard): void {
  c.epoch++;
  c.hung = false;
  core.setRf(c, 'power-on');
  const epoch = c.epoch;
  core.after(core.config.timers.cfBootMs, () => {
    if (c.epoch !== epoch) return;
    core.setRf(c, 'init-done');
    negotiate(core, c);
  });
}

function negotiate(core: ChassisCore, c: CfCard): void {
  const peer = core.peerOf(c);
  if (peer.present && isActiveFamily(peer.rf)) {
    core.setRf(c, 'elected-standby');
    startStandbySync(core, peer, c);
    return;
  }
  core.setRf(c, 'elected-active');
  core.reportActive();
  programAllLineCards(core);
}

/** Standby progression: COLD, then (RPR+, SSO) COLD-CONFIG, COLD-FILESYS, COLD-BULK, HOT. */
function startStandbySync(core: ChassisCore, active: CfCard, standby: CfCard): void {
  const b = core.behaviour;
  const aEpoch = active.epoch;
  const sEpoch = standby.epoch;
  const valid = () => active.epoch === aEpoch && standby.epoch === sEpoch && !active.hung && !standby.hung;
  const mode = core.config.redundancyMode;
  if (!b.standbySyncs) {
    core.log(`slot ${standby.slot}: startup configuration synced; standby stays ${rfStateName(standby.rf)} (${mode})`);
    return;
  }
  const t = core.config.timers;
  core.setRf(standby, 'config-sync');
  core.after(t.configSyncMs, () => {
    if (!valid()) return abortedSync(core, standby);
    core.setRf(standby, 'config-synced');
    core.after(t.fileSysSyncMs, () => {
      if (!valid()) return abortedSync(core, standby);
      core.setRf(standby, 'filesys-synced');
      const bulkStart = core.clock.now();
      const finish = () => {
        if (!valid()) return abortedSync(core, standby);
        core.setRf(standby, 'bulk-synced');
        core.counters.bulkSyncs++;
        core.log(`%HA-6-STANDBY_READY: Standby CF in slot ${standby.slot} is operational in ${mode} mode`);
      };
      const afterClients = () => {
        if (!valid()) return abortedSync(core, standby);
        core.after(Math.max(0, bulkStart + t.bulkSyncMs - core.clock.now()), finish);
      };
      if (!b.clientSync) return afterClients();
      core.clients
        .notifyAll({ kind: 'bulk-sync', activeSlot: active.slot, standbySlot: standby.slot }, valid)
        .then(afterClients, afterClients);
    });
  });
}

function abortedSync(core: ChassisCore, standby: CfCard): void {
  core.counters.bulkSyncsAborted++;
  core.log(`slot ${standby.slot}: standby sync aborted`);
}

/** A CF goes down: its timers and awaits go stale, its RF state goes to DISABLED. */
export function failCard(core: ChassisCore, c: CfCard): void {
  c.epoch++;
  c.hung = false;
  if (c.rf !== RF_STATES.DISABLED) core.setRf(c, 'fail');
  // active-cf-changed is reported by the caller once the new active is known (no null blip
  // between the old and the new MAC on a switchover).
}
