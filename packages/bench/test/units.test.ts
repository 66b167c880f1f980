import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SessionData, upsertJson } from '../src/data.js';
import { JsonText, SrpClient } from '@srp-ha/srp-daemon/client';
import { repoRoot } from '../src/machine.js';
import { PauseProbe, maxPauseMs, pauseCells, pauseNote, pausesOver } from '../src/pauses.js';
import { fillMarkers } from '../src/readme.js';
import type { BenchResult } from '../src/result.js';
import { runWriter } from '../src/writer.js';

describe('session data', () => {
  it('realistic: unique 15-24 character ids, 15-digit IMSIs, 3-8 attributes, IPv4 and IPv6, counters that only grow', () => {
    const d = new SessionData({ sessions: 50_000 });
    const ids = new Set<string>();
    const attrCounts = new Set<number>();
    let v6 = 0;
    for (let i = 0; i < d.sessions; i++) {
      const s = d.create(i);
      ids.add(s.id);
      expect(s.id.length).toBeGreaterThanOrEqual(15);
      expect(s.id.length).toBeLessThanOrEqual(24);
      expect(d.imsi(i)).toMatch(/^\d{15}$/);
      const n = Object.keys(s.attrs).length;
      attrCounts.add(n);
      if (s.attrs.ip?.includes(':')) v6++;
    }
    expect(ids.size).toBe(d.sessions);
    expect([...attrCounts].sort()).toEqual([3, 4, 5, 6, 7, 8]);
    expect(v6 / d.sessions).toBeGreaterThan(0.2);
    expect(v6 / d.sessions).toBeLessThan(0.4);
    let last = -1;
    for (let k = 0; k < 20; k++) {
      const u = d.update(7);
      expect(u.counters?.down).toBeGreaterThan(last);
      last = u.counters?.down ?? 0;
    }
  });

  it('sequential: the old shape, and pickIn keeps each slot to its own sessions', () => {
    const d = new SessionData({ sessions: 1000, shape: 'sequential' });
    expect(d.id(42)).toBe('imsi-001010000000042');
    expect(upsertJson(d.update(3))).toBe('{"op":"upsert","id":"imsi-001010000000003","attrs":{"seq":"0"}}');
    const r = new SessionData({ sessions: 1001 });
    for (let k = 0; k < 2000; k++) {
      expect(d.pickIn(k, 2, 4) % 4).toBe(2);
      const i = r.pickIn(k, 3, 4);
      expect(i % 4).toBe(3);
      expect(i).toBeLessThan(1001);
    }
  });
});

describe('paced writer', () => {
  it('counts a slow API as latency from when each call was due, never skips a call', async () => {
    const server: Server = createServer((req, res) => {
      req.resume();
      req.on('end', () => setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"receivedAtMonotonicMs":1}'), 40).unref());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const client = new SrpClient(`http://127.0.0.1:${port}`, { maxSockets: 1 });
    try {
      // Due every 10 ms, one call out at a time, 40 ms per call: a backlog builds up.
      const w = await runWriter({
        rate: 100,
        opsPerCall: 1,
        seconds: 0.5,
        maxInFlight: 1,
        makeCall: (k) => ({ body: '{}', ops: 1, ...(k % 5 === 0 ? { probe: `p${k}` } : {}) }),
        send: (c) => client.json('POST', '/', new JsonText(c.body)),
      });
      // Every due call was either sent or counted as abandoned after the drain time.
      expect(w.calls + w.abandoned).toBe(50);
      expect(w.abandoned).toBeGreaterThan(0);
      expect(w.errors).toBe(0);
      expect(w.late).toBeGreaterThanOrEqual(w.calls - 2);
      // The last calls waited for the ones before them: far more than one call's 40 ms.
      expect(w.latencyMs.max ?? 0).toBeGreaterThan(500);
      expect(w.probes.length).toBe(Math.ceil(w.calls / 5));
      expect(w.probes[0]?.receivedAt).toBe(1);
    } finally {
      client.close();
      server.close();
    }
  });
});

describe('README tables', () => {
  const result: BenchResult = {
    schema: 1,
    bench: 'demo',
    command: 'bench demo',
    commit: { hash: 'abc1234', dirty: false },
    date: '2026-12-05T10:00:00.000Z',
    machine: { cpu: 'CPU', cores: 2, memoryGiB: 4, node: 'v20.20.2', platform: 'linux/x64' },
    params: { short: false },
    runs: [
      {
        variant: 'idle',
        loadBefore: [1, 1, 1],
        loadAfter: [1.5, 1, 1],
        startedAt: '2026-12-05T10:00:00.000Z',
        seconds: 1,
        skipped: [],
        tables: [{ id: 't1', title: 'one', columns: [{ key: 'a', label: 'A' }, { key: 'b', label: 'B', unit: 'ms', digits: 1 }], rows: [{ a: 'x', b: 1.234 }] }],
      },
    ],
  };

  it('fills a marker pair from the newest full result and leaves others alone', () => {
    const text = 'intro\n<!-- bench:demo -->\nold table\n<!-- /bench -->\n<!-- bench:other -->\nkept\n<!-- /bench -->\n';
    const { text: out, missing } = fillMarkers(text, [result, { ...result, date: '2026-12-06T00:00:00.000Z', params: { short: true } }]);
    expect(missing).toEqual(['other']);
    expect(out).toContain('| A | B (ms) |');
    expect(out).toContain('| x | 1.2 |');
    expect(out).toContain('at abc1234, 2026-12-05 10:00 UTC');
    expect(out).not.toContain('old table');
    expect(out).toContain('<!-- bench:other -->\nkept\n<!-- /bench -->');
    expect(fillMarkers(out, [result]).text).toBe(out);
  });
});

describe('bench CLI', () => {
  const cli = join(repoRoot(), 'packages', 'bench', 'dist', 'src', 'cli', 'bench.js');
  it.each([
    [['nosuch'], /unknown bench 'nosuch'/],
    [['wire', '--sesions', '5'], /unknown setting\(s\) for wire: --sesions/],
    [['replication', '--rates', 'abc'], /--rates: 'abc' is not a rate/],
    [['takeover', '--trials', '0'], /--trials must be an integer >= 1/],
    [['--data', 'random'], /--data must be one of realistic, sequential/],
  ])('refuses %j before running anything (exit 2)', (args, message) => {
    const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('CPU hog', () => {
  it('ends its busy children by itself when the bench that started them is killed', async () => {
    // A bench process that starts a hog of two and is then killed with SIGKILL: no exit handler runs.
    const script = `import { CpuHog } from ${JSON.stringify(join(repoRoot(), 'packages/bench/dist/src/hog.js'))};
      console.log(CpuHog.start(2).pids.join(' ')); setInterval(() => {}, 1000);`;
    const { spawn } = await import('node:child_process');
    const bench = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pids = await new Promise<number[]>((resolve) => bench.stdout.once('data', (b: Buffer) => resolve(b.toString().trim().split(' ').map(Number))));
    expect(pids).toHaveLength(2);
    const alive = (pid: number): boolean => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(pids.every(alive)).toBe(true);
    bench.kill('SIGKILL');
    const until = Date.now() + 10_000;
    while (Date.now() < until && pids.some(alive)) await new Promise((r) => setTimeout(r, 50));
    expect(pids.filter(alive)).toEqual([]);
  });
});

describe('pause probe', () => {
  it('sees a process stop: SIGSTOP for 400 ms shows as a wake-up at least 300 ms late on every CPU, at the time of the stop', { timeout: 30_000 }, async () => {
    const probe = PauseProbe.start({ rtPriority: 0 });
    await new Promise((r) => setTimeout(r, 1000));
    const stoppedAt = Date.now();
    process.kill(probe.pid, 'SIGSTOP');
    await new Promise((r) => setTimeout(r, 400));
    process.kill(probe.pid, 'SIGCONT');
    await new Promise((r) => setTimeout(r, 500));
    const r = await probe.stop();
    expect(r.cpus.length).toBeGreaterThan(0);
    expect(r.seconds).toBeGreaterThan(1.5);
    for (const c of r.cpus) {
      expect(c.wakeups).toBeGreaterThan(100);
      expect(c.maxMs).toBeGreaterThanOrEqual(300);
      const w = c.worst[0];
      expect(w?.ms).toBe(c.maxMs);
      // Due within the stop (the clocks of two processes, so a generous window).
      expect(Math.abs((w?.at ?? 0) - stoppedAt)).toBeLessThan(250);
    }
    expect(maxPauseMs(r)).toBeGreaterThanOrEqual(300);
    expect(pausesOver(r, 300)).toBeGreaterThanOrEqual(r.cpus.length);
    expect(pausesOver(r, 300)).toBeLessThanOrEqual(pausesOver(r, 5));
    expect(() => pausesOver(r, 2)).toThrow(/from 5 ms late/);
    expect(pauseCells(r, 20)).toEqual({ probeMax: maxPauseMs(r), probeOverMargin: pausesOver(r, 20) });
    expect(pauseCells(null, 20)).toEqual({ probeMax: null, probeOverMargin: null });
    expect(pauseNote('10/30', r, 0, 20)).toMatch(/^10\/30: pause probe \(\d+ thread\(s\), one per CPU, .*normal priority.*\): CPU 0 latest \d+(\.\d)? ms, \d+ at least 20 ms late;.* the latest wake-ups \d+(\.\d)? ms on CPU \d at \d\d:\d\d:\d\d\.\d{3}/);
    expect(pauseNote('10/30', null, 50, 20, 'boom')).toBe('10/30: pause probe failed: boom');
  });
});
