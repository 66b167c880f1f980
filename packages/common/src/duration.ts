// Durations in config files and on command lines: `100ms`, `3s`, `2m`, `1h`, or a bare number
// of seconds (as the seed's `hello-interval dur_sec`). The one parser of durations for every
// package.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds (rounded), or the reason the value is not a duration. */
export function parseDuration(value: unknown): number | string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return `must be a non-negative number of seconds, got ${value}`;
    return Math.round(value * 1000);
  }
  if (typeof value !== 'string') return `must be a duration such as 100ms, 3s or a number of seconds, got ${value === null ? 'null' : typeof value}`;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(value);
  if (!m) return `must be a duration such as 100ms, 3s or a number of seconds, got '${value}'`;
  return Math.round(Number(m[1]) * (UNIT_MS[m[2] ?? 's'] ?? 1000));
}

/** `3s` for whole seconds, else `250ms`. */
export function formatDuration(ms: number): string {
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
