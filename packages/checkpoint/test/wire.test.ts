import { decodeMessageBody, encodeMessageBody, messageTypeOf } from '@srp-ha/wire';
import { describe, expect, it } from 'vitest';
import { CheckpointEngine, type CheckpointMessage, isCheckpointMessage, ManualClock } from '../src/index.js';
import { MemoryLink } from '../src/testing.js';

describe('wire compatibility', () => {
  it('every message the engines exchange survives the wire body codec unchanged', async () => {
    const clock = new ManualClock();
    const link = new MemoryLink();
    const seen: CheckpointMessage[] = [];
    const through = (m: CheckpointMessage): CheckpointMessage => {
      const back = decodeMessageBody(messageTypeOf(m), encodeMessageBody(m));
      expect(isCheckpointMessage(back)).toBe(true);
      // A decoded chunk's records are decoded when read: compared as an array of them.
      const plain = back.kind === 'macroCheckpointChunk' ? { ...back, body: { ...back.body, sessions: Array.from(back.body.sessions) } } : back;
      expect(plain).toEqual(m);
      seen.push(m);
      return back as CheckpointMessage;
    };
    const cfg = { sessionDurationMs: 0, auditEnabled: false };
    const a = new CheckpointEngine({ clock, transport: link.a, config: cfg });
    const b = new CheckpointEngine({ clock, transport: link.b, config: cfg });
    link.a.handler = (m) => a.handle(through(m));
    link.b.handler = (m) => b.handle(through(m));
    await a.becomeActive();
    b.becomeStandby();
    a.create({ id: 'pre', lifetimeMs: 60_000, counters: { bytes: 2n ** 63n + 5n } });
    a.peerJoined();
    const settle = async (): Promise<void> => {
      for (let i = 0; i < 50; i++) {
        clock.advance(5);
        link.deliver();
        await b.drain();
        await new Promise((r) => setImmediate(r));
      }
    };
    await settle();
    a.create({ id: 'x', lifetimeMs: 60_000, attrs: { k: 'v' } });
    a.updateAttrs('x', { k: 'w' });
    b.injectApplyFailure(1);
    a.refresh('pre');
    await settle();
    void a.initiateAudit({ withSync: true });
    await settle();
    expect(new Set(seen.map((m) => m.kind))).toEqual(
      new Set(['macroCheckpointBegin', 'macroCheckpointChunk', 'macroCheckpointEnd', 'checkpointAck', 'microCheckpointBatch', 'nack', 'auditRequest', 'auditBucketDigests', 'auditReport']),
    );
    expect(b.summary()).toEqual(a.summary());
    expect(b.get('pre')?.counters.bytes).toBe(2n ** 63n + 5n);
  });
});
