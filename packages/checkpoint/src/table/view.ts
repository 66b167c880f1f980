import type { SessionClassName, SessionRecord } from '../messages.js';
import type { Session } from './session.js';

export interface SessionView {
  readonly id: string;
  readonly class: SessionClassName;
  readonly createdAt: number;
  readonly lifetimeMs: number;
  readonly expiresAt: number;
  readonly attrs: Readonly<Record<string, string>>;
  readonly counters: Readonly<Record<string, bigint>>;
  readonly version: number;
  readonly eligible: boolean;
}

export function classToWire(cls: SessionClassName): number {
  return cls === 'ims' ? 1 : 0;
}

export function classFromWire(n: number): SessionClassName {
  return n === 1 ? 'ims' : 'non-ims';
}

/**
 * A session's attributes for reading: decoded when packed (the session stays packed), else its
 * own object, which the caller must not change.
 */
export function attrsOf(s: Session): Readonly<Record<string, string>> {
  return s.packed >= 0 ? s.records.readAttrs(s) : s.attrs;
}

/** A session's counters for reading, as attrsOf. */
export function countersOf(s: Session): Readonly<Record<string, bigint>> {
  return s.packed >= 0 ? s.records.readCounters(s) : s.counters;
}

/** A copy safe to hand to a transport or a caller (a packed session stays packed). */
export function toRecord(s: Session): SessionRecord {
  return {
    id: s.id,
    sessionClass: classToWire(s.cls),
    createdAtMs: s.createdAt,
    lifetimeMs: s.lifetimeMs,
    expiresAtMs: s.expiresAt,
    attrs: s.packed >= 0 ? s.records.readAttrs(s) : { ...s.attrs },
    counters: s.packed >= 0 ? s.records.readCounters(s) : { ...s.counters },
    version: s.version,
  };
}

export function toView(s: Session): SessionView {
  return {
    id: s.id,
    class: s.cls,
    createdAt: s.createdAt,
    lifetimeMs: s.lifetimeMs,
    expiresAt: s.expiresAt,
    attrs: s.packed >= 0 ? s.records.readAttrs(s) : { ...s.attrs },
    counters: s.packed >= 0 ? s.records.readCounters(s) : { ...s.counters },
    version: s.version,
    eligible: s.eligible,
  };
}
