// The UDP half of the fault proxy: a datagram socket bound to the proxy's port that sends every
// datagram it receives on to the target's port, from the same socket (one in, one out; srpd's
// Hellos need no reply path). `allow()` is asked per datagram: false drops it.
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { ProxyTarget } from './proxy.js';

export class UdpRelay {
  private relayed = 0;
  private dropped = 0;

  private constructor(
    private readonly socket: Socket,
    private readonly target: () => ProxyTarget,
    private readonly allow: () => boolean,
  ) {
    socket.on('message', (msg) => this.onMessage(msg));
    socket.on('error', () => {
      /* a send error (target gone) loses that datagram, as the network would */
    });
  }

  static async start(host: string, port: number, target: () => ProxyTarget, allow: () => boolean): Promise<UdpRelay> {
    const socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4' });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new UdpRelay(socket, target, allow);
  }

  stats(): { relayed: number; dropped: number } {
    return { relayed: this.relayed, dropped: this.dropped };
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private onMessage(msg: Buffer): void {
    if (!this.allow()) {
      this.dropped++;
      return;
    }
    const { host, port } = this.target();
    this.relayed++;
    this.socket.send(msg, port, host);
  }
}
