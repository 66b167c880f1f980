import { SessionRecordsWriter, type PreEncodedSessionRecords } from '@srp-ha/wire';
import type { Session } from '../table/session.js';
import { classToWire } from '../table/view.js';

/**
 * The records of a macro chunk, written as wire bytes straight from the table (no
 * SessionRecord objects): a packed session's attributes and counters are copied from its
 * record into map entries (PackedRecords.writeEntries), a session of objects is written from
 * them. What a receiver decodes from them is what toRecord gives for the same sessions.
 */
export class ChunkEncoder {
  private readonly w = new SessionRecordsWriter();

  /** Sessions added since the last take(). */
  get length(): number {
    return this.w.count;
  }

  /**
   * Appends s's record. Throws a WireError (SRP_ERR_BAD_MESSAGE), with nothing of s kept, on
   * a field the wire cannot carry (a time that is not a non-negative safe integer, say).
   */
  add(s: Session): void {
    const w = this.w;
    try {
      w.begin(s.id, classToWire(s.cls), s.createdAt, s.lifetimeMs, s.expiresAt);
      if (s.packed < 0) this.objects(s.attrs, s.counters);
      else if (!s.records.writeEntries(s, w)) {
        // A key or value not valid UTF-8 (from the peer): as toRecord decodes it.
        w.abort();
        w.begin(s.id, classToWire(s.cls), s.createdAt, s.lifetimeMs, s.expiresAt);
        this.objects(s.records.readAttrs(s), s.records.readCounters(s));
      }
      w.end(s.version);
    } catch (err) {
      w.abort();
      throw err;
    }
  }

  private objects(attrs: Record<string, string>, counters: Record<string, bigint>): void {
    const w = this.w;
    for (const k in attrs) w.attr(k, attrs[k]);
    for (const k in counters) w.counter(k, counters[k]);
  }

  /** The records added since the last take(), for a MacroCheckpointChunk's `sessions`. */
  take(): PreEncodedSessionRecords {
    return this.w.take();
  }
}
