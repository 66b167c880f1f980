// An SRP port seen as an attacker on the network sees it: connect, record the first frame the
// daemon sends (its Capabilities), play recorded bytes to another port. Real TCP, no keys.
import { connect, type Socket } from 'node:net';

const HEADER = 18;
const TAG = 32;

/** Connects to host:port (from `localAddress` when given) and resolves with the connected socket. */
export function open(port: number, host = '127.0.0.1', localAddress?: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ port, host, ...(localAddress ? { localAddress } : {}) }, () => resolve(s));
    s.once('error', reject);
  });
}

/** The first whole frame `port` sends to a new connection (its Capabilities), then hangs up. */
export async function recordFirstFrame(port: number, host = '127.0.0.1', from?: string): Promise<Buffer> {
  const s = await open(port, host, from);
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      let buf = Buffer.alloc(0);
      const timer = setTimeout(() => reject(new Error(`no frame from port ${port} within 5 s`)), 5000);
      s.on('data', (chunk: Buffer) => {
        buf = Buffer.concat([buf, chunk]);
        if (buf.length >= HEADER) {
          const size = HEADER + buf.readUInt32BE(14) + TAG;
          if (buf.length >= size) {
            clearTimeout(timer);
            resolve(buf.subarray(0, size));
          }
        }
      });
      s.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  } finally {
    s.destroy();
  }
}

/**
 * Writes `bytes` to a new connection to `port`, keeps it open for `holdMs` (reading whatever
 * comes back), then closes it. Resolves when the connection is gone.
 */
export async function play(port: number, bytes: Buffer, holdMs = 0, host = '127.0.0.1', from?: string): Promise<void> {
  let s: Socket;
  try {
    s = await open(port, host, from);
  } catch {
    return;
  }
  await new Promise<void>((resolve) => {
    s.on('data', () => undefined);
    s.once('close', () => resolve());
    s.once('error', () => resolve());
    s.write(bytes);
    setTimeout(() => s.end(), holdMs);
    setTimeout(() => s.destroy(), holdMs + 3000).unref();
  });
}
