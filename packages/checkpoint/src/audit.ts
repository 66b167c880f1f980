import { AUDIT_BUCKETS, parseHhMm } from './config.js';
import { CheckpointError } from './errors.js';
import type { AuditBucketDigests } from './messages.js';
import type { EngineContext } from './context.js';
import type { CheckpointSender } from './sender/sender.js';
import type { AuditStatistics } from './stats.js';

const DAY_MS = 86_400_000;

/**
 * Next periodic audit strictly after `now`: runs at the daily start time (UTC) and every
 * `periodicityMin` after it, restarting at the start time each day.
 */
export function nextAuditTime(now: number, dailyStartTime: string, periodicityMin: number): number {
  const startOffset = parseHhMm(dailyStartTime) * 60_000;
  const period = periodicityMin * 60_000;
  let anchor = Math.floor(now / DAY_MS) * DAY_MS + startOffset;
  if (anchor > now) anchor -= DAY_MS;
  const k = Math.floor((now - anchor) / period) + 1;
  return Math.min(anchor + k * period, anchor + DAY_MS);
}

export interface AuditResult {
  auditId: number;
  trigger: string;
  withSync: boolean;
  differingBuckets: number[];
  sessionsCompared: number;
  sessionsResynced: number;
}

interface PendingAudit {
  withSync: boolean;
  trigger: string;
  snapshot: { lo: Uint32Array; hi: Uint32Array; counts: Uint32Array };
  resolve(r: AuditResult): void;
  reject(e: Error): void;
}

/**
 * Active side of `srp initiate-audit manual-with-sync` and the periodic audit.
 *
 * AuditRequest -> the Standby answers with its 256 bucket digests (after applying everything
 * sent before the request, since its queue is ordered) -> the Active compares them with its
 * own digests taken when it sent the request -> AuditReport -> with sync, a macro checkpoint
 * with reason "audit" limited to the differing buckets: the Standby overwrites those buckets'
 * sessions and drops the ones the Active did not send.
 */
export class AuditCoordinator {
  private nextId = 0;
  private readonly pending = new Map<number, PendingAudit>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly sender: CheckpointSender,
    readonly stats: AuditStatistics,
  ) {}

  initiate(withSync: boolean, trigger: string): Promise<AuditResult> {
    if (!this.sender.isAttached) {
      return Promise.reject(new CheckpointError('SRP_ERR_CHECKPOINT_LINK_DOWN', 'audit refused: no standby on the link'));
    }
    const auditId = ++this.nextId;
    // Everything changed so far goes before the request, so the digests compare like for like.
    this.sender.pump(true);
    const snapshot = this.ctx.store.snapshotBuckets();
    return new Promise<AuditResult>((resolve, reject) => {
      this.pending.set(auditId, { withSync, trigger, snapshot, resolve, reject });
      this.ctx.transport.send({ kind: 'auditRequest', body: { auditId, bucketCount: AUDIT_BUCKETS, withSync, trigger } });
    });
  }

  onDigests(msg: AuditBucketDigests): void {
    const p = this.pending.get(msg.auditId);
    if (!p) return;
    this.pending.delete(msg.auditId);
    const { snapshot } = p;
    const theirs = new Map(msg.buckets.map((b) => [b.bucket, b]));
    const differing: number[] = [];
    let compared = 0;
    let resynced = 0;
    for (let b = 0; b < AUDIT_BUCKETS; b++) {
      compared += snapshot.counts[b];
      const t = theirs.get(b);
      let same = t !== undefined && t.sessionCount === snapshot.counts[b] && t.digest.length === 8;
      if (same && t) {
        const dv = new DataView(t.digest.buffer, t.digest.byteOffset, 8);
        same = dv.getUint32(0) === snapshot.hi[b] && dv.getUint32(4) === snapshot.lo[b];
      }
      if (!same) {
        differing.push(b);
        resynced += this.ctx.store.bucketCount(b);
      }
    }
    if (!p.withSync) resynced = 0;
    const now = this.ctx.clock.now();
    const st = this.stats;
    st.runs++;
    st.lastRunAt = now;
    st.lastTrigger = p.trigger;
    st.lastDifferingBuckets = differing;
    st.bucketsCompared += AUDIT_BUCKETS;
    st.bucketsDiffering += differing.length;
    st.sessionsCompared += compared;
    st.sessionsResynced += resynced;
    const report = { auditId: msg.auditId, differingBuckets: differing, sessionsCompared: compared, sessionsResynced: resynced, withSync: p.withSync };
    this.ctx.transport.send({ kind: 'auditReport', body: report });
    if (p.withSync && differing.length > 0) this.sender.requestMacro('audit', differing);
    this.ctx.emit({ type: 'checkpoint-audit', at: now, auditId: msg.auditId, differingBuckets: differing, resynced, cause: p.trigger });
    p.resolve({ auditId: msg.auditId, trigger: p.trigger, withSync: p.withSync, differingBuckets: differing, sessionsCompared: compared, sessionsResynced: resynced });
  }

  abort(reason: string): void {
    for (const p of this.pending.values()) p.reject(new CheckpointError('SRP_ERR_CHECKPOINT_LINK_DOWN', `audit aborted: ${reason}`));
    this.pending.clear();
  }
}
