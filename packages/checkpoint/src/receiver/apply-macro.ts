import { EncodedSessionRecords, type SessionRecordList } from '@srp-ha/wire';
import type { EngineContext } from '../context.js';
import type { MacroCheckpointBegin, MacroCheckpointChunk, MacroCheckpointEnd, SessionClassName, SessionRecord } from '../messages.js';
import type { Session } from '../table/session.js';
import { classFromWire } from '../table/view.js';
import { yieldToLoop } from '../yield.js';
import type { NackSender } from './nacks.js';
import { RecordTranscoder } from './record-transcoder.js';
import { SLICE_MS } from './slice.js';

interface MacroState {
  snapshotId: number;
  reason: string;
  gen: number;
  scope: Set<number> | null;
  nextChunk: number;
  startedAt: number;
  failed: string | null;
  expected: number;
}

/** What the macro applier needs from the receiver. */
export interface MacroApplierHost {
  readonly nacks: NackSender;
  /** A macro was applied whole (before its End event is emitted). */
  applied(reason: string): void;
  /** End was handled (applied or failed): acknowledge the snapshot. */
  ackSnapshot(snapshotId: number): void;
}

/**
 * The wire's SessionClass enum has two values; another one is a broken Active's (or a broken
 * record's), not a third class: the macro fails (NACKed at End) rather than guess.
 */
function unknownClass(id: string, cls: number): string {
  return `session ${JSON.stringify(id)} has an unknown class ${cls}`;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The Standby's side of a macro checkpoint: Begin, chunks applied whole and unconditionally, and
 * End, which drops what the snapshot did not confirm (in its scope: the whole table, or the
 * buckets an audit found differing) and checks the count and the digest.
 *
 * Each session a macro writes is marked with the macro's generation. During a macro, a session
 * not marked yet may hold a version from a previous Active, so the micro version check skips
 * it (`isUnconfirmed`): the stream is authoritative.
 */
export class MacroApplier {
  private macro: MacroState | null = null;
  private gen = 0;
  private pendingAuditScope: Set<number> | null = null;
  private readonly transcoder = new RecordTranscoder();

  constructor(
    private readonly ctx: EngineContext,
    private readonly host: MacroApplierHost,
  ) {}

  get inProgress(): boolean {
    return this.macro !== null;
  }

  /** The next audit macro covers these buckets only (an audit report with sync). */
  setAuditScope(buckets: Iterable<number> | null): void {
    this.pendingAuditScope = buckets === null ? null : new Set(buckets);
  }

  /** Abandons a macro that will never end (takeover): keeps everything received so far. */
  abandon(): void {
    this.macro = null;
    this.ctx.stats.macro.inProgress = false;
  }

  isUnconfirmed(s: Session): boolean {
    const m = this.macro;
    return m !== null && s.mark !== m.gen && (m.scope === null || m.scope.has(s.bucket));
  }

  /**
   * Record i of a chunk, applied whole: read from its bytes when the transcoder can (a received
   * chunk), else decoded. Returns why the macro fails, or null.
   */
  private upsert(rs: SessionRecordList, raw: EncodedSessionRecords | null, i: number): string | null {
    const { store } = this.ctx;
    const t = this.transcoder;
    if (raw !== null && t.read(raw.body, raw.recordStart(i), raw.recordEnd(i))) {
      if (t.sessionClass !== 0 && t.sessionClass !== 1) return unknownClass(t.id, t.sessionClass);
      const s = this.put(store.get(t.id), t.id, classFromWire(t.sessionClass), t.createdAtMs, t.lifetimeMs, t.expiresAtMs, t.version);
      if (!t.packInto(store.records, s)) {
        // Too large for a packed record (or the arena is full): objects, as records.set keeps them.
        const r = rs.at(i) as SessionRecord;
        store.records.set(s, r.attrs, r.counters);
      }
      return null;
    }
    // A received chunk decodes record i only now (wire's macro-chunk.ts).
    const r = rs.at(i) as SessionRecord;
    if (r.sessionClass !== 0 && r.sessionClass !== 1) return unknownClass(r.id, r.sessionClass);
    const s = this.put(store.get(r.id), r.id, classFromWire(r.sessionClass), r.createdAtMs, r.lifetimeMs, r.expiresAtMs, r.version);
    store.records.set(s, r.attrs, r.counters);
    return null;
  }

  /**
   * Sets a session's state but its attributes and counters (`s`: the table's session of `id`,
   * as the caller just looked it up; undefined: absent, inserted without a second lookup),
   * confirmed by the current macro. The caller sets those at once (store.records).
   */
  put(s: Session | undefined, id: string, cls: SessionClassName, createdAt: number, lifetimeMs: number, expiresAt: number, version: number): Session {
    const { store } = this.ctx;
    if (s) {
      s.cls = cls;
      s.createdAt = createdAt;
      s.lifetimeMs = lifetimeMs;
      s.expiresAt = expiresAt;
      store.setVersion(s, version);
    } else {
      s = store.insert(id, cls, createdAt, lifetimeMs, expiresAt, null, null, version);
    }
    store.markEligible(s);
    s.mark = this.gen;
    return s;
  }

  onBegin(b: MacroCheckpointBegin): void {
    this.ctx.stats.macro.received++;
    this.ctx.stats.macro.inProgress = true;
    const gen = ++this.gen;
    this.macro = {
      snapshotId: b.snapshotId,
      reason: b.reason,
      gen,
      scope: b.reason === 'audit' ? this.pendingAuditScope : null,
      nextChunk: 1,
      startedAt: this.ctx.clock.now(),
      failed: null,
      expected: b.sessionCount,
    };
    this.pendingAuditScope = null;
    this.ctx.emit({ type: 'checkpoint-macro-begin', at: this.ctx.clock.now(), snapshotId: b.snapshotId, reason: b.reason, sessions: b.sessionCount, cause: 'received' });
  }

  /**
   * Applies a chunk in slices: yields to the event loop whenever the current slice (started at
   * `sliceStart`) has run SLICE_MS, so a 1000-session chunk never holds the loop for long.
   * Returns the start of the slice in progress. Nothing else is applied meanwhile (one queue).
   */
  async onChunk(c: MacroCheckpointChunk, sliceStart: number): Promise<number> {
    const m = this.macro;
    if (!m || m.snapshotId !== c.snapshotId) {
      this.ctx.stats.macro.failed++;
      this.host.nacks.macroFailed(`chunk of unknown snapshot ${c.snapshotId}`, c.snapshotId);
      return sliceStart;
    }
    if (m.failed) return sliceStart;
    if (c.chunkSequence !== m.nextChunk) {
      m.failed = `chunk ${c.chunkSequence} out of sequence, expected ${m.nextChunk}`;
      return sliceStart;
    }
    m.nextChunk++;
    const rs = c.sessions;
    // A received chunk's records are read from its bytes (record-transcoder.ts).
    const raw = rs instanceof EncodedSessionRecords ? rs : null;
    for (let i = 0; i < rs.length; i++) {
      const failed = this.upsert(rs, raw, i);
      if (failed !== null) {
        m.failed = failed;
        return sliceStart;
      }
      if ((i & 63) === 63 && performance.now() - sliceStart > SLICE_MS) {
        await yieldToLoop();
        if (this.macro !== m) return performance.now(); // abandoned (takeover)
        sliceStart = performance.now();
      }
    }
    return sliceStart;
  }

  async onEnd(e: MacroCheckpointEnd): Promise<void> {
    const m = this.macro;
    const { store, stats, clock } = this.ctx;
    if (!m || m.snapshotId !== e.snapshotId) {
      stats.macro.failed++;
      this.host.nacks.macroFailed(`end of unknown snapshot ${e.snapshotId}`, e.snapshotId);
      return;
    }
    if (!m.failed && e.chunkCount !== m.nextChunk - 1) m.failed = `expected ${e.chunkCount} chunks, got ${m.nextChunk - 1}`;
    // Whatever the snapshot did not confirm is gone on the Active.
    const doomed: string[] = [];
    let n = 0;
    let sliceStart = performance.now();
    for (const s of store.values()) {
      if (this.macro !== m) return; // abandoned (takeover)
      if (s.mark !== m.gen && (m.scope === null || m.scope.has(s.bucket))) doomed.push(s.id);
      if (++n % 4096 === 0 && performance.now() - sliceStart > SLICE_MS) {
        await yieldToLoop();
        sliceStart = performance.now();
      }
    }
    if (this.macro !== m) return;
    for (const id of doomed) store.remove(id);
    this.macro = null;
    stats.macro.inProgress = false;
    if (!m.failed && store.eligibleCount !== e.sessionCount) m.failed = `session count ${store.eligibleCount} != ${e.sessionCount}`;
    if (!m.failed && !sameBytes(store.digestBytes(), e.digest)) m.failed = 'table digest differs after apply';
    const now = clock.now();
    const durationMs = now - m.startedAt;
    if (m.failed) {
      stats.macro.failed++;
      this.host.nacks.macroFailed(m.failed, e.snapshotId);
    } else {
      stats.macro.applied++;
      stats.macro.lastAt = now;
      stats.macro.lastDurationMs = durationMs;
      stats.macro.lastReason = m.reason;
      stats.macro.lastSessions = store.eligibleCount;
      this.host.nacks.resetBudget();
      this.host.applied(m.reason);
      this.ctx.observer.macroCompleted?.(durationMs / 1000, m.reason, store.eligibleCount);
    }
    this.ctx.emit({ type: 'checkpoint-macro-end', at: now, snapshotId: e.snapshotId, reason: m.reason, ok: !m.failed, durationMs, cause: m.failed ?? 'applied' });
    this.host.ackSnapshot(e.snapshotId);
  }
}
