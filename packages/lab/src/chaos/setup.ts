// Starts the pair a scenario runs on: in two network namespaces with the link faults in the
// kernel when root and the tools are there (or when told), else on loopback behind the
// user-space proxy; with libfaketime preloaded when the scenario steps clocks.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClocks, libfaketimePath, FAKETIME_MISSING } from '../faults/clock.js';
import type { LinkFaults } from '../faults/driver.js';
import { KernelLink, kernelUnavailable } from '../faults/kernel-link.js';
import { LocalDriver } from '../faults/local.js';
import { chaosPlan, setup as setupNetns, teardown, type NetnsPlan } from '../lab/netns.js';
import { netnsPairOptions, Pair, type PairOptions } from '../pair.js';
import type { ChaosOptions, Scenario } from './scenario.js';

export interface RunPair {
  pair: Pair;
  link: LinkFaults;
  driver: LocalDriver;
  /** Why the pair runs on the proxy although the kernel link was asked for (auto), or null. */
  fallback: string | null;
  close(): Promise<void>;
}

/** Thrown when the scenario cannot run here (SKIP with this reason). */
export class SkipScenario extends Error {
  override readonly name = 'SkipScenario';
  readonly code = 'SRP_LAB_SKIP';
}

let pairSeq = 0;

// Namespaces still up when this process exits (Ctrl-C mid-run) are deleted on the way out.
const liveNetns = new Set<NetnsPlan>();
let exitHook = false;
function trackNetns(p: NetnsPlan): void {
  liveNetns.add(p);
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const q of liveNetns) teardown(q);
  });
}

/** Why the kernel link cannot be used here, or null. */
export function kernelLinkUnavailable(): string | null {
  return kernelUnavailable();
}

export async function startRunPair(s: Scenario, opts: ChaosOptions, base: PairOptions): Promise<RunPair> {
  const dir = mkdtempSync(join(tmpdir(), 'srp-lab-'));
  let clocks: FakeClocks | null = null;
  if (s.clock) {
    const lib = libfaketimePath();
    if (lib === null) throw new SkipScenario(FAKETIME_MISSING);
    clocks = new FakeClocks(dir, lib);
  }
  const why = opts.link === 'proxy' ? 'asked for (--link proxy)' : kernelUnavailable();
  if (opts.link === 'kernel' && why !== null) throw new Error(`--link kernel: ${why}`);
  let plan: NetnsPlan | null = null;
  const pairOpts: PairOptions = { ...base, dir, ...(clocks ? { env: (name: string) => clocks.envFor(name) } : {}) };
  if (why === null) {
    plan = setupNetns(chaosPlan(++pairSeq));
    trackNetns(plan);
    Object.assign(pairOpts, netnsPairOptions(plan, `chaos-${process.pid}-${pairSeq}`));
  }
  let pair: Pair;
  try {
    pair = await Pair.start(pairOpts);
  } catch (err) {
    if (plan) {
      teardown(plan);
      liveNetns.delete(plan);
    }
    throw err;
  }
  const link: LinkFaults | null = plan ? new KernelLink(plan) : pair.link;
  if (!link) throw new Error('the pair has no fault injector on its link');
  const ns = plan;
  return {
    pair,
    link,
    driver: new LocalDriver(pair, link, clocks),
    fallback: opts.link === 'auto' && why !== null ? why : null,
    async close() {
      await pair.stop().catch(() => undefined);
      if (ns) {
        await link.close().catch(() => undefined);
        teardown(ns);
        liveNetns.delete(ns);
      }
    },
  };
}
