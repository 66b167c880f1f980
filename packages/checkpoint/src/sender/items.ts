import { MicroCommand } from '../commands.js';
import type { MicroCheckpoint } from '../messages.js';
import { A_ATTRS, A_COUNTERS, A_DELTA, A_LIFETIME, PayloadWriter } from '../payload.js';
import { F_COUNTERS_UNSYNCED, type Session } from '../table/session.js';
import type { SessionStore } from '../table/store.js';
import { classToWire } from '../table/view.js';

/** Aspects of a session waiting to be sent (bit set on the session: `pendingMask`). */
export const M_ATTRS = 1;
export const M_COUNTERS = 2;
export const M_LIFETIME = 4;
export const M_FULL = 8;
export const M_DELETE = 16;
/** Attrs changed and the lifetime restarted: one AttrsLifetime item. */
const M_ATTRS_LIFETIME = M_ATTRS | M_LIFETIME;

const EMPTY = new Uint8Array(0);

/**
 * Builds micro-checkpoint items from a session's current state (payload layouts: payload.ts).
 * Payloads are views of the writer's slabs, valid as long as the item is.
 */
export class ItemEncoder {
  private readonly writer = new PayloadWriter();

  constructor(private readonly store: SessionStore) {}

  /**
   * The item for the aspects `mask` of `s`. A session the peer has not had in full in `epoch`
   * (or M_FULL) is sent whole. With `aspects` (the peer applies command 7), anything else but
   * the counters alone or the lifetime alone goes as one SessionAspects item, its attributes as
   * a delta of `attrNames` (those set or removed since s was last sent; null: unknown, the
   * whole map). Without it, one aspect, or attrs with the lifetime, has an item of its own, and
   * anything else is sent whole.
   */
  encode(s: Session, mask: number, epoch: number, aspects = false, attrNames: readonly string[] | null = null): MicroCheckpoint {
    const w = this.writer;
    let cmd: number;
    const single = mask === M_ATTRS || mask === M_COUNTERS || mask === M_LIFETIME || mask === M_ATTRS_LIFETIME;
    if (aspects && s.sentEpoch === epoch && !(mask & M_FULL) && mask !== M_COUNTERS && mask !== M_LIFETIME) {
      cmd = MicroCommand.SessionAspects;
      const delta = mask & M_ATTRS && attrNames !== null;
      w.u8((mask & M_LIFETIME ? A_LIFETIME : 0) | (mask & M_COUNTERS ? A_COUNTERS : 0) | (mask & M_ATTRS ? (delta ? A_DELTA : A_ATTRS) : 0));
      if (mask & M_LIFETIME) w.varint(s.lifetimeMs).varint(s.expiresAt);
      if (delta) w.attrsDelta(s.packed >= 0 ? this.store.records.readAttrs(s) : s.attrs, attrNames);
      else if (mask & M_ATTRS) this.section(s, false);
      if (mask & M_COUNTERS) {
        this.section(s, true);
        s.flags &= ~F_COUNTERS_UNSYNCED;
      }
    } else if (!single || s.sentEpoch !== epoch) {
      cmd = MicroCommand.SessionFull;
      w.u8(classToWire(s.cls)).varint(s.createdAt).varint(s.lifetimeMs).varint(s.expiresAt);
      this.section(s, false);
      this.section(s, true);
      s.sentEpoch = epoch;
      s.flags &= ~F_COUNTERS_UNSYNCED;
    } else if (mask === M_ATTRS) {
      cmd = MicroCommand.AttrsUpdate;
      this.section(s, false);
    } else if (mask === M_ATTRS_LIFETIME) {
      cmd = MicroCommand.AttrsLifetime;
      w.varint(s.lifetimeMs).varint(s.expiresAt);
      this.section(s, false);
    } else if (mask === M_COUNTERS) {
      cmd = MicroCommand.CountersSync;
      this.section(s, true);
      s.flags &= ~F_COUNTERS_UNSYNCED;
    } else {
      cmd = MicroCommand.LifetimeRefresh;
      w.varint(s.lifetimeMs).varint(s.expiresAt);
    }
    return { commandId: cmd, sessionId: s.id, version: s.version, payload: w.take() };
  }

  /** The item that deletes session `id` at `version`. */
  deletion(id: string, version: number): MicroCheckpoint {
    return { commandId: MicroCommand.SessionDelete, sessionId: id, version, payload: EMPTY };
  }

  /** Writes s's attrs or counters section: copied as it is packed, or encoded from objects. */
  private section(s: Session, counters: boolean): void {
    if (s.packed >= 0) this.store.records.writeSection(s, this.writer, counters);
    else if (counters) this.writer.counters(s.counters);
    else this.writer.attrs(s.attrs);
  }
}
