// A full garbage collection from inside, without --expose-gc on the command line.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gcFn: (() => void) | null = null;

export function fullGc(): void {
  if (!gcFn) {
    setFlagsFromString('--expose-gc');
    gcFn = runInNewContext('gc') as () => void;
  }
  gcFn();
}

/** Heap used plus memory outside the heap (ArrayBuffers and other external memory), after a full GC. */
export function memoryNow(): { heap: number; offHeap: number } {
  fullGc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, offHeap: m.external };
}
