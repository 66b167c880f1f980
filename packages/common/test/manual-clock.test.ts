import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ManualClock, flushMicrotasks, systemClock, toWallMs } from '../src/index.js';

describe('ManualClock', () => {
  it('starts where it is told and moves only on advance', () => {
    const clock = new ManualClock(1_000);
    expect(clock.now()).toBe(1_000);
    clock.advance(250);
    expect(clock.now()).toBe(1_250);
    expect(new ManualClock().now()).toBe(0);
  });

  it('fires timers in deadline order, with now() at each deadline', () => {
    const clock = new ManualClock(0);
    const seen: string[] = [];
    clock.setTimeout(() => seen.push(`c@${clock.now()}`), 30);
    clock.setTimeout(() => seen.push(`a@${clock.now()}`), 10);
    clock.setTimeout(() => seen.push(`b@${clock.now()}`), 20);
    clock.advance(25);
    expect(seen).toEqual(['a@10', 'b@20']);
    expect(clock.now()).toBe(25);
    clock.advance(5);
    expect(seen).toEqual(['a@10', 'b@20', 'c@30']);
    expect(clock.pending()).toBe(0);
  });

  it('fires timers due at the same instant in the order they were armed', () => {
    const clock = new ManualClock(0);
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) clock.setTimeout(() => seen.push(i), 10);
    clock.setTimeout(() => seen.push(-1), 5);
    clock.advance(10);
    expect(seen).toEqual([-1, 0, 1, 2, 3, 4]);
  });

  it('clearTimeout disarms one timer and ignores unknown or stale handles', () => {
    const clock = new ManualClock(0);
    const seen: string[] = [];
    const a = clock.setTimeout(() => seen.push('a'), 10);
    clock.setTimeout(() => seen.push('b'), 10);
    clock.clearTimeout(a);
    clock.clearTimeout(a);
    clock.clearTimeout(undefined);
    clock.clearTimeout(42);
    expect(clock.pending()).toBe(1);
    clock.advance(10);
    expect(seen).toEqual(['b']);
    clock.clearTimeout(a);
    expect(clock.pending()).toBe(0);
  });

  it('a timer can clear another timer due at the same instant', () => {
    const clock = new ManualClock(0);
    const seen: string[] = [];
    clock.setTimeout(() => {
      seen.push('a');
      clock.clearTimeout(b);
    }, 10);
    const b = clock.setTimeout(() => seen.push('b'), 10);
    clock.advance(10);
    expect(seen).toEqual(['a']);
  });

  it('fires timers armed by timers within the same advance, in order, and leaves later ones armed', () => {
    const clock = new ManualClock(0);
    const seen: string[] = [];
    clock.setTimeout(() => {
      seen.push(`outer@${clock.now()}`);
      clock.setTimeout(() => {
        seen.push(`inner@${clock.now()}`);
        clock.setTimeout(() => seen.push(`innermost@${clock.now()}`), 100);
      }, 10);
      clock.setTimeout(() => seen.push(`zero@${clock.now()}`), 0);
    }, 10);
    clock.setTimeout(() => seen.push(`other@${clock.now()}`), 15);
    clock.advance(50);
    expect(seen).toEqual(['outer@10', 'zero@10', 'other@15', 'inner@20']);
    expect(clock.pending()).toBe(1);
    clock.advance(70);
    expect(seen.at(-1)).toBe('innermost@120');
  });

  it('a re-arming periodic timer fires once per period', () => {
    const clock = new ManualClock(0);
    const at: number[] = [];
    const tick = (): void => {
      at.push(clock.now());
      clock.setTimeout(tick, 100);
    };
    clock.setTimeout(tick, 100);
    clock.advance(350);
    expect(at).toEqual([100, 200, 300]);
  });

  it('treats negative or non-finite delays as 0 and refuses to go backwards', () => {
    const clock = new ManualClock(0);
    const seen: string[] = [];
    clock.setTimeout(() => seen.push('neg'), -5);
    clock.setTimeout(() => seen.push('nan'), Number.NaN);
    clock.advance(0);
    expect(seen).toEqual(['neg', 'nan']);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
  });

  it('throws instead of spinning forever on a timer that re-arms itself at 0 ms', () => {
    const clock = new ManualClock(0);
    const spin = (): void => {
      clock.setTimeout(spin, 0);
    };
    clock.setTimeout(spin, 0);
    expect(() => clock.advance(1)).toThrow(/re-arming itself/);
  });

  it('advanceAsync lets promise continuations run between timers', async () => {
    const clock = new ManualClock(0);
    const seen: string[] = [];
    clock.setTimeout(() => {
      void Promise.resolve().then(() => seen.push(`then@${clock.now()}`));
    }, 10);
    clock.setTimeout(() => seen.push(`second@${clock.now()}`), 20);
    await clock.advanceAsync(20);
    expect(seen).toEqual(['then@10', 'second@20']);
  });

  it('advance (sync) runs continuations only after it returns', async () => {
    const clock = new ManualClock(0);
    const seen: string[] = [];
    clock.setTimeout(() => {
      void Promise.resolve().then(() => seen.push('then'));
    }, 10);
    clock.setTimeout(() => seen.push('second'), 20);
    clock.advance(20);
    expect(seen).toEqual(['second']);
    await flushMicrotasks();
    expect(seen).toEqual(['second', 'then']);
  });
});

describe('real clocks', () => {
  it('systemClock is performance.now() on the epoch scale of the wall clock at load', () => {
    const wall = Date.now();
    expect(Math.abs(systemClock.now() - wall)).toBeLessThan(1_000);
    expect(Number.isInteger(systemClock.now())).toBe(true); // whole ms: times travel as uint64
    expect(Math.abs(systemClock.now() - performance.now() - (Date.now() - performance.now()))).toBeLessThan(1_000);
  });

  it("systemClock's origin is the wall clock's within a millisecond in a process that loads it first (two chassis' write times compare)", () => {
    // A fresh process, as srpd: the clock module loads at start-up. It brackets the origin two
    // ways over 3 ms of samples: from the wall clock (Date.now() read between two
    // performance.now()) and from systemClock (whole ms, read the same way).
    const clockJs = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'src', 'clock.js')).href;
    const code = `
      import { systemClock } from ${JSON.stringify(clockJs)};
      let wallLo = -Infinity, wallHi = Infinity, clockLo = -Infinity, clockHi = Infinity;
      const end = performance.now() + 3;
      while (performance.now() < end) {
        let p1 = performance.now(); const d = Date.now(); let p2 = performance.now();
        wallLo = Math.max(wallLo, d - p2); wallHi = Math.min(wallHi, d + 1 - p1);
        p1 = performance.now(); const c = systemClock.now(); p2 = performance.now();
        clockLo = Math.max(clockLo, c - 0.5 - p2); clockHi = Math.min(clockHi, c + 0.5 - p1);
      }
      console.log((wallLo + wallHi) / 2 - (clockLo + clockHi) / 2);`;
    for (let i = 0; i < 3; i++) {
      const off = Number(execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' }));
      // Date.now() - performance.now() at load was 1.5-2.1 ms off: this bound catches that.
      expect(Math.abs(off)).toBeLessThan(0.75);
    }
  });

  it('toWallMs shows a clock reading on the wall clock as it is now', () => {
    const t = systemClock.now() - 5000;
    expect(Math.abs(toWallMs(t) - (Date.now() - 5000))).toBeLessThan(50);
  });

  it('arms unref()ed timers that fire and can be cleared', async () => {
    const handle = systemClock.setTimeout(() => undefined, 60_000);
    expect((handle as NodeJS.Timeout).hasRef()).toBe(false);
    systemClock.clearTimeout(handle);
    await new Promise<void>((resolve) => systemClock.setTimeout(resolve, 1));
  });
});
