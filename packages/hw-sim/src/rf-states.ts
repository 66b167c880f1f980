// The numbered RF (redundancy facility) states as `show redundancy states` prints them.
// The seed names 13 ACTIVE, 8 STANDBY HOT and 4 STANDBY COLD; the states in between follow
// the redundancy facility's own list (CISCO-RF-MIB RFState, whose values are the CLI numbers + 1).

export const RF_STATES = {
  DISABLED: 1,
  INITIALIZATION: 2,
  NEGOTIATION: 3,
  STANDBY_COLD: 4,
  STANDBY_COLD_CONFIG: 5,
  STANDBY_COLD_FILESYS: 6,
  STANDBY_COLD_BULK: 7,
  STANDBY_HOT: 8,
  ACTIVE_FAST: 9,
  ACTIVE_DRAIN: 10,
  ACTIVE_PRECONFIG: 11,
  ACTIVE_POSTCONFIG: 12,
  ACTIVE: 13,
  ACTIVE_EXTRALOAD: 14,
  ACTIVE_HANDBACK: 15,
} as const;

export type RfStateKey = keyof typeof RF_STATES;
export type RfState = (typeof RF_STATES)[RfStateKey];

const DISPLAY: Record<RfState, string> = {
  1: 'DISABLED',
  2: 'INITIALIZATION',
  3: 'NEGOTIATION',
  4: 'STANDBY COLD',
  5: 'STANDBY COLD-CONFIG',
  6: 'STANDBY COLD-FILESYS',
  7: 'STANDBY COLD-BULK',
  8: 'STANDBY HOT',
  9: 'ACTIVE FAST',
  10: 'ACTIVE DRAIN',
  11: 'ACTIVE PRECONFIG',
  12: 'ACTIVE POSTCONFIG',
  13: 'ACTIVE',
  14: 'ACTIVE EXTRALOAD',
  15: 'ACTIVE HANDBACK',
};

export function rfStateName(state: RfState): string {
  return DISPLAY[state];
}

/** `13 -ACTIVE`, the form used by `show redundancy states`. */
export function formatRfState(state: RfState): string {
  return `${state} -${DISPLAY[state]}`;
}

/** States in which the card is the one in charge (it sends the SRP Hello, programs line cards). */
export function isActiveFamily(state: RfState): boolean {
  return state >= RF_STATES.ACTIVE_FAST;
}

export function isStandbyFamily(state: RfState): boolean {
  return state >= RF_STATES.STANDBY_COLD && state <= RF_STATES.STANDBY_HOT;
}
