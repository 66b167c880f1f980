import { MicroCommand } from '../commands.js';
import type { EngineContext } from '../context.js';
import type { MicroCheckpoint } from '../messages.js';
import { A_ATTRS, A_COUNTERS, A_DELTA, A_LIFETIME, PayloadReader } from '../payload.js';
import { classFromWire } from '../table/view.js';
import type { MacroApplier } from './apply-macro.js';

export type ApplyOutcome = 'applied' | 'stale' | 'failed';

/**
 * Applies one micro-checkpoint item to the Standby's table with the version rule: an item not
 * newer than the local copy is stale and dropped (not a failure), unless a macro under way has
 * not confirmed the session yet. A payload is checked whole before anything is applied (a
 * malformed one changes nothing); its attrs and counters sections are then copied, as they
 * came, into the session's packed record (table/packed.ts).
 */
export class MicroApplier {
  /** Reused for every micro item (no reader and Buffer view allocated per item). */
  private readonly reader = new PayloadReader();
  private injectFailures = 0;

  /**
   * `fail`: records the failure (statistics, NACK) and returns 'failed'. `deleted`: told of
   * every session delete the Active sends that is not older than this table's copy (whether or
   * not the table has the session).
   */
  constructor(
    private readonly ctx: EngineContext,
    private readonly macro: MacroApplier,
    private readonly fail: (it: MicroCheckpoint, reason: string) => ApplyOutcome,
    private readonly deleted: (id: string) => void,
  ) {}

  /** Fault injection: the next `count` micro items fail to apply (as if corrupt). */
  injectFailure(count = 1): void {
    this.injectFailures += count;
  }

  apply(it: MicroCheckpoint): ApplyOutcome {
    if (this.injectFailures > 0) {
      this.injectFailures--;
      return this.fail(it, 'injected apply failure');
    }
    const { store } = this.ctx;
    const { records } = store;
    const s = store.get(it.sessionId);
    if (s && !this.macro.isUnconfirmed(s) && it.version <= s.version) return 'stale';
    try {
      const r = this.reader.reset(it.payload);
      switch (it.commandId) {
        case MicroCommand.SessionFull: {
          r.check('full');
          const cls = classFromWire(r.classByte());
          const createdAt = r.varint();
          const lifetimeMs = r.varint();
          const expiresAt = r.varint();
          // Attributes and counters go into the arena as they came (table/packed.ts),
          // unless they are too large for it.
          const aStart = r.offset;
          const t = this.macro.put(s, it.sessionId, cls, createdAt, lifetimeMs, expiresAt, it.version);
          const p = it.payload;
          const aEnd = r.skipAttrs().offset;
          if (!records.pack(t, p, aStart, aEnd, p, aEnd, p.length)) records.setObjects(t, r.seek(aStart).attrs(), r.counters());
          return 'applied';
        }
        case MicroCommand.AttrsUpdate: {
          if (!s) return this.fail(it, 'attrs update for an unknown session');
          r.check('attrs');
          if (!records.packAttrs(s, it.payload, 0, it.payload.length)) s.attrs = r.attrs();
          break;
        }
        case MicroCommand.CountersSync: {
          if (!s) return this.fail(it, 'counters for an unknown session');
          r.check('counters');
          if (!records.packCounters(s, it.payload, 0, it.payload.length)) s.counters = r.counters();
          break;
        }
        case MicroCommand.LifetimeRefresh: {
          if (!s) return this.fail(it, 'lifetime refresh for an unknown session');
          r.check('lifetime');
          s.lifetimeMs = r.varint();
          s.expiresAt = r.varint();
          break;
        }
        case MicroCommand.AttrsLifetime: {
          if (!s) return this.fail(it, 'attrs and lifetime for an unknown session');
          r.check('attrs-lifetime');
          s.lifetimeMs = r.varint();
          s.expiresAt = r.varint();
          const aStart = r.offset;
          if (!records.packAttrs(s, it.payload, aStart, it.payload.length)) s.attrs = r.attrs();
          break;
        }
        case MicroCommand.SessionAspects: {
          if (!s) return this.fail(it, 'aspects for an unknown session');
          r.check('aspects');
          const mask = r.u8();
          if (mask & A_LIFETIME) {
            s.lifetimeMs = r.varint();
            s.expiresAt = r.varint();
          }
          const p = it.payload;
          if (mask & A_ATTRS) {
            const aStart = r.offset;
            const aEnd = r.skipAttrs().offset;
            if (!records.packAttrs(s, p, aStart, aEnd)) s.attrs = r.seek(aStart).attrs();
          } else if (mask & A_DELTA) {
            // The attributes the delta names change; the others stay as they are.
            const attrs = s.packed >= 0 ? records.readAttrs(s) : s.attrs;
            r.applyDelta(attrs);
            if (s.packed >= 0 && !records.packAttrsObject(s, attrs)) s.attrs = attrs;
          }
          if (mask & A_COUNTERS) {
            const cStart = r.offset;
            if (!records.packCounters(s, p, cStart, p.length)) s.counters = r.counters();
          }
          break;
        }
        case MicroCommand.SessionDelete:
          // The layout of a delete is empty: anything in it is garbage.
          if (it.payload.length !== 0) return this.fail(it, `a session delete with a payload of ${it.payload.length} bytes`);
          this.deleted(it.sessionId);
          if (!s) return 'stale';
          store.remove(it.sessionId);
          return 'applied';
        default:
          return this.fail(it, `unknown micro-checkpoint command ${it.commandId}`);
      }
      store.setVersion(s, it.version);
      return 'applied';
    } catch (err) {
      return this.fail(it, (err as Error).message);
    }
  }
}
