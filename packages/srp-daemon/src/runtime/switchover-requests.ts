// Planned switchovers asked for through the management API (or by service monitoring): each
// request gets an id the state machine carries, and its caller waits for the one result the
// state machine reports for that id ('switchover-result'), or for a refusal when the runner
// takes no more events (stopping, failed, chassis reset).
import type { SwitchoverResult } from '../api/contract.js';

export class SwitchoverRequests {
  private seq = 1_000_000;
  private readonly waiters = new Map<number, (r: SwitchoverResult) => void>();

  /**
   * Opens a request and hands its id to `send`, which dispatches it: the state machine answers
   * every request at once. One still open when `send` returns was not taken (the runner is
   * stopping or failed): it is refused with `refusal()`.
   */
  open(send: (requestId: number) => void, refusal: () => string): Promise<SwitchoverResult> {
    const requestId = ++this.seq;
    return new Promise((resolve) => {
      this.waiters.set(requestId, resolve);
      send(requestId);
      if (this.waiters.delete(requestId)) resolve({ accepted: false, reasons: [refusal()] });
    });
  }

  /** The state machine's result for `requestId` (ignored when nobody waits for it). */
  settle(requestId: number, result: SwitchoverResult): void {
    const waiter = this.waiters.get(requestId);
    this.waiters.delete(requestId);
    waiter?.(result);
  }

  /** Refuses every open request with `reason`. */
  refuseAll(reason: string): void {
    for (const [id, waiter] of [...this.waiters]) {
      this.waiters.delete(id);
      waiter({ accepted: false, reasons: [reason] });
    }
  }
}
