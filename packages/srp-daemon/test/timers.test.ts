import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/fsm/clock.js';
import { TimerTable } from '../src/fsm/timers.js';

function table(): { clock: ManualClock; timers: TimerTable<string>; fired: [string, number][] } {
  const clock = new ManualClock(0);
  const fired: [string, number][] = [];
  const timers = new TimerTable<string>(clock, (name) => fired.push([name, clock.now()]));
  return { clock, timers, fired };
}

describe('TimerTable', () => {
  it('fires a timer once, after its delay, and forgets it', () => {
    const { clock, timers, fired } = table();
    timers.arm('dead', 100);
    expect(timers.armed()).toEqual(['dead']);
    clock.advance(99);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual([['dead', 100]]);
    expect(timers.armed()).toEqual([]);
    clock.advance(1000);
    expect(fired).toHaveLength(1);
    expect(clock.pending()).toBe(0);
  });

  it('arming a name again replaces its timer, sooner or later', () => {
    const { clock, timers, fired } = table();
    timers.arm('dead', 100);
    timers.arm('dead', 50);
    timers.arm('delay', 10);
    timers.arm('delay', 300);
    expect(clock.pending()).toBe(2);
    clock.advance(1000);
    expect(fired).toEqual([
      ['dead', 50],
      ['delay', 300],
    ]);
  });

  it('cancel clears one name; an unarmed name is ignored', () => {
    const { clock, timers, fired } = table();
    timers.arm('dead', 100);
    timers.arm('delay', 100);
    timers.cancel('dead');
    timers.cancel('switchover');
    expect(timers.armed()).toEqual(['delay']);
    clock.advance(100);
    expect(fired).toEqual([['delay', 100]]);
  });

  it('cancelAll clears every timer', () => {
    const { clock, timers, fired } = table();
    timers.arm('dead', 100);
    timers.arm('delay', 200);
    timers.cancelAll();
    expect(timers.armed()).toEqual([]);
    expect(clock.pending()).toBe(0);
    clock.advance(1000);
    expect(fired).toEqual([]);
  });

  it('fires in deadline order, and in arming order at the same instant', () => {
    const { clock, timers, fired } = table();
    timers.arm('c', 30);
    timers.arm('a', 10);
    timers.arm('b', 10);
    timers.arm('a', 10); // re-armed: now after b
    clock.advance(100);
    expect(fired).toEqual([
      ['b', 10],
      ['a', 10],
      ['c', 30],
    ]);
  });

  it('a firing timer may arm its own name again (the machine re-arms a timer that fired early)', () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    const timers: TimerTable<string> = new TimerTable<string>(clock, (name) => {
      fired.push(clock.now());
      if (fired.length < 3) timers.arm(name, 5);
    });
    timers.arm('dead', 10);
    clock.advance(100);
    expect(fired).toEqual([10, 15, 20]);
    expect(timers.armed()).toEqual([]);
  });
});
