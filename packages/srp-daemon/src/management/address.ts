// Management listen address: "host:port" (IPv6 as "[::1]:port"), loopback detection, and the
// default port shared by srpd (management.listen) and srpctl (--api).
import { isIP } from 'node:net';

export const DEFAULT_MANAGEMENT_PORT = 7800;
export const DEFAULT_MANAGEMENT_HOST = '127.0.0.1';
export const DEFAULT_MANAGEMENT_LISTEN = `${DEFAULT_MANAGEMENT_HOST}:${DEFAULT_MANAGEMENT_PORT}`;
export const DEFAULT_API_URL = `http://${DEFAULT_MANAGEMENT_LISTEN}`;

export interface ListenAddress {
  host: string;
  port: number;
}

export function parseListen(listen: string): ListenAddress {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(listen.trim());
  if (!m) throw new Error(`management listen address must be "host:port" (IPv6 as "[addr]:port"), got "${listen}"`);
  const host = (m[1] ?? m[2]);
  const port = Number(m[3]);
  if (port > 65535) throw new Error(`management listen port out of range: ${port}`);
  if (m[1] !== undefined && isIP(host) !== 6) throw new Error(`not an IPv6 address in brackets: "${host}"`);
  return { host, port };
}

/** True for 127.0.0.0/8, ::1, ::ffff:127.x.x.x and "localhost". */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

export function formatHostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}
