// Two network namespaces for the lab, one per chassis, joined by a veth pair that carries the
// SRP link (198.18.0.1/30 <-> 198.18.0.2/30, RFC 2544 benchmarking space). Each namespace also
// gets a veth to the root namespace for its management API (198.18.1.0/30 and 198.18.1.4/30),
// so the lab, curl and Prometheus on the host reach both daemons.
//
//   root ns                     srplab-<id>-a                  srplab-<id>-b
//   198.18.1.1 --- sl<id>na 198.18.1.2        198.18.0.1 === 198.18.0.2      sl<id>nb 198.18.1.6 --- 198.18.1.5
//
// Needs root and iproute2; `available()` says why not otherwise, and the lab falls back to
// loopback. Teardown deletes both namespaces (which removes every veth) and is idempotent.
import { spawnSync } from 'node:child_process';

export interface NetnsPlan {
  id: string;
  ns: [string, string];
  srpAddr: [string, string];
  mgmtAddr: [string, string];
  hostAddr: [string, string];
}

const PREFIX = 'srplab-';

function ip(args: string[]): { ok: boolean; out: string } {
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

function existing(): string[] {
  const r = ip(['netns', 'list']);
  if (!r.ok) return [];
  return r.out
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n.startsWith(PREFIX));
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function plan(pid = process.pid): NetnsPlan {
  const id = String(pid % 100_000);
  return {
    id,
    ns: [`${PREFIX}${id}-a`, `${PREFIX}${id}-b`],
    srpAddr: ['198.18.0.1', '198.18.0.2'],
    mgmtAddr: ['198.18.1.2', '198.18.1.6'],
    hostAddr: ['198.18.1.1', '198.18.1.5'],
  };
}

export function teardown(p: NetnsPlan): void {
  for (const ns of p.ns) ip(['netns', 'del', ns]);
  // The root-side ends go with their peers; delete explicitly in case a namespace was not made.
  for (const side of ['a', 'b']) ip(['link', 'del', `sl${p.id}m${side}`]);
  ip(['link', 'del', `sl${p.id}s0`]);
}

/** Creates both namespaces; throws with the failing command (after cleaning up) on error. */
export function setup(p: NetnsPlan = plan()): NetnsPlan {
  // Leftovers of a lab that died without cleaning up (its pid is gone) are removed first; a
  // live one is refused, because both would use the same addresses.
  for (const ns of existing()) {
    const owner = Number(/^srplab-(\d+)-[ab]$/.exec(ns)?.[1] ?? NaN);
    if (Number.isFinite(owner) && owner !== Number(p.id) && pidAlive(owner))
      throw new Error(`another netns lab is running (namespace ${ns}); stop it first`);
    ip(['netns', 'del', ns]);
  }
  const [na, nb] = p.ns;
  const steps: string[][] = [
    ['netns', 'add', na],
    ['netns', 'add', nb],
    ['link', 'add', `sl${p.id}s0`, 'type', 'veth', 'peer', 'name', `sl${p.id}s1`],
    ['link', 'set', `sl${p.id}s0`, 'netns', na],
    ['link', 'set', `sl${p.id}s1`, 'netns', nb],
    ['-n', na, 'addr', 'add', `${p.srpAddr[0]}/30`, 'dev', `sl${p.id}s0`],
    ['-n', nb, 'addr', 'add', `${p.srpAddr[1]}/30`, 'dev', `sl${p.id}s1`],
    ['-n', na, 'link', 'set', `sl${p.id}s0`, 'up'],
    ['-n', nb, 'link', 'set', `sl${p.id}s1`, 'up'],
    ['-n', na, 'link', 'set', 'lo', 'up'],
    ['-n', nb, 'link', 'set', 'lo', 'up'],
  ];
  (['a', 'b'] as const).forEach((side, i) => {
    const ns = p.ns[i] ?? '';
    const host = `sl${p.id}m${side}`;
    const inner = `sl${p.id}n${side}`;
    steps.push(
      ['link', 'add', host, 'type', 'veth', 'peer', 'name', inner],
      ['link', 'set', inner, 'netns', ns],
      ['addr', 'add', `${p.hostAddr[i]}/30`, 'dev', host],
      ['link', 'set', host, 'up'],
      ['-n', ns, 'addr', 'add', `${p.mgmtAddr[i]}/30`, 'dev', inner],
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

export function wrapFor(p: NetnsPlan, i: 0 | 1): string[] {
  return ['ip', 'netns', 'exec', p.ns[i]];
}
