// Subscriber traffic -> session store: maps the traffic generator's session operations
// (hw-sim `SessionOp`) onto the checkpoint engine's session API. srpd hands the result to
// `plane.setSessionSink(...)`; the plane calls it only while the chassis is SRP Active and
// counts what it does (`srp_hw_session_ops_total{outcome="applied"|"failed"}`): the sink throws
// when an operation cannot be applied.
//
//   {op:'upsert'} of an unknown id   -> engine.create (attrs as strings, counters as bigint)
//   {op:'upsert'} of a known id      -> raiseCounters to the values given, and
//                                      updateAttrs for attributes that changed; the lifetime is
//                                      not restarted (the generator detaches at attach + lifetime)
//   {op:'delete'}                    -> engine.delete (an id already gone is not an error)
import { sessionAttrs, sessionClass, type CheckpointEngine } from '@srp-ha/checkpoint';
import type { SessionOp, SessionSink } from '@srp-ha/hw-sim';

export type TrafficEngine = Pick<CheckpointEngine, 'role' | 'lookup' | 'create' | 'raiseCounters' | 'updateAttrs' | 'delete'>;

function attrString(v: unknown): string {
  return typeof v === 'string' ? v : String(v);
}

function counterValue(v: unknown): bigint | null {
  if (typeof v === 'bigint') return v >= 0n ? v : null;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  return null;
}

/** A session sink that applies generated operations to `engine`; throws when one cannot be applied. */
export function trafficSessionSink(engine: TrafficEngine): SessionSink {
  return (op: SessionOp) => {
    // The engine takes writes on the Active only (on the Standby they would be refused anyway).
    if (engine.role !== 'active') throw new Error(`session store is not active (role ${engine.role})`);
    if (op.op === 'delete') {
      engine.delete(op.id);
      return;
    }
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(op.attrs)) if (v !== null && v !== undefined) attrs[k] = attrString(v);
    const counters: Record<string, bigint> = {};
    for (const [k, v] of Object.entries(op.counters)) {
      const n = counterValue(v);
      if (n === null) throw new Error(`session ${op.id}: counter ${k} is not a non-negative integer (${String(v)})`);
      counters[k] = n;
    }
    const cur = engine.lookup(op.id);
    if (!cur || sessionClass(cur) !== op.class) {
      // New (or the same id under another class: replace it, as create does).
      engine.create({ id: op.id, class: op.class, lifetimeMs: op.lifetimeMs, attrs, counters });
      return;
    }
    // Counters only grow: after a takeover the table's counters are ahead of the generator's
    // (advanced by counter-sync-every), so a smaller value is not applied.
    engine.raiseCounters(cur, counters);
    let changed: Record<string, string> | null = null;
    const now = sessionAttrs(cur);
    for (const [k, v] of Object.entries(attrs)) {
      if (now[k] !== v) (changed ??= {})[k] = v;
    }
    if (changed) engine.updateAttrs(op.id, changed);
  };
}
