// Applying a validated session API write call to the engine.
import { sessionRemoved, sessionVersion, type CheckpointEngine, type SessionHandle } from '@srp-ha/checkpoint';
import { NEVER_DUE } from './call-turns.js';
import type { SessionOp } from './session-ops.js';

export const DEFAULT_LIFETIME_MS = 3_600_000;

export interface AppliedCounts {
  created: number;
  updated: number;
  deleted: number;
}

/**
 * Applies validated ops in order, resumably: `run(due)` applies ops until they are all done or
 * `due()` ends the slice. `sessions`: validateOps' table sessions of the same ops (each entry
 * saves a lookup); once the call has paused (`paused()`), the table may have changed meanwhile
 * (a session expired, a hand-over added one), so a removed or absent one is looked up again. `versions`, when
 * given, receives each op's resulting session version (null for a delete), and `createdOps`
 * the index of each upsert that created its session.
 */
export class Application {
  readonly counts: AppliedCounts = { created: 0, updated: 0, deleted: 0 };
  /** How many ops are applied so far. */
  applied = 0;
  /** The call paused since validation: the table may have changed. */
  private stale = false;

  constructor(
    private readonly engine: CheckpointEngine,
    private readonly ops: readonly SessionOp[],
    private readonly cached?: ReadonlyArray<SessionHandle | undefined | null>,
    private readonly versions?: Array<number | null>,
    private readonly createdOps?: number[],
  ) {}

  /** The event loop had a turn since validation (or since the last slice). */
  paused(): void {
    this.stale = true;
  }

  /** Applies ops until all are done (true) or `due()` ends the slice (false). */
  run(due: () => boolean): boolean {
    const { ops } = this;
    for (; this.applied < ops.length; this.applied++) {
      if (due()) return false;
      this.one(ops[this.applied], this.applied);
    }
    return true;
  }

  private one(op: SessionOp, i: number): void {
    const { engine, counts } = this;
    if (op.op === 'delete') {
      if (engine.delete(op.id)) counts.deleted++;
      this.versions?.push(null);
      return;
    }
    // validateOps' lookup: a session, undefined (absent) or null (not the first op on the id).
    const known = this.cached ? this.cached[i] : null;
    let cur = known === null ? engine.lookup(op.id) : known;
    if (this.stale && known !== null && (cur === undefined || sessionRemoved(cur))) cur = engine.lookup(op.id);
    if (!cur) {
      const attrs: Record<string, string> = {};
      for (const [k, v] of Object.entries(op.attrs ?? {})) if (v !== null) attrs[k] = v;
      const made = engine.create({
        id: op.id,
        class: op.class ?? 'non-ims',
        lifetimeMs: op.lifetimeMs ?? DEFAULT_LIFETIME_MS,
        attrs,
        ...(op.counters ? { counters: op.counters } : {}),
      });
      this.versions?.push(made.version);
      this.createdOps?.push(i);
      counts.created++;
      return;
    }
    // Counters, attrs and the lifetime restart as one change (one version, one checkpoint item).
    engine.update(cur, { attrs: op.attrs, lifetimeMs: op.lifetimeMs, counters: op.counters });
    this.versions?.push(sessionVersion(cur));
    counts.updated++;
  }
}

/** Applies validated ops in one go (see `Application`). */
export function applyOps(
  engine: CheckpointEngine,
  ops: readonly SessionOp[],
  sessions?: ReadonlyArray<SessionHandle | undefined | null>,
  versions?: Array<number | null>,
  createdOps?: number[],
): AppliedCounts {
  const a = new Application(engine, ops, sessions, versions, createdOps);
  a.run(NEVER_DUE);
  return a.counts;
}
