// Every bench in its short mode, as `npm run bench -- --short` runs them: each must finish and
// write a well-formed result file, so none rots. Real daemons, real redis-server (skipped with a
// reason when it is missing, a failure under CI=true).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BENCHES } from '../src/benches/index.js';
import { repoRoot } from '../src/machine.js';
import type { BenchResult } from '../src/result.js';

const root = repoRoot();
const cli = join(root, 'packages', 'bench', 'dist', 'src', 'cli', 'bench.js');
const srpd = join(root, 'packages', 'srp-daemon', 'dist', 'src', 'cli', 'srpd.js');
const dir = mkdtempSync(join(tmpdir(), 'srp-bench-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('benches in short mode', () => {
  it('each bench runs and writes a well-formed result', { timeout: 240_000 }, () => {
    expect(existsSync(cli), `${cli}: build first (tsc -b)`).toBe(true);
    expect(existsSync(srpd), `${srpd}: build first (tsc -b)`).toBe(true);
    const r = spawnSync(process.execPath, [cli, '--short'], { env: { ...process.env, BENCH_RESULTS_DIR: dir }, encoding: 'utf8', timeout: 230_000 });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    const results = files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as BenchResult);
    expect(results.map((x) => x.bench).sort()).toEqual(BENCHES.map((b) => b.name).sort());
    for (const res of results) {
      expect(res.schema).toBe(1);
      expect(res.params.short).toBe(true);
      expect(res.machine.cores).toBeGreaterThan(0);
      expect(res.machine.node).toMatch(/^v\d+/);
      expect(Date.parse(res.date)).toBeGreaterThan(0);
      expect(res.runs).toHaveLength(1);
      const run = res.runs[0];
      expect(run?.loadBefore).toHaveLength(3);
      expect(run?.loadAfter).toHaveLength(3);
      expect(run?.tables.length).toBeGreaterThan(0);
      for (const t of run?.tables ?? []) {
        expect(t.rows.length, `${res.bench}/${t.id}`).toBeGreaterThan(0);
        for (const row of t.rows) for (const c of t.columns) expect(row, `${res.bench}/${t.id}/${c.key}`).toHaveProperty(c.key);
      }
      // The printed tables are the file's: each title appears in the output.
      for (const t of run?.tables ?? []) expect(r.stdout).toContain(t.title);
    }
    const repl = results.find((x) => x.bench === 'replication');
    const updates = repl?.runs[0]?.tables.find((t) => t.id === 'replication-updates');
    for (const row of updates?.rows ?? []) {
      // Every probe's apply was seen on the Standby, and its lag is a real figure.
      const [seen, sent] = String(row.probes).split('/').map(Number);
      expect(sent).toBeGreaterThan(0);
      expect(seen).toBe(sent);
      expect(row.lagP99).toBeGreaterThan(0);
      expect(row.wirePerUpdate).toBeGreaterThan(0);
    }
    const redis = repl?.runs[0]?.tables.find((t) => t.id === 'redis-updates');
    if (!redis) {
      expect(process.env.CI, `Redis baseline skipped under CI: ${repl?.runs[0]?.skipped.join('; ')}`).not.toBe('true');
      console.warn(`skipped: ${repl?.runs[0]?.skipped.join('; ')}`);
    } else {
      for (const row of redis.rows) expect(row.replicated).toBeGreaterThan(0);
    }
    const takeover = results.find((x) => x.bench === 'takeover')?.runs[0]?.tables[0]?.rows[0];
    expect(takeover?.trials).toBeGreaterThan(0);
    expect(takeover?.missing).toBe(0);
    expect(Number(takeover?.p50)).toBeGreaterThan(0);
    // Each trial's takeover in three parts, from the daemon's own events.
    for (const row of results.find((x) => x.bench === 'takeover')?.runs[0]?.tables[1]?.rows ?? []) {
      expect(row.verdictMs).toEqual(expect.any(Number));
      expect(Number(row.toActiveMs)).toBeGreaterThanOrEqual(0);
      expect(Number(row.deliveryMs)).toBeGreaterThanOrEqual(-1); // whole-ms event times
    }
    // The pause probe ran beside both liveness benches and reported.
    expect(takeover?.probeMax).toEqual(expect.any(Number));
    expect(takeover?.probeOverMargin).toEqual(expect.any(Number));
    const liveness = results.find((x) => x.bench === 'liveness')?.runs[0]?.tables[0]?.rows[0];
    expect(liveness?.digests).toBe('equal');
    expect(Number(liveness?.syncMs)).toBeGreaterThan(0);
    expect(liveness?.probeMax).toEqual(expect.any(Number));
  });
});
