/** One switchover's loss: sessions the old Active held that the new Active did not recover. */
export interface CallLossRecord {
  at: number; // ms epoch
  cause: string;
  /** Sessions the old Active reported in its last Hello. */
  expected: number;
  /** Sessions the new Active holds after applying everything. */
  recovered: number;
  /** Eligible (checkpointed) sessions that were not recovered: these should be 0. */
  lostEligible: number;
  /** Sessions younger than the checkpoint duration, lost by design. */
  lostYoung: number;
}

/** `show srp call-loss statistics`: bounded history plus totals. */
export class CallLossLog {
  private readonly records: CallLossRecord[] = [];
  private totals = { switchovers: 0, lost: 0, lostEligible: 0, lostYoung: 0 };

  constructor(private readonly capacity = 100) {}

  record(r: CallLossRecord): void {
    this.records.push(r);
    if (this.records.length > this.capacity) this.records.shift();
    this.totals.switchovers++;
    this.totals.lost += r.lostEligible + r.lostYoung;
    this.totals.lostEligible += r.lostEligible;
    this.totals.lostYoung += r.lostYoung;
  }

  history(): CallLossRecord[] {
    return this.records.map((r) => ({ ...r }));
  }

  summary(): { switchovers: number; lost: number; lostEligible: number; lostYoung: number; last: CallLossRecord | null } {
    const last = this.records.at(-1);
    return { ...this.totals, last: last ? { ...last } : null };
  }
}
