// The Hello path in a process of its own (liveness.hello-path: process, the default). srpd forks
// it (process-channel.ts) with an IPC channel; its heap, collector and address space share
// nothing with the session work, so neither a collection of srpd's heap nor srpd's memory
// mapping can hold a Hello back. It vouches for srpd only while srpd lives and turns: it exits
// the moment srpd's end of the channel closes (srpd died), stops its Hellos while srpd's process
// is stopped (SIGSTOP) or exiting (kill -9: before the channel closes), and, as the thread does,
// while srpd's main thread misses its watchdog.
import { closeSync, openSync, readSync } from 'node:fs';
import { BOARD, BOARD_SLOTS, newBoard, processNowMs, type HelloProcessToMain, type MainToHelloProcess, type MainToWorker, type WorkerToMain } from './protocol.js';
import { runHelloPath } from './run.js';

const send = (msg: HelloProcessToMain, then?: () => void): void => {
  if (process.connected) process.send?.(msg, undefined, {}, then);
};

/** A task flag of /proc/PID/stat (field 9): the task has begun to exit (include/linux/sched.h). */
const PF_EXITING = 0x4;

/**
 * Why srpd's process cannot turn although its watchdog has not run out, or null: it is stopped
 * (state T, or t under a tracer), or it has begun to exit (kill -9 included). Read from
 * /proc/PID/stat at every Hello beat. The kernel closes a killed process's files (its end of
 * the channel) only after it has torn down its address space: with the channel alone, the
 * takeover bench (1M sessions, 10/30 ms) saw the peer's verdict 67-93 ms after the kill instead
 * of 22-38 ms, the Hello process vouching for a dead srpd all that while.
 */
function heldCheck(pid: number): () => string | null {
  let fd: number | null = null;
  try {
    fd = openSync(`/proc/${pid}/stat`, 'r');
  } catch {
    return () => null; // no /proc: the watchdog and the channel alone notice
  }
  const buf = Buffer.alloc(512);
  return () => {
    if (fd === null) return `srpd's process ${pid} is gone: Hellos stop`;
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, 0);
    } catch {
      closeSync(fd);
      fd = null;
      return `srpd's process ${pid} is gone: Hellos stop`;
    }
    const text = buf.toString('latin1', 0, n);
    // After "(comm) ": state ppid pgrp session tty_nr tpgid flags ...
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const state = fields[0];
    if (state === 'T' || state === 't') return `srpd's process ${pid} is stopped (state ${state}): Hellos stop`;
    if (state === 'Z' || state === 'X' || (Number(fields[6]) & PF_EXITING) !== 0) return `srpd's process ${pid} is exiting: Hellos stop`;
    return null;
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
        heldCheck(process.ppid),
      );
    } else if (deliver) deliver(msg);
    else early.push(msg);
  });
}

main();
