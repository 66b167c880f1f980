// A relay in front of one SRP port for integration tests: TCP connections and UDP datagrams
// (the Hellos) arriving on one port number go on to 127.0.0.1:target; `cut()` resets every
// connection, refuses new ones and drops datagrams, `heal()` lets them through again.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface Relay {
  port: number;
  cut(): void;
  heal(): void;
  close(): Promise<void>;
}

function listenTcp(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : 0);
    });
  });
}

function bindUdp(socket: UdpSocket, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });
}

export async function relay(target: number): Promise<Relay> {
  const sockets = new Set<Socket>();
  let cut = false;
  const server: Server = createServer((client) => {
    if (cut) {
      client.resetAndDestroy();
      return;
    }
    const upstream = createConnection(target, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  // The UDP side needs the same port number as the TCP side: retry on the rare clash.
  for (let attempt = 0; ; attempt++) {
    const port = await listenTcp(server, 0);
    const udp = createSocket('udp4');
    try {
      await bindUdp(udp, port);
    } catch (err) {
      udp.close();
      await new Promise<void>((r) => server.close(() => r()));
      if (attempt < 5) continue;
      throw err;
    }
    udp.on('message', (msg) => {
      if (!cut) udp.send(msg, target, '127.0.0.1');
    });
    udp.on('error', () => undefined);
    return {
      port,
      cut() {
        cut = true;
        for (const s of sockets) s.resetAndDestroy();
      },
      heal() {
        cut = false;
      },
      close: () =>
        new Promise<void>((resolve) => {
          for (const s of sockets) s.destroy();
          udp.close();
          server.close(() => resolve());
        }),
    };
  }
}
