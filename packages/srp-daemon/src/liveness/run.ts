// The Hello path's own side, wherever it runs (worker.ts: a thread of srpd; hello-process.ts: a
// process of its own): opens the UDP port, runs the LivenessEngine, and answers the main thread's
// messages. Its timers run on the system's monotonic clock.
import { spawnSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
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

/** How the Hello path talks to the main thread. */
export interface MainEnd {
  post(msg: WorkerToMain): void;
  /** Hands the main thread's messages to `cb` (those that came before it, first). */
  onMessage(cb: (msg: MainToWorker) => void): void;
  /** After the last Hello: no more messages either way. */
  close(): void;
}

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

/**
 * Runs the Hello path until the main thread says stop. `mainHeld`: why the main thread cannot
 * turn although its watchdog has not run out yet (its process is stopped), or null.
 */
export async function runHelloPath(settings: LivenessSettings, end: MainEnd, mainHeld?: () => string | null): Promise<void> {
  let udp;
  try {
    udp = await openUdpPort(settings.bind, settings.peer);
  } catch (err) {
    end.post({ type: 'failed', message: `cannot bind UDP ${settings.bind.host}:${settings.bind.port} for Hellos: ${(err as Error).message}` });
    return;
  }
  const literalPeer = udp.peerAddresses().size > 0;
  const engine = new LivenessEngine({
    settings,
    clock,
    port: udp,
    post: (msg) => end.post(msg),
    // With a literal peer address (or a resolved name), Hellos from anywhere else are refused
    // before any work.
    acceptFrom: () => (literalPeer || udp.peerAddresses().size > 0 ? udp.peerAddresses() : null),
    cpu: new CpuAccount(),
    ...(mainHeld ? { mainHeld } : {}),
  });
  end.onMessage((msg) => {
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
        end.post({ type: 'stopped' });
        end.close();
        break;
    }
  });
  if (settings.realtimePriority !== null) end.post({ type: 'priority', ...realtime(settings.realtimePriority) });
  end.post({ type: 'ready', port: settings.bind.port });
  engine.start();
}
