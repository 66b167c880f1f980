/**
 * Wire benchmark: prints, asserts nothing.
 *
 *   corepack pnpm exec tsc -b packages/wire && corepack pnpm --filter @srp-ha/wire bench
 *
 * Paths measured, on batches of 100 session micro-checkpoints (~100 bytes each before
 * compression: IMSI, APN, IP, timestamps, byte counters):
 *   send:    encode + compress + sign       (MessageWriter.encode)
 *   receive: verify + decompress + decode   (MessageReader.push)
 * with zlib, LZ4 and no compression; then the body of a 512-item batch alone, the hand-written
 * encoder against the generated one; then a macro-checkpoint chunk of 1000 SessionRecords; then
 * the raw compressors (node:zlib, lz4-napi) against pako and the `lz4` package on the same bytes.
 * Calls are awaited one at a time, so the figures are for one stream on one event loop; the async
 * codecs run on the libuv pool, so the CPU time (user+sys, all threads) is printed alongside.
 * BENCH_SECONDS (default 1.5) sets the time per case.
 */
import { cpus, totalmem } from 'node:os';
import { deflateSync, inflateSync, deflate, inflate } from 'node:zlib';
import { promisify } from 'node:util';
import lz4js from 'lz4';
import { compressFrame, compressFrameSync, decompressFrame, decompressFrameSync } from 'lz4-napi';
import pako from 'pako';
import {
  MessageReader,
  MessageWriter,
  encodeMessageBody,
  getCodec,
  type Codec,
  type MicroCheckpoint,
  type SessionRecord,
  type SrpMessage,
} from '../src/index.js';
import { encodeMicroCheckpointBatchGenerated } from '../src/body.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 1.5);
const BATCH = 100;
const KEY = Buffer.from('bench-key-bench-key-bench-key-32');

/* ---- realistic data ---- */

function session(i: number, now: number): SessionRecord {
  const imsi = `20815${String(1_000_000_000 + ((i * 7919) % 1_000_000_000)).padStart(10, '0')}`;
  return {
    id: '',
    sessionClass: i % 7 === 0 ? 1 : 0,
    createdAtMs: now - 60_000 - ((i * 131) % 3_600_000),
    lifetimeMs: 7_200_000,
    expiresAtMs: now + 7_200_000 - ((i * 131) % 3_600_000),
    attrs: {
      imsi,
      apn: i % 5 === 0 ? 'ims' : 'internet',
      ip: `10.${64 + ((i >> 16) & 63)}.${(i >> 8) & 255}.${i & 255}`,
    },
    counters: { ul: BigInt((i * 104_729) % 50_000_000), dl: BigInt((i * 1_299_709) % 900_000_000) },
    version: 1 + (i % 50),
  };
}

function microBatch(seq: number, base: number, now: number): SrpMessage {
  const items: MicroCheckpoint[] = [];
  for (let k = 0; k < BATCH; k++) {
    const i = base + k;
    const payload = encodeMessageBody({
      kind: 'macroCheckpointChunk',
      body: { snapshotId: 0, chunkSequence: 0, sessions: [session(i, now)] },
    }).subarray(2); // the SessionRecord itself (strip the repeated-field tag and length)
    items.push({ commandId: 3, sessionId: `s${String(i).padStart(9, '0')}`, version: 1 + (i % 50), payload });
  }
  return { kind: 'microCheckpointBatch', body: { batchSequence: seq, items } };
}

/* ---- timing ---- */

interface Result {
  ops: number;
  seconds: number;
  cpuSeconds: number;
}

async function run(fn: (i: number) => unknown): Promise<Result> {
  const warm = performance.now() + 200;
  let i = 0;
  while (performance.now() < warm) await fn(i++);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const end = t0 + SECONDS * 1000;
  let ops = 0;
  while (performance.now() < end) {
    for (let k = 0; k < 20; k++) await fn(i++);
    ops += 20;
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { ops, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

function row(cols: (string | number)[], widths: number[]): string {
  return cols.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
}

/* ---- main ---- */

async function main(): Promise<void> {
  const cpu = cpus();
  console.log(`machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${fmt(totalmem() / 2 ** 30, 1)} GiB`);
  console.log(`node ${process.version} (${process.platform}/${process.arch}), ${SECONDS}s per case, batches of ${BATCH} sessions\n`);

  const now = 1_763_800_000_000;
  const batches = Array.from({ length: 64 }, (_, b) => microBatch(b + 1, b * BATCH * 37, now));
  const bodies = batches.map((m) => Buffer.from(encodeMessageBody(m)));
  const rawPerSession = bodies.reduce((s, b) => s + b.length, 0) / bodies.length / BATCH;
  console.log(`micro-checkpoint size before compression: ${fmt(rawPerSession, 1)} bytes/session (protobuf, in a batch)\n`);

  const W = [34, 12, 10, 12, 14, 12];
  console.log(row(['path', 'frames/s', 'MB/s', 'sessions/s', 'sess/CPU-s', 'B/session'], W));
  const codecs: [string, Codec | null][] = [
    ['lz4', getCodec('lz4')],
    ['zlib', getCodec('zlib')],
    ['none', null],
  ];
  for (const [name, codec] of codecs) {
    const writer = new MessageWriter({ key: KEY, codec });
    const frames: Buffer[] = [];
    for (const m of batches) frames.push(await writer.encode(m));
    const wireBytes = frames.reduce((s, f) => s + f.length, 0) / frames.length;
    const rawBytes = bodies.reduce((s, b) => s + b.length, 0) / bodies.length;

    const enc = await run((i) => writer.encode(batches[i % batches.length]));
    // receive: a fresh reader per pass over the 64 frames (sequence numbers restart)
    let reader = new MessageReader({ key: KEY });
    const dec = await run((i) => {
      const k = i % frames.length;
      if (k === 0) reader = new MessageReader({ key: KEY });
      return reader.push(frames[k]);
    });
    const lines = [
      [`send ${name.padEnd(4)} encode+compress+sign`, enc],
      [`recv ${name.padEnd(4)} verify+decompress+decode`, dec],
    ] as const;
    for (const [label, r] of lines) {
      const fps = r.ops / r.seconds;
      const cols = [label, fmt(fps), fmt((fps * rawBytes) / 1e6, 1), fmt(fps * BATCH), fmt((r.ops * BATCH) / r.cpuSeconds), fmt(wireBytes / BATCH, 1)];
      console.log(row(cols, W));
    }
  }

  // The body alone: the hand-written MicroCheckpointBatch encoder against the generated one
  // (the baseline), on batches of 512 items of an Active's size (a 24-character id, 60 bytes).
  {
    const items: MicroCheckpoint[] = Array.from({ length: 512 }, (_, k) => ({
      commandId: 6,
      sessionId: `imsi-00101${String(k * 7919).padStart(10, '0')}`,
      version: 1_000_000 + k,
      payload: new Uint8Array(60).fill(k & 0x7f),
    }));
    const body = { batchSequence: 12_345, items };
    const hand = await run(() => encodeMessageBody({ kind: 'microCheckpointBatch', body }));
    const gen = await run(() => encodeMicroCheckpointBatchGenerated(body));
    console.log('');
    console.log('micro batch body of 512 items, encoded (no compression, no frame):');
    for (const [label, r] of [['hand-written (micro-batch.ts)', hand], ['generated (baseline)', gen]] as const) {
      console.log(`  ${label.padEnd(30)} ${fmt((r.ops * 512) / r.seconds).padStart(12)} items/s   ${fmt((r.seconds / r.ops) * 1e6, 1).padStart(8)} us per batch`);
    }
  }

  // Macro checkpoint: 1000 SessionRecords per chunk, LZ4.
  {
    const sessions = Array.from({ length: 1000 }, (_, i) => ({ ...session(i, now), id: `s${String(i).padStart(9, '0')}` }));
    const chunk: SrpMessage = { kind: 'macroCheckpointChunk', body: { snapshotId: 1, chunkSequence: 1, sessions } };
    const writer = new MessageWriter({ key: KEY, codec: getCodec('lz4') });
    const frame = await writer.encode(chunk);
    const enc = await run(() => writer.encode(chunk));
    // one reader per push: the same frame twice on one reader would be a replay
    const dec = await run(() => new MessageReader({ key: KEY }).push(frame));
    console.log('');
    console.log(`macro chunk of 1000 SessionRecords, lz4: ${fmt(frame.length / 1000, 1)} B/session on the wire`);
    console.log(`  send    ${fmt((enc.ops * 1000) / enc.seconds)} sessions/s   receive ${fmt((dec.ops * 1000) / dec.seconds)} sessions/s`);
  }

  // Baselines: the raw compressors on the same batch bodies.
  console.log('\nraw compressors on the same 100-session batch bodies (MB/s of uncompressed bytes):');
  const W2 = [30, 14, 14, 10];
  console.log(row(['implementation', 'compress', 'decompress', 'ratio'], W2));
  const deflateA = promisify(deflate);
  const inflateA = promisify(inflate);
  const cases: [string, (b: Buffer) => unknown, (c: Buffer) => unknown, (b: Buffer) => Buffer | Promise<Buffer>][] = [
    ['node:zlib async (daemon path)', (b) => deflateA(b), (c) => inflateA(c), (b) => deflateA(b)],
    ['node:zlib sync', (b) => deflateSync(b), (c) => inflateSync(c), (b) => deflateSync(b)],
    ['pako (level 6)', (b) => pako.deflate(b), (c) => pako.inflate(c), (b) => Buffer.from(pako.deflate(b))],
    ['lz4-napi async (daemon path)', (b) => compressFrame(b), (c) => decompressFrame(c), (b) => compressFrame(b)],
    ['lz4-napi sync', (b) => compressFrameSync(b), (c) => decompressFrameSync(c), (b) => compressFrameSync(b)],
    ['lz4 package (node-lz4)', (b) => lz4js.encode(b), (c) => lz4js.decode(c), (b) => lz4js.encode(b)],
  ];
  const rawBytes = bodies.reduce((s, b) => s + b.length, 0) / bodies.length;
  for (const [name, comp, decomp, make] of cases) {
    const packed: Buffer[] = [];
    for (const b of bodies) packed.push(await make(b));
    const ratio = rawBytes / (packed.reduce((s, p) => s + p.length, 0) / packed.length);
    const c = await run((i) => comp(bodies[i % bodies.length]));
    const d = await run((i) => decomp(packed[i % packed.length]));
    console.log(row([name, fmt((c.ops * rawBytes) / c.seconds / 1e6, 1), fmt((d.ops * rawBytes) / d.seconds / 1e6, 1), fmt(ratio, 2)], W2));
  }
}

await main();
