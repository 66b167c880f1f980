// The wire bench on the daemon's own path: the micro batches and macro chunks an Active's
// checkpoint engine builds for realistic sessions (captured in process), framed as srpd's link
// frames them (MessageWriter: encodeSync for micro batches, encode off the loop for chunks),
// and read back as the Standby's link reads them (MessageReader with its buffer pools), every
// item's payload and every chunk record decoded. Then the raw compressors on the same bytes
// (node:zlib and lz4-napi against pako and the `lz4` package).
import { promisify } from 'node:util';
import { deflate, deflateSync, inflate, inflateSync } from 'node:zlib';
import type { MicroCheckpointBatch } from '@srp-ha/checkpoint';
import { A_ATTRS, A_COUNTERS, A_DELTA, A_LIFETIME, ChunkEncoder, PayloadReader } from '@srp-ha/checkpoint/internal';
import { BufferPool, MessageReader, MessageWriter, encodeMessageBody, getCodec, releaseMessage } from '@srp-ha/wire';
import lz4js from 'lz4';
import { compressFrame, compressFrameSync, decompressFrame, decompressFrameSync } from 'lz4-napi';
import pako from 'pako';
import { numberOption, type Bench } from '../bench.js';
import { SessionData } from '../data.js';
import { captureActive } from '../inproc.js';
import type { Table } from '../result.js';
import { round } from '../stats.js';
import { timeLoop } from '../timing.js';

const KEY = Buffer.from('bench-key-bench-key-bench-key-32');

interface WireParams extends Record<string, number> {
  sessions: number;
  updates: number;
  opsPerCall: number;
  secondsPerCase: number;
}

/** Decodes one micro item's payload whole, by its command's layout (as the Standby reads it). */
function decodePayload(r: PayloadReader, commandId: number, payload: Uint8Array): number {
  r.reset(payload);
  let n = 0;
  if (commandId === 1) {
    n += r.u8() + r.varint() + r.varint() + r.varint();
    n += Object.keys(r.attrs()).length + Object.keys(r.counters()).length;
  } else if (commandId === 2) n += Object.keys(r.attrs()).length;
  else if (commandId === 3) n += Object.keys(r.counters()).length;
  else if (commandId === 5) n += r.varint() + r.varint();
  else if (commandId === 6) n += r.varint() + r.varint() + Object.keys(r.attrs()).length;
  else if (commandId === 7) {
    const mask = r.u8();
    if (mask & A_LIFETIME) n += r.varint() + r.varint();
    if (mask & A_ATTRS) n += Object.keys(r.attrs()).length;
    if (mask & A_DELTA) {
      const attrs: Record<string, string> = {};
      r.applyDelta(attrs);
      n += Object.keys(attrs).length;
    }
    if (mask & A_COUNTERS) n += Object.keys(r.counters()).length;
  }
  if (commandId !== 4) r.end();
  return n;
}

/** The link's codecs, each with and without digit runs packed before compression (srpd packs them for a peer that reads them). */
const CODECS = [
  { label: 'none', codec: 'none', digitRuns: false },
  { label: 'zlib', codec: 'zlib', digitRuns: false },
  { label: 'zlib + digit runs', codec: 'zlib', digitRuns: true },
  { label: 'lz4', codec: 'lz4', digitRuns: false },
  { label: 'lz4 + digit runs', codec: 'lz4', digitRuns: true },
] as const;
const COMMAND_NAMES: Record<number, string> = { 1: 'full', 2: 'attrs', 3: 'counters', 4: 'delete', 5: 'lifetime', 6: 'attrs and lifetime', 7: 'aspects' };
const varintLength = (n: number): number => (n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5);

export const wireBench: Bench<WireParams> = {
  name: 'wire',
  summary: 'frames of the micro batches and macro chunks an Active sends: encode, compress, sign; verify, decompress, decode every record',
  settings: ['sessions', 'updates', 'ops-per-call', 'seconds'],
  params: (o) => ({
    sessions: numberOption(o, 'sessions', o.short ? 2000 : 100_000, { integer: true, min: 1 }),
    updates: numberOption(o, 'updates', o.short ? 4000 : 200_000, { integer: true, min: 1 }),
    opsPerCall: numberOption(o, 'ops-per-call', 1000, { integer: true, min: 1 }),
    secondsPerCase: numberOption(o, 'seconds', o.short ? 0.1 : 1.5, { min: 0.01 }),
  }),
  async run(p, ctx) {
    const data = new SessionData({ sessions: p.sessions, shape: ctx.data });
    const cap = await captureActive(data, p.updates, p.opsPerCall);
    const items = cap.batches.reduce((s, m) => s + (m.body as MicroCheckpointBatch).items.length, 0);
    let idMin = Infinity;
    let idMax = 0;
    for (const m of cap.batches) {
      for (const it of (m.body as MicroCheckpointBatch).items) {
        idMin = Math.min(idMin, it.sessionId.length);
        idMax = Math.max(idMax, it.sessionId.length);
      }
    }
    const bodies = cap.batches.map((m) => Buffer.from(encodeMessageBody(m)));
    const bodyBytes = bodies.reduce((s, b) => s + b.length, 0);
    const chunkSessions = cap.chunks.reduce((s, m) => s + (m.kind === 'macroCheckpointChunk' ? m.body.sessions.length : 0), 0);
    const shape: Table = {
      id: 'wire-shape',
      title: 'what the Active sent (captured from its checkpoint engine)',
      columns: [
        { key: 'updates', label: 'updates' },
        { key: 'items', label: 'micro items' },
        { key: 'batches', label: 'batches' },
        { key: 'idLength', label: 'id length' },
        { key: 'bodyPerItem', label: 'protobuf per item', unit: 'B', digits: 1 },
        { key: 'chunks', label: 'macro chunks' },
        { key: 'chunkSessions', label: 'sessions in chunks' },
      ],
      rows: [
        {
          updates: cap.updates,
          items,
          batches: cap.batches.length,
          idLength: `${idMin}-${idMax}`,
          bodyPerItem: round(bodyBytes / items, 1),
          chunks: cap.chunks.length,
          chunkSessions,
        },
      ],
    };

    // What the bytes are: items and protobuf bytes by micro command (an item is
    // commandId + sessionId + version + payload; encodeMessageBody of a one-item batch less
    // the batch's own fields approximates each).
    const byCommand = new Map<number, { items: number; bytes: number }>();
    for (const m of cap.batches) {
      for (const it of (m.body as MicroCheckpointBatch).items) {
        const e = byCommand.get(it.commandId) ?? { items: 0, bytes: 0 };
        e.items++;
        e.bytes += 6 + it.sessionId.length + varintLength(it.version) + it.payload.length + varintLength(it.payload.length);
        byCommand.set(it.commandId, e);
      }
    }
    const commands: Table = {
      id: 'wire-commands',
      title: 'micro items by command (protobuf bytes of each item, before compression)',
      columns: [
        { key: 'command', label: 'command' },
        { key: 'share', label: 'items', unit: '%', digits: 1 },
        { key: 'perItem', label: 'size', unit: 'B/item', digits: 1 },
        { key: 'byteShare', label: 'bytes', unit: '%', digits: 1 },
      ],
      rows: [...byCommand.entries()].sort((x, y) => x[0] - y[0]).map(([cmd, e]) => ({
        command: `${cmd} ${COMMAND_NAMES[cmd] ?? '?'}`,
        share: round((e.items / items) * 100, 1),
        perItem: round(e.bytes / e.items, 1),
        byteShare: round((e.bytes / [...byCommand.values()].reduce((t, x) => t + x.bytes, 0)) * 100, 1),
      })),
    };
    const micro: Table = {
      id: 'wire-micro',
      title: `micro batches (${round(items / cap.batches.length, 0)} items each on average), one stream`,
      columns: [
        { key: 'codec', label: 'codec' },
        { key: 'sendRate', label: 'send items/s' },
        { key: 'sendCpu', label: 'send CPU', unit: 'us/item', digits: 2 },
        { key: 'recvRate', label: 'receive items/s' },
        { key: 'recvCpu', label: 'receive CPU', unit: 'us/item', digits: 2 },
        { key: 'perItem', label: 'wire', unit: 'B/item', digits: 1 },
        { key: 'perUpdate', label: 'wire', unit: 'B/update', digits: 1 },
      ],
      rows: [],
    };
    const macro: Table = {
      id: 'wire-macro',
      title: `macro chunks (${round(chunkSessions / cap.chunks.length, 0)} sessions each), one stream`,
      columns: [
        { key: 'codec', label: 'codec' },
        { key: 'sendRate', label: 'send sessions/s' },
        { key: 'recvRate', label: 'receive sessions/s' },
        { key: 'perSession', label: 'wire', unit: 'B/session', digits: 1 },
      ],
      rows: [],
      notes: ['send: each chunk\'s records written from the Active\'s table as the macro stream writes them (ChunkEncoder), then framed, compressed and signed; receive: verified, decompressed, every record decoded'],
    };
    const reader = new PayloadReader();
    const pool = new BufferPool();
    const framePool = new BufferPool({ maxFree: 8 });
    const newReader = (): MessageReader => new MessageReader({ key: KEY, sliceMs: 2, pool, framePool });
    for (const { label: name, codec: codecName, digitRuns } of CODECS) {
      const codec = codecName === 'none' ? null : getCodec(codecName);
      // Micro: encodeSync as the link sends a batch in the turn that makes it.
      const writer = new MessageWriter({ key: KEY, codec });
      writer.setCodec(codec, digitRuns);
      const frames: Buffer[] = [];
      for (const m of cap.batches) frames.push(writer.encodeSync(m) ?? (await writer.encode(m)));
      const wireBytes = frames.reduce((s, f) => s + f.length, 0);
      const send = await timeLoop(p.secondsPerCase, (i) => writer.encodeSync(cap.batches[i % cap.batches.length]));
      let rd = newReader();
      let sink = 0;
      const recv = await timeLoop(p.secondsPerCase, async (i) => {
        const k = i % frames.length;
        if (k === 0) rd = newReader();
        for (const msg of await rd.push(frames[k])) {
          if (msg.kind === 'microCheckpointBatch') for (const it of msg.body.items) sink += decodePayload(reader, it.commandId, it.payload);
          releaseMessage(msg);
        }
      });
      const perBatch = items / cap.batches.length;
      micro.rows.push({
        codec: name,
        sendRate: Math.round((send.calls * perBatch) / send.wallS),
        sendCpu: round((send.cpuS * 1e6) / (send.calls * perBatch), 2),
        recvRate: Math.round((recv.calls * perBatch) / recv.wallS),
        recvCpu: round((recv.cpuS * 1e6) / (recv.calls * perBatch), 2),
        perItem: round(wireBytes / items, 1),
        perUpdate: round(wireBytes / cap.updates, 1),
      });
      if (sink < 0) throw new Error('unreachable');

      // Macro: chunks compress off the loop (encode), as during a bulk sync.
      const cw = new MessageWriter({ key: KEY, codec });
      cw.setCodec(codec, digitRuns);
      const chunkFrames: Buffer[] = [];
      for (const m of cap.chunks) chunkFrames.push(await cw.encode(m));
      const chunkBytes = chunkFrames.reduce((s, f) => s + f.length, 0);
      const perChunk = chunkSessions / cap.chunks.length;
      // Sending a chunk is building its records from the table (ChunkEncoder, as the macro
      // stream does) and framing them; the chunks are taken from the Active's table in turn.
      const builder = new ChunkEncoder();
      const nChunks = Math.max(1, Math.floor(cap.table.length / perChunk));
      const csend = await timeLoop(p.secondsPerCase, (i) => {
        const from = (i % nChunks) * perChunk;
        for (let j = from; j < from + perChunk && j < cap.table.length; j++) builder.add(cap.table[j]);
        return cw.encode({ kind: 'macroCheckpointChunk', body: { snapshotId: 1, chunkSequence: i + 1, sessions: builder.take() } });
      });
      let crd = newReader();
      const crecv = await timeLoop(p.secondsPerCase, async (i) => {
        const k = i % chunkFrames.length;
        if (k === 0) crd = newReader();
        for (const msg of await crd.push(chunkFrames[k])) {
          if (msg.kind !== 'macroCheckpointChunk') continue;
          const list = msg.body.sessions;
          for (let j = 0; j < list.length; j++) sink += Object.keys(list.at(j)?.attrs ?? {}).length;
        }
      });
      macro.rows.push({
        codec: name,
        sendRate: Math.round((csend.calls * perChunk) / csend.wallS),
        recvRate: Math.round((crecv.calls * perChunk) / crecv.wallS),
        perSession: round(chunkBytes / chunkSessions, 1),
      });
    }
    return { tables: [shape, commands, micro, macro, await compressors(bodies, p.secondsPerCase)] };
  },
};

/** The raw compressors on the micro batch bodies: MB/s of uncompressed bytes, and the ratio. */
async function compressors(bodies: Buffer[], seconds: number): Promise<Table> {
  const deflateA = promisify(deflate);
  const inflateA = promisify(inflate);
  type Case = [string, (b: Buffer) => unknown, (c: Buffer) => unknown, (b: Buffer) => Buffer | Promise<Buffer>];
  const cases: Case[] = [
    ['node:zlib async (level 6)', (b) => deflateA(b), (c) => inflateA(c), (b) => deflateA(b)],
    ['node:zlib sync (level 1, the link)', (b) => deflateSync(b, { level: 1 }), (c) => inflateSync(c), (b) => deflateSync(b, { level: 1 })],
    ['pako (level 6)', (b) => pako.deflate(b), (c) => pako.inflate(c), (b) => Buffer.from(pako.deflate(b))],
    ['lz4-napi async', (b) => compressFrame(b), (c) => decompressFrame(c), (b) => compressFrame(b)],
    ['lz4-napi sync', (b) => compressFrameSync(b), (c) => decompressFrameSync(c), (b) => compressFrameSync(b)],
    ['lz4 package (node-lz4)', (b) => lz4js.encode(b), (c) => lz4js.decode(c), (b) => lz4js.encode(b)],
  ];
  const raw = bodies.reduce((s, b) => s + b.length, 0) / bodies.length;
  const t: Table = {
    id: 'wire-compressors',
    title: 'raw compressors on the same micro batch bodies (MB/s of uncompressed bytes)',
    columns: [
      { key: 'impl', label: 'implementation' },
      { key: 'compress', label: 'compress', unit: 'MB/s', digits: 1 },
      { key: 'decompress', label: 'decompress', unit: 'MB/s', digits: 1 },
      { key: 'ratio', label: 'ratio', digits: 2 },
    ],
    rows: [],
  };
  for (const [impl, comp, decomp, make] of cases) {
    const packed: Buffer[] = [];
    for (const b of bodies) packed.push(await make(b));
    const ratio = raw / (packed.reduce((s, x) => s + x.length, 0) / packed.length);
    const c = await timeLoop(seconds, (i) => comp(bodies[i % bodies.length]));
    const d = await timeLoop(seconds, (i) => decomp(packed[i % packed.length]));
    t.rows.push({ impl, compress: round((c.calls * raw) / c.wallS / 1e6, 1), decompress: round((d.calls * raw) / d.wallS / 1e6, 1), ratio: round(ratio, 2) });
  }
  return t;
}
