// Shared by the chaos integration tests: the options of a short run and one scenario run with
// the context a failed assertion prints.
import { runScenario } from '../src/chaos/harness.js';
import { findScenarios } from '../src/chaos/registry.js';
import type { ScenarioResult } from '../src/chaos/result.js';
import type { ChaosOptions } from '../src/chaos/scenario.js';
import { SRPD } from './helpers.js';

const log: string[] = [];

/** Short versions at the default timers with 200 sessions, link faults where `link` says. */
export function chaosOptions(link: ChaosOptions['link']): ChaosOptions {
  return {
    timers: 'default',
    helloIntervalMs: 200,
    deadIntervalMs: 1000,
    sessions: 200,
    switchovers: 3,
    short: true,
    link,
    srpd: SRPD,
    log: (l) => log.push(l),
  };
}

/**
 * The FAIL notes of a run that are the scenario's own, not the judging every run gets (protected
 * again, acknowledged writes), which is srpd's verdict and `npm run chaos` reports: a test of a
 * scenario checks the scenario.
 */
export function ownFails(r: ScenarioResult): string[] {
  return r.notes.filter((n) => n.startsWith('FAIL: ') && !/not protected again|acknowledged writes lost/.test(n));
}

export async function runOne(name: string, opts: ChaosOptions): Promise<{ r: ScenarioResult; context: string }> {
  const [scenario] = findScenarios([name]);
  if (!scenario) throw new Error(`no scenario ${name}`);
  const r = await runScenario(scenario, 1, opts);
  return { r, context: `${name}: ${r.verdict} ${r.notes.join('; ')}\n${log.slice(-15).join('\n')}` };
}
