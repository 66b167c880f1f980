/**
 * Off-heap storage for small byte records: slabs of 1 MiB, carved by a bump pointer, with one
 * free list per size class (multiples of 8 bytes up to MAX_RECORD), so a record that is
 * rewritten reuses the chunk another one of its size let go.
 *
 * The Standby keeps each session's attributes and counters here, encoded, instead of as a
 * handful of heap objects (arena records hold no pointers: the garbage collector never visits
 * them, and an update allocates nothing it has to copy). See packed.ts.
 *
 * A record is named by its address: slab index * SLAB_BYTES + offset, below 2^31 (a small
 * integer in V8) for up to 2047 slabs (2 GiB).
 */

const SLAB_SHIFT = 20;
export const SLAB_BYTES = 1 << SLAB_SHIFT;
/** The most slabs an arena may hold: addresses stay below 2^31. */
export const MAX_SLABS = 2047;
/**
 * Size classes are multiples of GRAIN bytes: 8, so a record wastes 3.5 bytes on average to the
 * rounding (7.5 with 16: 4 B per session more on a Standby of 1M).
 */
export const GRAIN_SHIFT = 3;
export const GRAIN = 1 << GRAIN_SHIFT;
/** The largest record the arena holds; larger ones are the caller's to keep elsewhere. */
export const MAX_RECORD = 1024;

export interface ArenaStats {
  /** Slabs allocated (each SLAB_BYTES). */
  slabs: number;
  /** Bytes of the chunks handed out and not released (rounded to the size class). */
  bytesInUse: number;
  /** Bytes of released chunks waiting on the free lists. */
  bytesFree: number;
}

export class ByteArena {
  /** `maxSlabs`: the arena's size limit, in slabs (at most MAX_SLABS). */
  constructor(private readonly maxSlabs = MAX_SLABS) {
    if (!Number.isInteger(maxSlabs) || maxSlabs < 1 || maxSlabs > MAX_SLABS) throw new RangeError(`maxSlabs must be 1..${MAX_SLABS}`);
  }

  /** Slabs as Buffers (Uint8Arrays with Node's fast UTF-8 slicing). */
  readonly slabs: Buffer[] = [];
  private top = SLAB_BYTES; // no slab yet: the first alloc starts one
  /**
   * Free chunks per size class: stacks in typed arrays (off the heap: a stack that grows by a
   * few hundred thousand entries, when many records move to another class, is not a large JS
   * array for the scavenger to promote and the next major GC to mark).
   */
  private readonly free: Int32Array[] = Array.from({ length: (MAX_RECORD >> GRAIN_SHIFT) + 1 }, () => new Int32Array(16));
  private readonly freeN = new Int32Array((MAX_RECORD >> GRAIN_SHIFT) + 1);
  private inUse = 0;
  private freeBytes = 0;

  /** Address of a chunk of at least `n` bytes (1..MAX_RECORD); throws when the arena is full. */
  alloc(n: number): number {
    const addr = this.tryAlloc(n);
    if (addr < 0) throw new RangeError(`arena full (${this.maxSlabs} slabs of ${SLAB_BYTES} bytes)`);
    return addr;
  }

  /** alloc(), or -1 when the arena is full. */
  tryAlloc(n: number): number {
    if (n < 1 || n > MAX_RECORD) throw new RangeError(`arena record of ${n} bytes (1..${MAX_RECORD})`);
    const cls = (n + GRAIN - 1) >> GRAIN_SHIFT;
    const size = cls << GRAIN_SHIFT;
    const k = this.freeN[cls];
    if (k > 0) {
      this.inUse += size;
      this.freeBytes -= size;
      this.freeN[cls] = k - 1;
      return this.free[cls][k - 1];
    }
    if (this.top + size > SLAB_BYTES) {
      if (this.slabs.length >= this.maxSlabs) return -1;
      this.slabs.push(Buffer.allocUnsafeSlow(SLAB_BYTES));
      this.top = 0;
    }
    this.inUse += size;
    const addr = (this.slabs.length - 1) * SLAB_BYTES + this.top;
    this.top += size;
    return addr;
  }

  /** Gives back a chunk that alloc(n) returned, with the same n. */
  release(addr: number, n: number): void {
    const cls = (n + GRAIN - 1) >> GRAIN_SHIFT;
    const size = cls << GRAIN_SHIFT;
    const k = this.freeN[cls];
    let list = this.free[cls];
    if (k === list.length) {
      const grown = new Int32Array(list.length * 2);
      grown.set(list);
      this.free[cls] = list = grown;
    }
    list[k] = addr;
    this.freeN[cls] = k + 1;
    this.inUse -= size;
    this.freeBytes += size;
  }

  /** The slab holding `addr`. */
  slab(addr: number): Buffer {
    return this.slabs[addr >>> SLAB_SHIFT];
  }

  /** Offset of `addr` in its slab. */
  offset(addr: number): number {
    return addr & (SLAB_BYTES - 1);
  }

  stats(): ArenaStats {
    return { slabs: this.slabs.length, bytesInUse: this.inUse, bytesFree: this.freeBytes };
  }
}
