// The lab CLI as a user runs it without a terminal: `lab --duration S` prints the URLs of both
// daemons and plain status lines, answers on both APIs with exactly one Active, and stops by
// itself, taking its daemons with it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { netnsUnavailable } from '../src/lab/netns.js';
import { LAB_CLI, missing, skipReason, SRPD } from './helpers.js';

const why = missing([], [SRPD, LAB_CLI]);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Lab {
  child: ChildProcess;
  /** Everything the lab printed so far (stdout, and stderr unless left out). */
  out: string;
  exited: Promise<number | null>;
}

function startLab(args: string[], opts: { stderr?: boolean } = {}): Lab {
  const child = spawn(process.execPath, [LAB_CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lab: Lab = { child, out: '', exited: new Promise((r) => child.once('exit', (code) => r(code))) };
  child.stdout.on('data', (d: Buffer) => (lab.out += d.toString()));
  if (opts.stderr !== false) child.stderr.on('data', (d: Buffer) => (lab.out += d.toString()));
  return lab;
}

/** The lab's exit code, or 'timeout' if it is still running after `ms`. */
function exitCode(lab: Lab, ms: number): Promise<number | null | 'timeout'> {
  return Promise.race([lab.exited, sleep(ms).then(() => 'timeout' as const)]);
}

/** The states both APIs report, polled until they are one Active and one Standby (10 s at most). */
/** The states the APIs report once settled; `token` for APIs off loopback (every call needs it). */
async function settledStates(apis: string[], token?: string): Promise<string[]> {
  const headers: Record<string, string> = token !== undefined ? { authorization: `Bearer ${token}` } : {};
  let states: string[] = [];
  for (let i = 0; i < 100; i++) {
    states = await Promise.all(
      apis.map((u) =>
        fetch(`${u}/v1/srp/info`, { headers, signal: AbortSignal.timeout(1000) })
          .then((r) => r.json() as Promise<{ state: string }>)
          .then((j) => j.state, () => 'down'),
      ),
    );
    if (states.filter((s) => s === 'Active').length === 1 && states.includes('Standby')) break;
    await sleep(100);
  }
  return states;
}

describe.skipIf(skipReason(why, 'the lab CLI test'))('lab CLI (not a TTY)', () => {
  it('has its prerequisites', () => {
    expect(why).toBeNull();
  });

  it('starts a pair, prints both APIs, shows one Active, stops after --duration', { timeout: 90_000 }, async () => {
    const lab = startLab(['--duration', '8', '--hello', '200', '--dead', '1000']);
    try {
      // Both API URLs appear.
      let apis: string[] = [];
      for (let i = 0; i < 200 && apis.length < 2; i++) {
        apis = [...lab.out.matchAll(/API\s+(http:\/\/127\.0\.0\.1:\d+)\/v1\/srp\/info/g)].map((m) => m[1] ?? '');
        await sleep(100);
      }
      expect(apis, lab.out).toHaveLength(2);
      expect(lab.out).toMatch(/events\s+ws:\/\/127\.0\.0\.1:\d+\/v1\/events/);
      expect(lab.out).toMatch(/metrics\s+http:\/\/127\.0\.0\.1:\d+\/metrics/);

      // Both answer, and they settle to exactly one Active.
      const states = await settledStates(apis);
      expect(states.sort(), lab.out).toEqual(['Active', 'Standby']);
      const metrics = await fetch(`${apis[0]}/metrics`).then((r) => r.text());
      expect(metrics).toMatch(/srp_chassis_state/);

      // It stops by itself, cleanly, and its daemons go with it.
      const code = await exitCode(lab, 40_000);
      expect(code, lab.out).toBe(0);
      expect(lab.out).toMatch(/a=(Active|Standby)/);
      // The simulated chassis: subscriber traffic fills the Active's table; the routing domain
      // sends its packets to the Active and never saw two Actives (a daemon slow to answer under
      // load is withdrawn for a round, so the counts and winner changes may vary).
      expect(lab.out).toMatch(/lab: subscriber traffic \d+ ops\/s/);
      expect(lab.out).toMatch(/ pkts=\d+ .* route=lab-[ab] dual=0\.0s/);
      expect(lab.out).toMatch(/lab: routing domain: packets forwarded a \d+( \([^)]*\))*, b \d+( \([^)]*\))*; undeliverable \d+; winner changes \d+; two Actives 0 ms/);
      expect(lab.out).toMatch(/lab: stopped/);
      for (const u of apis) {
        const alive = await fetch(`${u}/v1/srp/info`, { signal: AbortSignal.timeout(1000) }).then(() => true, () => false);
        expect(alive).toBe(false);
      }
    } finally {
      if (lab.child.exitCode === null) lab.child.kill('SIGTERM');
    }
  });

  it('stops on SIGTERM', { timeout: 60_000 }, async () => {
    const lab = startLab(['--hello', '200', '--dead', '1000'], { stderr: false });
    for (let i = 0; i < 200 && !/a=\w/.test(lab.out); i++) await sleep(100);
    lab.child.kill('SIGTERM');
    const code = await exitCode(lab, 30_000);
    expect(code, lab.out).toBe(0);
    expect(lab.out).toMatch(/stopping \(SIGTERM\)/);
  });
});

// Needs root and iproute2, as the kernel-level chaos tests do: a skip locally, a failure under CI=true.
const noNetns = why ?? netnsUnavailable();

describe.skipIf(skipReason(noNetns, 'the --netns lab test'))('lab CLI --netns', () => {
  it('runs each daemon in its own namespace over a veth pair and removes them on exit', { timeout: 90_000 }, async () => {
    expect(noNetns).toBeNull();
    const lab = startLab(['--netns', '--duration', '8', '--hello', '200', '--dead', '1000']);
    try {
      for (let i = 0; i < 200 && !/a=\w/.test(lab.out); i++) await sleep(100);
      expect(lab.out).toMatch(/SRP link 198\.18\.0\.1\/30 <-> 198\.18\.0\.2\/30/);
      const ns = /namespaces (srplab-\d+-a) and (srplab-\d+-b)/.exec(lab.out);
      expect(ns, lab.out).not.toBeNull();
      const apis = [...lab.out.matchAll(/API\s+(http:\/\/198\.18\.1\.\d+:\d+)\/v1\/srp\/info/g)].map((m) => m[1] ?? '');
      expect(apis).toHaveLength(2);
      const token = /management token \(every call but \/healthz\): (\S+)/.exec(lab.out)?.[1];
      expect(token, lab.out).toBeDefined();
      const states = await settledStates(apis, token);
      expect(states.sort(), lab.out).toEqual(['Active', 'Standby']);
      const code = await exitCode(lab, 40_000);
      expect(code, lab.out).toBe(0);
      const left = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
      expect(left).not.toContain(ns?.[1] ?? '?');
      expect(left).not.toContain(ns?.[2] ?? '?');
    } finally {
      if (lab.child.exitCode === null) lab.child.kill('SIGTERM');
    }
  });
});
