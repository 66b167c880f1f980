// Two engines on one manual clock over the in-memory link, driven by a seeded generator: random
// session writes on the Active, and the link's troubles (stalls, partial delivery, cuts with
// each side's link-down, reconnects, a replaced connection, takeovers, fencing, audits). Used by
// replication.property.test.ts, which compares both tables once the world has settled.
import { CheckpointEngine, CheckpointError, ManualClock, type CheckpointConfig, type CheckpointErrorCode } from '../src/index.js';
import { MemoryLink } from '../src/testing.js';
import type { Prng } from './prng.js';

const IDS = [...Array.from({ length: 40 }, (_, i) => `imsi-0010100000${String(i).padStart(5, '0')}`), 'é-ß', '日本-1', '😀'];
const ATTR_NAMES = ['apn', 'ip', 'rat', 'cell', 'seq', 'é', '名前'];
const COUNTER_NAMES = ['up', 'down', 'seq', 'ü'];
/** Errors a write may refuse with in this world (a missing session; a fenced Active). */
const EXPECTED_WRITE_ERRORS = new Set<CheckpointErrorCode>(['SRP_ERR_CHECKPOINT_NO_SESSION', 'SRP_ERR_CHECKPOINT_FENCED']);
/** What an audit may be refused or aborted with (no Standby attached, the link went down). */
const EXPECTED_AUDIT_ERRORS = new Set<CheckpointErrorCode>(['SRP_ERR_CHECKPOINT_LINK_DOWN', 'SRP_ERR_CHECKPOINT_ROLE']);

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

export function randomConfig(r: Prng): Partial<CheckpointConfig> {
  return {
    sessionDurationMs: r.pick([0, 0, 200, 3000]),
    sessionDurationImsMs: r.pick([0, 1000]),
    counterSyncEvery: r.pick([1, 1, 3, 100]),
    batchMaxItems: r.pick([1, 4, 512]),
    batchDelayMs: r.pick([0, 2, 10]),
    maxUnackedBatches: r.pick([1, 2, 64]),
    macroChunkSize: r.pick([1, 7, 250]),
    periodicIntervalMin: 30,
    auditEnabled: r.chance(0.3),
    auditPeriodicityMin: 60,
    expirySweepIntervalMs: r.pick([50, 1000]),
    databaseRecovery: r.pick(['normal', 'aggressive'] as const),
  };
}

function value(r: Prng): string {
  switch (r.int(6)) {
    case 0:
      return '';
    case 1:
      return r.pick(['internet', 'ims', 'é', '😀 x', '日本語']);
    case 2:
      // Long: a session's packed record has a size limit (1 KiB); larger ones stay objects.
      return 'v'.repeat(r.range(300, 1200));
    default:
      return `${r.u32()}`;
  }
}

function attrs(r: Prng): Record<string, string> {
  const out: Record<string, string> = {};
  for (let n = r.int(4); n > 0; n--) out[r.pick(ATTR_NAMES)] = value(r);
  return out;
}

function patch(r: Prng): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (let n = r.range(1, 3); n > 0; n--) out[r.pick(ATTR_NAMES)] = r.chance(0.25) ? null : value(r);
  return out;
}

function counters(r: Prng): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (let n = r.int(3); n > 0; n--) out[r.pick(COUNTER_NAMES)] = r.chance(0.2) ? r.bigint(63) : BigInt(r.int(1000));
  return out;
}

type Phase = 'up' | 'cut' | 'restored';

export class World {
  readonly clock = new ManualClock();
  readonly link = new MemoryLink();
  active: CheckpointEngine;
  standby: CheckpointEngine;
  /** The link's state in a bounce: cut (each side learns it later), restored (not joined yet). */
  phase: Phase = 'up';
  private down = new Set<CheckpointEngine>();
  private fenced = false;
  private readonly audits: Promise<void>[] = [];
  readonly log: string[] = [];

  constructor(
    private readonly r: Prng,
    readonly config: Partial<CheckpointConfig>,
  ) {
    const a = new CheckpointEngine({ clock: this.clock, transport: this.link.a, config });
    const b = new CheckpointEngine({ clock: this.clock, transport: this.link.b, config });
    this.link.a.handler = (m) => a.handle(m);
    this.link.b.handler = (m) => b.handle(m);
    this.active = a;
    this.standby = b;
  }

  async start(): Promise<void> {
    await this.active.becomeActive();
    this.standby.becomeStandby();
    this.active.peerJoined();
  }

  /** One random step. */
  async step(): Promise<void> {
    const r = this.r;
    const action = r.weighted({ write: 60, deliver: 14, run: 5, time: 8, jump: 0.3, stall: 3, bounce: 2.5, switch: 0.5, takeover: 0.4, fence: 0.8, audit: 0.8, hello: 2 });
    this.log.push(action);
    switch (action) {
      case 'write':
        return this.write();
      case 'deliver':
        this.link.deliver(r.range(1, 6));
        return;
      case 'run':
        await tick();
        return;
      case 'time':
        this.clock.advance(r.range(0, r.chance(0.1) ? 5000 : 30));
        return;
      case 'jump':
        // Past the periodic macro and most lifetimes.
        this.clock.advance(r.range(30, 45) * 60_000);
        return;
      case 'stall': {
        const ep = r.pick([this.link.a, this.link.b]);
        if (ep.stalled) this.link.resume(ep);
        else this.link.stall(ep);
        return;
      }
      case 'bounce':
        return this.bounce();
      case 'switch':
        // The Active's connection was replaced: it starts the stream over (srpd's onLinkSwitched).
        if (this.phase !== 'up') return;
        this.active.linkDown();
        this.active.peerJoined();
        return;
      case 'takeover':
        return this.takeover();
      case 'fence':
        this.fenced = !this.fenced;
        this.active.setWriteGate(this.fenced ? 'fenced by the test' : null);
        return;
      case 'audit':
        this.audits.push(
          this.active.initiateAudit({ withSync: r.chance(0.8) }).then(
            () => undefined,
            (err: unknown) => {
              if (!(err instanceof CheckpointError) || !EXPECTED_AUDIT_ERRORS.has(err.code)) throw err;
            },
          ),
        );
        return;
      case 'hello':
        this.active.peerHello(this.standby.helloFields());
        this.standby.peerHello(this.active.helloFields());
        return;
    }
  }

  private write(): void {
    const r = this.r;
    const e = this.active;
    const id = r.pick(IDS);
    const ref = r.chance(0.5) ? (e.lookup(id) ?? id) : id;
    const op = r.weighted({ create: 3, upsert: 3, update: 4, updateAttrs: 2, increment: 6, refresh: 1, delete: 1.5 });
    const lifetimeMs = r.range(500, 3_600_000);
    try {
      switch (op) {
        case 'create':
          e.create({ id, class: r.chance(0.2) ? 'ims' : 'non-ims', lifetimeMs, attrs: attrs(r), counters: counters(r) });
          return;
        case 'upsert':
          e.upsert({ id, lifetimeMs, attrs: attrs(r) });
          return;
        case 'update':
          e.update(ref, { attrs: r.chance(0.8) ? patch(r) : undefined, lifetimeMs: r.chance(0.5) ? lifetimeMs : undefined });
          return;
        case 'updateAttrs':
          e.updateAttrs(id, patch(r));
          return;
        case 'increment':
          e.incrementCounter(ref, r.pick(COUNTER_NAMES), r.chance(0.05) ? r.bigint(60) : BigInt(r.range(1, r.pick([1, 5, 150]))));
          return;
        case 'refresh':
          e.refresh(id, r.chance(0.5) ? lifetimeMs : undefined);
          return;
        case 'delete':
          e.delete(id);
          return;
      }
    } catch (err) {
      if (!(err instanceof CheckpointError) || !EXPECTED_WRITE_ERRORS.has(err.code)) throw err;
    }
  }

  /** One stage of a link bounce: cut, each side's link-down, restore, the Active's rejoin. */
  private bounce(): void {
    if (this.phase === 'up') {
      this.link.cut();
      this.phase = 'cut';
      this.down.clear();
    } else if (this.phase === 'cut' && this.down.size < 2) {
      const e = this.r.pick([this.active, this.standby].filter((x) => !this.down.has(x)));
      e.linkDown();
      this.down.add(e);
    } else if (this.phase === 'cut') {
      this.link.restore();
      this.phase = 'restored';
    } else {
      this.active.peerJoined();
      this.phase = 'up';
    }
  }

  /** The Active is lost behind a cut; the Standby takes over, and the old Active comes back as Standby. */
  private async takeover(): Promise<void> {
    if (this.phase !== 'up') return;
    this.link.cut();
    this.standby.linkDown();
    this.active.linkDown();
    const old = this.active;
    await this.standby.becomeActive({ cause: 'property test' });
    old.becomeStandby();
    this.active = this.standby;
    this.standby = old;
    this.fenced = false;
    this.link.restore();
    this.active.peerJoined();
  }

  /** Ends every fault (stall, bounce, fence), then delivers and applies until nothing moves. */
  async settle(): Promise<boolean> {
    for (const ep of [this.link.a, this.link.b]) if (ep.stalled) this.link.resume(ep);
    if (this.fenced) {
      this.fenced = false;
      this.active.setWriteGate(null);
    }
    while (this.phase !== 'up') this.bounce();
    let quiet = 0;
    for (let i = 0; i < 20_000 && quiet < 3; i++) {
      this.clock.advance(5);
      const moved = this.link.deliver();
      await this.standby.drain();
      await this.active.drain();
      await tick();
      quiet = moved === 0 && this.link.idle && this.idle() ? quiet + 1 : 0;
    }
    await Promise.all(this.audits.splice(0));
    return quiet >= 3;
  }

  private idle(): boolean {
    const a = this.active.statistics();
    const s = this.standby.statistics();
    return a.pending.sessions === 0 && a.pending.unackedBatches === 0 && !a.macro.inProgress && !s.macro.inProgress;
  }
}
