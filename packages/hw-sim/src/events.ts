// A small typed event source. Listener errors never break the model: they are counted and
// handed to `onListenerError` (the daemon logs them).
import type { RedundancyMode } from './modes.js';
import type { RfState } from './rf-states.js';
import type { LineCardAlarm } from './line-card.js';

export type SwitchoverCause = 'crash' | 'declared-dead' | 'forced' | 'removed';
export type CardFaultKind = 'crash' | 'hang' | 'remove' | 'insert' | 'lc-crash';

export interface ChassisEvents {
  'cf-switchover': {
    at: number;
    from: number; // CF slot
    to: number;
    mode: RedundancyMode;
    cause: SwitchoverCause;
    durationMs: number;
    reset: boolean; // line cards (or the whole chassis) were reset
  };
  'rf-state': { at: number; card: number; state: RfState; name: string; previous: RfState };
  'card-fault': { at: number; card: number; kind: CardFaultKind; cardType: 'cf' | 'line-card' };
  'linecard-status': { at: number; slot: number; status: 'up' | 'down'; alarm: LineCardAlarm };
  'chassis-reset': { at: number; cause: string };
  'active-cf-changed': { at: number; slot: number | null; mac: string | null };
}

export type ChassisEventName = keyof ChassisEvents;
type Listener<K extends ChassisEventName> = (event: ChassisEvents[K]) => void;

export class TypedEmitter<E extends { [K in keyof E]: object }> {
  private listeners = new Map<keyof E, Set<(event: never) => void>>();
  listenerErrors = 0;
  onListenerError: ((error: unknown, event: keyof E) => void) | null = null;

  /** Subscribe; returns the unsubscribe function. */
  on<K extends keyof E>(name: K, fn: (event: E[K]) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(fn);
    return () => this.off(name, fn);
  }

  once<K extends keyof E>(name: K, fn: (event: E[K]) => void): () => void {
    const off = this.on(name, (e) => {
      off();
      fn(e);
    });
    return off;
  }

  off<K extends keyof E>(name: K, fn: (event: E[K]) => void): void {
    this.listeners.get(name)?.delete(fn);
  }

  emit<K extends keyof E>(name: K, event: E[K]): void {
    const set = this.listeners.get(name);
    if (!set) return;
    for (const fn of [...set]) {
      try {
        (fn as (e: E[K]) => void)(event);
      } catch (err) {
        this.listenerErrors++;
        this.onListenerError?.(err, name);
      }
    }
  }
}

export type ChassisEmitter = TypedEmitter<ChassisEvents>;
export type ChassisListener<K extends ChassisEventName> = Listener<K>;
