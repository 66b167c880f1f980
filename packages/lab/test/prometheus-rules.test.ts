// deploy/prometheus-rules.yml against the real promtool: the rules load, their unit tests
// (deploy/prometheus-rules.test.yml) pass, every alert has a test in which it fires, and the
// Prometheus of the compose lab really loads the file.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { missing, root, skipReason } from './helpers.js';

const deploy = join(root, 'deploy');
const rulesFile = join(deploy, 'prometheus-rules.yml');
const testsFile = join(deploy, 'prometheus-rules.test.yml');

interface RuleGroups {
  groups: { name: string; rules: { record?: string; alert?: string; expr: string; for?: string }[] }[];
}
interface RuleTests {
  rule_files: string[];
  tests: {
    name: string;
    alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[];
    promql_expr_test?: { expr: string }[];
  }[];
}

const rules = parse(readFileSync(rulesFile, 'utf8')) as RuleGroups;
const tests = parse(readFileSync(testsFile, 'utf8')) as RuleTests;
const all = rules.groups.flatMap((g) => g.rules);
const alerts = all.flatMap((r) => (r.alert ? [r.alert] : []));
const records = all.flatMap((r) => (r.record ? [r.record] : []));

function promtool(args: string[]): { out: string; status: number | null } {
  const r = spawnSync('promtool', args, { encoding: 'utf8', timeout: 60_000 });
  return { out: `${r.stdout}${r.stderr}`, status: r.status };
}

describe('deploy: Prometheus rules', () => {
  it('has the five alerts the lab is watched with, and recording rules named level:metric:operation', () => {
    expect(alerts.sort()).toEqual(['SrpNoActive', 'SrpReplicationLagHigh', 'SrpStandbyNotReady', 'SrpTwoActives', 'SrpWritesNotReplicated']);
    expect(records.length).toBeGreaterThanOrEqual(3);
    for (const r of records) expect(r).toMatch(/^srp:[a-z0-9_]+:[a-z0-9_]+$/);
  });

  it('tests every alert firing and not firing, and every recording rule', () => {
    expect(tests.rule_files).toEqual(['prometheus-rules.yml']);
    const cases = tests.tests.flatMap((t) => t.alert_rule_test ?? []);
    for (const a of alerts) {
      expect(cases.some((c) => c.alertname === a && c.exp_alerts.length > 0), `${a} fires in a test`).toBe(true);
      expect(cases.some((c) => c.alertname === a && c.exp_alerts.length === 0), `${a} stays quiet in a test`).toBe(true);
    }
    const exprs = tests.tests.flatMap((t) => (t.promql_expr_test ?? []).map((e) => e.expr));
    for (const r of records) expect(exprs.some((e) => e.includes(r)), `${r} has a promql_expr_test`).toBe(true);
  });

  it('is loaded by the lab: prometheus.yml names it, the compose file mounts it next to prometheus.yml', () => {
    const prom = parse(readFileSync(join(deploy, 'prometheus.yml'), 'utf8')) as { rule_files?: string[] };
    expect(prom.rule_files).toEqual(['prometheus-rules.yml']);
    const compose = parse(readFileSync(join(deploy, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
      services: Record<string, { volumes?: string[] }>;
    };
    const vols = compose.services.prometheus?.volumes ?? [];
    expect(vols).toContain('./prometheus.yml:/etc/prometheus/prometheus.yml:ro');
    expect(vols).toContain('./prometheus-rules.yml:/etc/prometheus/prometheus-rules.yml:ro');
  });

  const why = missing(['promtool']);
  it.skipIf(skipReason(why, 'promtool check/test rules'))('promtool check rules and promtool test rules pass', () => {
    expect(why).toBeNull();
    const check = promtool(['check', 'rules', rulesFile]);
    expect(check.out).toMatch(new RegExp(`SUCCESS: ${all.length} rules found`));
    expect(check.status).toBe(0);
    const run = promtool(['test', 'rules', testsFile]);
    expect(run.out).toMatch(/SUCCESS/);
    expect(run.status).toBe(0);
  });

  it.skipIf(skipReason(why, 'promtool test rules (negative)'))('the unit tests catch a rule that is wrong', () => {
    expect(why).toBeNull();
    // The same tests against rules where "two Actives" waits 30 s instead of 10 s must fail.
    const dir = mkdtempSync(join(tmpdir(), 'srp-rules-'));
    try {
      const text = readFileSync(rulesFile, 'utf8');
      const broken = text.replace(/(alert: SrpTwoActives\n\s+expr: .*\n\s+for:) 10s/, '$1 30s');
      expect(broken).not.toBe(text);
      writeFileSync(join(dir, 'prometheus-rules.yml'), broken);
      copyFileSync(testsFile, join(dir, 'prometheus-rules.test.yml'));
      const run = promtool(['test', 'rules', join(dir, 'prometheus-rules.test.yml')]);
      expect(run.out).toMatch(/FAILED[\s\S]*SrpTwoActives/);
      expect(run.status).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
