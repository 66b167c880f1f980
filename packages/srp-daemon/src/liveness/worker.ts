// The liveness worker thread: the Hello path of srpd, apart from session work. The main thread
// starts it with LivenessSettings as workerData (liveness/channel.ts) and talks to it with
// MainToWorker / WorkerToMain messages. Its timers run on the process monotonic clock.
import { spawnSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { Clock } from '@srp-ha/common';
import { CpuAccount } from './cpu-account.js';
import { LivenessEngine } from './engine.js';
import { processNowMs, type LivenessSettings, type MainToWorker, type WorkerToMain } from './protocol.js';
import { openUdpPort } from './udp.js';

const clock: Clock = {
  now: processNowMs,
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/**
 * Puts this thread under SCHED_RR at `priority` (chrt on its thread id, as keepalived's
 * vrrp_rt_priority does for its adverts): on a loaded host an ordinary thread can wait longer
 * than a short dead interval for a core, and its peer takes over. Needs CAP_SYS_NICE.
 */
function realtime(priority: number): { ok: boolean; detail: string } {
  let tid: string;
  try {
    tid = readlinkSync('/proc/thread-self').split('/').pop() ?? '';
  } catch (err) {
    return { ok: false, detail: `no thread id (/proc/thread-self: ${(err as Error).message})` };
  }
  const r = spawnSync('chrt', ['--rr', '--pid', String(priority), tid], { encoding: 'utf8', timeout: 5000 });
  if (r.error) return { ok: false, detail: `chrt: ${r.error.message}` };
  if (r.status !== 0) return { ok: false, detail: `chrt exited ${r.status}: ${(r.stderr || r.stdout).trim()}` };
  return { ok: true, detail: `thread ${tid} runs SCHED_RR at priority ${priority}` };
}

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
    cpu: new CpuAccount(),
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
  if (settings.realtimePriority !== null) post({ type: 'priority', ...realtime(settings.realtimePriority) });
  post({ type: 'ready', port: settings.bind.port });
  engine.start();
}

await main();
