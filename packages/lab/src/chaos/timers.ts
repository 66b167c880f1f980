// The timer presets of the chaos suite (`--timers`): hello-interval / dead-interval.
//   fast     50 ms / 150 ms   (what the README advertises as the fastest detection)
//   default  200 ms / 1 s     (the suite's long-standing default)
//   slow     1 s / 3 s
export type TimerName = 'fast' | 'default' | 'slow';

export interface Timers {
  helloIntervalMs: number;
  deadIntervalMs: number;
}

export const TIMERS: Record<TimerName, Timers> = {
  fast: { helloIntervalMs: 50, deadIntervalMs: 150 },
  default: { helloIntervalMs: 200, deadIntervalMs: 1000 },
  slow: { helloIntervalMs: 1000, deadIntervalMs: 3000 },
};

export function isTimerName(v: string): v is TimerName {
  return v === 'fast' || v === 'default' || v === 'slow';
}
