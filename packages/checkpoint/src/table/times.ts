/**
 * The numbers of a table's sessions (creation, lifetime, expiry, last change, version) in
 * columns of Float64Arrays, one row per session, instead of fields of the session objects.
 *
 * A time on the clock's epoch scale (about 1.8e12 ms) is not a small integer, so V8 kept each
 * such field of a session as a pointer to a 16-byte heap number of its own: three per session
 * (createdAt, expiresAt, changedAt), 72 bytes of the ~250 a session took on the heap, and three
 * million more objects for every major GC to mark in a table of 1M. The version and the
 * lifetime were small integers only while they stayed below 2^31: past that (2^31 versions come
 * after 8 hours at 75k changes/s; a lifetime may be 2^31 ms) one such value made V8 widen the
 * field of every session to a heap number. A row here takes 40 bytes, whatever the values, and
 * the session keeps one small integer: its row.
 *
 * Rows live in pages of PAGE_ROWS (a page is one allocation of 640 KiB outside the JS heap; the
 * table grows a page at a time, never copying). A removed row goes on a free stack and is
 * handed out again.
 */
const PAGE_SHIFT = 14;
export const PAGE_ROWS = 1 << PAGE_SHIFT;
const PAGE_MASK = PAGE_ROWS - 1;

/** Columns of a row. */
export const T_CREATED = 0;
export const T_LIFETIME = 1;
export const T_EXPIRES = 2;
export const T_CHANGED = 3;
export const T_VERSION = 4;
export const ROW = 5;

export class SessionTimes {
  /** Pages of PAGE_ROWS rows of ROW numbers. */
  readonly pages: Float64Array[] = [];
  private top = 0;
  private free = new Int32Array(256);
  private freeN = 0;

  /** A free row. */
  alloc(): number {
    if (this.freeN > 0) return this.free[--this.freeN];
    const row = this.top++;
    if (row >>> PAGE_SHIFT === this.pages.length) this.pages.push(new Float64Array(PAGE_ROWS * ROW));
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

  /** The page holding `row`. */
  page(row: number): Float64Array {
    return this.pages[row >>> PAGE_SHIFT];
  }

  /** Index of column `col` of `row` in its page. */
  index(row: number, col: number): number {
    return (row & PAGE_MASK) * ROW + col;
  }

  /** A copy of `row`'s numbers, and the row released (a session leaving its table). */
  detach(row: number): Float64Array {
    const p = this.page(row);
    const i = this.index(row, 0);
    const out = p.slice(i, i + ROW);
    this.release(row);
    return out;
  }

  /** Rows in use. */
  get rows(): number {
    return this.top - this.freeN;
  }

  /** Bytes of the pages (outside the JS heap). */
  get bytes(): number {
    return this.pages.length * PAGE_ROWS * ROW * 8;
  }

  /** Forgets every row (the table was cleared); the pages stay for the next ones. */
  clear(): void {
    this.top = 0;
    this.freeN = 0;
  }
}
