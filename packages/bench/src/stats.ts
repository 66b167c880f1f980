// Percentiles and small summaries of samples (exact: the samples are kept and sorted).

/** The p-th percentile (nearest rank) of ascending `sorted`; null when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const i = Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1));
  return sorted[i] ?? null;
}

export interface Summary {
  samples: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
}

export function summarize(samples: readonly number[]): Summary {
  const s = Float64Array.from(samples).sort();
  return { samples: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s.length > 0 ? (s[s.length - 1] ?? null) : null };
}

/** Rounds to `digits` decimals; null stays null. */
export function round(n: number | null | undefined, digits = 1): number | null {
  if (n === null || n === undefined || !Number.isFinite(n)) return null;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
