// Running the container tools (docker, docker-compose, debootstrap, chromium, apt-get) as child
// processes: asynchronous, so a test can poll the daemons' APIs while a command runs; bounded
// in time; their output kept for the error message. One error class for the whole family.
import { spawn, spawnSync } from 'node:child_process';

export type ContainerErrorCode =
  | 'SRP_CTR_COMMAND_FAILED' // a tool exited non-zero
  | 'SRP_CTR_TIMEOUT' // a tool or a wait took longer than its bound
  | 'SRP_CTR_NOT_FOUND' // a tool is not installed
  | 'SRP_CTR_ENGINE' // no engine could be found or started
  | 'SRP_CTR_SUBNET_BUSY' // the lab's SRP subnet is routed on this host already
  | 'SRP_CTR_BAD_ARGUMENT'; // a caller passed something unusable

export class ContainerError extends Error {
  override readonly name = 'ContainerError';
  constructor(
    readonly code: ContainerErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Bytes written to the tool's stdin. */
  input?: string | Buffer;
  /** Default 120 s; the tool gets SIGTERM, then SIGKILL 5 s later. */
  timeoutMs?: number;
  /** Called with every chunk of output (progress of long builds). */
  onOutput?: (chunk: string) => void;
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

const KEEP = 64 * 1024;
const keepTail = (s: string): string => (s.length > KEEP ? s.slice(-KEEP) : s);

/** Runs `cmd args`; resolves with its exit status and output (never rejects on a non-zero exit). */
export function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }, timeoutMs);
    child.stdout?.on('data', (d: Buffer) => {
      const s = d.toString();
      stdout = keepTail(stdout + s);
      opts.onOutput?.(s);
    });
    child.stderr?.on('data', (d: Buffer) => {
      const s = d.toString();
      stderr = keepTail(stderr + s);
      opts.onOutput?.(s);
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    child.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const code = err.code === 'ENOENT' ? 'SRP_CTR_NOT_FOUND' : 'SRP_CTR_COMMAND_FAILED';
      reject(new ContainerError(code, `${cmd}: ${err.message}`, { cause: err }));
    });
    child.once('close', (status, signal) => {
      clearTimeout(timer);
      if (timedOut) {
        reject(new ContainerError('SRP_CTR_TIMEOUT', `${cmd} ${args.join(' ')}: no result within ${timeoutMs} ms\n${stderr.slice(-2000)}`));
        return;
      }
      resolve({ status: status ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

/** Like run(), but a non-zero exit is a ContainerError carrying the end of stderr. */
export async function must(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
  const r = await run(cmd, args, opts);
  if (r.status !== 0) {
    const tail = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-15).join('\n');
    throw new ContainerError('SRP_CTR_COMMAND_FAILED', `${cmd} ${args.join(' ')} exited ${r.status}:\n${tail}`);
  }
  return r.stdout;
}

/** Absolute path of a command in PATH (or in the sbin directories root has), or null. */
export function which(cmd: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v "$1"`, 'sh', cmd], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` },
  });
  const out = r.stdout.trim();
  return r.status === 0 && out !== '' ? out : null;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` every `everyMs` until it returns a non-null value; a timeout names `what`. */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | null>, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const v = await probe();
      if (v !== null) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const why = last instanceof Error ? `: ${last.message}` : '';
      throw new ContainerError('SRP_CTR_TIMEOUT', `${what}: not within ${timeoutMs} ms${why}`);
    }
    await sleep(everyMs);
  }
}
