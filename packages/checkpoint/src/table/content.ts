/**
 * The content digest of a table: equal digests mean equal replicated tables, session by
 * session, content included. It covers every eligible session's id, class, lifetime, version,
 * attributes and counters, each counter at the granularity it is replicated with (a counter is
 * synced every counter-sync-every increments, so the digest takes it divided by that), and
 * never absolute times (each chassis keeps its own clock). Order does not matter: each
 * session's 64-bit hash is XORed into one of 256 buckets, and the digest is SHA-256 over the
 * buckets and their counts, like the audit's.
 *
 * It is computed on demand, in slices that yield to the event loop (about a second of work per
 * million sessions), so a table that changes meanwhile gives a digest of no single instant.
 */
import { AUDIT_BUCKETS } from '../config.js';
import { bucketsSha256 } from './digest.js';
import { hashId } from './hash.js';
import type { SessionStore } from './store.js';
import { attrsOf, countersOf } from './view.js';
import { yieldToLoop } from '../yield.js';

const SLICE_MS = 4;

function canonical(id: string, cls: string, lifetimeMs: number, version: number, attrs: Readonly<Record<string, string>>, counters: Readonly<Record<string, bigint>>, every: bigint): string {
  let out = `${id}\u0000${cls}\u0000${lifetimeMs}\u0000${version}`;
  for (const k of Object.keys(attrs).sort()) out += `\u0001${k}=${attrs[k]}`;
  for (const k of Object.keys(counters).sort()) out += `\u0002${k}=${(counters[k] ?? 0n) / every}`;
  return out;
}

export interface ContentDigest {
  digest: string;
  sessions: number;
}

export async function contentDigest(store: SessionStore, counterSyncEvery: number): Promise<ContentDigest> {
  const every = BigInt(Math.max(1, counterSyncEvery));
  const lo = new Uint32Array(AUDIT_BUCKETS);
  const hi = new Uint32Array(AUDIT_BUCKETS);
  const counts = new Uint32Array(AUDIT_BUCKETS);
  const h = new Uint32Array(2);
  let sessions = 0;
  let sliceStart = performance.now();
  for (const s of store.values()) {
    if (!s.eligible) continue;
    hashId(canonical(s.id, s.cls, s.lifetimeMs, s.version, attrsOf(s), countersOf(s), every), h);
    const b = s.bucket;
    lo[b] ^= h[0];
    hi[b] ^= h[1];
    counts[b]++;
    sessions++;
    if ((sessions & 255) === 0 && performance.now() - sliceStart > SLICE_MS) {
      await yieldToLoop();
      sliceStart = performance.now();
    }
  }
  return { digest: bucketsSha256(hi, lo, counts).toString('hex'), sessions };
}
