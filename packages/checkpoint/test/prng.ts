// A seeded pseudo-random generator for the randomized tests: a 32-bit counter (Weyl sequence)
// through the murmur3 finaliser, the mixing step the table's hashes use (src/table/hash.ts).
// Fast, reproducible from one integer, and good enough to pick test actions.

/** Seeds to run: a fixed base (SRP_PROPERTY_SEED, default `fallback`), SRP_PROPERTY_RUNS of them. */
export function propertySeeds(fallback: number, defaultRuns: number): number[] {
  const seedVar = process.env.SRP_PROPERTY_SEED;
  const runsVar = process.env.SRP_PROPERTY_RUNS;
  const base = seedVar === undefined || seedVar === '' ? fallback : Number(seedVar);
  const runs = runsVar === undefined || runsVar === '' ? defaultRuns : Number(runsVar);
  if (!Number.isSafeInteger(base) || base < 0) throw new Error(`SRP_PROPERTY_SEED must be a non-negative integer, got ${JSON.stringify(seedVar)}`);
  if (!Number.isSafeInteger(runs) || runs < 1) throw new Error(`SRP_PROPERTY_RUNS must be a positive integer, got ${JSON.stringify(runsVar)}`);
  return Array.from({ length: runs }, (_, i) => base + i);
}

/** How to run one seed again, for a failure message. */
export function replayHint(seed: number): string {
  return `seed ${seed} (replay: SRP_PROPERTY_SEED=${seed} SRP_PROPERTY_RUNS=1)`;
}

export class Prng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = (seed ^ 0x5bd1e995) >>> 0;
  }

  /** Uniform in [0, 2^32). */
  u32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor((this.u32() / 0x1_0000_0000) * n);
  }

  /** Uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.u32() / 0x1_0000_0000 < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** A uniform bigint of up to `bits` bits. */
  bigint(bits: number): bigint {
    let v = 0n;
    for (let b = 0; b < bits; b += 32) v = (v << 32n) | BigInt(this.u32());
    return v & ((1n << BigInt(bits)) - 1n);
  }

  /** Picks a key of `weights` with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    let total = 0;
    for (const k in weights) total += weights[k];
    let x = (this.u32() / 0x1_0000_0000) * total;
    for (const k in weights) {
      x -= weights[k];
      if (x < 0) return k;
    }
    return Object.keys(weights)[0] as K;
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }
}
