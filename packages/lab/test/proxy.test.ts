import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { LinkFault } from '../src/faults/proxy-link.js';
import { FaultProxy } from '../src/proxy.js';

// An echo server on 127.0.0.1:0 that remembers its sockets.
async function echoServer(): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
    s.pipe(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port, sockets };
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.once('error', reject);
  });
}

/** Everything received within `ms`. */
function collect(s: Socket, ms: number): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    const on = (d: Buffer): void => {
      got += d.toString();
    };
    s.on('data', on);
    setTimeout(() => {
      s.off('data', on);
      resolve(got);
    }, ms);
  });
}

function untilData(s: Socket, want: string, ms = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for "${want}", got "${got}"`)), ms);
    s.on('data', (d: Buffer) => {
      got += d.toString();
      if (got.includes(want)) {
        clearTimeout(timer);
        resolve(got);
      }
    });
  });
}

function closed(s: Socket, ms = 5000): Promise<'closed'> {
  return new Promise((resolve, reject) => {
    if (s.destroyed) return resolve('closed');
    const timer = setTimeout(() => reject(new Error('socket did not close')), ms);
    s.once('close', () => {
      clearTimeout(timer);
      resolve('closed');
    });
  });
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(): Promise<{ proxy: FaultProxy; echo: Awaited<ReturnType<typeof echoServer>> }> {
  const echo = await echoServer();
  const proxy = await FaultProxy.start({ target: { host: '127.0.0.1', port: echo.port }, name: 't' });
  cleanups.push(() => new Promise<void>((r) => echo.server.close(() => r())));
  cleanups.push(() => proxy.close());
  return { proxy, echo };
}

function track(s: Socket): Socket {
  s.on('error', () => {});
  cleanups.push(() => void s.destroy());
  return s;
}

describe('FaultProxy', () => {
  it('listens on a kernel-chosen loopback port and forwards both ways', async () => {
    const { proxy } = await setup();
    expect(proxy.port).toBeGreaterThan(0);
    expect(proxy.address).toBe(`127.0.0.1:${proxy.port}`);
    const c = track(await open(proxy.port));
    const echoed = untilData(c, 'hello');
    c.write('hello');
    await echoed;
    const st = proxy.stats();
    expect(st).toMatchObject({ mode: 'pass', accepted: 1, active: 1, bytesForward: 5, bytesBackward: 5 });
  });

  it('cut() resets open connections and new ones, heal() lets new ones through', async () => {
    const { proxy, echo } = await setup();
    const c = track(await open(proxy.port));
    const echoed = untilData(c, 'x');
    c.write('x');
    await echoed;
    proxy.cut();
    await closed(c);
    // the server side goes too
    for (let i = 0; i < 100 && echo.sockets.size > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(echo.sockets.size).toBe(0);

    // a new connection is accepted by the kernel, then reset by the proxy
    const c2 = track(connect({ host: '127.0.0.1', port: proxy.port }));
    await closed(c2);
    expect(proxy.stats().reset).toBeGreaterThanOrEqual(2);
    expect(proxy.stats().active).toBe(0);

    proxy.heal();
    const c3 = track(await open(proxy.port));
    const again = untilData(c3, 'back');
    c3.write('back');
    await again;
    expect(proxy.stats()).toMatchObject({ mode: 'pass', cuts: 1 });
  });

  it('blackhole() keeps connections open but silent, heal() delivers what was held', async () => {
    const { proxy } = await setup();
    const c = track(await open(proxy.port));
    const first = untilData(c, 'a');
    c.write('a');
    await first;
    proxy.blackhole();
    c.write('during');
    expect(await collect(c, 300)).toBe('');
    expect(c.destroyed).toBe(false);
    expect(proxy.stats().active).toBe(1);

    // a new connection is accepted but reaches nothing
    const c2 = track(await open(proxy.port));
    c2.write('new');
    expect(await collect(c2, 200)).toBe('');

    const held = untilData(c, 'during');
    const held2 = untilData(c2, 'new');
    proxy.heal();
    await held;
    await held2;
    expect(proxy.stats()).toMatchObject({ mode: 'pass', blackholes: 1, active: 2 });
  });

  it('a close during a blackhole is delivered on heal', async () => {
    const { proxy, echo } = await setup();
    const c = track(await open(proxy.port));
    const first = untilData(c, 'a');
    c.write('a');
    await first;
    proxy.blackhole();
    c.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect(echo.sockets.size).toBe(1);
    proxy.heal();
    for (let i = 0; i < 100 && echo.sockets.size > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(echo.sockets.size).toBe(0);
    expect(proxy.stats().active).toBe(0);
  });

  it('counts connections that cannot reach the target and closes them', async () => {
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const port = (dead.address() as AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r()));
    const proxy = await FaultProxy.start({ target: () => ({ host: '127.0.0.1', port }) });
    cleanups.push(() => proxy.close());
    const c = track(await open(proxy.port));
    await closed(c);
    expect(proxy.stats().upstreamErrors).toBe(1);
  });

  it('LinkFault drives both proxies of a link', async () => {
    const a = await setup();
    const b = await setup();
    const link = new LinkFault([a.proxy, b.proxy]);
    await link.blackhole();
    expect(link.stats().map((s) => s.mode)).toEqual(['blackhole', 'blackhole']);
    await link.cut();
    expect(link.mode).toBe('cut');
    await link.heal();
    expect(link.stats().map((s) => s.mode)).toEqual(['pass', 'pass']);
    // one-way a -> b: in front of b forward is silent, in front of a backward is.
    await link.oneWay('a');
    expect(link.stats().map((s) => [s.mode, s.blocked])).toEqual([
      ['one-way', 'backward'],
      ['one-way', 'forward'],
    ]);
    expect(link.unsupported('loss')).toMatch(/kernel link/);
    expect(link.unsupported('one-way')).toBeNull();
    await expect(link.delay()).rejects.toThrow(/cannot delay/);
    expect(await link.describe()).toMatch(/^proxy: t one-way\(backward blocked\)/);
  });

  it('one-way holds one direction of open connections and every new connection until heal()', async () => {
    const { proxy } = await setup();
    const c = track(await open(proxy.port));
    const first = untilData(c, 'a');
    c.write('a');
    await first;
    // backward (target to client) silent: what the client sends reaches the echo server, but
    // the echo does not come back until heal().
    proxy.oneWay('backward');
    c.write('held-back');
    expect(await collect(c, 300)).toBe('');
    expect(proxy.stats().bytesForward).toBe(1 + 'held-back'.length);
    const c2 = track(await open(proxy.port));
    c2.write('new');
    expect(await collect(c2, 200)).toBe('');
    const back = untilData(c, 'held-back');
    const back2 = untilData(c2, 'new');
    proxy.heal();
    await back;
    await back2;
  });

  it('no-new lets open connections pass and holds new ones until heal()', async () => {
    const { proxy } = await setup();
    const c = track(await open(proxy.port));
    proxy.noNew();
    const echoed = untilData(c, 'still');
    c.write('still');
    await echoed;
    const c2 = track(await open(proxy.port));
    c2.write('later');
    expect(await collect(c2, 300)).toBe('');
    const got = untilData(c2, 'later');
    proxy.heal();
    await got;
    expect(proxy.stats()).toMatchObject({ mode: 'pass', noNews: 1 });
  });

  it('relays UDP datagrams arriving on its port to the target port, and drops them when told', async () => {
    // A UDP receiver on the same port number as a TCP echo server stands for an SRP port.
    const echo = await echoServer();
    cleanups.push(() => new Promise<void>((r) => echo.server.close(() => r())));
    const rx = createSocket('udp4');
    const got: string[] = [];
    rx.on('message', (m) => got.push(m.toString()));
    await new Promise<void>((r) => rx.bind(echo.port, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => rx.close(() => r())));
    const proxy = await FaultProxy.start({ target: { host: '127.0.0.1', port: echo.port }, name: 'u' });
    cleanups.push(() => proxy.close());
    const tx: UdpSocket = createSocket('udp4');
    cleanups.push(() => new Promise<void>((r) => tx.close(() => r())));
    const send = (text: string): Promise<void> => new Promise((r) => tx.send(text, proxy.port, '127.0.0.1', () => r()));
    const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 150));
    await send('pass-1');
    await settle();
    expect(got).toEqual(['pass-1']);
    for (const [fault, name] of [
      [() => proxy.cut(), 'cut'],
      [() => proxy.blackhole(), 'blackhole'],
      [() => proxy.oneWay('forward'), 'one-way-forward'],
    ] as const) {
      fault();
      await send(name);
      await settle();
      proxy.heal();
    }
    // Datagrams go forward only: a one-way backward (or a SYN drop) lets them through.
    proxy.oneWay('backward');
    await send('one-way-backward');
    proxy.heal();
    proxy.noNew();
    await send('no-new');
    await settle();
    proxy.heal();
    expect(got).toEqual(['pass-1', 'one-way-backward', 'no-new']);
    expect(proxy.stats()).toMatchObject({ datagramsRelayed: 3, datagramsDropped: 3 });
  });
});
