// Wall-clock steps through libfaketime on a real node process: the wall clock jumps by the
// offset written to the node's timestamp file, the monotonic clock does not.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeClocks, FAKETIME_MISSING, faketimeOffset, libfaketimePath } from '../src/faults/clock.js';
import { skipReason } from './helpers.js';

const lib = libfaketimePath();
const dir = mkdtempSync(join(tmpdir(), 'srp-clock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('faketimeOffset', () => {
  it('renders offsets as signed seconds', () => {
    expect(faketimeOffset(0)).toBe('+0');
    expect(faketimeOffset(3_600_000)).toBe('+3600');
    expect(faketimeOffset(-3_600_000)).toBe('-3600');
    expect(faketimeOffset(-1500)).toBe('-1.500');
  });
});

describe.skipIf(skipReason(lib === null ? FAKETIME_MISSING : null, 'the wall-clock step test'))('FakeClocks (libfaketime)', () => {
  it('steps the wall clock of a node process and leaves its monotonic clock alone', async () => {
    const clocks = new FakeClocks(dir, lib ?? '');
    const env = clocks.envFor('a');
    expect(readFileSync(clocks.fileOf('a'), 'utf8').trim()).toBe('+0');
    // Prints wall-clock minus real time (from the parent's clock, passed in) and monotonic time.
    const script = 'process.stdin.on("data", (d) => { const real = Number(d); process.stdout.write(JSON.stringify({ skew: Date.now() - real, mono: performance.now() }) + "\\n"); });';
    const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
    const ask = (): Promise<{ skew: number; mono: number }> =>
      new Promise((resolve) => {
        child.stdout.once('data', (d: Buffer) => resolve(JSON.parse(d.toString()) as { skew: number; mono: number }));
        child.stdin.write(String(Date.now()));
      });
    try {
      const before = await ask();
      clocks.step('a', 3_600_000);
      const ahead = await ask();
      clocks.step('a', -3_600_000);
      const behind = await ask();
      clocks.step('a', 0);
      const back = await ask();
      // The skew includes how long the child took to read the question (its start-up, on a busy
      // box): generous next to the hour the steps are made of.
      expect(Math.abs(before.skew)).toBeLessThan(30_000);
      expect(Math.abs(ahead.skew - 3_600_000)).toBeLessThan(30_000);
      expect(Math.abs(behind.skew + 3_600_000)).toBeLessThan(30_000);
      expect(Math.abs(back.skew)).toBeLessThan(30_000);
      // Monotonic time went on as usual through both steps.
      expect(ahead.mono).toBeGreaterThanOrEqual(before.mono);
      expect(behind.mono).toBeGreaterThanOrEqual(ahead.mono);
      expect(back.mono - before.mono).toBeLessThan(10_000);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
