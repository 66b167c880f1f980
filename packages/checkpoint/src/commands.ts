/**
 * Micro-checkpoint command ids (1..255), as `show srp checkpoint info` lists them and
 * `srp disable|enable nack micro-chkpt-cmd N` takes them.
 *
 * Payloads carry the *current state* of the aspect they name, never an increment, so a
 * coalesced change (several edits sent once) is still exact and re-applying is harmless.
 */
export const MicroCommand = {
  /** Full session state: first checkpoint of a session, or several aspects changed at once. */
  SessionFull: 1,
  /** The whole attribute map. */
  AttrsUpdate: 2,
  /** Every counter value (sent when a counter crosses a multiple of counter-sync-every). */
  CountersSync: 3,
  /** The session is gone. */
  SessionDelete: 4,
  /** Lifetime and expiry after a refresh. */
  LifetimeRefresh: 5,
  /**
   * The whole attribute map with the lifetime and expiry: an update that changes attributes and
   * restarts the lifetime (the session API's upsert of an existing session), without the class,
   * creation time and counters a full checkpoint would repeat.
   */
  AttrsLifetime: 6,
  /**
   * Several aspects at once, each only if named (a mask byte): the lifetime and expiry, the
   * attributes (the whole map, or only those set or removed since the session was last sent),
   * every counter. What an update of an existing session sends when it changed more than one
   * aspect, instead of the full state (peers that list the `micro-aspects` feature only).
   */
  SessionAspects: 7,
} as const;

export type MicroCommandId = (typeof MicroCommand)[keyof typeof MicroCommand];

export const MICRO_COMMAND_NAMES: Readonly<Record<number, string>> = {
  1: 'session-full',
  2: 'attrs-update',
  3: 'counters-sync',
  4: 'session-delete',
  5: 'lifetime-refresh',
  6: 'attrs-lifetime',
  7: 'session-aspects',
};

/** The Capabilities feature of a peer that applies SessionAspects items (command 7). */
export const FEATURE_MICRO_ASPECTS = 'micro-aspects';

export function isValidCommandId(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 255;
}
