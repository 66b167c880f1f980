/**
 * The attribute and counter names of a table, numbered: a packed record (packed.ts) names each
 * entry by its number here instead of repeating the name's bytes. A table has a handful of
 * names (the realistic bench data has ten), and they took about 35 of the 120 bytes of a
 * session's record.
 *
 * Numbers are handed out in the order names are first met and never change (records hold
 * them). The dictionary is bounded (MAX_NAMES): a peer that sends a new name in every record
 * fills it, and the records that would need a name beyond it keep their names as bytes.
 */

/** The most names a dictionary numbers (each takes at most two bytes as a varint in a record). */
export const MAX_NAMES = 16_384;
/** Longer names are not numbered (a record keeps them as bytes). */
export const MAX_NAME_BYTES = 255;

/** FNV-1a of src[start, end), folded for a slot index. */
function hashOf(src: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ src[i], 0x01000193);
  return h ^ (h >>> 15);
}

export class NameDictionary {
  /** The names' UTF-8 bytes, back to back. */
  private bytes = new Uint8Array(1024);
  private used = 0;
  /** Name n's bytes: bytes[starts[n], starts[n + 1]). */
  private starts: number[] = [0];
  /** Name n as a string (read often: every decoded record's keys). */
  private readonly strings: string[] = [];
  /** Open addressing: number + 1 of the name in each slot, 0 for empty; at most half full. */
  private slots = new Int32Array(64);

  /** Names numbered so far. */
  get size(): number {
    return this.strings.length;
  }

  /** The bytes holding name n: the array and its range (valid until the next name is added). */
  source(): Uint8Array {
    return this.bytes;
  }

  start(n: number): number {
    return this.starts[n];
  }

  end(n: number): number {
    return this.starts[n + 1];
  }

  /** Name n as a string. */
  name(n: number): string {
    return this.strings[n];
  }

  /**
   * The number of the name src[start, end) (UTF-8 bytes), numbered now if new; -1 when it is
   * too long or the dictionary is full.
   */
  numberOf(src: Uint8Array, start: number, end: number): number {
    const len = end - start;
    if (len > MAX_NAME_BYTES) return -1;
    const mask = this.slots.length - 1;
    let slot = hashOf(src, start, end) & mask;
    for (;;) {
      const v = this.slots[slot];
      if (v === 0) break;
      const n = v - 1;
      const s = this.starts[n];
      if (this.starts[n + 1] - s === len && this.same(s, src, start, len)) return n;
      slot = (slot + 1) & mask;
    }
    if (this.strings.length >= MAX_NAMES) return -1;
    return this.add(src, start, end, slot);
  }

  private same(at: number, src: Uint8Array, start: number, len: number): boolean {
    const b = this.bytes;
    for (let i = 0; i < len; i++) if (b[at + i] !== src[start + i]) return false;
    return true;
  }

  private add(src: Uint8Array, start: number, end: number, slot: number): number {
    const len = end - start;
    if (this.used + len > this.bytes.length) {
      const grown = new Uint8Array(Math.max(2 * this.bytes.length, this.used + len));
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
    }
    this.bytes.set(src.subarray(start, end), this.used);
    this.used += len;
    const n = this.strings.length;
    this.starts.push(this.used);
    this.strings.push(Buffer.from(this.bytes.buffer, this.bytes.byteOffset + this.used - len, len).toString('utf8'));
    this.slots[slot] = n + 1;
    if (2 * (n + 1) > this.slots.length) this.rehash();
    return n;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let n = 0; n < this.strings.length; n++) {
      let slot = hashOf(this.bytes, this.starts[n], this.starts[n + 1]) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = n + 1;
    }
    this.slots = slots;
  }
}
