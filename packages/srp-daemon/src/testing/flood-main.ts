// Runs a Flood in a process of its own, so that it does not starve the process that judges the
// pair (its pollers, relays and proxies):
//   node flood-main.js --target HOST:PORT [--target ...] [--rate N] [--source ADDR ...] [--seconds S]
// Floods until --seconds have passed or SIGTERM/SIGINT, then prints its FloodStats as one JSON line.
import { parseArgs } from 'node:util';
import { Flood, type Endpoint } from './attacks.js';

function endpoint(text: string): Endpoint {
  const m = /^(.+):(\d+)$/.exec(text);
  if (!m) throw new Error(`--target must be host:port, got ${text}`);
  return { host: m[1], port: Number(m[2]) };
}

const { values } = parseArgs({
  options: {
    target: { type: 'string', multiple: true },
    source: { type: 'string', multiple: true },
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '30' },
  },
});
const flood = new Flood({
  targets: (values.target ?? []).map(endpoint),
  rate: Number(values.rate),
  ...(values.source ? { sources: values.source } : {}),
});
if ((values.target ?? []).length === 0 || !(Number(values.rate) > 0)) {
  process.stderr.write('flood: --target HOST:PORT and a positive --rate are required\n');
  process.exit(2);
}
let done = false;
const finish = async (): Promise<void> => {
  if (done) return;
  done = true;
  const stats = await flood.stop();
  process.stdout.write(`${JSON.stringify(stats)}\n`);
  process.exit(0);
};
flood.start();
process.stdout.write('{"started":true}\n');
setTimeout(() => void finish(), Number(values.seconds) * 1000);
process.on('SIGTERM', () => void finish());
process.on('SIGINT', () => void finish());
