// Where session writes go: the chassis that answers as Active. A write call is sent to the
// current target; a refusal (409/503) names the Active when the chassis knows it, and the next
// call goes there (or to the other chassis when it does not); a call that gets no answer in
// time (killed, frozen, unreachable) moves the next call to the other chassis too.
import type { SrpApi } from '../api.js';
import type { Ledger, PendingWrite } from './ledger.js';

export interface WriteTarget {
  name: string;
  chassisId: string;
  api: SrpApi;
}

export type Answer =
  | { kind: 'ok'; versions: Array<number | null> | undefined; createdOps: number[] | undefined; replicated: boolean; replication: string }
  | { kind: 'refused'; status: number; active: string | null }
  | { kind: 'bad'; errors: { index: number; reason: string }[] }
  | { kind: 'error'; message: string };

/**
 * One POST /v1/sessions with `versions: true` and the replicated acknowledgement (the answer
 * waits for the Standby's ack, or says why it did not come: no Standby, the link went down, a
 * timeout), its answer classified. Never throws.
 */
export async function sendWrites(api: SrpApi, writes: readonly PendingWrite[], timeoutMs: number): Promise<Answer> {
  let r: { status: number; text: string };
  try {
    r = await api.request('POST', '/v1/sessions', { ops: writes.map((w) => w.op), versions: true, ack: 'replicated' }, timeoutMs);
  } catch (err) {
    return { kind: 'error', message: (err as Error).message };
  }
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(r.text) as Record<string, unknown>;
  } catch {
    /* judged by status alone */
  }
  if (r.status === 200)
    return {
      kind: 'ok',
      versions: Array.isArray(body.versions) ? (body.versions as Array<number | null>) : undefined,
      createdOps: Array.isArray(body.createdOps) ? (body.createdOps as number[]) : undefined,
      replicated: body.replicated === true,
      replication: typeof body.replication === 'string' ? body.replication : 'unsaid',
    };
  if (r.status === 409 || r.status === 503) {
    const a = body.active;
    const active = typeof a === 'string' ? a : typeof a === 'object' && a !== null && typeof (a as { chassisId?: unknown }).chassisId === 'string' ? (a as { chassisId: string }).chassisId : null;
    return { kind: 'refused', status: r.status, active };
  }
  if (r.status === 400 && Array.isArray(body.errors)) return { kind: 'bad', errors: body.errors as { index: number; reason: string }[] };
  return { kind: 'error', message: `HTTP ${r.status}: ${r.text.slice(0, 200)}` };
}

export interface TargetStats {
  calls: number;
  ok: number;
  /** Of `ok`: acknowledged without the Standby's ack, by the answer's reason (no-standby, link-down, timeout, ...). */
  unreplicatedBy: Record<string, number>;
  refused: number;
  errors: number;
  bad: number;
  switches: number;
}

export class ActiveFollower {
  readonly stats: TargetStats = { calls: 0, ok: 0, unreplicatedBy: {}, refused: 0, errors: 0, bad: 0, switches: 0 };
  private idx = 0;

  constructor(readonly nodes: readonly WriteTarget[]) {}

  get current(): WriteTarget {
    const t = this.nodes[this.idx];
    if (!t) throw new Error('no write targets');
    return t;
  }

  set current(t: WriteTarget) {
    const i = this.nodes.indexOf(t);
    if (i >= 0 && i !== this.idx) {
      this.idx = i;
      this.stats.switches++;
    }
  }

  /**
   * Records `answer` of `target` for `writes` in the ledger (acknowledged, or not) and moves the
   * next call's target as the answer says (unless `follow` is false: writes to both sides).
   */
  settle(ledger: Ledger, target: WriteTarget, writes: readonly PendingWrite[], answer: Answer, at: number, follow = true): void {
    this.stats.calls++;
    switch (answer.kind) {
      case 'ok':
        this.stats.ok++;
        if (!answer.replicated) this.stats.unreplicatedBy[answer.replication] = (this.stats.unreplicatedBy[answer.replication] ?? 0) + 1;
        ledger.ack(writes, answer.versions, at, target.name, answer.createdOps);
        return;
      case 'refused': {
        this.stats.refused++;
        ledger.nack(writes);
        const named = this.nodes.find((n) => n.chassisId === answer.active || n.name === answer.active);
        if (follow) this.current = named && named !== target ? named : this.other(target);
        return;
      }
      case 'bad':
        // Counters refused as going down: the chassis holds more (a new Active advances
        // counters); the ledger goes on from there. Nothing of the call was applied.
        this.stats.bad++;
        ledger.nack(writes);
        for (const e of answer.errors) {
          const w = writes[e.index];
          const held = /would go down from (\d+)/.exec(e.reason);
          if (w && held) ledger.rebaseCounter(w.session, Number(held[1]));
        }
        return;
      case 'error':
        this.stats.errors++;
        ledger.nack(writes);
        if (follow && target === this.current) this.current = this.other(target);
        return;
    }
  }

  private other(t: WriteTarget): WriteTarget {
    return this.nodes.find((n) => n !== t) ?? t;
  }
}
