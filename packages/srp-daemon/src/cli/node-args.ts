// The Node options srpd runs with. V8 options cannot be changed once the process runs (setting
// a GC flag at run time aborts V8), so srpd's launchers pass them: bin/srpd.js, the Docker
// image, the lab, the benches and the tests' cluster all put SRPD_NODE_ARGS before the script.

/**
 * `--single-threaded-gc`: V8 collects garbage on the thread that allocates, with no helper
 * threads. With helpers, the liveness worker's own small collections wait for helper threads
 * that the main thread's collections of a large table keep busy, and those helpers are ordinary
 * threads that a loaded host leaves off the CPU: the worker, even at real-time priority, was
 * measured not runnable for 46 ms against a 30 ms dead interval, and the peer took over.
 * Without helpers nothing the main thread does can hold the worker. The main thread's own
 * collections lose their parallel helpers (on this 2-core machine the 1M-session load ran
 * faster without them: 26.7 s against 32.1 s).
 */
export const SRPD_NODE_ARGS: readonly string[] = ['--single-threaded-gc'];

/** Of SRPD_NODE_ARGS, those this process was not started with (a later --no-X undoes --X). */
export function missingNodeArgs(execArgv: readonly string[] = process.execArgv): string[] {
  return SRPD_NODE_ARGS.filter((arg) => {
    const negated = `--no-${arg.slice(2)}`;
    return execArgv.lastIndexOf(arg) <= execArgv.lastIndexOf(negated);
  });
}
