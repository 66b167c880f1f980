// Fuzz test of the micro-checkpoint payload reader. Valid payloads come from the real encoder:
// an Active engine's outgoing batches after random creates, updates, increments, refreshes and
// deletes. Mutated copies of them (bit flips, truncation, extension, huge length fields, spliced
// and random bytes) must either decode to sane values or be refused with CheckpointError
// SRP_ERR_CHECKPOINT_BAD_PAYLOAD, never anything else; the reader's check() must agree with its
// decoding; and a Standby engine handed each one through handle() must either apply exactly what
// the reader decodes or leave its table as it was, count the failure and NACK.
// A fixed seed by default (CI); SRP_PROPERTY_SEED and SRP_PROPERTY_RUNS run others or more.
import { describe, expect, it } from 'vitest';
import { CheckpointError, MicroCommand, type CheckpointEngine, type MicroCheckpoint, type SessionView } from '../src/index.js';
import { A_ATTRS, A_COUNTERS, A_DELTA, A_LIFETIME, PayloadReader, PayloadWriter, storeOf, toView } from '../src/internal.js';
import { makePair, type Pair } from './helpers.js';
import { Prng, propertySeeds, replayHint } from './prng.js';
import { mutate } from './mutate.js';

const WRITES = 120;
const MUTANTS_PER_PAYLOAD = 12;
/** Mutants also handed to the Standby engine, per seed (each compares the whole table). */
const ENGINE_INPUTS = 150;
const U64_LIMIT = 1n << 64n;

const LAYOUTS = {
  [MicroCommand.SessionFull]: 'full',
  [MicroCommand.AttrsUpdate]: 'attrs',
  [MicroCommand.CountersSync]: 'counters',
  [MicroCommand.LifetimeRefresh]: 'lifetime',
  [MicroCommand.AttrsLifetime]: 'attrs-lifetime',
  [MicroCommand.SessionAspects]: 'aspects',
} as const;

interface Decoded {
  cls?: 'ims' | 'non-ims';
  createdAt?: number;
  lifetimeMs?: number;
  expiresAt?: number;
  attrs?: Record<string, string>;
  counters?: Record<string, bigint>;
  /** SessionAspects: its mask, and the attributes its delta sets (in order) and removes. */
  mask?: number;
  delta?: { set: [string, string][]; removed: string[] };
}

/** `attrs` with a delta applied as the Standby does: sets in order (own fields), then removals. */
function withDelta(attrs: Record<string, string>, delta: NonNullable<Decoded['delta']>): Record<string, string> {
  const out = { ...attrs };
  for (const [k, v] of delta.set) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  for (const k of delta.removed) delete out[k];
  return out;
}

/** Decodes a payload of command `cmd` field by field, as the Standby applies it (apply-micro.ts). */
function decode(cmd: number, bytes: Uint8Array): Decoded {
  const r = new PayloadReader(bytes);
  const out: Decoded = {};
  if (cmd === MicroCommand.SessionAspects) {
    const m = (out.mask = r.u8());
    if (m === 0 || m > 15 || (m & A_ATTRS && m & A_DELTA)) throw new CheckpointError('SRP_ERR_CHECKPOINT_BAD_PAYLOAD', `mask ${m}`);
    if (m & A_LIFETIME) {
      out.lifetimeMs = r.varint();
      out.expiresAt = r.varint();
    }
    if (m & A_ATTRS) out.attrs = r.attrs();
    if (m & A_DELTA) {
      const delta: NonNullable<Decoded['delta']> = { set: [], removed: [] };
      for (let n = r.varint(); n > 0; n--) delta.set.push([r.str(), r.str()]);
      for (let n = r.varint(); n > 0; n--) delta.removed.push(r.str());
      out.delta = delta;
    }
    if (m & A_COUNTERS) out.counters = r.counters();
    r.end();
    return out;
  }
  if (cmd === MicroCommand.SessionFull) {
    const c = r.u8();
    if (c > 1) throw new CheckpointError('SRP_ERR_CHECKPOINT_BAD_PAYLOAD', `class ${c}`);
    out.cls = c === 1 ? 'ims' : 'non-ims';
    out.createdAt = r.varint();
  }
  if (cmd === MicroCommand.SessionFull || cmd === MicroCommand.LifetimeRefresh || cmd === MicroCommand.AttrsLifetime) {
    out.lifetimeMs = r.varint();
    out.expiresAt = r.varint();
  }
  if (cmd === MicroCommand.SessionFull || cmd === MicroCommand.AttrsUpdate || cmd === MicroCommand.AttrsLifetime) out.attrs = r.attrs();
  if (cmd === MicroCommand.SessionFull || cmd === MicroCommand.CountersSync) out.counters = r.counters();
  r.end();
  return out;
}

/** 'refused' (with the package's typed error), or what the payload decodes to. Anything else throws. */
function verdict(cmd: number, bytes: Uint8Array): Decoded | 'refused' {
  const layout = LAYOUTS[cmd as keyof typeof LAYOUTS];
  let checked: boolean;
  try {
    new PayloadReader(bytes).check(layout);
    checked = true;
  } catch (err) {
    expectTyped(err);
    checked = false;
  }
  let decoded: Decoded | 'refused';
  try {
    decoded = decode(cmd, bytes);
  } catch (err) {
    expectTyped(err);
    decoded = 'refused';
  }
  expect(checked, 'check() and decoding disagree').toBe(decoded !== 'refused');
  if (decoded !== 'refused') expectSane(decoded);
  return decoded;
}

function expectTyped(err: unknown): void {
  expect(err, `not a CheckpointError: ${String(err)}`).toBeInstanceOf(CheckpointError);
  expect((err as CheckpointError).code).toBe('SRP_ERR_CHECKPOINT_BAD_PAYLOAD');
}

function expectSane(d: Decoded): void {
  for (const n of [d.createdAt, d.lifetimeMs, d.expiresAt]) if (n !== undefined) expect(Number.isSafeInteger(n) && n >= 0, `time field ${n}`).toBe(true);
  for (const [k, v] of Object.entries(d.counters ?? {})) expect(v >= 0n && v < U64_LIMIT, `counter ${k} = ${v}`).toBe(true);
  for (const v of Object.values(d.attrs ?? {})) expect(typeof v).toBe('string');
}

const IDS = ['imsi-001010000000001', 'imsi-001010000000002', 'imsi-001010000000003', 'é-ß', '日本-1', '😀', 'x'.repeat(200)];
const NAMES = ['apn', 'ip', 'rat', 'seq', 'é', '名前', 'constructor', 'toString'];

function value(r: Prng): string {
  return r.pick(['', 'internet', 'é', '😀 x', '日本語', `${r.u32()}`, 'v'.repeat(r.range(100, 1100))]);
}

/** Random writes on the Active; returns every micro item it sent (the real encoder's payloads). */
async function validItems(r: Prng, p: Pair): Promise<MicroCheckpoint[]> {
  const items: MicroCheckpoint[] = [];
  const deliver = p.link.b.handler;
  p.link.b.handler = (m) => {
    if (m.kind === 'microCheckpointBatch') for (const it of m.body.items) items.push({ ...it, payload: it.payload.slice() });
    deliver(m);
  };
  for (let i = 0; i < WRITES; i++) {
    const id = r.pick(IDS);
    const known = p.active.get(id) !== undefined;
    const attrs: Record<string, string> = {};
    for (let n = r.int(4); n > 0; n--) attrs[r.pick(NAMES)] = value(r);
    const action = known ? r.weighted({ create: 1, attrs: 3, count: 3, refresh: 1, delete: 1 }) : 'create';
    if (action === 'create') {
      const counters: Record<string, bigint> = {};
      for (let n = r.int(3); n > 0; n--) counters[r.pick(NAMES)] = r.chance(0.3) ? r.bigint(64) : BigInt(r.int(1000));
      p.active.create({ id, class: r.pick(['ims', 'non-ims'] as const), lifetimeMs: r.range(1000, 1_000_000), attrs, counters });
    } else if (action === 'attrs') {
      p.active.update(id, { attrs, ...(r.chance(0.5) ? { lifetimeMs: r.range(1000, 1_000_000) } : {}) });
    } else if (action === 'count') {
      p.active.incrementCounter(id, r.pick(NAMES), BigInt(r.range(1, 50)));
    } else if (action === 'refresh') {
      p.active.refresh(id, r.range(1000, 1_000_000));
    } else {
      p.active.delete(id);
    }
    if (r.chance(0.3)) await p.settle();
  }
  await p.settle();
  p.link.b.handler = deliver;
  return items;
}

function tableOf(e: CheckpointEngine): Map<string, SessionView> {
  const out = new Map<string, SessionView>();
  for (const s of storeOf(e).values()) out.set(s.id, toView(s));
  return out;
}

/** Hands `it` to the Standby and checks the outcome against the reader's verdict. */
async function feedStandby(p: Pair, it: MicroCheckpoint, seq: number): Promise<void> {
  const before = tableOf(p.standby);
  const stats = p.standby.statistics();
  const nacksBefore = stats.nacks.sent;
  const failedBefore = stats.micro.failed;
  const existed = before.get(it.sessionId);
  const layout = LAYOUTS[it.commandId as keyof typeof LAYOUTS];
  const read = layout ? verdict(it.commandId, it.payload) : it.commandId === MicroCommand.SessionDelete && it.payload.length === 0 ? {} : 'refused';
  // Only a full checkpoint makes a session; a delete of an unknown one is stale, not a failure.
  const unknownTarget = existed === undefined && it.commandId !== MicroCommand.SessionFull;
  p.standby.handle({ kind: 'microCheckpointBatch', body: { batchSequence: seq, items: [it] } });
  await p.standby.drain();
  const after = tableOf(p.standby);
  const failed = p.standby.statistics().micro.failed - failedBefore;
  if (read === 'refused' || (unknownTarget && it.commandId !== MicroCommand.SessionDelete)) {
    expect(failed, 'a refused item is counted').toBe(1);
    expect(p.standby.statistics().nacks.sent, 'a refused item is NACKed').toBe(nacksBefore + 1);
    expect(after, 'a refused item leaves the table as it was').toEqual(before);
    return;
  }
  expect(failed, 'an item the reader decodes is applied').toBe(0);
  const want = new Map(before);
  if (it.commandId === MicroCommand.SessionDelete) want.delete(it.sessionId);
  else {
    const got = after.get(it.sessionId);
    expect(got, 'the session the item names').toBeDefined();
    const d = read;
    const base = existed ?? got;
    if (!base) return;
    want.set(it.sessionId, {
      ...base,
      class: d.cls ?? base.class,
      createdAt: d.createdAt ?? base.createdAt,
      lifetimeMs: d.lifetimeMs ?? base.lifetimeMs,
      expiresAt: d.expiresAt ?? base.expiresAt,
      attrs: d.attrs ?? (d.delta ? withDelta(base.attrs, d.delta) : base.attrs),
      counters: d.counters ?? base.counters,
      version: it.version,
    });
  }
  expect(after, 'the table changes by what the reader decoded, nothing else').toEqual(want);
}

async function run(seed: number): Promise<void> {
  const r = new Prng(seed);
  const p = await makePair({ nackMaxResponse: 65_535, counterSyncEvery: 1, batchMaxItems: r.pick([1, 8, 512]) });
  const items = await validItems(r, p);
  let current = '';
  try {
    expect(items.length).toBeGreaterThan(WRITES / 2);
    let version = Math.max(...items.map((it) => it.version)) + 1;
    let engineInputs = 0;
    for (const [i, it] of items.entries()) {
      current = `valid item ${i} (command ${it.commandId})`;
      if (it.commandId !== MicroCommand.SessionDelete) {
        const d = verdict(it.commandId, it.payload);
        expect(d, 'the encoder\'s own payload is refused').not.toBe('refused');
        // The encoder writes canonical payloads: encoding what was read gives the same bytes.
        expect(Buffer.from(encode(it.commandId, d as Decoded)).equals(Buffer.from(it.payload)), 're-encoding changes the payload').toBe(true);
      }
      for (let m = 0; m < MUTANTS_PER_PAYLOAD; m++) {
        const other = r.pick(items).payload;
        const { bytes, how } = mutate(r, it.payload, other);
        const commandId = r.chance(0.05) ? r.int(256) : it.commandId;
        current = `mutant ${m} of item ${i} (command ${commandId}, ${how}): ${Buffer.from(bytes).toString('hex').slice(0, 400)}`;
        if (LAYOUTS[commandId as keyof typeof LAYOUTS]) verdict(commandId, bytes);
        if (engineInputs < ENGINE_INPUTS && r.chance(ENGINE_INPUTS / (items.length * MUTANTS_PER_PAYLOAD) + 0.05)) {
          engineInputs++;
          await feedStandby(p, { commandId, sessionId: it.sessionId, version: version++, payload: bytes }, version);
        }
      }
    }
    current = '';
    expect(engineInputs).toBeGreaterThan(ENGINE_INPUTS / 3);
  } catch (err) {
    (err as Error).message = `${replayHint(seed)}: ${current}: ${(err as Error).message}`;
    throw err;
  }
}

/** Encodes decoded fields again, in the order of the command's layout (payload.ts). */
function encode(cmd: number, d: Decoded): Uint8Array {
  const w = new PayloadWriter();
  if (cmd === MicroCommand.SessionFull) w.u8(d.cls === 'ims' ? 1 : 0).varint(d.createdAt as number);
  if (d.mask !== undefined) w.u8(d.mask);
  if (d.lifetimeMs !== undefined) w.varint(d.lifetimeMs).varint(d.expiresAt as number);
  if (d.attrs) w.attrs(d.attrs);
  if (d.delta) {
    w.varint(d.delta.set.length);
    for (const [k, v] of d.delta.set) w.str(k).str(v);
    w.varint(d.delta.removed.length);
    for (const k of d.delta.removed) w.str(k);
  }
  if (d.counters) w.counters(d.counters);
  return w.take();
}

describe('the micro-checkpoint payload reader under mutated payloads: typed refusal or sane values, and a Standby that applies exactly that or changes nothing', () => {
  for (const seed of propertySeeds(20_261_218, 3)) it(`seed ${seed}`, () => run(seed));

  it('has the Active refuse a counter it could not replicate, before changing anything', async () => {
    const p = await makePair();
    p.active.create({ id: 'c', lifetimeMs: 60_000, counters: { up: 2n ** 64n - 2n } });
    expect(() => p.active.create({ id: 'd', lifetimeMs: 60_000, counters: { up: 2n ** 64n } })).toThrow(expect.objectContaining({ code: 'SRP_ERR_CHECKPOINT_BAD_INPUT' }));
    expect(() => p.active.incrementCounter('c', 'up', 2n)).toThrow(expect.objectContaining({ code: 'SRP_ERR_CHECKPOINT_BAD_INPUT' }));
    expect(p.active.incrementCounter('c', 'up', 1n)).toBe(2n ** 64n - 1n);
    await p.settle();
    expect(p.standby.get('c')?.counters).toEqual({ up: 2n ** 64n - 1n });
    expect(p.active.get('d')).toBeUndefined();
  });

  it('keeps an attribute or counter named __proto__ as its own field', () => {
    const attrs = JSON.parse('{"__proto__":"x","a":"b"}') as Record<string, string>;
    const counters = JSON.parse('{"__proto__":1}', (_k, v: unknown) => (typeof v === 'number' ? BigInt(v) : v)) as Record<string, bigint>;
    const bytes = new PayloadWriter().attrs(attrs).counters(counters).take();
    const r = new PayloadReader(bytes);
    const a = r.attrs();
    const c = r.counters();
    expect(Object.getPrototypeOf(a)).toBe(Object.prototype);
    expect(Object.entries(a)).toEqual([
      ['__proto__', 'x'],
      ['a', 'b'],
    ]);
    expect(Object.entries(c)).toEqual([['__proto__', 1n]]);
  });
});
