// The Hello path in a process of its own (liveness.hello-path: process, the default): srpd forks
// hello-process.js with an IPC channel, sends it its settings, beats its watchdog by message, and
// keeps a copy of its board from the copies it sends. The child runs with --single-threaded-gc:
// its heap is a few MB, so its collections are short and never wait for helper threads that
// srpd's own collections or a loaded host keep busy.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beatEveryMs, helloScript, PostingChannel, type LivenessChannel } from './channel.js';
import { BOARD, processNowMs, type HelloProcessToMain, type LivenessSettings, type MainToHelloProcess, type MainToWorker } from './protocol.js';

/** The Hello process's Node options; srpd's own `--trace-gc` options are passed on. */
export function helloProcessNodeArgs(parent: readonly string[] = process.execArgv): string[] {
  return ['--single-threaded-gc', ...parent.filter((a) => a.startsWith('--trace-gc'))];
}

export class ProcessLivenessChannel extends PostingChannel implements LivenessChannel {
  readonly board: Float64Array;
  private child: ChildProcess | null = null;
  private beat: NodeJS.Timeout | null = null;
  private stopped: Promise<void> | null = null;

  constructor(private readonly settings: LivenessSettings) {
    super();
    this.board = new Float64Array(settings.board);
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const settings: Omit<LivenessSettings, 'board'> & { board?: SharedArrayBuffer } = { ...this.settings };
      delete settings.board; // not shared between processes: the child keeps its own
      const child = fork(fileURLToPath(helloScript('hello-process.js')), [], {
        execArgv: helloProcessNodeArgs(),
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      this.child = child;
      this.send({ type: 'init', settings });
      const first = this.lastStatus();
      if (first) this.post({ type: 'status', status: first }); // given before start()
      let ready = false;
      child.on('message', (msg: HelloProcessToMain) => {
        if (msg.type === 'board') {
          const beatAt = this.board[BOARD.mainBeatAt];
          this.board.set(msg.values);
          this.board[BOARD.mainBeatAt] = beatAt;
          return;
        }
        if (!ready && msg.type === 'ready') {
          ready = true;
          resolve();
        } else if (!ready && msg.type === 'failed') {
          reject(new Error(msg.message));
          return;
        }
        this.report(msg);
      });
      child.on('error', (err) => {
        if (!ready) reject(new Error(`cannot start the Hello process: ${err.message}`));
        else if (!this.stopped) this.report({ type: 'failed', message: `the Hello process failed: ${err.message}` });
      });
      child.on('exit', (code, signal) => {
        const how = signal ? `was killed by ${signal}` : `exited with ${code}`;
        if (!ready) reject(new Error(`the Hello process ${how} before it was ready`));
        else if (!this.stopped) this.report({ type: 'failed', message: `the Hello process ${how}` });
      });
      // The watchdog beat: while this thread turns, the Hello process vouches for the chassis.
      this.beat = setInterval(() => {
        const at = processNowMs();
        this.board[BOARD.mainBeatAt] = at;
        this.send({ type: 'beat', at });
      }, beatEveryMs(this.settings.watchdogMs));
      this.beat.unref();
    });
  }

  private send(msg: MainToHelloProcess): void {
    const c = this.child;
    if (c && c.connected) c.send(msg, (err) => void err); // a closed channel shows as 'exit'
  }

  protected post(msg: MainToWorker): void {
    this.send(msg);
  }

  where(): string {
    return this.child?.pid !== undefined ? `process ${this.child.pid}` : 'process (not started)';
  }

  stop(takeoverNow: boolean): Promise<void> {
    this.stopped ??= (async () => {
      if (this.beat) clearInterval(this.beat);
      const c = this.child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const done = new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        setTimeout(resolve, 1000).unref();
      });
      this.post({ type: 'stop', takeoverNow });
      await done;
      if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    })();
    return this.stopped;
  }
}
