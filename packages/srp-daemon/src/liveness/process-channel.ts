// The Hello path in a process of its own (liveness.hello-path: process, the default): srpd forks
// hello-process.js with an IPC channel, sends it its settings, beats its watchdog by message, and
// keeps a copy of its board from the copies it sends. The child runs with --single-threaded-gc:
// its heap is a few MB, so its collections are short and never wait for helper threads that
// srpd's own collections or a loaded host keep busy.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { helloScript, PostingChannel, type LaunchEvents } from './channel.js';
import { BOARD, type HelloProcessToMain, type LivenessSettings, type MainToHelloProcess, type MainToWorker } from './protocol.js';

/** The Hello process's Node options; srpd's own `--trace-gc` options are passed on. */
export function helloProcessNodeArgs(parent: readonly string[] = process.execArgv): string[] {
  return ['--single-threaded-gc', ...parent.filter((a) => a.startsWith('--trace-gc'))];
}

export class ProcessLivenessChannel extends PostingChannel {
  private child: ChildProcess | null = null;

  constructor(settings: LivenessSettings) {
    super(settings, 'the Hello process');
  }

  protected launch(on: LaunchEvents): void {
    const settings: Omit<LivenessSettings, 'board'> & { board?: SharedArrayBuffer } = { ...this.settings };
    delete settings.board; // not shared between processes: the child keeps its own
    const child = fork(fileURLToPath(helloScript('hello-process.js')), [], {
      execArgv: helloProcessNodeArgs(),
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child = child;
    this.send({ type: 'init', settings });
    child.on('message', (msg: HelloProcessToMain) => {
      const beatAt = this.board[BOARD.mainBeatAt];
      this.board.set(msg.board);
      this.board[BOARD.mainBeatAt] = beatAt;
      if (msg.type !== 'board') on.message(msg);
    });
    child.on('error', (err) => on.failed(err));
    child.on('exit', (code, signal) => on.ended(signal ? `was killed by ${signal}` : `exited with ${code}`));
  }

  private running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  private send(msg: MainToHelloProcess): void {
    const c = this.child;
    if (c && c.connected) c.send(msg, (err) => void err); // a closed channel shows as 'exit'
  }

  protected post(msg: MainToWorker): void {
    this.send(msg);
  }

  protected beatAt(at: number): void {
    this.send({ type: 'beat', at });
  }

  protected ended(): Promise<void> {
    const c = this.child;
    if (!c || !this.running()) return Promise.resolve();
    return new Promise((resolve) => c.once('exit', () => resolve()));
  }

  protected kill(): Promise<void> {
    if (this.running()) this.child?.kill('SIGKILL');
    return Promise.resolve();
  }

  where(): string {
    return this.child?.pid !== undefined ? `process ${this.child.pid}` : 'process (not started)';
  }
}
