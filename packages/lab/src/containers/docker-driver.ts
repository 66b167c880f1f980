// The chaos suite's fault driver on the compose lab's containers: node 'a' is srpd-primary,
// 'b' srpd-backup. kill is `docker kill`, freeze/thaw `docker pause`/`unpause`, start
// `docker start`, and the link's cut (and blackhole: the same here) takes srpd-primary off the
// SRP network, heal puts it back. Faults that need packet rules (one-way, syn-drop, loss, delay,
// a reset of the TCP connections) and wall-clock steps are not available: they throw
// FaultUnsupportedError, and unsupported() / clockUnsupported() say why beforehand.
import { readFileSync } from 'node:fs';
import { FaultUnsupportedError, type FaultDriver, type LinkFaultKind, type LinkFaults, type NodeName } from '../faults/driver.js';
import type { ComposeLab, Chassis } from './compose.js';
import { SRP_ADDRESS } from './compose.js';
import { cutLink, freeze, healLink, inspect, kill, KILL_SIGNALS, restart, thaw, type KillSignal } from './faults.js';
import { ContainerError, waitFor } from './run.js';

export type { NodeName } from '../faults/driver.js';
export const CONTAINER_OF: Record<NodeName, Chassis> = { a: 'srpd-primary', b: 'srpd-backup' };

const NOT_HERE =
  'needs packet rules in a container network namespace (nsenter --net=/proc/PID/ns/net); the docker driver only takes a chassis off the SRP network';

/**
 * Why a disconnect does not cut the link here, or null. A private engine (no iptables rules)
 * leaves the host's forwarding as it is: with ip_forward=1 the host routes between the bridges
 * and the disconnected chassis still reaches its peer.
 */
export function disconnectDoesNotCut(engineOwned: boolean): string | null {
  if (!engineOwned) return null;
  let forwarding = '0';
  try {
    forwarding = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim();
  } catch {
    return null;
  }
  return forwarding === '1' ? 'net.ipv4.ip_forward=1 on this host and the engine adds no iptables rules: a docker network disconnect does not cut the SRP link here' : null;
}

/** The SRP link as the engine can fault it: srpd-primary taken off, and put back on, the `srp` network. */
export class DockerLink implements LinkFaults {
  readonly kind = 'engine' as const;
  private cutNow = false;

  constructor(private readonly lab: ComposeLab) {}

  get label(): string {
    return `docker network disconnect/connect of srpd-primary on ${this.lab.network('srp')} (TCP and UDP; the peer sees silence, not resets)`;
  }

  unsupported(fault: LinkFaultKind): string | null {
    if (fault !== 'cut' && fault !== 'blackhole') return `${fault}: ${NOT_HERE}`;
    return disconnectDoesNotCut(this.lab.engine.owned);
  }

  async cut(): Promise<void> {
    if (this.cutNow) return;
    await cutLink(this.lab.engine, CONTAINER_OF.a, this.lab.network('srp'));
    this.cutNow = true;
  }

  /** Off the network is silent for the peer: the same operation as cut(). */
  blackhole(): Promise<void> {
    return this.cut();
  }

  oneWay(_from: NodeName): Promise<void> {
    return Promise.reject(new FaultUnsupportedError(`one-way: ${NOT_HERE}`));
  }

  synDrop(): Promise<void> {
    return Promise.reject(new FaultUnsupportedError(`syn-drop: ${NOT_HERE}`));
  }

  loss(_percent: number): Promise<void> {
    return Promise.reject(new FaultUnsupportedError(`loss: ${NOT_HERE}`));
  }

  delay(_ms: number, _jitterMs?: number): Promise<void> {
    return Promise.reject(new FaultUnsupportedError(`delay: ${NOT_HERE}`));
  }

  reset(): Promise<void> {
    return Promise.reject(new FaultUnsupportedError(`reset: ${NOT_HERE}`));
  }

  async heal(): Promise<void> {
    const net = this.lab.network('srp');
    const st = await inspect(this.lab.engine, CONTAINER_OF.a);
    if (!(net in st.networks)) await healLink(this.lab.engine, CONTAINER_OF.a, net, SRP_ADDRESS[CONTAINER_OF.a]);
    this.cutNow = false;
  }

  async describe(): Promise<string> {
    const st = await inspect(this.lab.engine, CONTAINER_OF.a);
    const net = this.lab.network('srp');
    return net in st.networks ? `link up (srpd-primary at ${st.networks[net]} on ${net})` : `link cut (srpd-primary off ${net})`;
  }

  close(): Promise<void> {
    return this.heal();
  }
}

export class DockerDriver implements FaultDriver {
  readonly link: DockerLink;

  constructor(private readonly lab: ComposeLab) {
    this.link = new DockerLink(lab);
  }

  /** Signals srpd (PID 1); for SIGKILL and SIGTERM, resolves once the container has stopped. */
  async kill(node: NodeName, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!(KILL_SIGNALS as readonly string[]).includes(signal)) throw new ContainerError('SRP_CTR_BAD_ARGUMENT', `signal ${signal} is not one the docker driver sends (${KILL_SIGNALS.join(', ')})`);
    const c = CONTAINER_OF[node];
    await kill(this.lab.engine, c, signal as KillSignal);
    if (signal === 'SIGKILL' || signal === 'SIGTERM') {
      await waitFor(`${c} stopped`, 30_000, async () => ((await inspect(this.lab.engine, c)).running ? null : true), 100);
    }
  }

  /** docker start of a stopped chassis; resolves once its management API answers. */
  async start(node: NodeName): Promise<void> {
    const c = CONTAINER_OF[node];
    await restart(this.lab.engine, c);
    await waitFor(`${c} API answering`, 60_000, async () => ((await this.lab.api(c).info(1000)) ? true : null), 100);
  }

  async restart(node: NodeName): Promise<void> {
    await this.kill(node, 'SIGKILL');
    await this.start(node);
  }

  async freeze(node: NodeName): Promise<void> {
    await freeze(this.lab.engine, CONTAINER_OF[node]);
  }

  async thaw(node: NodeName): Promise<void> {
    await thaw(this.lab.engine, CONTAINER_OF[node]);
  }

  stepClock(_node: NodeName, _offsetMs: number): Promise<void> {
    return Promise.reject(new FaultUnsupportedError(this.clockUnsupported()));
  }

  clockUnsupported(): string {
    return 'containers share the host kernel clock and the image has no libfaketime: wall-clock steps are not possible in the compose lab';
  }
}
