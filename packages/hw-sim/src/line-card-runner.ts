// The line cards of one chassis at work: checked state changes with their boot timer, the up/down
// reports they send the active CF (synchronised incrementally), programming the FIB from the
// configured routes, and the data plane (`forward`) that spreads packets over the present cards.
// Which line-card transitions are legal is line-card.ts's table; this file decides when they happen.
import type { ChassisCore } from './chassis-core.js';
import { HwSimError } from './errors.js';
import type { LineCard, LineCardAlarm, LineCardEvent } from './line-card.js';

/** Apply a line-card event (throws on an illegal one); a card that starts booting comes up after `line-card-boot`. */
export function lcApply(core: ChassisCore, lc: LineCard, event: LineCardEvent, alarm: LineCardAlarm): void {
  const wasUp = lc.state === 'up';
  const r = lc.apply(event);
  if (!r.ok) throw new HwSimError('HW_ERR_ILLEGAL_TRANSITION', `slot ${lc.slot}: ${r.reason}`);
  lc.alarm = alarm;
  if (wasUp && lc.state !== 'up') lcStatus(core, lc, 'down');
  if (lc.state === 'booting') {
    const epoch = lc.epoch;
    core.after(core.config.timers.lineCardBootMs, () => {
      if (lc.epoch !== epoch) return;
      lc.apply('boot-done');
      lc.alarm = 'none';
      if (core.hasActiveCf()) lc.programFib(fibEntries(core, lc));
      lcStatus(core, lc, 'up');
    });
  }
}

/** Line cards report up/down and alarms to the active CF, which syncs them incrementally. */
function lcStatus(core: ChassisCore, lc: LineCard, status: 'up' | 'down'): void {
  core.counters.lineCardStatusEvents++;
  core.events.emit('linecard-status', { at: core.clock.now(), slot: lc.slot, status, alarm: lc.alarm });
  core.log(`line card ${lc.slot}: ${status}${lc.alarm !== 'none' ? ` (alarm: ${lc.alarm})` : ''}`);
  core.incremental('line-card-state', `line card ${lc.slot} ${status}`);
}

function fibEntries(core: ChassisCore, lc: LineCard): { prefix: string; port: number }[] {
  return core.config.routes.map((prefix, i) => ({ prefix, port: i % lc.ports }));
}

/** The active CF programs its FIB on every line card that is up. */
export function programAllLineCards(core: ChassisCore): void {
  for (const lc of core.lcs) if (lc.state === 'up') lc.programFib(fibEntries(core, lc));
  core.incremental('forwarding-table', 'FIB programmed on line cards');
}

/**
 * Offer `packets` to the chassis, spread over the present line cards; each forwards with the
 * FIB it holds. Returns what was forwarded and dropped.
 */
export function forward(core: ChassisCore, packets: number, prefix: string): { forwarded: number; dropped: number } {
  if (!Number.isInteger(packets) || packets < 0) throw new HwSimError('HW_ERR_BAD_CONFIG', 'packets must be a non-negative integer');
  const cards = core.lcs.filter((lc) => lc.state !== 'removed');
  if (cards.length === 0) {
    core.packets.dropped += packets;
    core.packets.droppedNoLineCard += packets;
    return { forwarded: 0, dropped: packets };
  }
  let forwarded = 0;
  const share = Math.floor(packets / cards.length);
  let rest = packets - share * cards.length;
  for (const lc of cards) {
    const n = share + (rest-- > 0 ? 1 : 0);
    const before = { ...lc.counters };
    forwarded += lc.forward(n, prefix);
    core.packets.droppedNoRoute += lc.counters.droppedNoRoute - before.droppedNoRoute;
    core.packets.droppedCardDown += lc.counters.droppedCardDown - before.droppedCardDown;
  }
  core.packets.forwarded += forwarded;
  core.packets.dropped += packets - forwarded;
  return { forwarded, dropped: packets - forwarded };
}
