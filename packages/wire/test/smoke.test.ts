import { describe, expect, it } from 'vitest';
import { decodeMessageBody, encodeMessageBody, MessageType } from '../src/index.js';

describe('smoke', () => {
  it('round trips a session record with a 64-bit counter', () => {
    const body = {
      snapshotId: 7, chunkSequence: 1,
      sessions: [{ id: 's1', sessionClass: 1, createdAtMs: 1_700_000_000_000, lifetimeMs: 3600_000, expiresAtMs: 0,
        attrs: { apn: 'internet' }, counters: { bytes: 2n ** 64n - 1n, pkts: 5n, zero: 0n }, version: 2 ** 40 }],
    };
    const bytes = encodeMessageBody({ kind: 'macroCheckpointChunk', body });
    expect(decodeMessageBody(MessageType.MacroCheckpointChunk, bytes)).toEqual({ kind: 'macroCheckpointChunk', body });
  });
});
