// Tracked objects (seed 002 `track object decrement N`): each is Up, Down or Unknown, and while
// Down lowers the chassis priority by its decrement. Kinds:
//   line-cards     the simulated chassis's line cards: all down, or at least N down (a card
//                  still booting after power-on does not count; after a crash or removal it does)
//   monitor-group  a group of `monitor.authentication-probe` or `monitor.diameter` is down
//   interface      /sys/class/net/NAME/operstate (and carrier) says the link is down
//   script         an executable run every interval: exit 0 = up (a timeout or signal = down)
//   weight-file    a file holding a weight 0..255: the decrement while it is above 0
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { Chassis } from '@srp-ha/hw-sim';
import type { TrackObjectConfig } from '../config/monitoring.js';
import type { Clock, TimerHandle } from '../fsm/clock.js';
import type { GroupVerdict, MemberState } from './source.js';

export interface TrackStatus {
  name: string;
  type: TrackObjectConfig['type'];
  state: MemberState;
  /** What a Down state takes off the priority now. */
  decrement: number;
  cause: string;
  since: string | null;
}

export interface TrackedObject {
  readonly name: string;
  status(): TrackStatus;
  start(): void;
  stop(): void;
}

export interface TrackContext {
  clock: Clock;
  chassis: Chassis | null;
  /** The verdict of a monitor group (Unknown on a Standby, which does not probe). */
  groupVerdict: (monitor: string, group: string) => GroupVerdict;
  /** Called when an object's state or decrement changed. */
  changed: (name: string, from: MemberState, status: TrackStatus) => void;
}

abstract class Base implements TrackedObject {
  protected current: TrackStatus;

  constructor(
    protected readonly cfg: TrackObjectConfig,
    protected readonly ctx: TrackContext,
  ) {
    this.current = { name: cfg.name, type: cfg.type, state: 'unknown', decrement: cfg.decrement, cause: 'not evaluated yet', since: null };
  }

  get name(): string {
    return this.cfg.name;
  }

  status(): TrackStatus {
    return { ...this.current };
  }

  protected set(state: MemberState, cause: string, decrement = this.cfg.decrement): void {
    const from = this.current.state;
    const changed = from !== state || decrement !== this.current.decrement;
    this.current = { ...this.current, state, cause, decrement, since: from !== state ? new Date().toISOString() : this.current.since };
    if (changed) this.ctx.changed(this.cfg.name, from, this.status());
  }

  abstract start(): void;
  abstract stop(): void;
}

/** Runs `check` now and then every `intervalMs` until stopped (never two at once). */
abstract class Polled extends Base {
  private timer: TimerHandle | null = null;
  private running = false;

  protected abstract get intervalMs(): number;
  protected abstract check(): Promise<void>;

  start(): void {
    if (this.running) return;
    this.running = true;
    const loop = (): void => {
      void this.check()
        .catch((err: unknown) => this.set('down', `check failed: ${(err as Error).message}`))
        .finally(() => {
          if (this.running) this.timer = this.ctx.clock.setTimeout(loop, this.intervalMs);
        });
    };
    loop();
  }

  stop(): void {
    this.running = false;
    if (this.timer) this.ctx.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}

class LineCards extends Base {
  private off: (() => void) | null = null;
  private readonly seenUp = new Set<number>();

  start(): void {
    const chassis = this.ctx.chassis;
    if (!chassis || this.off) return;
    this.off = chassis.on('linecard-status', () => this.evaluate());
    this.evaluate();
  }

  stop(): void {
    this.off?.();
    this.off = null;
  }

  private evaluate(): void {
    const chassis = this.ctx.chassis;
    if (!chassis || this.cfg.type !== 'line-cards') return;
    const cards = chassis.snapshot().lineCards;
    for (const c of cards) if (c.state === 'up') this.seenUp.add(c.slot);
    // A card booting for the first time since power-on is not a failure; once it has been up,
    // anything but up is (crashed, hung, reloading, removed).
    const down = cards.filter((c) => c.state === 'removed' || (c.state !== 'up' && this.seenUp.has(c.slot)));
    const need = this.cfg.down === 'all' ? cards.length : this.cfg.down;
    const what = `${down.length} of ${cards.length} line cards down${down.length ? ` (slots ${down.map((c) => `${c.slot} ${c.state}`).join(', ')})` : ''}`;
    if (cards.length > 0 && down.length >= need) this.set('down', `${what}; fails at ${this.cfg.down === 'all' ? 'all' : need}`);
    else if (cards.some((c) => c.state === 'up') || down.length > 0) this.set('up', what);
  }
}

class MonitorGroup extends Polled {
  protected get intervalMs(): number {
    return 250;
  }

  protected check(): Promise<void> {
    if (this.cfg.type !== 'monitor-group') return Promise.resolve();
    const v = this.ctx.groupVerdict(this.cfg.monitor, this.cfg.group);
    const what = `monitor.${this.cfg.monitor} group ${this.cfg.group}`;
    if (v === 'down') this.set('down', `${what} is down: no member answers`);
    else if (v === 'up') this.set('up', `${what} is up`);
    else this.set('unknown', `${what} is not probed here (probing runs on the Active only)`);
    return Promise.resolve();
  }
}

class Interface extends Polled {
  protected get intervalMs(): number {
    return this.cfg.type === 'interface' ? this.cfg.intervalMs : 1000;
  }

  protected async check(): Promise<void> {
    if (this.cfg.type !== 'interface') return;
    const dir = `/sys/class/net/${this.cfg.interface}`;
    const read = (f: string): Promise<string | null> => readFile(`${dir}/${f}`, 'utf8').then((t) => t.trim(), () => null);
    const [oper, carrier] = await Promise.all([read('operstate'), read('carrier')]);
    if (oper === null) return this.set('down', `no interface ${this.cfg.interface} (${dir}/operstate missing)`);
    // Loopback and some virtual links say "unknown": the carrier decides there.
    const up = oper === 'up' || (oper === 'unknown' && carrier === '1');
    this.set(up ? 'up' : 'down', `${this.cfg.interface} operstate ${oper}${carrier === null ? '' : `, carrier ${carrier}`}`);
  }
}

class Script extends Polled {
  protected get intervalMs(): number {
    return this.cfg.type === 'script' ? this.cfg.intervalMs : 1000;
  }

  protected check(): Promise<void> {
    const cfg = this.cfg;
    if (cfg.type !== 'script') return Promise.resolve();
    return new Promise((resolve) => {
      const started = Date.now();
      execFile(cfg.command, cfg.args, { timeout: cfg.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 }, (err) => {
        const ms = Date.now() - started;
        const e = err as { killed?: boolean; signal?: string | null; code?: unknown; message: string } | null;
        if (!e) this.set('up', `${cfg.command} exited 0 in ${ms} ms`);
        else if (e.killed) this.set('down', `${cfg.command} timed out after ${cfg.timeoutMs} ms`);
        else if (typeof e.code === 'number') this.set('down', `${cfg.command} exited ${e.code}`);
        else this.set('down', `${cfg.command} could not run: ${typeof e.code === 'string' ? e.code : (e.signal ?? e.message)}`);
        resolve();
      });
    });
  }
}

class WeightFile extends Polled {
  protected get intervalMs(): number {
    return this.cfg.type === 'weight-file' ? this.cfg.intervalMs : 1000;
  }

  protected async check(): Promise<void> {
    if (this.cfg.type !== 'weight-file') return;
    let text: string;
    try {
      text = (await readFile(this.cfg.path, 'utf8')).trim();
    } catch (err) {
      return this.set('down', `cannot read ${this.cfg.path} (${(err as NodeJS.ErrnoException).code ?? 'error'}): decrement ${this.cfg.decrement}`);
    }
    const n = /^\d{1,3}$/.test(text) ? Number(text) : NaN;
    if (!(n >= 0 && n <= 255)) return this.set('down', `${this.cfg.path} does not hold a weight 0..255 (${JSON.stringify(text.slice(0, 20))}): decrement ${this.cfg.decrement}`);
    if (n === 0) this.set('up', `${this.cfg.path} holds weight 0`);
    else this.set('down', `${this.cfg.path} holds weight ${n}`, n);
  }
}

export function createTrackedObject(cfg: TrackObjectConfig, ctx: TrackContext): TrackedObject {
  switch (cfg.type) {
    case 'line-cards':
      return new LineCards(cfg, ctx);
    case 'monitor-group':
      return new MonitorGroup(cfg, ctx);
    case 'interface':
      return new Interface(cfg, ctx);
    case 'script':
      return new Script(cfg, ctx);
    case 'weight-file':
      return new WeightFile(cfg, ctx);
  }
}

/** The priority number after every Down object's decrement (a higher number is a lower priority). */
export function effectivePriority(configured: number, objects: readonly TrackStatus[]): number {
  const dec = objects.filter((o) => o.state === 'down').reduce((a, o) => a + o.decrement, 0);
  return Math.min(255, configured + dec);
}

/** Below the failover threshold: the effective priority number exceeds it. */
export function belowThreshold(effective: number, threshold: number | null): boolean {
  return threshold !== null && effective > threshold;
}
