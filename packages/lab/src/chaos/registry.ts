// Every chaos scenario, in the order `npm run chaos` runs them. Registering a scenario is one
// line here: a module under scenarios/ exports it (or a list as its default export), and a line
// below spreads or names it. `--list` and the README's table follow this order.
import type { Scenario } from './scenario.js';

export const SCENARIOS: readonly Scenario[] = [
  ...(await import('./scenarios/process.js')).default, // kill-active, kill-standby, freeze-active, freeze-standby, slow-host, restart-storm
  ...(await import('./scenarios/link.js')).default, // link-cut-short/-long, link-silent-long, one-way-a2s/-s2a, syn-drop-restart, link-loss, link-delay, isolated-restart
  ...(await import('./scenarios/start.js')).default, // both-primary, kill-active-during-bulk-sync
  ...(await import('./scenarios/switchover.js')).default, // kill-during-switchover, kill-peer-during-switchover, switchover-storm
  ...(await import('./scenarios/load-flap.js')).default, // load-flap
  ...(await import('./scenarios/clock.js')).default, // clock-step
  ...(await import('./scenarios/cf.js')).default, // cf-crash
  ...(await import('./scenarios/aaa-outage.js')).default, // aaa-outage
  ...(await import('./scenarios/security.js')).default, // replay-handshake, connect-flood
];

export function findScenarios(names: string[]): Scenario[] {
  if (names.length === 0) return [...SCENARIOS];
  return names.map((n) => {
    const s = SCENARIOS.find((x) => x.name === n);
    if (!s) throw new Error(`unknown scenario "${n}" (known: ${SCENARIOS.map((x) => x.name).join(', ')})`);
    return s;
  });
}

/**
 * The README's scenario table: one line per scenario, what it injects, what it judges, and how
 * its faults are done against the compose lab (`--engine docker`; empty: process pairs only).
 */
export function scenarioTable(scenarios: readonly Scenario[] = SCENARIOS): string {
  const cell = (t: string): string => t.replace(/\|/g, '\\|');
  return [
    '| scenario | injects | judges | compose lab (`--engine docker`) |',
    '|---|---|---|---|',
    ...scenarios.map((s) => `| \`${s.name}\` | ${cell(s.summary)} | ${cell(s.judges)} | ${cell(s.containers ?? '')} |`),
  ].join('\n');
}
