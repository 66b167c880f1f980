// The fault driver for srpd child processes of a Pair: signals for the processes, libfaketime
// for wall-clock steps, and whichever link the pair runs on (kernel rules or the proxy).
import type { Pair } from '../pair.js';
import { FAKETIME_MISSING, type FakeClocks } from './clock.js';
import { FaultUnsupportedError, type FaultDriver, type LinkFaults, type NodeName } from './driver.js';

export class LocalDriver implements FaultDriver {
  constructor(
    private readonly pair: Pair,
    readonly link: LinkFaults,
    private readonly clocks: FakeClocks | null,
    private readonly clockWhy: string = FAKETIME_MISSING,
  ) {}

  kill(node: NodeName, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    return this.pair.node(node).kill(signal);
  }

  start(node: NodeName): Promise<void> {
    return this.pair.node(node).start();
  }

  async restart(node: NodeName): Promise<void> {
    await this.pair.node(node).kill('SIGKILL');
    await this.pair.node(node).start();
  }

  freeze(node: NodeName): Promise<void> {
    this.pair.node(node).freeze();
    return Promise.resolve();
  }

  thaw(node: NodeName): Promise<void> {
    this.pair.node(node).thaw();
    return Promise.resolve();
  }

  stepClock(node: NodeName, offsetMs: number): Promise<void> {
    if (!this.clocks) return Promise.reject(new FaultUnsupportedError(this.clockWhy));
    this.clocks.step(node, offsetMs);
    return Promise.resolve();
  }

  clockUnsupported(): string | null {
    return this.clocks ? null : this.clockWhy;
  }
}
