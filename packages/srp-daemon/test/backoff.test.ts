// Reconnect delays (link/backoff.ts): min * 2^attempt capped at max, drawn in [half, full] of
// that, back to min after reset(). The random source is injected, so the bounds are exact.
import { describe, expect, it } from 'vitest';
import { Backoff } from '../src/link/backoff.js';
import { Prng } from './helpers/property.js';

const draw = (b: Backoff, n: number): number[] => Array.from({ length: n }, () => b.next());

describe('Backoff', () => {
  it('doubles from min up to max: the lowest draw is half of each step, the highest the whole step', () => {
    expect(draw(new Backoff(50, 1000, () => 0), 8)).toEqual([25, 50, 100, 200, 400, 500, 500, 500]);
    expect(draw(new Backoff(50, 1000, () => 1 - Number.EPSILON), 8)).toEqual([50, 100, 200, 400, 800, 1000, 1000, 1000]);
    expect(draw(new Backoff(50, 1000, () => 0.5), 6)).toEqual([38, 75, 150, 300, 600, 750]);
  });

  it('every delay lies in [half, full] of its step, whatever the random source says', () => {
    const rng = new Prng(0xbac0ff);
    const b = new Backoff(20, 700, () => rng.next());
    for (let k = 0; k < 200; k++) {
      const full = Math.min(700, 20 * 2 ** k);
      const d = b.next();
      expect(d, `attempt ${k}`).toBeGreaterThanOrEqual(full / 2);
      expect(d, `attempt ${k}`).toBeLessThanOrEqual(full);
      expect(Number.isInteger(d)).toBe(true);
    }
  });

  it('is jittered: two chassis that fail together do not redial in lock-step', () => {
    const [r1, r2] = [new Prng(1), new Prng(2)];
    const one = draw(new Backoff(50, 1000, () => r1.next()), 10);
    const two = draw(new Backoff(50, 1000, () => r2.next()), 10);
    expect(one.filter((d, i) => d !== two[i]).length).toBeGreaterThan(5);
  });

  it('reset() starts again from min', () => {
    const b = new Backoff(50, 1000, () => 0);
    draw(b, 5);
    expect(b.next()).toBe(500);
    b.reset();
    expect(draw(b, 3)).toEqual([25, 50, 100]);
  });

  it('stays finite and capped after any number of failures (no overflow of 2^attempt)', () => {
    const b = new Backoff(50, 1000, () => 1 - Number.EPSILON);
    const many = draw(b, 5000);
    expect(many.at(-1)).toBe(1000);
    expect(Math.max(...many)).toBe(1000);
  });

  it('a max at or below min: delays stay between half of min and min', () => {
    // The link never builds one (its max is at least its min, 50); the class stays sane anyway.
    expect(draw(new Backoff(50, 50, () => 0), 3)).toEqual([25, 25, 25]);
    expect(draw(new Backoff(50, 50, () => 1 - Number.EPSILON), 3)).toEqual([50, 50, 50]);
    expect(draw(new Backoff(50, 10, () => 1 - Number.EPSILON), 3)).toEqual([25, 25, 25]);
  });
});
