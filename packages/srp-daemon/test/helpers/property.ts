// Randomized (property) tests: a seeded generator and a runner that tries a property on many
// seeds. The seeds are fixed, so every run of `npm test` (and CI) tries the same cases; a failure
// names its seed and the last steps it took, and that seed alone can be run again:
//   SRP_PROPERTY_SEED=<seed> SRP_PROPERTY_RUNS=1 corepack pnpm exec vitest run --project srp-daemon <file>
// SRP_PROPERTY_RUNS=<n> runs n seeds per property instead of the default (a longer search).

/** A small, fast, seeded generator (a Weyl sequence through a 32-bit integer mixer). */
export class Prng {
  private s: number;

  constructor(readonly seed: number) {
    this.s = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.s = (this.s + 0x9e3779b9) >>> 0;
    let z = this.s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z ^= z >>> 16;
    return (z >>> 0) / 2 ** 32;
  }

  /** An integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** True with probability `p`. */
  chance(p = 0.5): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Prng.pick: no items');
    return items[Math.floor(this.next() * items.length)];
  }

  /** One of `choices`, each as likely as its weight. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    const total = choices.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [item, w] of choices) {
      r -= w;
      if (r < 0) return item;
    }
    return choices[choices.length - 1][0];
  }

  bytes(n: number): Uint8Array {
    return Uint8Array.from({ length: n }, () => this.int(0, 255));
  }
}

function envInt(name: string): number | null {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return null;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

/** What one run of a property records as it goes: shown when the run fails. */
export class Trail {
  private readonly lines: (string | (() => string))[] = [];

  /** A line, or a function that makes it (called only if the run fails: cheap to note). */
  note(line: string | (() => string)): void {
    this.lines.push(line);
  }

  /** The last `n` lines, numbered from the start of the run. */
  tail(n = 80): string {
    const from = Math.max(0, this.lines.length - n);
    const shown = this.lines.slice(from).map((l, i) => `  ${String(from + i).padStart(4)} ${typeof l === 'string' ? l : l()}`);
    return (from > 0 ? [`  ... ${from} earlier steps`] : []).concat(shown).join('\n');
  }
}

/**
 * Runs `run` once per seed: `runs` seeds from `baseSeed` (SRP_PROPERTY_RUNS and
 * SRP_PROPERTY_SEED override both). A run that throws fails the property with its seed, how
 * to run that seed alone, and the tail of its trail.
 */
export function forEachSeed(name: string, opts: { runs: number; baseSeed: number }, run: (rng: Prng, trail: Trail) => void): number {
  const runs = envInt('SRP_PROPERTY_RUNS') ?? opts.runs;
  const base = envInt('SRP_PROPERTY_SEED') ?? opts.baseSeed;
  for (let i = 0; i < runs; i++) {
    const seed = (base + i) >>> 0;
    const trail = new Trail();
    try {
      run(new Prng(seed), trail);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      throw new Error(
        `property "${name}" failed with seed ${seed} (run ${i + 1} of ${runs}): ${msg}\n` +
          `rerun it alone: SRP_PROPERTY_SEED=${seed} SRP_PROPERTY_RUNS=1\n` +
          `the steps of that run:\n${trail.tail()}`,
        { cause: err },
      );
    }
  }
  return runs;
}

/**
 * Freezes `value` and everything reachable from it, so that writing to it throws (test code
 * runs in strict mode). Typed arrays cannot be frozen: the check it returns says whether their
 * bytes are still the same.
 */
export function deepFreeze(value: unknown): () => boolean {
  const views: [ArrayBufferView, Buffer][] = [];
  const bytes = (v: ArrayBufferView): Buffer => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== 'object') return;
    if (ArrayBuffer.isView(v)) views.push([v, Buffer.from(bytes(v))]);
    else {
      Object.freeze(v);
      for (const x of Object.values(v)) walk(x);
    }
  };
  walk(value);
  return () => views.every(([v, copy]) => bytes(v).equals(copy));
}
