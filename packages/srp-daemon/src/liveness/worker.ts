// The liveness worker thread: the Hello path of srpd, apart from session work. The main thread
// starts it with LivenessSettings as workerData (liveness/channel.ts) and talks to it with
// MainToWorker / WorkerToMain messages. Its timers run on the process monotonic clock.
import { parentPort, workerData } from 'node:worker_threads';
import type { Clock } from '@srp-ha/common';
import { LivenessEngine } from './engine.js';
import { processNowMs, type LivenessSettings, type MainToWorker, type WorkerToMain } from './protocol.js';
import { openUdpPort } from './udp.js';

const clock: Clock = {
  now: processNowMs,
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('liveness worker started outside a worker thread');
  const post = (msg: WorkerToMain): void => port.postMessage(msg);
  const settings = workerData as LivenessSettings;
  let udp;
  try {
    udp = await openUdpPort(settings.bind, settings.peer);
  } catch (err) {
    post({ type: 'failed', message: `cannot bind UDP ${settings.bind.host}:${settings.bind.port} for Hellos: ${(err as Error).message}` });
    return;
  }
  const literalPeer = udp.peerAddresses().size > 0;
  const engine = new LivenessEngine({
    settings,
    clock,
    port: udp,
    post,
    // With a literal peer address (or a resolved name), Hellos from anywhere else are refused
    // before any work.
    acceptFrom: () => (literalPeer || udp.peerAddresses().size > 0 ? udp.peerAddresses() : null),
  });
  port.on('message', (msg: MainToWorker) => {
    switch (msg.type) {
      case 'status':
        engine.setStatus(msg.status);
        break;
      case 'send-now':
        engine.sendNow();
        break;
      case 'keys':
        engine.setKeys(msg.keys);
        break;
      case 'reboot':
        engine.reboot(msg.bootId);
        break;
      case 'stop':
        engine.stop(msg.takeoverNow);
        post({ type: 'stopped' });
        port.close();
        break;
    }
  });
  post({ type: 'ready', port: settings.bind.port });
  engine.start();
}

await main();
