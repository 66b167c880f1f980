import { createHmac } from 'node:crypto';
import { expect } from 'vitest';
import {
  ChassisMode,
  ChassisState,
  CompressionAlgorithm,
  NackKind,
  type MicroCheckpoint,
  type SessionRecord,
  type SrpMessage,
  type SrpMessageKind,
  type WireErrorCode,
} from '../src/index.js';

export const KEY = Buffer.from('0123456789abcdef0123456789abcdef', 'utf8');

/** Deterministic PRNG (mulberry32) so property and fuzz tests are reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randInt(rnd: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rnd() * (hi - lo + 1));
}

const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);

/** A realistic ~100-byte micro-checkpoint payload: IMSI, APN, IP, counters. */
export function sessionPayload(i: number): Uint8Array {
  const imsi = String(208_150_000_000_000 + i * 7919).padStart(15, '0');
  const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  const s = `imsi=${imsi};apn=internet.operator.net;ip=${ip};ul=${(i * 1013) % 900_000};dl=${(i * 7717) % 9_000_000};t=${60 + (i % 900)}`;
  return new TextEncoder().encode(s);
}

export function microItems(n: number, base = 0): MicroCheckpoint[] {
  return Array.from({ length: n }, (_, k) => ({
    commandId: 1 + ((base + k) % 4),
    sessionId: `s-${String(base + k).padStart(8, '0')}`,
    version: base + k + 1,
    payload: sessionPayload(base + k),
  }));
}

export function sessionRecord(i: number): SessionRecord {
  return {
    id: `s-${String(i).padStart(8, '0')}`,
    sessionClass: i % 2,
    createdAtMs: 1_700_000_000_000 + i,
    lifetimeMs: 3_600_000,
    expiresAtMs: 1_700_003_600_000 + i,
    attrs: { imsi: `20815000000${String(i).padStart(4, '0')}`, apn: 'internet', ip: `10.0.${(i >> 8) & 255}.${i & 255}` },
    counters: { bytesUp: BigInt(i) * 1000n, bytesDown: 2n ** 64n - 1n - BigInt(i), espSeq: 2n ** 53n + 1n },
    version: i + 1,
  };
}

/** One message of every kind, every field set to a non-default value. */
export const FULL: { [K in SrpMessageKind]: Extract<SrpMessage, { kind: K }> } = {
  hello: {
    kind: 'hello',
    body: {
      chassisId: 'chassis-a',
      mode: ChassisMode.CHASSIS_MODE_PRIMARY,
      state: ChassisState.CHASSIS_STATE_ACTIVE,
      priority: 101,
      cfMac: bytes(0x02, 0x00, 0x5e, 0x10, 0x20, 0x30),
      routeModifier: 12,
      configDigest: new Uint8Array(32).fill(0xab),
      sessionCount: 1_000_000,
      standbyReady: true,
      sequence: 2 ** 40,
      sentAtMs: 1_700_000_000_123,
      echoSentAtMs: 1_700_000_000_001,
      eligibleCount: 999_999,
      bootId: Number.MAX_SAFE_INTEGER,
      epoch: 2 ** 33,
      baseEpoch: 2 ** 33 - 1,
      heardBootId: 2 ** 47 + 5,
      heardSequence: 2 ** 41,
      heardAgeMs: 37,
      fenced: true,
      goodbye: true,
      takeoverNow: true,
      partialTable: true,
    },
  },
  capabilities: {
    kind: 'capabilities',
    body: {
      protocolVersion: 1,
      compression: [CompressionAlgorithm.COMPRESSION_LZ4, CompressionAlgorithm.COMPRESSION_ZLIB],
      features: ['nack', 'audit'],
      chassisId: 'chassis-b',
      bootId: 123456789012345,
      maxFrameSize: 16 * 1024 * 1024,
      nonce: new Uint8Array(32).fill(0xa5),
    },
  },
  configValidationRequest: {
    kind: 'configValidationRequest',
    body: { configDigest: new Uint8Array(32).fill(7), values: { 'hello-interval': '3', 'dead-interval': '15', 'é€': '✓' } },
  },
  configValidationResponse: {
    kind: 'configValidationResponse',
    body: { match: true, differingKeys: ['dead-interval'], configDigest: bytes(1, 2, 3) },
  },
  microCheckpointBatch: { kind: 'microCheckpointBatch', body: { batchSequence: 42, items: microItems(5) } },
  macroCheckpointBegin: {
    kind: 'macroCheckpointBegin',
    body: { snapshotId: 9, sessionCount: 1_000_000, reason: 'bulk-sync', startedAtMs: 1_700_000_000_000, resumeAfterBatch: 41 },
  },
  macroCheckpointChunk: {
    kind: 'macroCheckpointChunk',
    body: { snapshotId: 9, chunkSequence: 3, sessions: [sessionRecord(1), sessionRecord(2)] },
  },
  macroCheckpointEnd: {
    kind: 'macroCheckpointEnd',
    body: { snapshotId: 9, chunkCount: 100, sessionCount: 1_000_000, digest: new Uint8Array(32).fill(0x5a) },
  },
  checkpointAck: { kind: 'checkpointAck', body: { upToSequence: 41, snapshotId: 9, failedItems: 3 } },
  nack: {
    kind: 'nack',
    body: { kind: NackKind.NACK_KIND_MICRO, commandId: 7, sessionId: 's-1', reason: 'unknown session', sequence: 40 },
  },
  switchoverRequest: { kind: 'switchoverRequest', body: { force: true, reason: 'maintenance', requestId: 5, flushedUpTo: 41 } },
  switchoverResponse: {
    kind: 'switchoverResponse',
    body: { requestId: 5, accepted: true, refusalReasons: ['bulk sync incomplete', 'session managers'] },
  },
  auditRequest: { kind: 'auditRequest', body: { auditId: 3, bucketCount: 1024, withSync: true, trigger: 'manual' } },
  auditBucketDigests: {
    kind: 'auditBucketDigests',
    body: {
      auditId: 3,
      buckets: [
        { bucket: 0, digest: new Uint8Array(16).fill(1), sessionCount: 977 },
        { bucket: 1023, digest: new Uint8Array(16).fill(2), sessionCount: 5 },
      ],
    },
  },
  auditReport: {
    kind: 'auditReport',
    body: { auditId: 3, differingBuckets: [4, 17, 1023], sessionsCompared: 1_000_000, sessionsResynced: 12, withSync: true },
  },
  goodbye: { kind: 'goodbye', body: { reason: 'shutdown', takeoverNow: true } },
  splitHandoff: {
    kind: 'splitHandoff',
    body: {
      handoffId: 7,
      epoch: 12,
      chunkSequence: 3,
      last: true,
      sessions: [sessionRecord(1), sessionRecord(2)],
      deletedIds: ['imsi-208150000000009', 'imsi-\u00e9t\u00e9'],
      deletedVersions: [41, 2 ** 40],
      attrTimes: [{ names: ['apn', 'ip'], atMs: [1_796_000_000_000, 1_796_000_000_123] }, { names: [], atMs: [] }],
    },
  },
  splitHandoffAck: { kind: 'splitHandoffAck', body: { handoffId: 7, applied: 1000, conflicts: 2, conflictIds: ['a', 'b'] } },
  keepalive: { kind: 'keepalive', body: {} },
  handshakeConfirm: { kind: 'handshakeConfirm', body: { nonce: new Uint8Array(32).fill(0x5a) } },
};

/** One message of every kind with every field at its proto3 default. */
export const EMPTY: { [K in SrpMessageKind]: Extract<SrpMessage, { kind: K }> } = {
  hello: {
    kind: 'hello',
    body: {
      chassisId: '', mode: 0, state: 0, priority: 0, cfMac: new Uint8Array(0), routeModifier: 0,
      configDigest: new Uint8Array(0), sessionCount: 0, standbyReady: false, sequence: 0, sentAtMs: 0,
      echoSentAtMs: 0, eligibleCount: 0, bootId: 0, epoch: 0, baseEpoch: 0, heardBootId: 0,
      heardSequence: 0, heardAgeMs: 0, fenced: false, goodbye: false, takeoverNow: false, partialTable: false,
    },
  },
  capabilities: {
    kind: 'capabilities',
    body: { protocolVersion: 0, compression: [], features: [], chassisId: '', bootId: 0, maxFrameSize: 0, nonce: new Uint8Array(0) },
  },
  configValidationRequest: { kind: 'configValidationRequest', body: { configDigest: new Uint8Array(0), values: {} } },
  configValidationResponse: {
    kind: 'configValidationResponse',
    body: { match: false, differingKeys: [], configDigest: new Uint8Array(0) },
  },
  microCheckpointBatch: { kind: 'microCheckpointBatch', body: { batchSequence: 0, items: [] } },
  macroCheckpointBegin: {
    kind: 'macroCheckpointBegin',
    body: { snapshotId: 0, sessionCount: 0, reason: '', startedAtMs: 0, resumeAfterBatch: 0 },
  },
  macroCheckpointChunk: { kind: 'macroCheckpointChunk', body: { snapshotId: 0, chunkSequence: 0, sessions: [] } },
  macroCheckpointEnd: {
    kind: 'macroCheckpointEnd',
    body: { snapshotId: 0, chunkCount: 0, sessionCount: 0, digest: new Uint8Array(0) },
  },
  checkpointAck: { kind: 'checkpointAck', body: { upToSequence: 0, snapshotId: 0, failedItems: 0 } },
  nack: { kind: 'nack', body: { kind: 0, commandId: 0, sessionId: '', reason: '', sequence: 0 } },
  switchoverRequest: { kind: 'switchoverRequest', body: { force: false, reason: '', requestId: 0, flushedUpTo: 0 } },
  switchoverResponse: { kind: 'switchoverResponse', body: { requestId: 0, accepted: false, refusalReasons: [] } },
  auditRequest: { kind: 'auditRequest', body: { auditId: 0, bucketCount: 0, withSync: false, trigger: '' } },
  auditBucketDigests: { kind: 'auditBucketDigests', body: { auditId: 0, buckets: [] } },
  auditReport: {
    kind: 'auditReport',
    body: { auditId: 0, differingBuckets: [], sessionsCompared: 0, sessionsResynced: 0, withSync: false },
  },
  goodbye: { kind: 'goodbye', body: { reason: '', takeoverNow: false } },
  splitHandoff: {
    kind: 'splitHandoff',
    body: { handoffId: 0, epoch: 0, chunkSequence: 0, last: false, sessions: [], deletedIds: [], deletedVersions: [], attrTimes: [] },
  },
  splitHandoffAck: { kind: 'splitHandoffAck', body: { handoffId: 0, applied: 0, conflicts: 0, conflictIds: [] } },
  keepalive: { kind: 'keepalive', body: {} },
  handshakeConfirm: { kind: 'handshakeConfirm', body: { nonce: new Uint8Array(0) } },
};

export const ALL_KINDS = Object.keys(FULL) as SrpMessageKind[];

/** Asserts `fn` throws a WireError with this code (sync or async). */
export async function codeOf(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (err) {
    const e = err as { name?: string; code?: string };
    if (e.name !== 'WireError') throw err;
    return e.code ?? 'no code';
  }
  return 'no error';
}

/**
 * A message as plain data, to compare with toEqual: a decoded chunk's record list (whose
 * records are decoded when read) made an array of its records.
 */
export function plainMessage(m: SrpMessage): SrpMessage {
  if (m.kind !== 'macroCheckpointChunk' || Array.isArray(m.body.sessions)) return m;
  return { kind: m.kind, body: { ...m.body, sessions: Array.from(m.body.sessions) } };
}

/**
 * One random mutation of `base` (for decoder fuzzing): bits flipped, a byte replaced, the end
 * cut, bytes inserted, or random bytes instead.
 */
export function mutate(rnd: () => number, base: Uint8Array): Buffer {
  const b = Buffer.from(base);
  switch (randInt(rnd, 0, 4)) {
    case 0:
      for (let k = randInt(rnd, 1, 3); k > 0; k--) b[randInt(rnd, 0, b.length - 1)] ^= 1 << randInt(rnd, 0, 7);
      return b;
    case 1:
      b[randInt(rnd, 0, b.length - 1)] = randInt(rnd, 0, 255);
      return b;
    case 2:
      return b.subarray(0, randInt(rnd, 0, b.length));
    case 3: {
      const at = randInt(rnd, 0, b.length);
      const extra = Buffer.from(Array.from({ length: randInt(rnd, 1, 6) }, () => randInt(rnd, 0, 255)));
      return Buffer.concat([b.subarray(0, at), extra, b.subarray(at)]);
    }
    default:
      return Buffer.from(Array.from({ length: randInt(rnd, 0, 40) }, () => randInt(rnd, 0, 255)));
  }
}

/* ---- hand-built protobuf bytes, and a hand-written decoder against the generated one ---- */

export const varint = (v: number | bigint): number[] => {
  let x = BigInt(v);
  const out: number[] = [];
  while (x >= 0x80n) {
    out.push(Number(x & 0x7fn) | 0x80);
    x >>= 7n;
  }
  out.push(Number(x));
  return out;
};
export const field = (n: number, wt: number): number[] => varint(n * 8 + wt);
export const delimited = (n: number, body: number[]): number[] => [...field(n, 2), ...varint(body.length), ...body];
export const utf8 = (s: string): number[] => [...Buffer.from(s, 'utf8')];

type Outcome = { ok: true; value: unknown } | { ok: false };

function outcome(f: () => unknown): Outcome {
  try {
    return { ok: true, value: f() };
  } catch {
    return { ok: false };
  }
}

/** Both decoders fail on `bytes`, or both give equal values; true when they accepted it. */
export function expectSameDecoding(bytes: Uint8Array, fast: () => unknown, slow: () => unknown): boolean {
  const a = outcome(fast);
  const b = outcome(slow);
  expect(a.ok, `accepted by one decoder only: ${Buffer.from(bytes).toString('hex')}`).toBe(b.ok);
  if (a.ok && b.ok) expect(a.value).toEqual(b.value);
  return a.ok;
}

/**
 * `n` mutations of the `base` messages through `same` (expectSameDecoding of one input); checks
 * that both outcomes, accepted and refused, were exercised.
 */
export function fuzzSameDecoding(seed: number, base: readonly Uint8Array[], same: (bytes: Uint8Array) => boolean, n = 20_000): void {
  const rnd = prng(seed);
  let ok = 0;
  for (let i = 0; i < n; i++) if (same(mutate(rnd, base[i % base.length]))) ok++;
  expect(ok).toBeGreaterThan(n / 20);
  expect(ok).toBeLessThan(n);
}

/** One random damage to a frame (fuzz tests): bit flips, header bytes, lengths, truncation, garbage. */
export function mutateFrame(rnd: () => number, src: Buffer): Buffer {
  const b = Buffer.from(src);
  switch (randInt(rnd, 0, 7)) {
    case 0: // flip a few bits anywhere
      for (let i = randInt(rnd, 1, 4); i > 0; i--) b[randInt(rnd, 0, b.length - 1)] ^= 1 << randInt(rnd, 0, 7);
      return b;
    case 1: // random bytes in the header
      b[randInt(rnd, 0, 17)] = randInt(rnd, 0, 255);
      return b;
    case 2: // a random length
      b.writeUInt32BE(rnd() < 0.5 ? randInt(rnd, 0, 0xffffffff) : randInt(rnd, 0, b.length), 14);
      return b;
    case 3: // truncated
      return b.subarray(0, randInt(rnd, 0, b.length - 1));
    case 4: // random garbage
      return Buffer.from(Array.from({ length: randInt(rnd, 0, 200) }, () => randInt(rnd, 0, 255)));
    case 5: // garbage behind a plausible header
      b.fill(randInt(rnd, 0, 255), randInt(rnd, 18, b.length - 1));
      return b;
    case 6: // trailing or inserted bytes
      return Buffer.concat([b.subarray(0, randInt(rnd, 0, b.length)), Buffer.from([randInt(rnd, 0, 255)]), b]);
    default: // two frames glued, second mutated
      b[randInt(rnd, 0, b.length - 1)] = randInt(rnd, 0, 255);
      return Buffer.concat([src, b]);
  }
}

/** Every code bytes from a peer may end in (fuzz tests accept these and nothing else). */
export const PEER_INPUT_CODES: ReadonlySet<WireErrorCode> = new Set<WireErrorCode>([
  'SRP_ERR_BAD_MAGIC',
  'SRP_ERR_BAD_VERSION',
  'SRP_ERR_BAD_MAC',
  'SRP_ERR_REPLAY',
  'SRP_ERR_FRAME_TOO_LARGE',
  'SRP_ERR_BAD_TYPE',
  'SRP_ERR_BAD_FLAGS',
  'SRP_ERR_DECOMPRESS',
  'SRP_ERR_BAD_MESSAGE',
  'SRP_ERR_HANDSHAKE',
]);

/** A frame's tag computed again with `key` (a mutation that gets past the MAC). */
export function resign(buf: Buffer, key: Uint8Array = KEY): Buffer {
  if (buf.length < 50) return buf;
  const end = buf.length - 32;
  createHmac('sha256', key).update(buf.subarray(0, end)).digest().copy(buf, end);
  return buf;
}
