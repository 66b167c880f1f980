/**
 * The numbers of a table's sessions in columns, one row per session, instead of fields of the
 * session objects: the times, lifetime and version (creation, lifetime, expiry, last change,
 * version) as float64s, and the small integers the engine keeps per session (flags, sender
 * epoch, receiver mark, pass stamp) as int32s.
 *
 * A time on the clock's epoch scale (about 1.8e12 ms) is not a small integer, so V8 kept each
 * such field of a session as a pointer to a 16-byte heap number of its own: three per session
 * (createdAt, expiresAt, changedAt), 72 bytes of the ~250 a session took on the heap, and three
 * million more objects for every major GC to mark in a table of 1M. The version and the
 * lifetime were small integers only while they stayed below 2^31: past that (2^31 versions come
 * after 8 hours at 75k changes/s; a lifetime may be 2^31 ms) one such value made V8 widen the
 * field of every session to a heap number. A field holding a small integer takes 8 bytes of
 * every session on a 64-bit heap, where an int32 column takes 4. A row takes 40 + 16 bytes,
 * whatever the values, and the session keeps one small integer: its row.
 *
 * Rows live in pages of PAGE_ROWS (one allocation of 640 KiB and one of 256 KiB per page,
 * outside the JS heap; the table grows a page at a time, never copying). A removed row goes on a
 * free stack and is handed out again.
 */
const PAGE_SHIFT = 14;
export const PAGE_ROWS = 1 << PAGE_SHIFT;
const PAGE_MASK = PAGE_ROWS - 1;

/** Float64 columns of a row. */
export const T_CREATED = 0;
export const T_LIFETIME = 1;
export const T_EXPIRES = 2;
export const T_CHANGED = 3;
export const T_VERSION = 4;
export const ROW = 5;

/**
 * Int32 columns of a row. Their values stay far below 2^31: flags are a bit set, epochs and
 * generations count peers and macros, and passes wrap before 2^31 (handle.ts).
 */
export const I_FLAGS = 0;
export const I_SENT_EPOCH = 1;
export const I_MARK = 2;
export const I_STAMP = 3;
export const IROW = 4;

export class SessionColumns {
  /** Pages of PAGE_ROWS rows of ROW float64s. */
  readonly pages: Float64Array[] = [];
  /** Pages of PAGE_ROWS rows of IROW int32s. */
  readonly ints: Int32Array[] = [];
  private top = 0;
  private free = new Int32Array(256);
  private freeN = 0;

  /** A free row. Its int columns are zero; its float columns are whatever they were. */
  alloc(): number {
    if (this.freeN > 0) {
      const row = this.free[--this.freeN];
      this.ipage(row).fill(0, this.iindex(row, 0), this.iindex(row, IROW));
      return row;
    }
    const row = this.top++;
    if (row >>> PAGE_SHIFT === this.pages.length) {
      this.pages.push(new Float64Array(PAGE_ROWS * ROW));
      this.ints.push(new Int32Array(PAGE_ROWS * IROW));
    }
    return row;
  }

  /** Gives back a row that alloc() returned. */
  release(row: number): void {
    if (this.freeN === this.free.length) {
      const grown = new Int32Array(this.free.length * 2);
      grown.set(this.free);
      this.free = grown;
    }
    this.free[this.freeN++] = row;
  }

  /** The float64 page holding `row`. */
  page(row: number): Float64Array {
    return this.pages[row >>> PAGE_SHIFT];
  }

  /** Index of float64 column `col` of `row` in its page. */
  index(row: number, col: number): number {
    return (row & PAGE_MASK) * ROW + col;
  }

  /** The int32 page holding `row`. */
  ipage(row: number): Int32Array {
    return this.ints[row >>> PAGE_SHIFT];
  }

  /** Index of int32 column `col` of `row` in its page. */
  iindex(row: number, col: number): number {
    return (row & PAGE_MASK) * IROW + col;
  }

  /**
   * A copy of `row`'s numbers (the float64 columns, then the int32 ones), and the row released
   * (a session leaving its table).
   */
  detach(row: number): Float64Array {
    const p = this.page(row);
    const i = this.index(row, 0);
    const out = new Float64Array(ROW + IROW);
    out.set(p.subarray(i, i + ROW));
    const ip = this.ipage(row);
    const j = this.iindex(row, 0);
    for (let c = 0; c < IROW; c++) out[ROW + c] = ip[j + c];
    this.release(row);
    return out;
  }

  /** Rows in use. */
  get rows(): number {
    return this.top - this.freeN;
  }

  /** Bytes of the pages (outside the JS heap). */
  get bytes(): number {
    return this.pages.length * PAGE_ROWS * (ROW * 8 + IROW * 4);
  }

  /** Forgets every row (the table was cleared); the pages stay for the next ones. */
  clear(): void {
    for (const p of this.ints) p.fill(0);
    this.top = 0;
    this.freeN = 0;
  }
}
