// Timing loops for in-process benches: wall time and this process's CPU time (all threads: the
// async codecs run on the libuv pool).

export interface Timed {
  /** Calls of fn made in the timed part. */
  calls: number;
  wallS: number;
  cpuS: number;
}

/** Calls fn(i) (awaited when it returns a promise) for `seconds` after a short warm-up. */
export async function timeLoop(seconds: number, fn: (i: number) => unknown): Promise<Timed> {
  let i = 0;
  const warm = performance.now() + Math.min(200, seconds * 200);
  while (performance.now() < warm) await fn(i++);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  let calls = 0;
  do {
    for (let k = 0; k < 8; k++) {
      const r = fn(i++);
      if (r instanceof Promise) await r;
    }
    calls += 8;
  } while (performance.now() < end);
  const cpu = process.cpuUsage(cpu0);
  return { calls, wallS: (performance.now() - t0) / 1000, cpuS: (cpu.user + cpu.system) / 1e6 };
}
