// A chassis reduced to its witness, as a child process the tests can kill -9: it acquires the
// pair's key and prints every status change as one JSON line on stdout. Run from dist/ (node
// dist/test/helpers/witness-holder.js ENDPOINT KEY-PREFIX PAIR CHASSIS-ID LEASE-TTL-MS).
import { pino } from 'pino';
import { parseHostPort } from '@srp-ha/common';
import { EtcdWitness } from '../../src/witness/etcd.js';

const [endpoint, keyPrefix, pair, chassisId, ttl] = process.argv.slice(2);
const hp = parseHostPort(endpoint, { allowZero: false });
if (typeof hp === 'string' || !keyPrefix || !pair || !chassisId || !ttl) {
  process.stderr.write('usage: witness-holder ENDPOINT KEY-PREFIX PAIR CHASSIS-ID LEASE-TTL-MS\n');
  process.exit(2);
}
// Its log goes to stderr (level from WITNESS_LOG, default warn).
const logger = pino({ level: process.env['WITNESS_LOG'] ?? 'warn' }, pino.destination(2));
const w = new EtcdWitness({ endpoints: [hp], keyPrefix, pair, chassisId, leaseTtlMs: Number(ttl), logger });
w.onStatus((s) => process.stdout.write(`${JSON.stringify(s)}\n`));
w.acquire();
// Kept alive by this interval (the witness's own timers are unref()ed); SIGTERM stops it cleanly.
const keep = setInterval(() => undefined, 1000);
process.once('SIGTERM', () => {
  clearInterval(keep);
  void w.stop().then(() => process.exit(0));
});
