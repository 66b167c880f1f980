// Free ports chosen by the kernel: bind host:0, read the port, close. A daemon restarted by the
// lab keeps the ports it had, so its URLs stay the same for the whole run.
import { createServer, type AddressInfo } from 'node:net';

export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** `n` distinct free ports (held open together so the kernel cannot hand out one twice). */
export async function freePorts(n: number, host = '127.0.0.1'): Promise<number[]> {
  const held = await holdPorts(n, host);
  await held.release();
  return held.ports;
}

/**
 * `n` distinct free ports, held open until release(): what else binds a port of its own
 * meanwhile (a proxy on port 0) cannot be handed one of them.
 */
export async function holdPorts(n: number, host = '127.0.0.1'): Promise<{ ports: number[]; release: () => Promise<void> }> {
  const servers = await Promise.all(
    Array.from({ length: n }, async () => {
      const s = createServer();
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(0, host, () => resolve());
      });
      return s;
    }),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  const release = async (): Promise<void> => {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  };
  return { ports, release };
}
