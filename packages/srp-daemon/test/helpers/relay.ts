// A relay in front of one SRP port, so that a test can drop the real link: TCP connections are
// piped to the target, and UDP datagrams arriving on the same port are sent on to the target's
// port (one in, one out). bounce() resets every TCP connection at once, as a link that drops and
// comes straight back; new connections go through as before.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export class Relay {
  private readonly pipes = new Set<[Socket, Socket]>();
  bounces = 0;

  private constructor(
    private readonly server: Server,
    private readonly udp: UdpSocket,
    readonly port: number,
  ) {}

  static async start(target: { host: string; port: number }, host = '127.0.0.1'): Promise<Relay> {
    const server = createServer({ noDelay: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    const udp = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(port, host, () => resolve());
    });
    const relay = new Relay(server, udp, port);
    udp.on('message', (msg) => udp.send(msg, target.port, target.host));
    udp.on('error', () => undefined);
    server.on('connection', (client) => relay.pipe(client, target));
    return relay;
  }

  private pipe(client: Socket, target: { host: string; port: number }): void {
    const upstream = connect({ host: target.host, port: target.port, noDelay: true });
    const pair: [Socket, Socket] = [client, upstream];
    this.pipes.add(pair);
    const close = (): void => {
      this.pipes.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const s of pair) {
      s.on('error', close);
      s.on('close', close);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }

  /** Resets every connection through the relay (RST both ways). */
  bounce(): number {
    this.bounces++;
    const n = this.pipes.size;
    for (const [a, b] of [...this.pipes]) {
      a.resetAndDestroy();
      b.resetAndDestroy();
    }
    return n;
  }

  async close(): Promise<void> {
    this.bounce();
    this.udp.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
