// The Hello path in a process of its own (liveness.hello-path: process, the default). srpd forks
// it (process-channel.ts) with an IPC channel; its heap, collector and address space share
// nothing with the session work, so neither a collection of srpd's heap nor srpd's memory
// mapping can hold a Hello back. It vouches for srpd only while srpd lives and turns: it exits
// the moment srpd's end of the channel closes (srpd died), stops its Hellos while srpd's process
// is stopped (SIGSTOP), and, as the thread does, while srpd's main thread misses its watchdog.
import { closeSync, openSync, readSync } from 'node:fs';
import { BOARD, BOARD_SLOTS, newBoard, processNowMs, type HelloProcessToMain, type MainToHelloProcess, type MainToWorker, type WorkerToMain } from './protocol.js';
import { runHelloPath } from './run.js';

const send = (msg: HelloProcessToMain, then?: () => void): void => {
  if (process.connected) process.send?.(msg, undefined, {}, then);
};

/**
 * Why srpd's process cannot turn although its watchdog has not run out: it is stopped (state T,
 * or t under a tracer, in /proc/PID/stat), or null. Read at every Hello beat.
 */
function stoppedCheck(pid: number): () => string | null {
  let fd: number | null = null;
  try {
    fd = openSync(`/proc/${pid}/stat`, 'r');
  } catch {
    return () => null; // no /proc: the watchdog alone notices
  }
  const buf = Buffer.alloc(512);
  return () => {
    if (fd === null) return null;
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, 0);
    } catch {
      closeSync(fd);
      fd = null;
      return null;
    }
    const text = buf.toString('latin1', 0, n);
    const state = text[text.lastIndexOf(')') + 2];
    return state === 'T' || state === 't' ? `srpd's process ${pid} is stopped (state ${state}): Hellos stop` : null;
  };
}

function main(): void {
  if (!process.send) throw new Error('the Hello process must be started by srpd (it needs the IPC channel)');
  // srpd died (kill -9 included: the kernel closes its end): no Hello may outlive it.
  process.on('disconnect', () => process.exit(0));
  // Its life is srpd's: a signal to the process group (Ctrl-C, a supervisor's SIGTERM) is for
  // srpd, which stops gracefully and sends the last Hello, with the goodbye flag, through here.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => undefined);
  const board = new Float64Array(newBoard());
  const copy = (): number[] => Array.from(board.subarray(0, BOARD_SLOTS));
  let sentAt = 0;
  const post = (msg: WorkerToMain): void => {
    sentAt = processNowMs();
    send({ ...msg, board: copy() });
  };
  const early: MainToWorker[] = [];
  let deliver: ((msg: MainToWorker) => void) | null = null;
  let boardTimer: NodeJS.Timeout | null = null;
  process.on('message', (msg: MainToHelloProcess) => {
    if (msg.type === 'beat') board[BOARD.mainBeatAt] = msg.at;
    else if (msg.type === 'init') {
      const settings = { ...msg.settings, board: board.buffer };
      board[BOARD.mainBeatAt] = processNowMs();
      // srpd reads the board for show commands and metrics: each report carries a copy, and
      // a copy goes on its own when the board changed and nothing went for 100 ms.
      let last = '';
      boardTimer = setInterval(() => {
        const values = copy();
        const key = values.join(',');
        if (key !== last && processNowMs() - sentAt >= 100) {
          last = key;
          sentAt = processNowMs();
          send({ type: 'board', board: values });
        }
      }, 100);
      void runHelloPath(
        settings,
        {
          post,
          onMessage: (cb) => {
            deliver = cb;
            for (const m of early.splice(0)) cb(m);
          },
          close: () => {
            if (boardTimer) clearInterval(boardTimer);
            // The last board, then the channel closes ('disconnect': exit) once it went out.
            send({ type: 'board', board: copy() }, () => process.disconnect());
          },
        },
        stoppedCheck(process.ppid),
      );
    } else if (deliver) deliver(msg);
    else early.push(msg);
  });
}

main();
