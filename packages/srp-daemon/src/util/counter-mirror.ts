// Prometheus counters that follow totals the daemon keeps itself (statistics, the engine's
// checkpoint figures, the simulated chassis): at each scrape collect() advances the Counter by
// the growth of the source value, so the exposition TYPE is counter and it never goes down.
import { Counter, type Registry } from 'prom-client';

/** Keeps Counters in step with monotonic source values, per counter and label set. */
export class CounterMirror {
  private readonly last = new WeakMap<Counter<string>, Map<string, number>>();

  /** Advances `counter{labels}` by the growth since the last scrape; a reset counts from 0. */
  sync(counter: Counter<string>, value: number, labels: Record<string, string> = {}): void {
    let seen = this.last.get(counter);
    if (!seen) this.last.set(counter, (seen = new Map<string, number>()));
    const key = JSON.stringify(labels);
    const prev = seen.get(key) ?? 0;
    const v = Number.isFinite(value) && value > 0 ? value : 0;
    seen.set(key, v);
    counter.inc(labels, v >= prev ? v - prev : v);
  }

  /** A Counter (no labels) registered on `registers` that follows `read()` at every scrape. */
  counter(name: string, help: string, registers: Registry[], read: () => number): Counter {
    const c: Counter = new Counter({
      name,
      help,
      registers,
      collect: () => this.sync(c, read()),
    });
    return c;
  }
}
