// The named timers behind the state machine's `arm-timer` / `cancel-timer` effects, shared by
// the daemon runner (real clock) and the test simulator (ManualClock). At most one timer per
// name: arming a name replaces its timer. A timer that fires leaves the table before `fire`
// runs, so the event it feeds back may arm the same name again.
import type { Clock, TimerHandle } from './clock.js';
import type { TimerName } from './chassis.js';

export class TimerTable<Name extends string = TimerName> {
  private readonly handles = new Map<Name, TimerHandle>();

  constructor(
    private readonly clock: Clock,
    private readonly fire: (name: Name) => void,
  ) {}

  /** Arms `name` to fire after `delayMs`, replacing the timer of that name if one is armed. */
  arm(name: Name, delayMs: number): void {
    this.cancel(name);
    this.handles.set(
      name,
      this.clock.setTimeout(() => {
        this.handles.delete(name);
        this.fire(name);
      }, delayMs),
    );
  }

  /** Clears the timer of that name; a name that is not armed is ignored. */
  cancel(name: Name): void {
    const handle = this.handles.get(name);
    if (handle) this.clock.clearTimeout(handle);
    this.handles.delete(name);
  }

  /** Clears every timer (stop, or a process that dies with its timers). */
  cancelAll(): void {
    for (const handle of this.handles.values()) this.clock.clearTimeout(handle);
    this.handles.clear();
  }

  /** The names armed now, in the order they were (last) armed. */
  armed(): Name[] {
    return [...this.handles.keys()];
  }
}
