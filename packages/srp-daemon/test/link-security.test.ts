// The SRP link under attack, in one process over real TCP on 127.0.0.x: a replayed Capabilities
// (same boot, earlier boot) changes nothing, strangers outside peer-allow are refused before a
// byte is read, unproven connections never keep the real peer out, keys rotate.
import { afterEach, describe, expect, it } from 'vitest';
import { KeyRing, keyFingerprint } from '../src/link/keys.js';
import { freePort, sleep, waitFor } from './helpers/cluster.js';
import { end, LINK_KEY_ONE, pair, sockets, stopLinks } from './helpers/links.js';
import { connectTo, play, recordFirstFrame } from '../src/testing/attacks.js';

const K1 = LINK_KEY_ONE;
const K2 = 'link-security-test-key-two-4567';
afterEach(stopLinks);

describe('SRP link: replayed handshakes', () => {
  it('a Capabilities recorded from one chassis and played to the other changes nothing (50 times)', async () => {
    const { east, west } = await pair();
    const before = { ...west.rec, boots: [...west.rec.boots] };
    // Recorded by connecting to east from west's address (east only accepts 127.0.0.2).
    const recorded = await recordFirstFrame({ host: '127.0.0.1', port: east.port }, '127.0.0.2');
    expect(recorded.length).toBeGreaterThan(50);
    // Played to west from east's address, 50 times, 20 ms apart, each left open for a while.
    for (let i = 0; i < 50; i++) {
      void play({ host: '127.0.0.2', port: west.port }, recorded, { holdMs: 100, from: '127.0.0.1' });
      await sleep(20);
    }
    await waitFor('50 replay refusals', () => west.rec.refusals.filter((r) => r === 'replay').length >= 50);
    expect(west.rec.boots).toEqual(before.boots); // never taken for a peer (re)boot
    expect([west.rec.ups, west.rec.downs, west.rec.switches]).toEqual([before.ups, before.downs, before.switches]);
    expect(west.link.up && east.link.up).toBe(true);
    await waitFor('the replays gone', () => west.link.connectionCount === 1);
    // The same recording again: its nonce is known now, refused at once.
    const lasted = await play({ host: '127.0.0.2', port: west.port }, recorded, { holdMs: 2000, from: '127.0.0.1' });
    expect(lasted).toBeLessThan(1500); // closed by west at once, not at our end()
    expect(west.rec.refusals.filter((r) => r === 'replay').length).toBeGreaterThanOrEqual(51);
  });

  it('a Capabilities of an earlier boot of the peer is not taken for a restart', async () => {
    const { east, west } = await pair();
    const oldBoot = await recordFirstFrame({ host: '127.0.0.1', port: east.port }, '127.0.0.2');
    // east restarts with a new boot id on the same port.
    await east.link.stop();
    const east2 = await end('east', 7, '127.0.0.1', east.port, { host: '127.0.0.2', port: west.port }, { peerAllow: { kind: 'list', entries: ['127.0.0.2'], from: 'peer' } });
    east2.link.start();
    await waitFor('west sees boot 7', () => west.rec.boots.includes(7) && west.link.up);
    const boots = [...west.rec.boots];
    const ups = west.rec.ups;
    await play({ host: '127.0.0.2', port: west.port }, oldBoot, { holdMs: 100, from: '127.0.0.1' });
    await waitFor('the replay refused', () => west.rec.refusals.includes('replay'));
    await sleep(200);
    expect(west.rec.boots).toEqual(boots); // boot 1 was never reported again
    expect(west.rec.ups).toBe(ups);
    expect(west.link.up).toBe(true);
  });
});

describe('SRP link: who may connect', () => {
  it('refuses a source outside peer-allow before reading a byte; the peer dials from its bind address', async () => {
    const { east } = await pair();
    const stranger = await connectTo({ host: '127.0.0.1', port: east.port }, '127.0.0.3');
    sockets.push(stranger);
    const closed = new Promise<void>((r) => stranger.once('close', () => r()));
    let received = 0;
    stranger.on('data', (d: Buffer) => (received += d.length));
    stranger.on('error', () => undefined);
    await closed;
    expect(received).toBe(0); // not even our Capabilities
    await waitFor('the refusal', () => east.rec.refusals.includes('not-allowed'));
    expect(east.link.securityInfo().peerAllow).toEqual(['127.0.0.2']);
  });

  it('keeps the real peer able to connect while 300 strangers from its own address hold handshakes open', async () => {
    const [pe, pw] = [await freePort(), await freePort()];
    const east = await end('east', 1, '127.0.0.1', pe, { host: '127.0.0.1', port: pw });
    // 300 silent connections from 127.0.0.1, the address the peer dials from too.
    for (let batch = 0; batch < 6; batch++) {
      const opened = await Promise.all(Array.from({ length: 50 }, () => connectTo({ host: '127.0.0.1', port: pe })));
      for (const s of opened) {
        s.on('error', () => undefined);
        s.on('data', () => undefined);
        sockets.push(s);
      }
    }
    await waitFor('the oldest evicted', () => east.rec.refusals.filter((r) => r === 'evicted').length >= 100);
    const stats = east.link.securityInfo().admission;
    expect(stats.unproven).toBeLessThanOrEqual(stats.limits.perSource);
    // west dials east through the crowd (east dials west too; either connection will do).
    const west = await end('west', 2, '127.0.0.1', pw, { host: '127.0.0.1', port: pe });
    west.link.start();
    await waitFor('the link up through the crowd', () => east.link.up && west.link.up, { timeoutMs: 10_000 });
    expect(east.rec.refusals).not.toContain('too-many-connections');
  });

  it('refuses a connection that proves nothing within the handshake deadline', async () => {
    const port = await freePort();
    const east = await end('east', 1, '127.0.0.1', port, { host: '127.0.0.1', port: await freePort() }, { deadIntervalMs: 500 });
    const s = await connectTo({ host: '127.0.0.1', port });
    s.on('data', () => undefined);
    s.on('error', () => undefined);
    sockets.push(s);
    const t0 = Date.now();
    await waitFor('the deadline refusal', () => east.rec.refusals.includes('handshake-timeout'), { timeoutMs: 5000 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(east.link.securityInfo().handshakeTimeoutMs).toBe(1000);
  });
});

describe('SRP link: keys', () => {
  it('comes up while the two chassis sign with different keys that both accept, and shows which', async () => {
    const { east, west } = await pair({ keys: KeyRing.fromKeys([K1, K2]) }, { keys: KeyRing.fromKeys([K2, K1]) });
    expect(east.link.securityInfo().auth.peerKey).toBe(keyFingerprint(Buffer.from(K2)));
    expect(west.link.securityInfo().auth.peerKey).toBe(keyFingerprint(Buffer.from(K1)));
    expect(east.link.securityInfo().auth.signing).toBe(keyFingerprint(Buffer.from(K1)));
  });

  it('a replaced key ring reaches the next handshake; the connection up keeps its keys', async () => {
    const westKeys = KeyRing.fromKeys([K1]);
    const { east, west } = await pair({}, { keys: westKeys });
    const connects = west.link.counters.connects;
    expect(westKeys.replace(KeyRing.snapshotOf([K2])).changed).toBe(true);
    expect(westKeys.replace(KeyRing.snapshotOf([K2])).changed).toBe(false);
    await sleep(200);
    expect(east.link.up && west.link.up).toBe(true); // nothing dropped
    expect(west.link.counters.connects).toBe(connects);
    // A new handshake signed with K1 is refused by west now.
    const caps = await recordFirstFrame({ host: '127.0.0.1', port: east.port }, '127.0.0.2');
    await play({ host: '127.0.0.2', port: west.port }, caps, { holdMs: 50, from: '127.0.0.1' });
    await waitFor('the bad-mac refusal', () => west.rec.refusals.includes('bad-mac'));
    expect(west.link.securityInfo().auth.accepted).toEqual([keyFingerprint(Buffer.from(K2))]);
  });
});
