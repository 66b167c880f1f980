/**
 * Turns for write calls: one call per event-loop iteration. A call of thousands of ops is one
 * long synchronous turn; when several arrive together they would otherwise run back to back
 * in one poll phase while the SRP link's acks and hellos, and timers, wait behind all of them.
 * Here each call waits for a setImmediate of its own, and the loop polls I/O and runs timers
 * between two calls.
 */
export class CallTurns {
  private waiting: Array<() => void> = [];
  private head = 0;
  private scheduled = false;

  /** Resolves in a later check phase, after every call that asked before it. */
  next(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.run);
      }
    });
  }

  private readonly run = (): void => {
    const resolve = this.waiting[this.head];
    this.waiting[this.head++] = undefined as unknown as () => void;
    if (this.head === this.waiting.length) {
      this.waiting = [];
      this.head = 0;
      this.scheduled = false;
    } else {
      setImmediate(this.run);
    }
    resolve(); // the call runs in this callback's microtasks, before the next iteration
  };
}
