/**
 * A session of an engine's table, as the engine lends it to a caller: an opaque handle, never
 * the record itself. `engine.lookup(id)` returns one; `engine.update(handle, ...)` and
 * `engine.incrementCounter(handle, ...)` take one instead of the id (a lookup less in a table of
 * millions); the functions below read through one. A handle is valid until the session is
 * removed: the engine then refuses it (SRP_ERR_CHECKPOINT_NO_SESSION), and the functions below
 * read the state it had when removed.
 */
import type { SessionClassName } from './messages.js';
import { F_REMOVED, type Session } from './table/session.js';
import { attrsOf, countersOf } from './table/view.js';

declare const handleBrand: unique symbol;

export interface SessionHandle {
  readonly [handleBrand]: 'SessionHandle';
}

/** The handle of a session (inside the package). */
export const toHandle = (s: Session): SessionHandle => s as unknown as SessionHandle;

/** The session behind a handle (inside the package). */
export const fromHandle = (h: SessionHandle): Session => h as unknown as Session;

export function sessionId(h: SessionHandle): string {
  return fromHandle(h).id;
}

export function sessionClass(h: SessionHandle): SessionClassName {
  return fromHandle(h).cls;
}

export function sessionVersion(h: SessionHandle): number {
  return fromHandle(h).version;
}

/** The session's attributes, for reading only (decoded for a packed session). */
export function sessionAttrs(h: SessionHandle): Readonly<Record<string, string>> {
  return attrsOf(fromHandle(h));
}

/** The session's counters, for reading only (decoded for a packed session). */
export function sessionCounters(h: SessionHandle): Readonly<Record<string, bigint>> {
  return countersOf(fromHandle(h));
}

/** The session was removed from its table since the handle was lent (the engine refuses the handle). */
export function sessionRemoved(h: SessionHandle): boolean {
  return (fromHandle(h).flags & F_REMOVED) !== 0;
}

let passes = 0;

/**
 * Starts a pass: a synchronous walk over sessions (one API call, say) that must tell the first
 * time it meets a session from the next ones, without a set of every id it met. Each pass has a
 * number of its own in the process, and `firstInPass` marks the session itself with it. Pass
 * numbers wrap from 2^31 - 1 to 1 (a session keeps its stamp in an int32 column; 0 is "never").
 */
export function beginPass(): number {
  passes = passes >= 0x7fffffff ? 1 : passes + 1;
  return passes;
}

/** True the first time `h` is met in `pass` (it is marked: later calls in the pass are false). */
export function firstInPass(h: SessionHandle, pass: number): boolean {
  const s = fromHandle(h);
  if (s.stamp === pass) return false;
  s.stamp = pass;
  return true;
}
