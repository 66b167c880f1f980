// `host:port` addresses (IPv6 in brackets: `[::1]:7800`), as srpd's `bind`, `peer`,
// `management.listen` and the witness endpoints give them. The one parser of addresses for
// every package.
import { isIP } from 'node:net';

export interface HostPort {
  host: string;
  port: number;
}

/** The address, or the reason it is not one. Port 0 ("any free port") only with `allowZero`. */
export function parseHostPort(text: unknown, { allowZero }: { allowZero: boolean }): HostPort | string {
  if (typeof text !== 'string') return `must be host:port, got ${text === null ? 'null' : typeof text}`;
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text.trim());
  if (!m) return `must be host:port (IPv6 as [::1]:port), got '${text}'`;
  const host = m[1] ?? m[2] ?? '';
  const port = Number(m[3]);
  if (m[1] !== undefined && isIP(host) !== 6) return `must be host:port with an IPv6 address in the brackets, got '${text}'`;
  if (port > 65535) return `port ${port} is out of range 0..65535`;
  if (port === 0 && !allowZero) return 'port 0 is not allowed here: the peer needs a real port';
  return { host, port };
}

/** `host:port`, an IPv6 host in brackets. */
export function formatHostPort(hp: HostPort): string {
  return hp.host.includes(':') ? `[${hp.host}]:${hp.port}` : `${hp.host}:${hp.port}`;
}

/** True for 127.0.0.0/8, ::1, ::ffff:127.x.x.x and "localhost". */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** 0.0.0.0, :: or the empty host: every address of the machine. */
export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}
