// The SRP link of a pair at the kernel level: each chassis in its own network namespace, the
// link a veth pair between them (lab/netns.ts), faults as nftables rules on the veth's ingress
// in each namespace (table `inet srpchaos`), and `tc netem` for delay and loss where the kernel
// has it. A rule matches the whole veth, so it covers TCP and UDP on the SRP port alike.
//
//   cut        both sides reject what arrives: TCP with a reset, UDP with ICMP port
//              unreachable (resets and ICMP themselves pass, so the sender learns of it)
//   blackhole  both sides drop what arrives: silence, no RST
//   one-way    the receiving side drops what arrives from `from`
//   syn-drop   both sides drop TCP SYNs (new connections hang); open connections and UDP pass
//   loss       netem loss on both egresses; without netem, an nftables `numgen random` drop
//   delay      netem delay on both egresses; without netem: unsupported (said, not faked)
//   reset      `ss -K` in both namespaces: every open TCP connection between the two chassis
//              is aborted (the kernel sends the RST), once; no rule stays behind
//
// Drops are on ingress, never on the sender's output hook: a drop there fails the send with
// EPERM, which a real network never does.
import { spawnSync } from 'node:child_process';
import type { NetnsPlan } from '../lab/netns.js';
import { FaultError, type LinkFaultKind, type LinkFaults, type NodeName } from './driver.js';

const TABLE = 'srpchaos';

function run(cmd: string, args: string[], input?: string): { ok: boolean; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10_000, ...(input !== undefined ? { input } : {}) });
  if (r.error) return { ok: false, out: r.error.message };
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}`.trim() };
}

const have = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

/** null when kernel-level link faults can run here, else the reason (root, ip, nft). */
export function kernelUnavailable(): string | null {
  if (process.platform !== 'linux') return `kernel link faults need Linux (this is ${process.platform})`;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'kernel link faults need root (network namespaces, nftables)';
  const missing = ['ip', 'nft', 'tc'].filter((c) => !have(c));
  if (missing.length > 0) return `missing tool(s): ${missing.join(', ')} (Debian: apt-get install iproute2 nftables)`;
  return null;
}

let netemProbe: string | null | undefined;

/** null when `tc netem` works in this kernel, else what is missing (probed once, in `ns`). */
function netemMissing(ns: string, dev: string): string | null {
  if (netemProbe !== undefined) return netemProbe;
  const r = run('tc', ['-n', ns, 'qdisc', 'add', 'dev', dev, 'root', 'netem', 'delay', '1ms']);
  if (r.ok) {
    run('tc', ['-n', ns, 'qdisc', 'del', 'dev', dev, 'root']);
    netemProbe = null;
  } else {
    netemProbe = /unknown/i.test(r.out)
      ? 'tc netem is not in this kernel (CONFIG_NET_SCH_NETEM is off: "Specified qdisc kind is unknown")'
      : `tc netem failed: ${r.out}`;
  }
  return netemProbe;
}

export class KernelLink implements LinkFaults {
  readonly kind = 'kernel' as const;
  readonly label: string;
  private netem = false;
  private state = 'clean';

  constructor(private readonly plan: NetnsPlan) {
    const why = netemMissing(plan.ns[0], plan.srpDev[0]);
    this.label = `kernel (a network namespace per chassis, a veth pair in 198.19.0.0/16, nftables${why === null ? ', tc netem' : '; no tc netem in this kernel: no delay'})`;
  }

  unsupported(fault: LinkFaultKind): string | null {
    if (fault === 'delay') return netemMissing(this.plan.ns[0], this.plan.srpDev[0]);
    return null;
  }

  cut(): Promise<void> {
    return this.apply('cut', (dev) => [
      `iifname "${dev}" tcp flags & rst == rst counter accept`,
      `iifname "${dev}" meta l4proto { icmp, ipv6-icmp } counter accept`,
      `iifname "${dev}" meta l4proto tcp counter reject with tcp reset`,
      `iifname "${dev}" meta l4proto udp counter reject`,
      `iifname "${dev}" counter drop`,
    ]);
  }

  blackhole(): Promise<void> {
    return this.apply('blackhole', (dev) => [`iifname "${dev}" counter drop`]);
  }

  oneWay(from: NodeName): Promise<void> {
    // Dropped where it arrives: in the peer's namespace.
    const receiver = from === 'a' ? 1 : 0;
    return this.apply(`one-way ${from}->${from === 'a' ? 'b' : 'a'}`, (dev, i) => (i === receiver ? [`iifname "${dev}" counter drop`] : []));
  }

  synDrop(): Promise<void> {
    return this.apply('syn-drop', (dev) => [`iifname "${dev}" tcp flags & (syn | ack) == syn counter drop`]);
  }

  async loss(percent: number): Promise<void> {
    if (!(percent > 0 && percent < 100)) throw new FaultError(`loss must be between 0 and 100 %, got ${percent}`);
    if (netemMissing(this.plan.ns[0], this.plan.srpDev[0]) === null) {
      await this.apply(`loss ${percent}% (netem)`, () => []);
      this.qdisc(['netem', 'loss', `${percent}%`]);
      return;
    }
    const per1000 = Math.round(percent * 10);
    await this.apply(`loss ${percent}% (nftables numgen, no netem)`, (dev) => [`iifname "${dev}" numgen random mod 1000 < ${per1000} counter drop`]);
  }

  async delay(ms: number, jitterMs = 0): Promise<void> {
    const why = this.unsupported('delay');
    if (why !== null) throw new FaultError(why);
    await this.apply(`delay ${ms} ms`, () => []);
    this.qdisc(['netem', 'delay', `${ms}ms`, ...(jitterMs > 0 ? [`${jitterMs}ms`] : [])]);
  }

  reset(): Promise<void> {
    let killed = 0;
    const out: string[] = [];
    ([0, 1] as const).forEach((i) => {
      const peer = this.plan.srpAddr[i === 0 ? 1 : 0];
      const r = run('ip', ['netns', 'exec', this.plan.ns[i], 'ss', '-K', '-H', '-t', 'dst', peer]);
      out.push(r.out);
      if (r.ok) killed += r.out.split('\n').filter((l) => l.trim() !== '').length;
    });
    // ss lists what it destroyed; a kernel without CONFIG_INET_DIAG_DESTROY destroys nothing.
    if (killed === 0) return Promise.reject(new FaultError(`ss -K aborted no TCP connection of the SRP link (no connection open, or a kernel without CONFIG_INET_DIAG_DESTROY): ${out.join(' | ')}`));
    return Promise.resolve();
  }

  heal(): Promise<void> {
    this.clearQdisc();
    for (const ns of this.plan.ns) run('ip', ['netns', 'exec', ns, 'nft', '-f', '-'], `table inet ${TABLE}\ndelete table inet ${TABLE}\n`);
    this.state = 'clean';
    return Promise.resolve();
  }

  /** The current fault and the packets its rules matched on each side. */
  describe(): Promise<string> {
    const sides = this.plan.ns.map((ns, i) => {
      const r = run('ip', ['netns', 'exec', ns, 'nft', 'list', 'table', 'inet', TABLE]);
      if (!r.ok) return `${i === 0 ? 'a' : 'b'}: no rules`;
      const packets = [...r.out.matchAll(/counter packets (\d+)/g)].reduce((s, m) => s + Number(m[1]), 0);
      return `${i === 0 ? 'a' : 'b'}: ${packets} packets matched`;
    });
    return Promise.resolve(`kernel: ${this.state}; ${sides.join(', ')} (${this.plan.ns.join(' + ')}, ${this.plan.srpAddr.join(' <-> ')})`);
  }

  /** Packets matched by the rules of one side's table (null: no table). */
  matched(node: NodeName): number | null {
    const r = run('ip', ['netns', 'exec', this.plan.ns[node === 'a' ? 0 : 1], 'nft', 'list', 'table', 'inet', TABLE]);
    if (!r.ok) return null;
    return [...r.out.matchAll(/counter packets (\d+)/g)].reduce((s, m) => s + Number(m[1]), 0);
  }

  close(): Promise<void> {
    return this.heal();
  }

  /** Replaces both sides' rules in one nft transaction each. */
  private apply(state: string, rules: (dev: string, i: 0 | 1) => string[]): Promise<void> {
    this.clearQdisc();
    let failed: FaultError | undefined;
    ([0, 1] as const).forEach((i) => {
      const dev = this.plan.srpDev[i];
      const body = rules(dev, i)
        .map((r) => `    ${r}\n`)
        .join('');
      const script =
        `table inet ${TABLE}\ndelete table inet ${TABLE}\n` +
        `table inet ${TABLE} {\n  chain input {\n    type filter hook input priority -10; policy accept;\n${body}  }\n}\n`;
      const r = run('ip', ['netns', 'exec', this.plan.ns[i], 'nft', '-f', '-'], script);
      if (!r.ok) failed ??= new FaultError(`nft in ${this.plan.ns[i]} failed for ${state}: ${r.out}\n${script}`);
    });
    if (failed) return Promise.reject(failed);
    this.state = state;
    return Promise.resolve();
  }

  private qdisc(args: string[]): void {
    ([0, 1] as const).forEach((i) => {
      const r = run('tc', ['-n', this.plan.ns[i], 'qdisc', 'add', 'dev', this.plan.srpDev[i], 'root', ...args]);
      if (!r.ok) throw new FaultError(`tc ${args.join(' ')} in ${this.plan.ns[i]} failed: ${r.out}`);
    });
    this.netem = true;
  }

  private clearQdisc(): void {
    if (!this.netem) return;
    ([0, 1] as const).forEach((i) => run('tc', ['-n', this.plan.ns[i], 'qdisc', 'del', 'dev', this.plan.srpDev[i], 'root']));
    this.netem = false;
  }
}
