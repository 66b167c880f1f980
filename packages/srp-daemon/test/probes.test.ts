import { describe, expect, it } from 'vitest';
import { MAX_PROBES, ProbeLog, monotonicMs } from '../src/replication/probes.js';

const batch = (...ids: string[]) => ({
  kind: 'microCheckpointBatch' as const,
  body: { batchSequence: 1, items: ids.map((sessionId) => ({ commandId: 6, sessionId, version: 1, payload: new Uint8Array(0) })) },
});

describe('probe log', () => {
  it('records the first apply of each id with the prefix once armed, nothing before', () => {
    const log = new ProbeLog();
    log.record(batch('probe-1'));
    expect(log.figures()).toMatchObject({ prefix: null, count: 0 });
    log.arm('probe-');
    const t0 = monotonicMs();
    log.record(batch('imsi-1', 'probe-1', 'probe-2'));
    const first = log.figures().applied['probe-1'] ?? 0;
    log.record(batch('probe-1'));
    const f = log.figures();
    expect(f.count).toBe(2);
    expect(Object.keys(f.applied).sort()).toEqual(['probe-1', 'probe-2']);
    expect(f.applied['probe-1']).toBe(first);
    expect(first).toBeGreaterThanOrEqual(t0);
    expect(first).toBeLessThanOrEqual(monotonicMs());
    log.record({ kind: 'checkpointAck', body: { upToSequence: 1, snapshotId: 0, failedItems: 0 } });
    log.arm('probe-');
    expect(log.figures().count).toBe(0);
  });

  it('keeps at most MAX_PROBES ids and counts the rest as dropped', () => {
    const log = new ProbeLog();
    log.arm('p');
    log.record(batch(...Array.from({ length: MAX_PROBES + 3 }, (_, i) => `p${i}`)));
    expect(log.figures()).toMatchObject({ count: MAX_PROBES, dropped: 3 });
  });
});
