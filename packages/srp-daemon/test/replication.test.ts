// The checkpoint plane without processes: config sections, session API validation, the link
// transport's back-pressure, and two planes wired back to back through fake daemons.
import { describe, expect, it } from 'vitest';
import { CheckpointEngine, sessionId } from '@srp-ha/checkpoint';
import { MemoryLink } from '@srp-ha/checkpoint/testing';
import type { ChassisStateName, SrpInfo } from '../src/api/contract.js';
import { loadConfigText } from '../src/config/config.js';
import { Reply, Router } from '../src/management/router.js';
import { applyOps, CallTurns, LinkTransport, parseReplicationConfig, validateOps } from '../src/replication/index.js';
import { sessionRoutes } from '../src/replication/sessions.js';
import { renderCheckpointStatistics } from '../src/replication/commands.js';
import { checkpointStatistics } from '../src/replication/routes.js';
import { MeasurementWindow } from '../src/replication/window.js';
import { pairOfPlanes, type PlaneHost } from './helpers/planes.js';

const tick = (ms = 5): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('replication config', () => {
  it('maps the YAML keys onto the engine config', () => {
    const { config, issues } = parseReplicationConfig({
      checkpoint: { 'session-duration': '0s', 'session-duration-ims': 30, 'periodic-interval': 60, 'counter-sync-every': 10, 'write-ack': 'replicated', 'write-ack-timeout': '250ms', nack: { micro: false, 'max-response': 5 } },
      standby: { 'database-recovery': 'aggressive' },
      audit: { enabled: false, 'daily-start-time': '03:30', periodicity: 120 },
    });
    expect(issues).toEqual([]);
    expect(config).toMatchObject({
      writeAck: 'replicated',
      writeAckTimeoutMs: 250,
      sessionDurationMs: 0,
      sessionDurationImsMs: 30_000,
      periodicIntervalMin: 60,
      counterSyncEvery: 10,
      nackMicro: false,
      nackMaxResponse: 5,
      databaseRecovery: 'aggressive',
      auditEnabled: false,
      auditDailyStartTime: '03:30',
      auditPeriodicityMin: 120,
    });
  });

  it('names the key and the reason of every problem, using the engine rules', () => {
    const { issues } = parseReplicationConfig({
      checkpoint: { 'periodic-interval': 50, 'session-duration': 'soon', nack: { 'max-responses': 1 }, 'write-ack': 'sync', 'write-ack-timeout': '0s' },
      standby: { 'database-recovery': 'eager' },
      audit: { 'daily-start-time': '25:00', periodicity: 'hourly' },
    });
    const keys = issues.map((i) => i.key);
    expect(issues.find((i) => i.key === 'checkpoint.write-ack')?.reason).toBe('must be applied or replicated, got "sync"');
    expect(issues.find((i) => i.key === 'checkpoint.write-ack-timeout')?.reason).toMatch(/must be an integer in 1\.\.600000/);
    expect(keys).toEqual([
      'checkpoint.periodic-interval',
      'checkpoint.session-duration',
      'checkpoint.nack.max-responses',
      'checkpoint.write-ack',
      'checkpoint.write-ack-timeout',
      'standby.database-recovery',
      'audit.daily-start-time',
      'audit.periodicity',
    ]);
    expect(issues[0].reason).toMatch(/multiple of 15/);
    expect(issues[5].reason).toMatch(/normal or aggressive/);
  });

  it('is part of srpd config validation (ConfigError with the key)', () => {
    const base = 'chassis-id: a\nmode: primary\npriority: 1\ncf-mac: 00-02-43-03-1C-2B\nbind: 127.0.0.1:0\npeer: 127.0.0.1:9\nauth-key: 0123456789abcdef0123\n';
    expect(() => loadConfigText(`${base}standby:\n  database-recovery: eager\n`, '/tmp')).toThrow(/standby.database-recovery/);
    const ok = loadConfigText(`${base}checkpoint:\n  session-duration: 0s\naudit:\n  enabled: false\n`, '/tmp');
    expect(ok.replication).toMatchObject({ sessionDurationMs: 0, auditEnabled: false });
  });
});

describe('session ops', () => {
  const engine = async (): Promise<CheckpointEngine> => {
    const link = new MemoryLink();
    const e = new CheckpointEngine({ transport: link.a, config: { sessionDurationMs: 0, auditEnabled: false } });
    await e.becomeActive();
    return e;
  };

  it('rejects the whole call with the index and reason of each bad op', async () => {
    const e = await engine();
    const { ops, errors } = validateOps(e, {
      ops: [
        { op: 'upsert', id: 'a', attrs: { apn: 'internet' }, counters: { up: 5 } },
        { op: 'upsert', id: '', attrs: {} },
        { op: 'frobnicate', id: 'b' },
        { op: 'upsert', id: 'a', counters: { up: 3 } },
        { op: 'upsert', id: 'c', lifetimeMs: -1 },
        { op: 'delete', id: 'a', attrs: {} },
        // lone surrogates (JSON can carry them, UTF-8 cannot): in an id, an attribute, a counter name
        JSON.parse('{"op":"upsert","id":"imsi-\\ud800"}') as unknown,
        JSON.parse('{"op":"upsert","id":"d","attrs":{"apn":"x\\udc00"}}') as unknown,
        JSON.parse('{"op":"upsert","id":"d","counters":{"\\ud83d":1}}') as unknown,
        { op: 'upsert', id: 'd', attrs: { emoji: '😀' } },
      ],
    });
    expect(ops).toHaveLength(2);
    expect(errors.map((x) => x.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(errors[2].reason).toMatch(/monotonic/);
    expect(errors.slice(5).map((x) => x.reason)).toEqual([
      'id is not well-formed Unicode: a lone surrogate at index 5',
      'attrs.apn is not well-formed Unicode: a lone surrogate at index 1',
      'counter name "\\ud83d" is not well-formed Unicode: a lone surrogate at index 0',
    ]);
    expect(e.size).toBe(0);
  });

  it('applies upserts (create, merge attrs, counters up, refresh) and deletes in order', async () => {
    const e = await engine();
    const body = {
      ops: [
        { op: 'upsert', id: 'a', class: 'ims', attrs: { apn: 'ims' }, counters: { up: 5 }, lifetimeMs: 1000 },
        { op: 'upsert', id: 'a', attrs: { rat: 'nr', apn: null }, counters: { up: '250' } },
        { op: 'upsert', id: 'b' },
        { op: 'delete', id: 'b' },
        { op: 'delete', id: 'nope' },
      ],
    };
    const { ops, errors } = validateOps(e, body);
    expect(errors).toEqual([]);
    expect(applyOps(e, ops)).toEqual({ created: 2, updated: 1, deleted: 1 });
    const a = e.get('a')!;
    expect(a.class).toBe('ims');
    expect(a.attrs).toEqual({ rat: 'nr' });
    expect(a.counters.up).toBe(250n);
    expect(a.lifetimeMs).toBe(1000);
    expect(e.get('b')).toBeUndefined();
  });

  it('validates ops on existing sessions against the earlier ops of the same call', async () => {
    const e = await engine();
    const seed = validateOps(e, { ops: [{ op: 'upsert', id: 'x', class: 'ims', counters: { up: 10 } }, { op: 'upsert', id: 'y' }] });
    applyOps(e, seed.ops, seed.sessions);
    const bad = validateOps(e, {
      ops: [
        { op: 'upsert', id: 'x', attrs: { a: '1' } }, // plain upsert: no shadow yet
        { op: 'upsert', id: 'x', counters: { up: 9 } }, // the table's counter, not reset by op 0
        { op: 'upsert', id: 'x', class: 'non-ims' },
        { op: 'upsert', id: 'y', attrs: JSON.parse('{"__proto__": "p"}') as Record<string, string> },
        { op: 'upsert', id: 'y', counters: JSON.parse('{"__proto__": 1}') as Record<string, number> },
      ],
    });
    expect(bad.errors.map((x) => [x.index, x.reason])).toEqual([
      [1, 'counters.up would go down from 10 to 9 (counters are monotonic)'],
      [2, 'session x is ims: the class cannot change (delete it first)'],
      [3, 'attrs.__proto__ is not allowed as an attribute name'],
      [4, 'counters.__proto__ is not allowed as a counter name'],
    ]);
    const body = {
      ops: [
        { op: 'upsert', id: 'x', attrs: { a: '1' } },
        { op: 'delete', id: 'x' },
        { op: 'upsert', id: 'x', class: 'non-ims', counters: { up: 1 } }, // a new session: fresh counters
        { op: 'upsert', id: 'y', attrs: { b: '2' } },
        { op: 'upsert', id: 'y', counters: { up: 4 } },
      ],
    };
    const ok = validateOps(e, body);
    expect(ok.errors).toEqual([]);
    expect(ok.sessions.map((s) => (s === null ? null : s === undefined ? 'absent' : sessionId(s)))).toEqual(['x', null, null, 'y', null]);
    expect(applyOps(e, ok.ops, ok.sessions)).toEqual({ created: 1, updated: 3, deleted: 1 });
    expect(e.get('x')).toMatchObject({ class: 'non-ims', attrs: {}, counters: { up: 1n } });
    expect(e.get('y')).toMatchObject({ attrs: { b: '2' }, counters: { up: 4n } });
  });

  it('runs write calls one per event-loop iteration, so timers and link I/O get a turn between two', async () => {
    const turns = new CallTurns();
    const order: string[] = [];
    const busy = (ms: number): void => {
      const end = performance.now() + ms;
      while (performance.now() < end);
    };
    const calls = [1, 2, 3].map((n) =>
      turns.run(() => {
        order.push(`call ${n}`);
        if (n === 1) setTimeout(() => order.push('timer'), 0); // due before call 1 ends
        busy(20);
      }),
    );
    await Promise.all(calls);
    expect(order).toEqual(['call 1', 'timer', 'call 2', 'call 3']);
    // And again once the queue has emptied: a new call still waits for a turn of its own (an
    // immediate queued before it runs first), and the next one after it waits for the next.
    order.length = 0;
    setImmediate(() => order.push('immediate'));
    const again = [4, 5].map((n) =>
      turns.run(() => {
        order.push(`call ${n}`);
        if (n === 4) setTimeout(() => order.push('timer'), 0);
        busy(20);
      }),
    );
    order.push('asked');
    await Promise.all(again);
    expect(order).toEqual(['asked', 'immediate', 'call 4', 'timer', 'call 5']);
  });

  it('answers each op\'s resulting version when asked, and looks many sessions up at once', async () => {
    const e = await engine();
    const [post, lookup] = ['/v1/sessions', '/v1/sessions/lookup'].map((path) => {
      const m = new Router(sessionRoutes(e, { state: 'Active', info: () => ({}) as SrpInfo })).match('POST', path);
      if (m.kind !== 'found') throw new Error(`no route POST ${path}`);
      return m.route;
    });
    const call = async (route: typeof post, body: unknown): Promise<Record<string, unknown>> => (await route.handler({ body, params: {} } as never)) as Record<string, unknown>;
    const plain = await call(post, { ops: [{ op: 'upsert', id: 'a' }] });
    expect(plain).not.toHaveProperty('versions');
    const r = await call(post, {
      versions: true,
      ops: [
        { op: 'upsert', id: 'a', attrs: { w: '2' } },
        { op: 'upsert', id: 'b', counters: { c: 7 } },
        { op: 'upsert', id: 'a', counters: { c: 1 } },
        { op: 'delete', id: 'b' },
      ],
    });
    const versions = r.versions as Array<number | null>;
    expect(versions).toHaveLength(4);
    expect(r.createdOps).toEqual([1]); // b is new; a existed
    expect(versions[3]).toBeNull();
    // Each version is the session's own after that op: fresh, increasing, and the last one of a
    // session is what the table holds.
    expect(versions[1]!).toBeGreaterThan(versions[0]!);
    expect(versions[2]!).toBeGreaterThan(versions[1]!);
    expect(e.get('a')!.version).toBe(versions[2]);
    const found = await call(lookup, { ids: ['a', 'b', 'nope'] });
    expect(found.sessions).toEqual([{ id: 'a', version: versions[2], eligible: true, attrs: { w: '2' }, counters: { c: '1' } }, null, null]);
    // Bad bodies name what is wrong; a boolean only for versions.
    await expect(call(post, { ops: [], versions: 'yes' })).rejects.toThrow(/versions must be true or false/);
    await expect(call(lookup, { ids: 'a' })).rejects.toThrow(/\{ "ids": \[ \.\.\. \] \}/);
    await expect(call(lookup, { ids: ['a', 3] })).rejects.toThrow(/ids\[1\] must be a string/);
    await expect(call(lookup, { ids: [], more: 1 })).rejects.toThrow(/unknown field\(s\) in request body: more/);
    await expect(call(lookup, { ids: Array.from({ length: 10_001 }, (_, i) => `s${i}`) })).rejects.toThrow(/at most 10000 ids/);
  });

  it('works a big call in slices: timers run between them, write calls never interleave, and a role lost mid-call stops the call', async () => {
    const e = await engine();
    const host = { state: 'Active' as ChassisStateName, info: () => ({ state: host.state, peer: null, peerAddress: null }) as unknown as SrpInfo };
    const m = new Router(sessionRoutes(e, host)).match('POST', '/v1/sessions');
    if (m.kind !== 'found') throw new Error('no route POST /v1/sessions');
    const post = m.route;
    const call = async (body: unknown): Promise<Record<string, unknown>> => {
      const r = await post.handler({ body, params: {} } as never);
      return (r instanceof Reply ? { status: r.status, ...(JSON.parse(r.payload) as object) } : r) as Record<string, unknown>;
    };
    const big = (tag: string, n: number, from = 0): unknown => ({
      versions: true,
      ops: Array.from({ length: n }, (_, i) => ({ op: 'upsert', id: `s${from + i}`, attrs: { tag, n: String(i) }, counters: { c: i } })),
    });
    let beats = 0;
    const beat = setInterval(() => beats++, 1);
    const [a, b] = await Promise.all([call(big('a', 10_000)), call(big('b', 10_000))]);
    clearInterval(beat);
    // The event loop turned while the two calls were worked (a 1 ms timer ran between slices).
    expect(beats).toBeGreaterThan(2);
    expect([a.created, b.updated]).toEqual([10_000, 10_000]);
    // b ran after the whole of a: each of its versions is above a's for the same session.
    const va = a.versions as number[];
    const vb = b.versions as number[];
    expect(vb.every((v, i) => v > va[i])).toBe(true);
    expect(e.get('s0')!.attrs.tag).toBe('b');
    expect(e.get('s9999')!.attrs.tag).toBe('b');
    // A session removed between two slices of a call (it expired, say) is made again by the
    // call's later upsert, not refused as a stale handle.
    let removed = false;
    const expire = setInterval(() => {
      if (!removed && e.get('s0')!.attrs.tag === 'd') removed = e.delete('s9999');
    }, 0);
    const d = await call(big('d', 10_000));
    clearInterval(expire);
    expect(removed).toBe(true);
    expect([d.created, d.updated]).toEqual([1, 9_999]);
    expect(e.get('s9999')!.attrs.tag).toBe('d');
    // The chassis stops being Active while a call is applied: the rest is not applied, the
    // reply says how much was, and the call is not acknowledged (409).
    const before = e.size;
    const flip = setInterval(() => {
      if (e.size >= before + 500) host.state = 'Standby';
    }, 0);
    const r = await call(big('c', 10_000, 20_000));
    clearInterval(flip);
    expect(r.status).toBe(409);
    const applied = r.applied as number;
    expect(applied).toBeGreaterThanOrEqual(500);
    expect(applied).toBeLessThan(10_000);
    expect(r.total).toBe(10_000);
    expect(r.error).toMatch(new RegExp(`${applied} of the call's 10000 ops were applied before that; the call is not acknowledged`));
    expect(e.size).toBe(before + applied);
    expect(e.get(`s${20_000 + applied - 1}`)).toBeDefined();
    expect(e.get(`s${20_000 + applied}`)).toBeUndefined();
  });

  it('refuses more than 10k ops per call', async () => {
    const e = await engine();
    const ops = Array.from({ length: 10_001 }, (_, i) => ({ op: 'delete', id: `s${i}` }));
    expect(() => validateOps(e, { ops })).toThrow(/at most 10000/);
  });
});

describe('LinkTransport', () => {
  it('is not writable while the link pushes back or too many messages are encoding, and calls onDrain after', async () => {
    let writable = true;
    let drain: () => void = () => undefined;
    const resolvers: Array<(ok: boolean) => void> = [];
    const t = new LinkTransport({ maxEncoding: 4 });
    let drains = 0;
    t.onDrain(() => drains++);
    expect(t.writable).toBe(false); // not bound yet
    t.bind({
      send: () => new Promise<boolean>((r) => resolvers.push(r)),
      peerFeatures: [],
      get writable() {
        return writable;
      },
      onDrain: (cb) => {
        drain = cb;
        return () => undefined;
      },
    });
    const msg = { kind: 'checkpointAck', body: { upToSequence: 1, snapshotId: 0, failedItems: 0 } } as const;
    for (let i = 0; i < 4; i++) t.send(msg);
    expect(t.writable).toBe(false);
    for (const r of resolvers.splice(0, 2)) r(true);
    await tick(0);
    expect(drains).toBe(1);
    expect(t.writable).toBe(true);
    writable = false;
    expect(t.writable).toBe(false);
    writable = true;
    drain();
    expect(drains).toBe(2);
    for (const r of resolvers.splice(0)) r(false);
    await tick(0);
    expect(t.dropped).toBe(2);
  });
});

describe('two planes back to back', () => {
  it('bulk-syncs a joining Standby, replicates writes, becomes ready, and takes over with equal digests', async () => {
    const { a, b, link, pump, hellos } = await pairOfPlanes();
    await a.plane.sessions.beforeActive({ reason: 'no-peer-at-start', flushedUpTo: null });
    a.setState('Active');
    const router = new Router(a.plane.routes);
    const post = router.match('POST', '/v1/sessions');
    if (post.kind !== 'found') throw new Error('no route');
    const ops = Array.from({ length: 500 }, (_, i) => ({ op: 'upsert', id: `s${i}`, attrs: { apn: 'internet' }, counters: { up: i } }));
    await post.route.handler({ body: { ops }, params: {} } as never);
    b.setState('Standby');
    hellos(); // a hears b as Standby: bulk sync
    await pump();
    hellos(); // database-recovery aggressive: one Hello after the bulk sync
    expect(b.plane.engine.standbyReady).toBe(true);
    expect(b.plane.sessions.ready({ state: 'Standby', activeHellosWhileStandby: 1 })).toBe(true);
    expect(b.published.map((e) => e.type)).toContain('checkpoint-standby-ready');
    expect(a.published.find((e) => e.type === 'checkpoint-macro-end')).toMatchObject({ reason: 'bulk-sync', ok: true });
    await post.route.handler({ body: { ops: [{ op: 'delete', id: 's1' }, { op: 'upsert', id: 'new', attrs: { x: 'y' } }] }, params: {} } as never);
    await pump();
    expect(b.plane.engine.summary()).toEqual(a.plane.engine.summary());

    // The Standby refuses writes with 409.
    const bpost = new Router(b.plane.routes).match('POST', '/v1/sessions');
    if (bpost.kind !== 'found') throw new Error('no route');
    const refused = (await bpost.route.handler({ body: { ops: [] }, params: {} } as never)) as { status: number };
    expect(refused.status).toBe(409);

    // Statistics render; compression counts come from the link's onEncoded (checkpoint kinds only).
    a.port.deliveries.encodedSink('microCheckpointBatch', 1000, 300);
    a.port.deliveries.encodedSink('hello', 100, 100);
    const stats = checkpointStatistics({ engine: a.plane.engine, host: a, window: new MeasurementWindow(), transportDropped: () => 0 }, true);
    expect(stats.bytes).toEqual({ beforeCompression: 1000, afterCompression: 300 });
    expect(renderCheckpointStatistics(stats)).toMatch(/Bytes Before Compression:\s+1000/);
    expect(await a.registry.metrics()).toMatch(/srp_checkpoint_sessions\{role="active"\} 500/);

    // Takeover: a dies; b applies everything and becomes Active with the same table.
    const digest = a.plane.engine.summary().digest;
    link.cut('a died');
    await pump();
    expect(link.b.up).toBe(false);
    await b.plane.sessions.beforeActive({ reason: 'peer-dead', flushedUpTo: null });
    b.setState('Active');
    expect(b.plane.engine.summary().digest).toBe(digest);
    expect(b.plane.engine.callLoss.summary()).toMatchObject({ switchovers: 1, lostEligible: 0, lostYoung: 0 });
    for (const h of [a, b]) h.plane.dispose();
  });

  // A silent cut that the connection outlives (TCP retransmits once the path is back, before
  // either side's idle timer closes it): no link down, so no link up to start a bulk sync.
  it('after a split the connection outlived, a fenced Active applies the hand-over, bulk-syncs the peer that stepped down, and it becomes ready', async () => {
    const { a, b, link, pump, hellos } = await pairOfPlanes();
    await a.plane.sessions.beforeActive({ reason: 'no-peer-at-start', flushedUpTo: null });
    a.setState('Active');
    const write = async (h: PlaneHost, ids: string[]): Promise<void> => {
      const post = new Router(h.plane.routes).match('POST', '/v1/sessions');
      if (post.kind !== 'found') throw new Error('no route');
      await post.route.handler({ body: { ops: ids.map((id) => ({ op: 'upsert', id, attrs: { by: h.chassisId } })) }, params: {} } as never);
    };
    await write(a, ['s1', 's2', 's3']);
    b.setState('Standby');
    hellos();
    await pump();
    hellos();
    expect(b.plane.engine.standbyReady).toBe(true);
    const macros = (): number => a.published.filter((e) => e.type === 'checkpoint-macro-end').length;
    const before = macros();

    // The cut: nothing passes either way, the connection stays up. a stops hearing b; b takes over.
    link.hold(link.a, true);
    link.hold(link.b, true);
    a.plane.listener.peerLost?.('no Hello from b for the dead interval');
    await b.plane.sessions.beforeActive({ reason: 'peer-dead', flushedUpTo: null });
    b.setState('Active');
    await write(b, ['from-b']);
    await write(a, ['from-a']);
    // a is fenced as they meet again (b's Hellos still say it does not hear a).
    a.plane.listener.writeGate?.('fenced: the peer no longer hears us');

    // The heal: b hears a first, steps down and hands over; a only ever hears b as Standby.
    link.hold(link.a, false);
    link.hold(link.b, false);
    b.hear(a);
    b.plane.listener.splitHandoff?.('two Actives met: peer a wins');
    b.setState('Standby');
    expect(link.a.up && link.b.up).toBe(true);
    hellos();
    await pump();
    hellos();
    await pump();

    expect(macros()).toBeGreaterThan(before);
    expect(b.plane.sessions.ready({ state: 'Standby', activeHellosWhileStandby: 1 })).toBe(true);
    // The hand-over was applied although a is fenced (the gate holds clients' writes only).
    expect(a.plane.engine.fenced).not.toBeNull();
    expect(b.plane.engine.handoffPending).toBe(false);
    expect(a.plane.engine.summary().count).toBe(5);
    // Unfenced (its peer hears it again), a sends what it applied on.
    a.plane.listener.writeGate?.(null);
    await pump();
    expect(b.plane.engine.summary()).toEqual(a.plane.engine.summary());
    for (const h of [a, b]) h.plane.dispose();
  });
});
