// A real Prometheus server (1 s scrapes, kernel-chosen port, temporary storage) against a real
// pair of srpd: both chassis states must be queryable through the Prometheus HTTP API.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pair } from '../src/pair.js';
import { freePort } from '../src/ports.js';
import { missing, skipReason, SRPD } from './helpers.js';

const why = missing(['prometheus'], [SRPD]);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface PromVector {
  status: string;
  data: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
}

describe.skipIf(skipReason(why, 'the Prometheus integration test'))('Prometheus scrapes a real srpd pair', () => {
  let pair: Pair | null = null;
  let prom: ChildProcess | null = null;
  let dir = '';
  let promUrl = '';
  let promLog = '';

  beforeAll(async () => {
    if (why !== null) return;
    pair = await Pair.start({ proxy: false, poll: false });
    await pair.waitForSettled(30_000);
    dir = mkdtempSync(join(tmpdir(), 'srp-prom-'));
    const target = (u: string): string => u.replace(/^http:\/\//, '');
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'global:',
        '  scrape_interval: 1s',
        '  scrape_timeout: 900ms',
        'scrape_configs:',
        '  - job_name: srpd',
        '    static_configs:',
        `      - targets: ["${target(pair.a.url)}"]`,
        '        labels: { chassis: a }',
        `      - targets: ["${target(pair.b.url)}"]`,
        '        labels: { chassis: b }',
        '',
      ].join('\n'),
    );
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prom = spawn(
      'prometheus',
      [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prom.stdout?.on('data', (d: Buffer) => (promLog = (promLog + d.toString()).slice(-4000)));
    prom.stderr?.on('data', (d: Buffer) => (promLog = (promLog + d.toString()).slice(-4000)));
    for (let i = 0; i < 150; i++) {
      const ok = await fetch(`${promUrl}/-/ready`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
      if (ok) return;
      if (prom.exitCode !== null) break;
      await sleep(200);
    }
    throw new Error(`prometheus did not become ready:\n${promLog}`);
  });

  afterAll(async () => {
    if (prom && prom.exitCode === null) {
      const exited = new Promise((r) => prom?.once('exit', r));
      prom.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (prom.exitCode === null) prom.kill('SIGKILL');
    }
    await pair?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has its prerequisites', () => {
    expect(why).toBeNull();
  });

  it('both chassis states are in Prometheus: one Active, one Standby', async () => {
    let last: PromVector | null = null;
    for (let i = 0; i < 60; i++) {
      const q = encodeURIComponent('srp_chassis_state == 1');
      last = (await fetch(`${promUrl}/api/v1/query?query=${q}`, { signal: AbortSignal.timeout(2000) }).then((r) => r.json())) as PromVector;
      if (last.status === 'success' && last.data.result.length === 2) break;
      await sleep(500);
    }
    expect(last?.status).toBe('success');
    const byChassis = Object.fromEntries((last?.data.result ?? []).map((r) => [r.metric.chassis, r.metric.state]));
    expect(Object.keys(byChassis).sort()).toEqual(['a', 'b']);
    expect(Object.values(byChassis).sort()).toEqual(['Active', 'Standby']);

    const up = encodeURIComponent('up{job="srpd"}');
    const ups = (await fetch(`${promUrl}/api/v1/query?query=${up}`).then((r) => r.json())) as PromVector;
    expect(ups.data.result.map((r) => r.value[1])).toEqual(['1', '1']);
  });
});
