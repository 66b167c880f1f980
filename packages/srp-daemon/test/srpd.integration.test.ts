// srpd as real processes on 127.0.0.1: convergence, kill -9, SIGSTOP/SIGCONT, restart,
// manual switchover through srpctl, SIGTERM (Goodbye), refused connections.
// Timing bounds are generous on purpose; the precise figures come from bench/takeover.mjs.
import { randomBytes } from 'node:crypto';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MessageWriter, PROTOCOL_VERSION, CompressionAlgorithm } from '@srp-ha/wire';
import { SRPD_NODE_ARGS, missingNodeArgs } from '../src/util/node-args.js';
import { checkBuilt, converged, freePort, makePair, PACKAGE_ROOT, SRPCTL, SRPD, sleep, waitFor, type SrpdProcess } from './helpers/cluster.js';

const run = promisify(execFile);
const cleanups: Array<() => Promise<void>> = [];

beforeAll(() => checkBuilt());
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function startedPair(opts: Parameters<typeof makePair>[0] = {}): Promise<{ a: SrpdProcess; b: SrpdProcess }> {
  const pair = await makePair(opts);
  cleanups.push(pair.cleanup);
  await Promise.all([pair.a.start(), pair.b.start()]);
  return pair;
}

function srpctl(url: string, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [SRPCTL, '--api', url, ...args], { timeout: 20_000 });
}

/** Raw bytes to an SRP port; resolves when the daemon closes the connection. */
function sendRaw(port: number, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => s.write(bytes));
    s.on('data', () => undefined); // the daemon's Capabilities
    s.on('error', () => resolve());
    s.on('close', () => resolve());
    setTimeout(() => {
      s.destroy();
      reject(new Error('the daemon did not close a refused connection within 10 s'));
    }, 10_000).unref();
  });
}

describe('srpd pair (real processes)', () => {
  it('converges to Active/Standby; kill -9 of the Active -> the Standby takes over; the old one rejoins as Standby', async () => {
    const { a, b } = await startedPair();
    const [active, standby] = await converged(a, b);
    expect(active).toBe(a); // primary
    await waitFor('the Standby to be ready', async () => (await standby.info()).standbyReady);

    const killedAt = Date.now();
    await active.kill();
    await waitFor('the Standby to become Active', async () => (await standby.state()) === 'Active', { intervalMs: 5 }).catch(
      (err: unknown) => {
        throw new Error(`${String(err)}\n${standby.lines.slice(-10).join('\n')}`);
      },
    );
    const takeoverMs = Date.now() - killedAt;
    expect(takeoverMs).toBeLessThan(1000 + 4000); // dead-interval + a generous bound
    const info = await standby.info();
    expect(info.lastSwitchover).toMatchObject({ reason: 'peer-dead', to: 'Active' });
    expect(info.routeModifier).toBe(2);

    await active.start(); // restart the killed chassis
    await sleep(1500); // well past its dead interval: it must not have grabbed the Active role
    expect(await active.state()).toBe('Standby');
    expect(await standby.state()).toBe('Active');
    expect((await active.info()).routeModifier).toBe(2);
  });

  it('SIGSTOP of the Active for twice the dead interval, then SIGCONT: it wakes fenced and steps down; the events say why', async () => {
    const { a, b } = await startedPair();
    const [active, standby] = await converged(a, b);
    // A Standby that takes over before it reported ready holds a partial table and steps down
    // for the frozen Active when it wakes (the split-brain rule): this test is of a ready one.
    await waitFor('the Standby to be ready', async () => (await standby.info()).standbyReady);
    const evA = await active.events();
    const evB = await standby.events();
    try {
      active.signal('SIGSTOP');
      await waitFor('the Standby to take over', async () => (await standby.state()) === 'Active');
      await sleep(2000 - 1000); // frozen for about 2 x dead-interval in total
      active.signal('SIGCONT');
      const [winner, loser] = await converged(a, b);
      await sleep(1500); // and it stays that way
      expect([await winner.state(), await loser.state()]).toEqual(['Active', 'Standby']);
      const switchovers = [...evA.list, ...evB.list].filter((e) => e.type === 'switchover');
      const reasons = switchovers.map((e) => (e as { reason: string }).reason);
      expect(reasons).toContain('peer-dead'); // the Standby took over
      expect(reasons).toContain('split-brain'); // and one of the two Actives stepped down
      const stepDown = switchovers.find((e) => (e as { reason: string }).reason === 'split-brain');
      // The frozen one knows it was stalled: it fenced itself and steps down for the chassis
      // that served while it could not (no second switchover).
      expect(stepDown?.cause).toMatch(/fenced/);
      expect(winner).toBe(standby);
      expect([...evA.list, ...evB.list].some((e) => e.type === 'fence' && e['fenced'] === true)).toBe(true);
    } finally {
      evA.close();
      evB.close();
    }
  });

  it('manual switchover there and back through srpctl', async () => {
    const { a, b } = await startedPair();
    const [active, standby] = await converged(a, b);
    await waitFor('the Standby to be ready', async () => (await standby.info()).standbyReady);
    const check = await srpctl(active.url, '--json', 'srp', 'validate-switchover');
    expect(JSON.parse(check.stdout)).toMatchObject({ accepted: true });

    await srpctl(active.url, 'srp', 'initiate-switchover');
    await waitFor('the switchover', async () => (await standby.state()) === 'Active' && (await active.state()) === 'Standby');
    expect((await standby.info()).lastSwitchover).toMatchObject({ reason: 'manual' });

    await waitFor('the old Active to be a ready Standby', async () => (await active.info()).standbyReady);
    await srpctl(standby.url, 'srp', 'initiate-switchover');
    await waitFor('the switch back', async () => (await active.state()) === 'Active' && (await standby.state()) === 'Standby');
    expect((await active.info()).routeModifier).toBe(3);

    // From the Standby side it is refused, with a reason and a non-zero exit.
    const refused = await srpctl(standby.url, 'srp', 'initiate-switchover').then(
      () => null,
      (err: { code: number; stdout: string; stderr: string }) => err,
    );
    expect(refused?.code).toBe(1);
    expect(`${refused?.stdout ?? ''}${refused?.stderr ?? ''}`).toMatch(/not Active/);
  });

  it('SIGTERM: the daemon says Goodbye and its peer takes over before the dead interval', async () => {
    const { a, b } = await startedPair({ helloInterval: '1s', deadInterval: '5s' });
    const [active, standby] = await converged(a, b);
    const t0 = Date.now();
    active.signal('SIGTERM');
    await waitFor('the peer to take over', async () => (await standby.state()) === 'Active', { intervalMs: 10 });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect((await standby.info()).lastSwitchover).toMatchObject({ reason: 'peer-goodbye' });
    expect(await active.waitExit()).toBe(0);
  });

  it('refuses garbage, a wrong key and a wrong protocol version, and lives on', async () => {
    const { a, b } = await startedPair();
    const [active] = await converged(a, b);
    const port = active.spec.srpPort;
    const events = await active.events();
    try {
      await sendRaw(port, Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
      const caps = {
        kind: 'capabilities' as const,
        body: {
          protocolVersion: PROTOCOL_VERSION,
          compression: [CompressionAlgorithm.COMPRESSION_ZLIB],
          features: [],
          chassisId: 'intruder',
          bootId: 1,
          maxFrameSize: 1 << 20,
          nonce: randomBytes(32),
        },
      };
      await sendRaw(port, await new MessageWriter({ key: Buffer.from('not-the-shared-key-at-all') }).encode(caps));
      const frame = await new MessageWriter({ key: Buffer.from('integration-test-shared-key') }).encode(caps);
      frame[2] = PROTOCOL_VERSION + 1;
      await sendRaw(port, frame);
      const stats = await waitFor('the refusals to be counted', async () => {
        const s = await active.statistics();
        const r = s.refusedConnections;
        return (r['garbage'] ?? 0) >= 1 && (r['bad-mac'] ?? 0) >= 1 && (r['bad-version'] ?? 0) >= 1 ? s : null;
      });
      expect(stats.refusedConnections).toMatchObject({ garbage: 1, 'bad-mac': 1, 'bad-version': 1 });
      const refused = events.list.filter((e) => e.type === 'refused-connection').map((e) => (e as { reason: string }).reason);
      expect(refused).toEqual(expect.arrayContaining(['garbage', 'bad-mac', 'bad-version']));
      // The daemon lives on and the pair is unharmed.
      await sleep(500);
      await converged(a, b);
      expect(active.proc?.exitCode).toBeNull();
    } finally {
      events.close();
    }
  });
});

/** A config of one chassis on free loopback ports (its peer never answers), with these timers. */
async function loneConfig(hello: string, dead: string): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'srpd-lone-')), 'srpd.yaml');
  const [srp, peer] = [await freePort(), await freePort()];
  writeFileSync(
    file,
    `chassis-id: lone\nmode: primary\npriority: 1\ncf-mac: 00-02-43-03-1C-2B\nbind: 127.0.0.1:${srp}\npeer: 127.0.0.1:${peer}\n` +
      `auth-key: 0123456789abcdef\nhello-interval: ${hello}\ndead-interval: ${dead}\nmanagement:\n  listen: 127.0.0.1:0\n`,
  );
  return file;
}

describe('srpd command line', () => {
  it("runs under srpd's Node options from the srpd command, and says so when started without them", async () => {
    const bin = join(PACKAGE_ROOT, 'bin', 'srpd.js');
    expect(readFileSync(bin, 'utf8').split('\n')[0]).toBe(`#!/usr/bin/env -S node ${SRPD_NODE_ARGS.join(' ')}`);
    expect((await run(bin, ['--help'])).stdout).toMatch(/usage: srpd --config FILE/); // through the shebang
    expect(missingNodeArgs([])).toEqual(['--no-parallel-scavenge']);
    expect(missingNodeArgs(['--expose-gc', '--no-parallel-scavenge'])).toEqual([]);
    expect(missingNodeArgs(['--single-threaded-gc'])).toEqual([]); // implies it
    expect(missingNodeArgs(['--no-parallel-scavenge', '--parallel-scavenge'])).toEqual(['--no-parallel-scavenge']);

    const file = await loneConfig('1s', '3s');
    const child = spawn(process.execPath, [SRPD, '--config', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      await waitFor('the warning', () => out.includes('node was started without --no-parallel-scavenge'));
      const line = JSON.parse(out.split('\n').find((l) => l.includes('started without')) ?? '{}') as { level?: number; missing?: string[] };
      expect(line).toMatchObject({ level: 40, missing: ['--no-parallel-scavenge'] });
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('below a 100 ms dead interval, warns when the Hello thread cannot run at real-time priority, and only then', async () => {
    const file = await loneConfig('20ms', '60ms');
    const started = async (cmd: string, args: string[]): Promise<string> => {
      const child = spawn(cmd, [...args, process.execPath, '--no-parallel-scavenge', SRPD, '--config', file], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      try {
        await waitFor('srpd to be ready', () => out.includes('"event":"ready"'));
        return out;
      } finally {
        child.kill('SIGKILL');
      }
    };
    const refusedWarning = (out: string): { level?: number; msg?: string } =>
      JSON.parse(out.split('\n').find((l) => l.includes('real-time priority not set')) ?? '{}') as { level?: number; msg?: string };
    // Without CAP_SYS_NICE (dropped from a root process's bounding set, or not root at all).
    const root = process.getuid?.() === 0;
    const refused = root ? await started('setpriv', ['--bounding-set', '-sys_nice']) : await started('env', []);
    expect(refusedWarning(refused)).toMatchObject({ level: 40 });
    expect(refusedWarning(refused).msg).toMatch(/at dead-interval 60 ms .*CAP_SYS_NICE/);
    if (root) {
      const allowed = await started('env', []);
      expect(allowed).toContain('runs SCHED_RR at priority 50');
      expect(allowed).not.toContain('real-time priority not set');
      expect(allowed).not.toContain('below 100 ms');
    }
  });

  it('--help prints usage; a bad config names the key and the reason and exits 2', async () => {
    const help = await run(process.execPath, [SRPD, '--help']);
    expect(help.stdout).toMatch(/usage: srpd --config FILE/);
    const dir = mkdtempSync(join(tmpdir(), 'srpd-bad-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'chassis-id: x\nmode: primary\npriority: 1\ncf-mac: 00-02-43-03-1C\nbind: 127.0.0.1:1\npeer: 127.0.0.1:2\n' +
        'auth-key: 0123456789abcdef\nhello-interval: 1s\ndead-interval: 2s\ncolour: blue\n',
    );
    const bad = await run(process.execPath, [SRPD, '--config', file]).then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(bad?.code).toBe(2);
    expect(bad?.stderr).toContain('cf-mac: must be a MAC address');
    expect(bad?.stderr).toContain('dead-interval: must be at least 3 x hello-interval');
    expect(bad?.stderr).toContain('colour: unknown key');
  });
});
