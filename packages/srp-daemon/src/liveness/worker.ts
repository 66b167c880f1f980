// The liveness worker thread (liveness.hello-path: thread): the Hello path of srpd on a thread of
// its process, apart from session work. The main thread starts it with LivenessSettings as
// workerData (liveness/channel.ts) and talks to it with MainToWorker / WorkerToMain messages.
import { parentPort, workerData } from 'node:worker_threads';
import type { LivenessSettings } from './protocol.js';
import { runHelloPath } from './run.js';

const port = parentPort;
if (!port) throw new Error('liveness worker started outside a worker thread');
await runHelloPath(workerData as LivenessSettings, {
  post: (msg) => port.postMessage(msg),
  onMessage: (cb) => port.on('message', cb),
  close: () => port.close(),
});
