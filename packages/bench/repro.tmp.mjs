import { DaemonPair, waitFor, sleep } from '/work/main/packages/bench/dist/src/pair.js';
import { SessionDriver } from '/work/main/packages/bench/dist/src/driver.js';
import { JsonText } from '@srp-ha/srp-daemon/client';
const N = +(process.argv[2] ?? 200000), STOP = +(process.argv[3] ?? 400);
const pair = await DaemonPair.create({ helloInterval: '200ms', deadInterval: '1000ms', logDir: '/tmp/repro' });
try {
  await Promise.all([pair.a.start(), pair.b.start()]);
  let [active, standby] = await pair.settled(true);
  const driver = new SessionDriver(N, 'realistic', 0);
  await driver.load((body) => active.api.json('POST', '/v1/sessions', new JsonText(body)));
  console.log('loaded', N);
  await standby.kill(); await standby.start();
  // wait until the Standby holds some but not all
  await waitFor('partial', async () => { const i = await standby.info(); const s = (await standby.api.call('GET /v1/sessions/summary')).count; return s > N / 10 ? s : null; }, 60000, 20);
  const pid = active.pid; process.kill(pid, 'SIGSTOP'); await sleep(STOP); process.kill(pid, 'SIGCONT');
  await sleep(3000);
  const [ia, ib] = await Promise.all([active.info(), standby.info()]);
  const [sa, sb] = await Promise.all([active.api.call('GET /v1/sessions/summary'), standby.api.call('GET /v1/sessions/summary')]);
  console.log('old active:', ia.state, sa.count, ' restarted:', ib.state, sb.count);
} finally { await pair.stop(); }
