// Fault injection on one chassis, per card: crash, hang, online removal and insertion, for CF
// cards and line cards (a line-card crash reloads the card by itself). Each fault is logged and
// emitted as `card-fault`; what a failed CF leads to is switchover.ts.
import type { ChassisCore } from './chassis-core.js';
import { powerOn } from './cf-cards.js';
import { HwSimError } from './errors.js';
import type { CardFaultKind } from './events.js';
import { lcApply } from './line-card-runner.js';
import { RF_STATES } from './rf-states.js';
import { cfFailed } from './switchover.js';

function fault(core: ChassisCore, card: number, kind: CardFaultKind, cardType: 'cf' | 'line-card'): void {
  core.log(`slot ${card}: fault injected: ${kind}`);
  core.events.emit('card-fault', { at: core.clock.now(), card, kind, cardType });
}

/** Online removal or insertion of a line card: a chassis-state change the standby hears of. */
function lineCardOir(core: ChassisCore, slot: number, kind: 'remove' | 'insert'): void {
  lcApply(core, core.lc(slot), kind, kind === 'remove' ? 'removed' : 'none');
  fault(core, slot, kind, 'line-card');
  core.incremental('chassis-state', `line card ${slot} ${kind === 'remove' ? 'removed' : 'inserted'}`);
}

/** Crash a card: a CF crashes and reloads; a line card crashes and reloads (SLCR). */
export function crashCard(core: ChassisCore, slot: number): void {
  if (core.isLcSlot(slot)) return crashLineCard(core, slot);
  const c = core.cf(slot);
  if (!c.present || c.rf === RF_STATES.DISABLED) throw new HwSimError('HW_ERR_CARD_STATE', `CF in slot ${slot} is not running`);
  fault(core, slot, 'crash', 'cf');
  void cfFailed(core, c, 'crash', true);
}

/** Hang a card: it stops responding and is declared dead after the hang-detect timer. */
export function hangCard(core: ChassisCore, slot: number): void {
  const hangDetectMs = core.config.timers.hangDetectMs;
  if (core.isLcSlot(slot)) {
    const lc = core.lc(slot);
    lcApply(core, lc, 'hang', 'hung');
    fault(core, slot, 'hang', 'line-card');
    core.after(hangDetectMs, () => {
      if (lc.state === 'down' && lc.alarm === 'hung') lcApply(core, lc, 'reload', 'reset');
    });
    return;
  }
  const c = core.cf(slot);
  if (!c.present || c.rf === RF_STATES.DISABLED || c.hung) throw new HwSimError('HW_ERR_CARD_STATE', `CF in slot ${slot} is not running`);
  c.hung = true;
  fault(core, slot, 'hang', 'cf');
  const epoch = c.epoch;
  core.after(hangDetectMs, () => {
    if (c.epoch !== epoch || !c.hung) return;
    core.log(`slot ${slot}: CF declared dead (no response for ${hangDetectMs} ms)`);
    void cfFailed(core, c, 'declared-dead', true);
  });
}

/** Online removal of a card. */
export function removeCard(core: ChassisCore, slot: number): void {
  if (core.isLcSlot(slot)) return lineCardOir(core, slot, 'remove');
  const c = core.cf(slot);
  if (!c.present) throw new HwSimError('HW_ERR_CARD_STATE', `CF slot ${slot} is already empty`);
  fault(core, slot, 'remove', 'cf');
  c.present = false;
  if (c.rf !== RF_STATES.DISABLED) void cfFailed(core, c, 'removed', false);
  c.hung = false;
}

/** Online insertion of a card into an empty slot. */
export function insertCard(core: ChassisCore, slot: number): void {
  if (core.isLcSlot(slot)) return lineCardOir(core, slot, 'insert');
  const c = core.cf(slot);
  if (c.present) throw new HwSimError('HW_ERR_CARD_STATE', `CF slot ${slot} is occupied`);
  c.present = true;
  c.hung = false;
  fault(core, slot, 'insert', 'cf');
  if (core.started) powerOn(core, c);
}

/** Line-card crash: the card goes down and reloads by itself. */
export function crashLineCard(core: ChassisCore, slot: number): void {
  const lc = core.lc(slot);
  lcApply(core, lc, 'crash', 'crashed');
  fault(core, slot, 'lc-crash', 'line-card');
  const epoch = lc.epoch;
  core.after(0, () => {
    if (lc.epoch === epoch) lcApply(core, lc, 'reload', 'reset');
  });
}
