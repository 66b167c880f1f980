// The process backend: starts the pair a scenario runs on, srpd child processes in two network
// namespaces with the link faults in the kernel when root and the tools are there (or when
// told), else on loopback behind the user-space proxy; with libfaketime preloaded when the
// scenario steps clocks, and the scenario's fixture set up first when it has one.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClocks, libfaketimePath, FAKETIME_MISSING } from '../faults/clock.js';
import type { LinkFaults } from '../faults/driver.js';
import { KernelLink, kernelUnavailable } from '../faults/kernel-link.js';
import { LocalDriver } from '../faults/local.js';
import { chaosPlan, setup as setupNetns, teardown, type NetnsPlan } from '../lab/netns.js';
import { netnsPairOptions, Pair, type PairOptions } from '../pair.js';
import type { ChaosBackend, RunPair } from './backend.js';
import type { ChaosOptions, Fixture, Scenario } from './scenario.js';

/** checkpoint.session-duration of the process pairs: sessions older than this are replicated. */
export const SESSION_DURATION_MS = 2000;

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
  let fixture: Fixture | null = null;
  const undo = async (): Promise<void> => {
    await fixture?.close().catch(() => undefined);
    if (plan) {
      teardown(plan);
      liveNetns.delete(plan);
    }
  };
  const pairOpts: PairOptions = { ...base, dir, ...(clocks ? { env: (name: string) => clocks.envFor(name) } : {}) };
  let pair: Pair;
  try {
    if (why === null) {
      plan = setupNetns(chaosPlan(++pairSeq));
      trackNetns(plan);
      Object.assign(pairOpts, netnsPairOptions(plan, `chaos-${process.pid}-${pairSeq}`));
    }
    if (s.setup) {
      const f = await s.setup({ dir, netns: plan, log: opts.log });
      fixture = f;
      pairOpts.extra = (name) => ({ ...base.extra?.(name), ...f.config?.(name) });
    }
    pair = await Pair.start(pairOpts);
  } catch (err) {
    await undo();
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
    fixture,
    async close() {
      await pair.stop().catch(() => undefined);
      if (ns) await link.close().catch(() => undefined);
      await undo();
    },
  };
}

/** srpd child processes, a fresh pair per run (the default backend). */
export const processBackend: ChaosBackend = {
  engine: 'process',
  sessionDurationMs: SESSION_DURATION_MS,
  timers: null,
  unsupported: () => null,
  start: startRunPair,
};
