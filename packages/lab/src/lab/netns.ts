// Two network namespaces, one per chassis, joined by a veth pair that carries the SRP link
// (RFC 2544 benchmarking space, 198.18.0.0/15). Each namespace also gets a veth to the root
// namespace for its management API, so the lab, the chaos suite, curl and Prometheus on the
// host reach both daemons.
//
//   root ns                  <prefix><id>-a                    <prefix><id>-b
//   hostAddr[0] --- mgmtAddr[0]        srpAddr[0] === srpAddr[1]        mgmtAddr[1] --- hostAddr[1]
//
// The lab (`plan()`) uses fixed addresses (198.18.0.1/30 <-> 198.18.0.2/30, management
// 198.18.1.0/30 and 198.18.1.4/30), so one lab runs at a time. The chaos suite (`chaosPlan()`)
// takes a free /28 of 198.19.0.0/16 per pair, so several suites (and a lab) can run at once.
// Needs root and iproute2; `netnsUnavailable()` says why not otherwise. Teardown deletes both
// namespaces (which removes every veth) and is idempotent.
import { spawnSync } from 'node:child_process';

export interface NetnsPlan {
  id: string;
  /** Namespace name prefix; the owner's pid follows it (leftovers of dead owners are removed). */
  prefix: string;
  ns: [string, string];
  /** The SRP veth's name inside each namespace. */
  srpDev: [string, string];
  srpAddr: [string, string];
  mgmtAddr: [string, string];
  hostAddr: [string, string];
  /** Root-namespace ends of the management veths. */
  hostDev: [string, string];
  /** Prefix length of every link (30). */
  prefixLen: number;
}

const LAB_PREFIX = 'srplab-';
const CHAOS_PREFIX = 'srpch-';

export function ip(args: string[]): { ok: boolean; out: string } {
  const r = spawnSync('ip', args, { encoding: 'utf8', timeout: 10_000 });
  if (r.error) return { ok: false, out: r.error.message };
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}`.trim() };
}

/** null when namespaces can be used, else the reason. */
export function netnsUnavailable(): string | null {
  if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'network namespaces need root';
  const v = ip(['-V']);
  if (!v.ok) return `iproute2 "ip" is not usable: ${v.out}`;
  return null;
}

function existing(prefix: string): string[] {
  const r = ip(['netns', 'list']);
  if (!r.ok) return [];
  return r.out
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n.startsWith(prefix));
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes namespaces `<prefix><pid>-...` whose owning process is gone. */
export function removeStale(prefix: string): void {
  for (const ns of existing(prefix)) {
    const owner = Number(new RegExp(`^${prefix}(\\d+)-`).exec(ns)?.[1] ?? NaN);
    if (Number.isFinite(owner) && owner !== process.pid && pidAlive(owner)) continue;
    ip(['netns', 'del', ns]);
  }
}

/** The lab's namespaces (fixed addresses). */
export function plan(pid = process.pid): NetnsPlan {
  const id = String(pid % 100_000);
  return {
    id,
    prefix: LAB_PREFIX,
    ns: [`${LAB_PREFIX}${id}-a`, `${LAB_PREFIX}${id}-b`],
    srpDev: [`sl${id}s0`, `sl${id}s1`],
    srpAddr: ['198.18.0.1', '198.18.0.2'],
    mgmtAddr: ['198.18.1.2', '198.18.1.6'],
    hostAddr: ['198.18.1.1', '198.18.1.5'],
    hostDev: [`sl${id}ma`, `sl${id}mb`],
    prefixLen: 30,
  };
}

const dotted = (n: number): string => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
const CHAOS_BASE = (198 << 24) | (19 << 16); // 198.19.0.0/16: 4096 blocks of 16 addresses

function blockInUse(k: number): boolean {
  const r = ip(['-4', '-o', 'addr', 'show']);
  const lo = (CHAOS_BASE >>> 0) + 16 * k;
  for (const m of r.out.matchAll(/inet (\d+)\.(\d+)\.(\d+)\.(\d+)\//g)) {
    const a = ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
    if (a >= lo && a < lo + 16) return true;
  }
  return ip(['link', 'show', `sc${k.toString(36)}ma`]).ok;
}

/**
 * Namespaces for one chaos pair: `srpch-<pid>-<seq>-a|b`, in a /28 of 198.19.0.0/16 that no
 * address of the root namespace uses yet: SRP link .1 <-> .2, management .6 (host .5) and
 * .10 (host .9).
 */
export function chaosPlan(seq: number, pid = process.pid): NetnsPlan {
  let k = (pid * 31 + seq * 7) % 4096;
  for (let i = 0; i < 4096 && blockInUse(k); i++) k = (k + 1) % 4096;
  const base = (CHAOS_BASE >>> 0) + 16 * k;
  const id = k.toString(36);
  const tag = `${pid % 100_000}-${seq}`;
  return {
    id,
    prefix: CHAOS_PREFIX,
    ns: [`${CHAOS_PREFIX}${tag}-a`, `${CHAOS_PREFIX}${tag}-b`],
    srpDev: [`sc${id}s0`, `sc${id}s1`],
    srpAddr: [dotted(base + 1), dotted(base + 2)],
    mgmtAddr: [dotted(base + 6), dotted(base + 10)],
    hostAddr: [dotted(base + 5), dotted(base + 9)],
    hostDev: [`sc${id}ma`, `sc${id}mb`],
    prefixLen: 30,
  };
}

export function teardown(p: NetnsPlan): void {
  for (const ns of p.ns) ip(['netns', 'del', ns]);
  // The root-side ends go with their peers; delete explicitly in case a namespace was not made.
  for (const dev of p.hostDev) ip(['link', 'del', dev]);
  ip(['link', 'del', p.srpDev[0]]);
}

/** Creates both namespaces; throws with the failing command (after cleaning up) on error. */
export function setup(p: NetnsPlan = plan()): NetnsPlan {
  if (p.prefix === LAB_PREFIX) {
    // The lab's addresses are fixed: a live lab elsewhere is refused, a dead one's leftovers go.
    for (const ns of existing(LAB_PREFIX)) {
      const owner = Number(/^srplab-(\d+)-[ab]$/.exec(ns)?.[1] ?? NaN);
      if (Number.isFinite(owner) && owner !== Number(p.id) && pidAlive(owner)) throw new Error(`another netns lab is running (namespace ${ns}); stop it first`);
    }
  }
  removeStale(p.prefix);
  const [na, nb] = p.ns;
  const [s0, s1] = p.srpDev;
  const len = p.prefixLen;
  const steps: string[][] = [
    ['netns', 'add', na],
    ['netns', 'add', nb],
    ['link', 'add', s0, 'type', 'veth', 'peer', 'name', s1],
    ['link', 'set', s0, 'netns', na],
    ['link', 'set', s1, 'netns', nb],
    ['-n', na, 'addr', 'add', `${p.srpAddr[0]}/${len}`, 'dev', s0],
    ['-n', nb, 'addr', 'add', `${p.srpAddr[1]}/${len}`, 'dev', s1],
    ['-n', na, 'link', 'set', s0, 'up'],
    ['-n', nb, 'link', 'set', s1, 'up'],
    ['-n', na, 'link', 'set', 'lo', 'up'],
    ['-n', nb, 'link', 'set', 'lo', 'up'],
  ];
  ([0, 1] as const).forEach((i) => {
    const ns = p.ns[i];
    const host = p.hostDev[i];
    const inner = `${host.slice(0, -2)}n${i === 0 ? 'a' : 'b'}`;
    steps.push(
      ['link', 'add', host, 'type', 'veth', 'peer', 'name', inner],
      ['link', 'set', inner, 'netns', ns],
      ['addr', 'add', `${p.hostAddr[i]}/${len}`, 'dev', host],
      ['link', 'set', host, 'up'],
      ['-n', ns, 'addr', 'add', `${p.mgmtAddr[i]}/${len}`, 'dev', inner],
      ['-n', ns, 'link', 'set', inner, 'up'],
    );
  });
  for (const s of steps) {
    const r = ip(s);
    if (!r.ok) {
      teardown(p);
      throw new Error(`ip ${s.join(' ')} failed: ${r.out}`);
    }
  }
  return p;
}

/**
 * A second address on namespace `i`'s SRP veth, outside the link's /30 (the block's .13 for a,
 * .14 for b), with a route to it from the other namespace: a source on the SRP link that is not
 * the peer (what a chassis' `peer-allow` refuses). Gone with the namespaces.
 */
export function strangerAddress(p: NetnsPlan, i: 0 | 1): string {
  const first = p.srpAddr[0].split('.').map(Number);
  const base = (((first[0] ?? 0) << 24) | ((first[1] ?? 0) << 16) | ((first[2] ?? 0) << 8) | (first[3] ?? 0)) - 1;
  const addr = dotted((base >>> 0) + 13 + i);
  const other = i === 0 ? 1 : 0;
  for (const step of [
    ['-n', p.ns[i], 'addr', 'add', `${addr}/32`, 'dev', p.srpDev[i]],
    ['-n', p.ns[other], 'route', 'add', `${addr}/32`, 'dev', p.srpDev[other]],
  ]) {
    const r = ip(step);
    if (!r.ok && !/File exists/.test(r.out)) throw new Error(`ip ${step.join(' ')} failed: ${r.out}`);
  }
  return addr;
}

export function wrapFor(p: NetnsPlan, i: 0 | 1): string[] {
  return ['ip', 'netns', 'exec', p.ns[i]];
}
