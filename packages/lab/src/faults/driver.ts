// How the chaos suite injects faults: one small interface, so the same scenarios can run
// against srpd child processes (here: signals, plus the kernel or a user-space proxy for the
// link) or against the containers of the compose lab (containers/docker-driver.ts: the engine's
// kill, pause, start and network commands). Nodes are named 'a' and 'b', as in the pair.
//
// Link faults are symmetric unless named otherwise; `oneWay(from)` silences the direction from
// `from` to its peer. Every link fault covers the whole SRP link: TCP and the UDP datagrams
// srpd sends on the same port.

export type NodeName = 'a' | 'b';

export type LinkFaultKind = 'cut' | 'blackhole' | 'one-way' | 'syn-drop' | 'loss' | 'delay' | 'reset';

/** The SRP link between the two chassis, as a fault injector sees it. */
export interface LinkFaults {
  /**
   * 'kernel': rules in each chassis' network namespace; 'proxy': a user-space proxy; 'engine':
   * the container engine's network commands.
   */
  readonly kind: 'kernel' | 'proxy' | 'engine';
  /** For reports: what injects the faults, and its limits. */
  readonly label: string;
  /** null when this link can inject `fault`, else why not (the scenario is skipped). */
  unsupported(fault: LinkFaultKind): string | null;
  /** Both directions refused: TCP reset, UDP refused (what a down interface with RSTs looks like). */
  cut(): Promise<void>;
  /** Both directions dropped silently: no RST, nothing passes. */
  blackhole(): Promise<void>;
  /** Packets from `from` to its peer dropped silently; the other direction passes. */
  oneWay(from: NodeName): Promise<void>;
  /** New TCP connections on the SRP port fail (SYNs dropped); open ones and UDP pass. */
  synDrop(): Promise<void>;
  /** A share of packets dropped at random, both ways (0 < percent < 100). */
  loss(percent: number): Promise<void>;
  /** Every packet delayed, both ways. */
  delay(ms: number, jitterMs?: number): Promise<void>;
  /**
   * Every open TCP connection of the SRP link reset once, now (the chassis redial at once);
   * new connections and UDP pass all along. Not a state: nothing to heal.
   */
  reset(): Promise<void>;
  /** Back to a clean link. */
  heal(): Promise<void>;
  /** What the link is doing now, and counters where the injector has them. */
  describe(): Promise<string>;
  close(): Promise<void>;
}

/** Everything a scenario does to the pair from outside. */
export interface FaultDriver {
  readonly link: LinkFaults;
  /** Signal the node's process (SIGKILL/SIGTERM: wait for the exit). */
  kill(node: NodeName, signal?: NodeJS.Signals): Promise<void>;
  /** Start a stopped node; resolves once its management API answers. */
  start(node: NodeName): Promise<void>;
  /** kill -9, then start. */
  restart(node: NodeName): Promise<void>;
  /** Stop the node's process where it is (SIGSTOP) / let it run again (SIGCONT). */
  freeze(node: NodeName): Promise<void>;
  thaw(node: NodeName): Promise<void>;
  /** Step the node's wall clock to `offsetMs` from real time (monotonic time untouched). */
  stepClock(node: NodeName, offsetMs: number): Promise<void>;
  /** null when stepClock works for this pair, else why not. */
  clockUnsupported(): string | null;
}

/** A fault the driver cannot inject here (the scenario is skipped with `reason`). */
export class FaultUnsupportedError extends Error {
  override readonly name = 'FaultUnsupportedError';
  readonly code = 'SRP_LAB_FAULT_UNSUPPORTED';
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** A fault injection that failed (a rule that did not load, a signal to a missing process). */
export class FaultError extends Error {
  override readonly name = 'FaultError';
  readonly code = 'SRP_LAB_FAULT_FAILED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
