// SessionRecordsWriter (src/record-writer.ts): records written field by field into a chunk's
// bytes. From objects, the chunk's bytes are the generated encoder's for the same records; from
// bytes (attrBytes, counterBytes), what both decoders give is the records; the list it hands out
// reads back as the records, and is what the link writes as it is.
import { describe, expect, it } from 'vitest';
import { decodeMacroCheckpointChunkGenerated } from '../src/body.js';
import { MessageType, PreEncodedSessionRecords, SessionRecordsWriter, decodeMessageBody, encodeMessageBody, isWireError, type MacroCheckpointChunk, type SessionRecord } from '../src/index.js';
import { prng, randInt, sessionRecord } from './fixtures.js';

const SCRIPTS = ['a', 'Z', '0', '-', 'é', 'ü', '名', '前', '😀', 'ß'];

function text(rnd: () => number, lo: number, hi: number): string {
  let s = '';
  for (let n = randInt(rnd, lo, hi); n > 0; n--) s += SCRIPTS[randInt(rnd, 0, SCRIPTS.length - 1)];
  return s;
}

function randomRecord(rnd: () => number): SessionRecord {
  const attrs: Record<string, string> = {};
  for (let n = randInt(rnd, 0, 8); n > 0; n--) attrs[text(rnd, 0, 6)] = rnd() < 0.1 ? 'x'.repeat(randInt(rnd, 100, 300)) : text(rnd, 0, 12);
  const counters: Record<string, bigint> = {};
  for (let n = randInt(rnd, 0, 5); n > 0; n--) counters[text(rnd, 1, 6)] = rnd() < 0.3 ? 2n ** 64n - 1n - BigInt(randInt(rnd, 0, 3)) : BigInt(randInt(rnd, 0, 2 ** 40));
  return {
    id: rnd() < 0.05 ? '' : text(rnd, 15, 24),
    sessionClass: randInt(rnd, 0, 1),
    createdAtMs: rnd() < 0.1 ? 0 : randInt(rnd, 0, 2 ** 45),
    lifetimeMs: randInt(rnd, 0, 86_400_000),
    expiresAtMs: rnd() < 0.1 ? Number.MAX_SAFE_INTEGER : randInt(rnd, 0, 2 ** 45),
    attrs,
    counters,
    version: rnd() < 0.1 ? 0 : randInt(rnd, 1, 2 ** 50),
  };
}

function write(w: SessionRecordsWriter, r: SessionRecord): void {
  w.begin(r.id, r.sessionClass, r.createdAtMs, r.lifetimeMs, r.expiresAtMs);
  for (const k in r.attrs) w.attr(k, r.attrs[k]);
  for (const k in r.counters) w.counter(k, r.counters[k]);
  w.end(r.version);
}

function chunkOf(sessions: MacroCheckpointChunk['sessions'], snapshotId = 3, chunkSequence = 1): Uint8Array {
  return encodeMessageBody({ kind: 'macroCheckpointChunk', body: { snapshotId, chunkSequence, sessions } });
}

/** What decodeMessageBody's decoder gives, every record read. */
function decoded(bytes: Uint8Array): MacroCheckpointChunk {
  const m = decodeMessageBody(MessageType.MacroCheckpointChunk, bytes);
  if (m.kind !== 'macroCheckpointChunk') throw new Error(m.kind);
  return { ...m.body, sessions: Array.from(m.body.sessions) };
}

const utf8 = (s: string): number[] => [...Buffer.from(s)];

describe('SessionRecordsWriter', () => {
  it('writes from objects the bytes of the generated encoder, on random records and at every length boundary', () => {
    const rnd = prng(20261206);
    const w = new SessionRecordsWriter();
    for (let round = 0; round < 60; round++) {
      const records = Array.from({ length: randInt(rnd, 0, 40) }, () => randomRecord(rnd));
      // Records of under 128 bytes, of 16 KiB and more, an entry of 128 bytes and more: the
      // reserved length bytes move either way.
      if (round === 0) records.push({ ...sessionRecord(1), attrs: {}, counters: {} }, { ...sessionRecord(2), attrs: { big: 'v'.repeat(20_000) } }, { ...sessionRecord(3), attrs: { k: 'v'.repeat(125), l: 'w'.repeat(126) } });
      for (const r of records) write(w, r);
      expect(w.count).toBe(records.length);
      const list = w.take();
      expect(list).toBeInstanceOf(PreEncodedSessionRecords);
      const fast = chunkOf(list, round, round & 1);
      expect(Buffer.from(fast).equals(Buffer.from(chunkOf(records, round, round & 1)))).toBe(true);
      // The list reads back as the records, without the link.
      expect(Array.from(list)).toEqual(records);
      expect(list.at(-1)).toEqual(records.at(-1));
      expect(decoded(fast)).toEqual({ snapshotId: round, chunkSequence: round & 1, sessions: records });
    }
  });

  it('writes map entries from bytes as the records their keys and values spell, and refuses bytes that are not UTF-8', () => {
    const w = new SessionRecordsWriter();
    const src = new Uint8Array([...utf8('apn'), ...utf8('internet'), ...utf8('名前'), ...utf8('😀'), ...utf8('up'), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0xc3, 0x28]);
    w.begin('imsi-0001-é-0001', 1, 5, 6, 11);
    expect(w.attrBytes(src, 0, 3, 3, 11)).toBe(true);
    expect(w.attrBytes(src, 11, 17, 17, 17)).toBe(true); // an empty value
    expect(w.attrBytes(src, 11, 17, 17, 21)).toBe(true); // the same key again: the last one wins
    expect(w.counterBytes(src, 21, 23, 23, 33)).toBe(true);
    // 0xc3 0x28 is not UTF-8: refused, nothing written
    expect(w.attrBytes(src, 0, 3, 33, 35)).toBe(false);
    expect(w.attrBytes(src, 33, 35, 0, 3)).toBe(false);
    expect(w.counterBytes(src, 33, 35, 23, 33)).toBe(false);
    w.counter('down', 7n);
    // The key from one array, the value from another (a packed record naming its key by number).
    const values = new Uint8Array([0x00, ...utf8('ims'), 0x05, 0xc3, 0x28]);
    expect(w.attrBytes(new Uint8Array(utf8('apn2')), 0, 4, 1, 4, values)).toBe(true);
    expect(w.counterBytes(new Uint8Array(utf8('side')), 0, 4, 4, 5, values)).toBe(true);
    expect(w.attrBytes(new Uint8Array(utf8('bad')), 0, 3, 5, 7, values)).toBe(false);
    w.end(9);
    const expected: SessionRecord = { id: 'imsi-0001-é-0001', sessionClass: 1, createdAtMs: 5, lifetimeMs: 6, expiresAtMs: 11, attrs: { apn: 'internet', 名前: '😀', apn2: 'ims' }, counters: { up: 2n ** 64n - 1n, down: 7n, side: 5n }, version: 9 };
    const bytes = chunkOf(w.take());
    expect(decoded(bytes).sessions).toEqual([expected]);
    expect(decodeMacroCheckpointChunkGenerated(bytes).sessions).toEqual([expected]);
  });

  it('refuses a field the wire cannot carry with SRP_ERR_BAD_MESSAGE, keeping nothing of that record', () => {
    const w = new SessionRecordsWriter();
    const good = sessionRecord(1);
    const attempts: Array<() => void> = [
      () => w.begin('a', 0, 1.5, 1, 1),
      () => w.begin('a', 0, 1, -1, 1),
      () => w.begin('a', 0, 1, 1, 2 ** 60),
      () => w.begin('a', -1, 1, 1, 1),
      () => {
        w.begin('a', 0, 1, 1, 1);
        w.counter('c', 2n ** 64n);
      },
      () => {
        w.begin('a', 0, 1, 1, 1);
        w.counter('c', -1n);
      },
      () => {
        w.begin('a', 0, 1, 1, 1);
        w.attr('k', 5 as unknown as string);
      },
      () => {
        w.begin('a', 0, 1, 1, 1);
        w.end(0.5);
      },
    ];
    for (const attempt of attempts) {
      write(w, good);
      let code = '';
      try {
        attempt();
      } catch (err) {
        code = isWireError(err) ? err.code : String(err);
      }
      expect(code).toBe('SRP_ERR_BAD_MESSAGE');
      w.abort();
      const list = w.take();
      expect(Array.from(list)).toEqual([good]);
    }
    // The chunk's own fields are checked too.
    let code = '';
    try {
      chunkOf(new SessionRecordsWriter().take(), 1.5);
    } catch (err) {
      code = isWireError(err) ? err.code : String(err);
    }
    expect(code).toBe('SRP_ERR_BAD_MESSAGE');
  });
});
