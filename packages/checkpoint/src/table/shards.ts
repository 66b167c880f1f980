/**
 * A Map from id to value split into SHARDS Maps by a hash of the id. A V8 Map grows by doubling
 * and rehashes all of its entries into the new backing store in one go: at 1M sessions one Map
 * copies ~500k entries (and allocates a ~30 MB store) in a single turn, a visible pause on a
 * Standby applying a bulk sync. With 256 shards each rehash copies at most a few thousand.
 */
const SHARD_BITS = 8;
const SHARDS = 1 << SHARD_BITS;

/**
 * Shard of an id: FNV-1a with a murmur-style finaliser (top bits) over the id without its last
 * 3 characters (ids of more than 8), so ids that differ only at the end (imsi-...0001, ...0002)
 * share a shard and stay adjacent in a macro's stream, which iterates shard by shard: hashing
 * the whole id halved the bulk sync's compression ratio (zlib 16.8x -> 8.4x at 1M sessions).
 */
function shardOf(id: string): number {
  const n = id.length > 8 ? id.length - 3 : id.length;
  let h = 0x811c9dc5 ^ n;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> (32 - SHARD_BITS);
}

/** Live iteration over the shards in turn (each shard's Map iterator is live). */
export class ShardedValues<V> implements IterableIterator<V> {
  private i = 0;
  private cur: IterableIterator<V>;

  constructor(private readonly shards: Map<string, V>[]) {
    this.cur = shards[0].values();
  }

  /**
   * The shard being walked: an entry of a later shard (shardIndex()) that is still in the map
   * when the walk gets there is visited.
   */
  get shard(): number {
    return this.i;
  }

  next(): IteratorResult<V> {
    for (;;) {
      const r = this.cur.next();
      if (!r.done) return r;
      if (this.i >= this.shards.length - 1) return r;
      this.cur = this.shards[++this.i].values();
    }
  }

  [Symbol.iterator](): IterableIterator<V> {
    return this;
  }
}

export class ShardedMap<V> {
  private readonly shards: Map<string, V>[] = Array.from({ length: SHARDS }, () => new Map<string, V>());
  private count = 0;
  /** The id of the last lookup and its shard: set() after a failed get() hashes once. */
  private lastId = '';
  private lastShard = 0;

  get size(): number {
    return this.count;
  }

  private shard(id: string): Map<string, V> {
    if (id !== this.lastId) {
      this.lastId = id;
      this.lastShard = shardOf(id);
    }
    return this.shards[this.lastShard];
  }

  get(id: string): V | undefined {
    return this.shard(id).get(id);
  }

  /** The shard of `id`, in walk order (ShardedValues.shard). */
  shardIndex(id: string): number {
    this.shard(id);
    return this.lastShard;
  }

  has(id: string): boolean {
    return this.shard(id).has(id);
  }

  set(id: string, v: V): void {
    const m = this.shard(id);
    const before = m.size;
    m.set(id, v);
    this.count += m.size - before;
  }

  /** Removes `id`, if present. */
  delete(id: string): void {
    if (this.shard(id).delete(id)) this.count--;
  }

  /**
   * Live iteration, shard by shard: deleted entries are skipped; an entry added during the
   * iteration is visited unless its shard has already been passed.
   */
  values(): ShardedValues<V> {
    return new ShardedValues(this.shards);
  }

  clear(): void {
    for (const m of this.shards) m.clear();
    this.count = 0;
  }
}
