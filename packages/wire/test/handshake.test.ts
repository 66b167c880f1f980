// The version-2 handshake: both sides complete it and agree on the connection keys; a
// Capabilities or HandshakeConfirm recorded on another connection never completes it; and
// random or mutated first frames end in typed errors only.
import { describe, expect, it } from 'vitest';
import {
  CompressionAlgorithm,
  LinkHandshake,
  MessageReader,
  MessageWriter,
  MessageType,
  PROTOCOL_VERSION,
  encodeFrame,
  encodeMessageBody,
  type HandshakeKeys,
  type HandshakeStep,
  type WireErrorCode,
} from '../src/index.js';
import { KEY, PEER_INPUT_CODES, mutateFrame, prng, randInt, resign } from './fixtures.js';

const OTHER = Buffer.from('another-shared-key-for-rotation!');
const keysOf = (sign: Buffer, ...more: Buffer[]): HandshakeKeys => ({ sign, accepted: [sign, ...more] });

function side(role: 'dialer' | 'listener', chassisId: string, keys: HandshakeKeys = keysOf(KEY), seenBefore?: (n: Buffer) => boolean): LinkHandshake {
  return new LinkHandshake({
    role,
    keys,
    capabilities: { compression: [CompressionAlgorithm.COMPRESSION_ZLIB], features: [], chassisId, bootId: 42, maxFrameSize: 1 << 20 },
    ...(seenBefore ? { seenBefore } : {}),
  });
}

/** Runs two handshakes against each other; returns both final steps. */
function converse(a: LinkHandshake, b: LinkHandshake): [HandshakeStep, HandshakeStep] {
  const sa = a.push(b.first);
  const sb = b.push(a.first);
  const fa = a.push(sb.send!);
  const fb = b.push(sa.send!);
  return [{ ...sa, ...fa }, { ...sb, ...fb }];
}

function codeOf(fn: () => unknown): WireErrorCode | 'none' {
  try {
    fn();
    return 'none';
  } catch (err) {
    const e = err as { name?: string; code?: WireErrorCode };
    if (e.name !== 'WireError' || e.code === undefined) throw err;
    return e.code;
  }
}

describe('link handshake (protocol version 2)', () => {
  it('completes both ways and yields matching per-direction keys for the message stream', async () => {
    const [da, db] = converse(side('dialer', 'east'), side('listener', 'west'));
    expect(da.done?.peer.chassisId).toBe('west');
    expect(db.done?.peer.chassisId).toBe('east');
    expect(da.done?.peer.protocolVersion).toBe(PROTOCOL_VERSION);
    const a = da.done!;
    const b = db.done!;
    expect(a.sendKey.export().equals(b.receiveKey.export())).toBe(true);
    expect(a.receiveKey.export().equals(b.sendKey.export())).toBe(true);
    expect(a.sendKey.export().equals(a.receiveKey.export())).toBe(false); // a reflected frame fails
    expect(a.sendKey.export().equals(KEY)).toBe(false);
    const w = new MessageWriter({ key: a.sendKey, startAfter: 2n });
    const r = new MessageReader({ key: b.receiveKey, startAfter: 2n });
    const bytes = await w.encode({ kind: 'goodbye', body: { reason: 'x', takeoverNow: false } });
    expect(bytes.readBigUInt64BE(6)).toBe(3n);
    expect((await r.push(bytes)).map((m) => m.kind)).toEqual(['goodbye']);
    // Under the long-term key the same frame is refused: it belongs to this connection only.
    await expect(new MessageReader({ key: KEY }).push(bytes)).rejects.toMatchObject({ code: 'SRP_ERR_BAD_MAC' });
  });

  it('derives different keys on every connection, even between the same two boots', () => {
    const one = converse(side('dialer', 'east'), side('listener', 'west'))[0].done!;
    const two = converse(side('dialer', 'east'), side('listener', 'west'))[0].done!;
    expect(one.sendKey.export().equals(two.sendKey.export())).toBe(false);
  });

  it('reads byte by byte, and hands over what follows the confirmation as the start of the stream', async () => {
    const a = side('dialer', 'east');
    const b = side('listener', 'west');
    let sendA: Buffer | undefined;
    for (const byte of b.first) sendA ??= a.push(Buffer.from([byte])).send;
    const sb = b.push(a.first);
    const db = b.push(sendA!).done!;
    // A's confirmation glued to the first frames of B's stream, in one chunk.
    const w = new MessageWriter({ key: db.sendKey, startAfter: 2n });
    const frames = [await w.encode({ kind: 'goodbye', body: { reason: 'one', takeoverNow: false } }), await w.encode({ kind: 'goodbye', body: { reason: 'two', takeoverNow: true } })];
    const da = a.push(Buffer.concat([sb.send!, ...frames])).done!;
    expect(da.rest.length).toBe(frames[0].length + frames[1].length);
    const r = new MessageReader({ key: da.receiveKey, startAfter: 2n });
    expect((await r.push(da.rest)).map((m) => (m.kind === 'goodbye' ? m.body.reason : m.kind))).toEqual(['one', 'two']);
  });

  it('works across a key rotation: each side signs with its own key and accepts both', () => {
    const [da, db] = converse(side('dialer', 'east', keysOf(KEY, OTHER)), side('listener', 'west', keysOf(OTHER, KEY)));
    expect(da.done?.peerKeyIndex).toBe(1); // west signs with OTHER, east's second key
    expect(db.done?.peerKeyIndex).toBe(1);
    expect(da.done!.sendKey.export().equals(db.done!.receiveKey.export())).toBe(true);
    // A side that accepts only the other key refuses the Capabilities outright.
    expect(codeOf(() => side('listener', 'west', keysOf(OTHER)).push(side('dialer', 'east').first))).toBe('SRP_ERR_BAD_MAC');
  });

  it('never completes on a Capabilities recorded on another connection (same boot or earlier)', () => {
    // An attacker connects to east, records its Capabilities, and plays it to west.
    const recordedEast = side('dialer', 'east');
    const elsewhere = side('listener', 'attacker-sees-this');
    const west = side('listener', 'west');
    const step = west.push(recordedEast.first);
    expect(step.authenticated?.chassisId).toBe('east'); // tagged with the shared key ...
    expect(step.done).toBeUndefined(); // ... but not proven fresh
    // Whatever confirmation it recorded elsewhere does not carry this connection's key.
    const recordedConfirm = converse(side('dialer', 'east'), elsewhere)[0].send!;
    expect(codeOf(() => west.push(recordedConfirm))).toBe('SRP_ERR_REPLAY');
    // A frame tagged with the long-term key after the Capabilities is refused the same way.
    const west2 = side('listener', 'west');
    west2.push(side('dialer', 'east').first);
    const confirmUnderSharedKey = encodeFrame(
      { type: MessageType.HandshakeConfirm, flags: 0, seq: 2n, payload: Buffer.from(encodeMessageBody({ kind: 'handshakeConfirm', body: { nonce: west2.nonce } })) },
      KEY,
    );
    expect(codeOf(() => west2.push(confirmUnderSharedKey))).toBe('SRP_ERR_REPLAY');
  });

  it('refuses a nonce seen before, our own nonce reflected, and frames out of order', () => {
    const seen = new Set<string>();
    const remember = (n: Buffer): boolean => {
      const k = n.toString('hex');
      const was = seen.has(k);
      seen.add(k);
      return was;
    };
    const east = side('dialer', 'east');
    expect(codeOf(() => side('listener', 'west', keysOf(KEY), remember).push(east.first))).toBe('none');
    expect(codeOf(() => side('listener', 'west', keysOf(KEY), remember).push(east.first))).toBe('SRP_ERR_REPLAY');
    const self = side('listener', 'west');
    expect(codeOf(() => self.push(self.first))).toBe('SRP_ERR_REPLAY');
    const goodbyeFirst = encodeFrame({ type: MessageType.Goodbye, flags: 0, seq: 1n, payload: Buffer.alloc(0) }, KEY);
    expect(codeOf(() => side('listener', 'west').push(goodbyeFirst))).toBe('SRP_ERR_HANDSHAKE');
    const capsSeq5 = Buffer.from(east.first);
    capsSeq5.writeBigUInt64BE(5n, 6);
    expect(codeOf(() => side('listener', 'west').push(resign(capsSeq5)))).toBe('SRP_ERR_HANDSHAKE');
  });

  it('refuses an older peer at its first header, garbage at its first byte, a huge length before buffering', () => {
    const v1 = Buffer.from(side('dialer', 'east').first);
    v1[2] = 1;
    expect(codeOf(() => side('listener', 'west').push(v1.subarray(0, 18)))).toBe('SRP_ERR_BAD_VERSION');
    expect(codeOf(() => side('listener', 'west').push(Buffer.from('G')))).toBe('SRP_ERR_BAD_MAGIC');
    const huge = Buffer.from(side('dialer', 'east').first.subarray(0, 18));
    huge.writeUInt32BE(0xffffffff, 14);
    expect(codeOf(() => side('listener', 'west').push(huge))).toBe('SRP_ERR_FRAME_TOO_LARGE');
    // A version-2 frame whose Capabilities claims protocol 1 inside.
    const caps = encodeMessageBody({
      kind: 'capabilities',
      body: { protocolVersion: 1, compression: [], features: [], chassisId: 'old', bootId: 1, maxFrameSize: 0, nonce: new Uint8Array(32) },
    });
    const inner = encodeFrame({ type: MessageType.Capabilities, flags: 0, seq: 1n, payload: Buffer.from(caps) }, KEY);
    expect(codeOf(() => side('listener', 'west').push(inner))).toBe('SRP_ERR_BAD_VERSION');
    // After a failure the handshake stays failed.
    const failed = side('listener', 'west');
    codeOf(() => failed.push(Buffer.from('x')));
    expect(codeOf(() => failed.push(side('dialer', 'east').first))).toBe('SRP_ERR_DECODER_FAILED');
  });
});



describe('handshake fuzz (bounded)', () => {
  it('10k random and mutated first frames (half re-signed with the key): typed errors only, never done', () => {
    const rnd = prng(0x5eed);
    const counts = new Map<string, number>();
    const corpus = [side('dialer', 'east').first, side('listener', 'west').first];
    const recorded = Array.from({ length: 4 }, () => converse(side('dialer', 'x'), side('listener', 'y'))[0].send!);
    let authenticated = 0;
    const N = 10_000;
    for (let i = 0; i < N; i++) {
      const src = corpus[i % corpus.length];
      let input: Buffer;
      if (i % 10 === 0) input = Buffer.from(Array.from({ length: randInt(rnd, 0, 300) }, () => randInt(rnd, 0, 255)));
      else {
        input = mutateFrame(rnd, src);
        if (rnd() < 0.5) input = resign(input);
      }
      // Some inputs are followed by a recorded confirmation of another connection.
      if (rnd() < 0.3) input = Buffer.concat([input, recorded[i % recorded.length]]);
      const hs = side('listener', 'target');
      try {
        for (let at = 0; at < input.length; ) {
          const n = randInt(rnd, 1, Math.max(1, input.length - at));
          const step = hs.push(input.subarray(at, at + n));
          if (step.authenticated) authenticated++;
          expect(step.done).toBeUndefined();
          at += n;
        }
      } catch (err) {
        const e = err as { name?: string; code?: WireErrorCode };
        if (e.name !== 'WireError' || e.code === undefined || !PEER_INPUT_CODES.has(e.code)) throw err;
        counts.set(e.code, (counts.get(e.code) ?? 0) + 1);
      }
      expect(hs.done).toBe(false);
    }
    console.log(`handshake fuzz: ${N} inputs, ${authenticated} authenticated Capabilities, errors`, Object.fromEntries(counts));
    for (const code of ['SRP_ERR_BAD_MAGIC', 'SRP_ERR_BAD_MAC', 'SRP_ERR_REPLAY', 'SRP_ERR_BAD_MESSAGE', 'SRP_ERR_FRAME_TOO_LARGE'] as const) {
      expect(counts.get(code) ?? 0).toBeGreaterThan(0);
    }
  });
});
