// The UDP side of the liveness channel: a socket bound to the SRP link's host:port (UDP and TCP
// port numbers are separate spaces), sending to the peer's host:port. A peer given by name is
// resolved at start and again every few seconds, so a container that moves is followed.
import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { DatagramPort } from './engine.js';

const RESOLVE_EVERY_MS = 5000;

export interface UdpPort extends DatagramPort {
  /** The addresses the peer's name resolved to (a literal address: itself). */
  peerAddresses(): ReadonlySet<string>;
}

function familyOf(host: string): 'udp4' | 'udp6' {
  return isIP(host) === 6 ? 'udp6' : 'udp4';
}

/** Binds the socket; rejects with the bind error (EADDRINUSE, EADDRNOTAVAIL, ...). */
export async function openUdpPort(bind: { host: string; port: number }, peer: { host: string; port: number }): Promise<UdpPort> {
  const socket: Socket = createSocket({ type: familyOf(bind.host) });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(bind.port, bind.host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  let target = peer.host;
  let addresses = new Set<string>(isIP(peer.host) ? [peer.host] : []);
  let resolver: NodeJS.Timeout | null = null;
  const resolveName = async (): Promise<void> => {
    try {
      const all = await lookup(peer.host, { all: true, family: familyOf(bind.host) === 'udp6' ? 6 : 4 });
      if (all.length > 0) {
        addresses = new Set(all.map((a) => a.address));
        target = all[0].address;
      }
    } catch {
      // Not resolvable now (the peer's container is not up yet): keep trying.
    }
  };
  if (!isIP(peer.host)) {
    await resolveName();
    resolver = setInterval(() => void resolveName(), RESOLVE_EVERY_MS);
    resolver.unref();
  }
  // A send error (no route, the peer's port closed: ICMP) is a lost datagram, nothing more.
  socket.on('error', () => undefined);
  return {
    send(bytes) {
      socket.send(bytes, peer.port, target, () => undefined);
    },
    onDatagram(cb) {
      socket.on('message', (msg, rinfo) => cb(msg, { address: rinfo.address, port: rinfo.port }));
    },
    close() {
      if (resolver) clearInterval(resolver);
      socket.close();
    },
    peerAddresses: () => addresses,
  };
}
