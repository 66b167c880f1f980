import { describe, expect, it } from 'vitest';
import { CpuAccount } from '../src/liveness/cpu-account.js';

describe('CPU accounting of a stall', () => {
  it("splits a stall into time on a CPU, waiting for one, host steal and not runnable", () => {
    const before = { runNs: 1e9, waitNs: 2e9, stealMs: 5000 };
    const after = { runNs: 1e9 + 3e6, waitNs: 2e9 + 40e6, stealMs: 5010 };
    const a = CpuAccount.account(before, after, 60);
    expect(a).toEqual({ onCpuMs: 3, waitingForCpuMs: 40, stealMs: 10, blockedMs: 7 });
    expect(CpuAccount.describe(a)).toBe('on a CPU 3 ms, waiting for one 40 ms, host steal 10 ms, not runnable 7 ms');
    // Steal of the whole host is more than the gap: the gap bounds it; nothing is negative.
    expect(CpuAccount.account(before, { ...after, stealMs: 9000 }, 60)).toEqual({ onCpuMs: 3, waitingForCpuMs: 40, stealMs: 60, blockedMs: 0 });
  });

  it("reads this thread's own accounting from /proc: a busy loop is time on a CPU, a blocked wait is not runnable", () => {
    const cpu = new CpuAccount();
    try {
      const s0 = cpu.sample();
      expect(s0, '/proc/thread-self/schedstat').not.toBeNull();
      const t0 = performance.now();
      while (performance.now() - t0 < 80);
      const s1 = cpu.sample()!;
      expect((s1.runNs - s0!.runNs) / 1e6).toBeGreaterThan(40);
      const t1 = performance.now();
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 150);
      const s2 = cpu.sample()!;
      const a = CpuAccount.account(s1, s2, performance.now() - t1);
      expect(a.onCpuMs).toBeLessThan(50);
      expect(a.blockedMs + a.stealMs).toBeGreaterThan(100);
    } finally {
      cpu.close();
    }
  });
});
