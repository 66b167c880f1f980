// The Node options srpd runs with. V8 options cannot be changed once the process runs (setting
// a GC flag at run time aborts V8), so srpd's launchers pass them: bin/srpd.js, the Docker
// image, the lab, the benches and the tests' cluster all put SRPD_NODE_ARGS before the script.

/**
 * `--no-parallel-scavenge`: V8 collects the young generation on the thread that allocates, with
 * no helper threads. With helpers, the liveness worker's own young-generation collections can
 * wait for helper threads that the main thread keeps busy and a loaded host keeps off the CPU:
 * at hello 10 ms / dead 30 ms the worker, even at real-time priority, was measured not runnable
 * for 46 ms and the peer took over. The main thread keeps its concurrent marking and sweeping.
 *
 * `--single-threaded-gc` (every collection without helpers; it implies this) holds the worker
 * better still at hello intervals of a few tens of milliseconds, at a price in throughput and
 * replication lag that the README's Results measure; a launcher may pass it instead.
 */
export const SRPD_NODE_ARGS: readonly string[] = ['--no-parallel-scavenge'];

/** Below this dead interval srpd warns when its Hello thread cannot run at real-time priority. */
export const FAST_DEAD_INTERVAL_MS = 100;

/** Options that give what an SRPD_NODE_ARGS entry asks for as well (they imply it). */
const IMPLIED_BY: Readonly<Record<string, readonly string[]>> = {
  '--no-parallel-scavenge': ['--single-threaded-gc'],
};

/**
 * Of SRPD_NODE_ARGS, those this process was not started with, nor with an option implying it
 * (a later opposite undoes either: `--parallel-scavenge` after `--no-parallel-scavenge`).
 */
export function missingNodeArgs(execArgv: readonly string[] = process.execArgv): string[] {
  return SRPD_NODE_ARGS.filter((arg) => !nodeArgOn(arg, execArgv));
}

/**
 * This process runs with V8 option `arg` (or one implying it), not undone by a later opposite
 * (`--parallel-scavenge` after `--no-parallel-scavenge`).
 */
export function nodeArgOn(arg: string, execArgv: readonly string[] = process.execArgv): boolean {
  const opposite = arg.startsWith('--no-') ? `--${arg.slice(5)}` : `--no-${arg.slice(2)}`;
  const on = Math.max(...[arg, ...(IMPLIED_BY[arg] ?? [])].map((a) => execArgv.lastIndexOf(a)));
  return on > execArgv.lastIndexOf(opposite);
}
