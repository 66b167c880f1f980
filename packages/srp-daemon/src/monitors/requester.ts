// Asks the daemon for a planned switchover on behalf of service monitoring, through the same
// path as `srp initiate-switchover` (flush every pending checkpoint, then hand over), never
// forced: a Standby that is not ready, or no peer at all, refuses it, and the monitors ask
// again at their next evaluation. One request at a time; each distinct refusal is reported once.
import type { ServiceSwitchoverReason, SrpEvent, SwitchoverResult } from '../api/contract.js';

export interface SwitchoverHost {
  initiateSwitchover(force: boolean, reason: ServiceSwitchoverReason, cause: string): Promise<SwitchoverResult>;
}

export interface RequestRecord {
  at: string;
  reason: ServiceSwitchoverReason;
  cause: string;
  accepted: boolean;
  refusals: string[];
}

export class SwitchoverRequester {
  private inFlight = false;
  private lastRefusal: string | null = null;
  last: RequestRecord | null = null;
  requested = 0;
  refused = 0;

  constructor(
    private readonly host: SwitchoverHost,
    private readonly emit: (e: SrpEvent) => void,
  ) {}

  request(reason: ServiceSwitchoverReason, cause: string): void {
    if (this.inFlight) return;
    this.inFlight = true;
    this.host.initiateSwitchover(false, reason, cause).then(
      (r) => this.done(reason, cause, r),
      (err: unknown) => this.done(reason, cause, { accepted: false, reasons: [String(err)] }),
    );
  }

  private done(reason: ServiceSwitchoverReason, cause: string, r: SwitchoverResult): void {
    this.inFlight = false;
    const at = new Date().toISOString();
    this.last = { at, reason, cause, accepted: r.accepted, refusals: r.reasons };
    if (r.accepted) {
      this.requested++;
      this.lastRefusal = null;
      this.emit({ type: 'service-switchover', at, reason, accepted: true, cause });
      return;
    }
    const why = r.reasons.join('; ');
    if (why === this.lastRefusal) return;
    this.refused++;
    this.lastRefusal = why;
    this.emit({ type: 'service-switchover', at, reason, accepted: false, refusals: r.reasons, cause: `${cause}; refused: ${why}` });
  }
}
