// hw-sim events as daemon events (`hw-...`), so `srpctl events` and the WebSocket stream show
// card faults and CF switchovers next to the SRP state changes. `at` is wall-clock ISO-8601
// like every SrpEvent; `cause` is one readable line.
import type { Chassis, ChassisEvents } from '@srp-ha/hw-sim';
import type { SrpEvent } from '../api/contract.js';

export const HW_EVENT_TYPES = [
  'hw-cf-switchover',
  'hw-card-fault',
  'hw-chassis-reset',
  'hw-active-cf-changed',
  'hw-linecard-status',
  'hw-rf-state',
] as const;
export type HwEventType = (typeof HW_EVENT_TYPES)[number];

const iso = (): string => new Date().toISOString();

/** Subscribes to every chassis event and hands each one, mapped, to `emit`. Returns the unsubscribe. */
export function forwardChassisEvents(chassis: Chassis, emit: (event: SrpEvent) => void): () => void {
  const offs = [
    chassis.on('cf-switchover', (e: ChassisEvents['cf-switchover']) =>
      emit({
        type: 'hw-cf-switchover',
        at: iso(),
        from: e.from,
        to: e.to,
        mode: e.mode,
        durationMs: e.durationMs,
        reset: e.reset,
        switchoverCause: e.cause,
        cause: `CF switchover from slot ${e.from} to slot ${e.to} (${e.cause}) in ${e.mode} mode, ${e.durationMs} ms${e.reset ? ', line cards reset' : ''}`,
      }),
    ),
    chassis.on('card-fault', (e: ChassisEvents['card-fault']) =>
      emit({ type: 'hw-card-fault', at: iso(), slot: e.card, kind: e.kind, cardType: e.cardType, cause: `fault injected on slot ${e.card} (${e.cardType}): ${e.kind}` }),
    ),
    chassis.on('chassis-reset', (e: ChassisEvents['chassis-reset']) => emit({ type: 'hw-chassis-reset', at: iso(), cause: e.cause })),
    chassis.on('active-cf-changed', (e: ChassisEvents['active-cf-changed']) =>
      emit({
        type: 'hw-active-cf-changed',
        at: iso(),
        slot: e.slot,
        mac: e.mac,
        cause: e.slot === null ? 'no active CF: Hellos stop until a CF is active again' : `CF in slot ${e.slot} (${e.mac}) is in charge`,
      }),
    ),
    chassis.on('linecard-status', (e: ChassisEvents['linecard-status']) =>
      emit({ type: 'hw-linecard-status', at: iso(), slot: e.slot, status: e.status, alarm: e.alarm, cause: `line card ${e.slot} ${e.status}${e.alarm !== 'none' ? ` (${e.alarm})` : ''}` }),
    ),
    chassis.on('rf-state', (e: ChassisEvents['rf-state']) =>
      emit({ type: 'hw-rf-state', at: iso(), slot: e.card, state: e.state, name: e.name, previous: e.previous, cause: `slot ${e.card}: RF state ${e.previous} -> ${e.state} -${e.name}` }),
    ),
  ];
  return () => {
    for (const off of offs) off();
  };
}
