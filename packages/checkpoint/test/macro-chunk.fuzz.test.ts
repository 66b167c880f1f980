// Fuzz test of macro-checkpoint chunks as they come off the network. The Active's real chunks are
// encoded as the link sends them, mutated (mutate.ts), and decoded as the link receives them: the
// wire refuses a chunk with its typed error (WireError) or every record of it reads back; half the
// mutants are good protobuf with wrong content instead (a record changed, dropped or repeated). A chunk
// that decodes is handed to a Standby in a macro of its own through handle(): the Standby never
// throws, and either the macro applies, leaving well-formed sessions, or it is counted as failed
// and NACKed; the NACK, delivered to the Active, brings a new macro that makes both tables equal
// again (as the macro's End digest counts them: ids and versions). A record whose content changed
// under the same version passes that digest and is applied: the End digest does not cover
// content, and what keeps such a chunk out of a Standby is the link's HMAC. A fixed seed by default (CI); SRP_PROPERTY_SEED and SRP_PROPERTY_RUNS run more.
import { decodeMessageBody, encodeMessageBody, isWireError, messageTypeOf } from '@srp-ha/wire';
import { describe, expect, it } from 'vitest';
import type { CheckpointEngine, CheckpointMessage, MacroCheckpointBegin, MacroCheckpointChunk, MacroCheckpointEnd, SessionRecord } from '../src/index.js';
import { storeOf, toView } from '../src/internal.js';
import { makePair } from './helpers.js';
import { mutate } from './mutate.js';
import { Prng, propertySeeds, replayHint } from './prng.js';

const SESSIONS = 40;
const MUTANTS = 40;

/** A chunk that is good protobuf with wrong content: one record changed, dropped or repeated. */
function wrongContent(r: Prng, chunk: MacroCheckpointChunk): { bytes: Uint8Array; how: string } {
  const records: SessionRecord[] = [];
  for (let i = 0; i < chunk.sessions.length; i++) records.push(chunk.sessions.at(i) as SessionRecord);
  const i = r.int(records.length);
  const rec = { ...records[i], attrs: { ...records[i].attrs }, counters: { ...records[i].counters } };
  const how = r.pick(['attr', 'counter', 'class', 'version', 'expiry', 'id', 'drop', 'repeat'] as const);
  if (how === 'attr') rec.attrs[r.pick(['apn', 'x'])] = `${r.u32()}`;
  if (how === 'counter') rec.counters.up = r.bigint(64);
  if (how === 'class') rec.sessionClass = r.range(2, 9);
  if (how === 'version') rec.version = r.int(2 ** 40);
  if (how === 'expiry') rec.expiresAtMs = r.int(2 ** 50);
  if (how === 'id') rec.id = r.pick(['', records[(i + 1) % records.length].id, 'intruder']);
  if (how === 'drop') records.splice(i, 1);
  else if (how === 'repeat') records.splice(i, 0, rec);
  else records[i] = rec;
  return { bytes: encodeMessageBody({ kind: 'macroCheckpointChunk', body: { ...chunk, sessions: records } }), how: `record ${i}: ${how}` };
}

/** Sessions of the table with a value no write could have made. */
function insane(e: CheckpointEngine): string[] {
  const out: string[] = [];
  for (const s of storeOf(e).values()) {
    const v = toView(s);
    if (v.class !== 'ims' && v.class !== 'non-ims') out.push(`${v.id}: class ${String(v.class)}`);
    for (const n of [v.createdAt, v.lifetimeMs, v.expiresAt, v.version]) if (!Number.isSafeInteger(n) || n < 0) out.push(`${v.id}: ${n}`);
    for (const [k, c] of Object.entries(v.counters)) if (c < 0n || c >= 1n << 64n) out.push(`${v.id}.counters.${k}: ${c}`);
  }
  return out;
}

async function run(seed: number): Promise<void> {
  const r = new Prng(seed);
  const p = await makePair({ nackMaxResponse: 65_535, macroChunkSize: r.pick([4, 15]) });
  for (let i = 0; i < SESSIONS; i++) {
    const attrs: Record<string, string> = {};
    for (let n = r.int(4); n > 0; n--) attrs[r.pick(['apn', 'ip', 'é', '名前'])] = r.pick(['', 'internet', '😀', `${r.u32()}`]);
    p.active.create({ id: `${r.pick(['imsi-', 'é-', '日本-'])}${i}`, lifetimeMs: r.range(60_000, 600_000), attrs, counters: { up: r.bigint(64), down: BigInt(r.int(1000)) } });
  }
  await p.settle();
  // One whole macro of the Active's, as it left.
  const macro: CheckpointMessage[] = [];
  const deliver = p.link.b.handler;
  p.link.b.handler = (m) => {
    if (m.kind.startsWith('macroCheckpoint')) macro.push(m);
    deliver(m);
  };
  p.active.requestMacro('manual');
  await p.settle();
  p.link.b.handler = deliver;
  const begin = macro.find((m) => m.kind === 'macroCheckpointBegin')?.body as MacroCheckpointBegin;
  const chunks = macro.filter((m) => m.kind === 'macroCheckpointChunk').map((m) => m.body);
  const end = macro.find((m) => m.kind === 'macroCheckpointEnd')?.body as MacroCheckpointEnd;
  expect(begin && end && chunks.length > 1, `a whole macro of several chunks (${replayHint(seed)})`).toBe(true);

  let refusedByWire = 0;
  let failedMacros = 0;
  let appliedMacros = 0;
  for (let k = 0; k < MUTANTS; k++) {
    const at = r.int(chunks.length);
    const original: CheckpointMessage = { kind: 'macroCheckpointChunk', body: chunks[at] };
    const { bytes, how } = r.chance(0.5)
      ? mutate(r, encodeMessageBody(original), encodeMessageBody({ kind: 'macroCheckpointChunk', body: r.pick(chunks) }))
      : wrongContent(r, chunks[at]);
    const context = `${replayHint(seed)}, mutant ${k} of chunk ${at + 1} (${how}): ${Buffer.from(bytes).toString('hex').slice(0, 300)}`;
    let decoded: MacroCheckpointChunk;
    try {
      decoded = (decodeMessageBody(messageTypeOf(original), bytes) as { body: MacroCheckpointChunk }).body;
      // Checked in full on arrival: every record reads back.
      for (let i = 0; i < decoded.sessions.length; i++) expect(decoded.sessions.at(i)?.id, context).toBeTypeOf('string');
    } catch (err) {
      expect(isWireError(err), `${context}: not a WireError: ${String(err)}`).toBe(true);
      refusedByWire++;
      continue;
    }
    // A macro of its own, the mutant in place of chunk `at`.
    const snapshotId = 1_000_000 + k;
    const before = p.standby.statistics();
    expect(() => {
      p.standby.handle({ kind: 'macroCheckpointBegin', body: { ...begin, snapshotId } });
      chunks.forEach((c, i) => p.standby.handle({ kind: 'macroCheckpointChunk', body: i === at ? { ...decoded, snapshotId: decoded.snapshotId === c.snapshotId ? snapshotId : decoded.snapshotId } : { ...c, snapshotId } }));
      p.standby.handle({ kind: 'macroCheckpointEnd', body: { ...end, snapshotId } });
    }, context).not.toThrow();
    await p.standby.drain();
    const after = p.standby.statistics();
    if (after.macro.applied > before.macro.applied) {
      appliedMacros++;
      expect(how.endsWith(': class'), `${context}: a record of an unknown class is applied`).toBe(false);
      expect(insane(p.standby), `${context}: an applied macro leaves well-formed sessions`).toEqual([]);
    } else {
      failedMacros++;
      expect(after.macro.failed, `${context}: a refused macro is counted`).toBeGreaterThan(before.macro.failed);
      expect(after.nacks.sent, `${context}: a refused macro is NACKed`).toBeGreaterThan(before.nacks.sent);
    }
    // The NACK reaches the Active, whose next macro repairs the Standby's table.
    await p.settle();
    expect(p.standby.summary(), `${context}: repaired`).toEqual(p.active.summary());
  }
  // Both outcomes were exercised.
  expect(refusedByWire, replayHint(seed)).toBeGreaterThan(0);
  expect(failedMacros, replayHint(seed)).toBeGreaterThan(0);
  expect(appliedMacros, replayHint(seed)).toBeGreaterThan(0);
}

describe('macro-checkpoint chunks under mutation: the wire refuses them typed, or a Standby NACKs the macro and is repaired, never throws', () => {
  for (const seed of propertySeeds(20_261_219, 2)) it(`seed ${seed}`, () => run(seed));
});
