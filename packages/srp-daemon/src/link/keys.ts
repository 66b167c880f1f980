// The shared keys of the SRP link, in one place: the key this chassis signs with and every key
// it accepts. Everything in srpd that tags or checks a frame reads them here, at the moment it
// needs them, so a reload (SIGHUP) reaches the next handshake without a restart; a connection
// already up keeps the keys derived at its handshake.
//
// A KeyRingSnapshot is plain data (Buffers and an index), so it crosses a worker thread with
// postMessage as it is.
import { createHash } from 'node:crypto';
import type { HandshakeKeys } from '@srp-ha/wire';

export interface KeyRingSnapshot {
  /** Every accepted key. */
  keys: Buffer[];
  /** Index in `keys` of the signing key. */
  signIndex: number;
}

export class KeyRingError extends Error {
  override readonly name = 'KeyRingError';
  readonly code = 'SRP_ERR_KEYRING';
}

/** A short public name of a key: the first 8 bytes of SHA-256("srp-ha key id" || key), hex. */
export function keyFingerprint(key: Uint8Array): string {
  return createHash('sha256').update('srp-ha key id\0').update(key).digest().subarray(0, 8).toString('hex');
}

function checked(s: KeyRingSnapshot): KeyRingSnapshot {
  if (!Array.isArray(s.keys) || s.keys.length === 0) throw new KeyRingError('a key ring needs at least one key');
  if (s.keys.some((k) => !(k instanceof Uint8Array) || k.length === 0)) throw new KeyRingError('every key must be non-empty bytes');
  if (!Number.isInteger(s.signIndex) || s.signIndex < 0 || s.signIndex >= s.keys.length) {
    throw new KeyRingError(`signIndex ${s.signIndex} is outside 0..${s.keys.length - 1}`);
  }
  return { keys: s.keys.map((k) => Buffer.from(k)), signIndex: s.signIndex };
}

export class KeyRing {
  private ring: KeyRingSnapshot;
  private readonly listeners = new Set<(ring: KeyRingSnapshot) => void>();

  constructor(snapshot: KeyRingSnapshot) {
    this.ring = checked(snapshot);
  }

  /** The keys of a config: its first key signs, all are accepted. */
  static fromKeys(keys: readonly string[]): KeyRing {
    return new KeyRing(KeyRing.snapshotOf(keys));
  }

  static snapshotOf(keys: readonly string[]): KeyRingSnapshot {
    return { keys: keys.map((k) => Buffer.from(k, 'utf8')), signIndex: 0 };
  }

  get signing(): Buffer {
    return this.ring.keys[this.ring.signIndex];
  }

  /** Every accepted key, the signing one included. */
  get accepted(): readonly Buffer[] {
    return this.ring.keys;
  }

  /** What a handshake needs, as of now (the same Buffers each time: wire caches their KeyObjects). */
  handshakeKeys(): HandshakeKeys {
    return { sign: this.signing, accepted: this.ring.keys };
  }

  /** Every accepted key, the signing one first (what the Hello datagram channel takes). */
  signingFirst(): Buffer[] {
    const { keys, signIndex } = this.ring;
    return [keys[signIndex], ...keys.filter((_, i) => i !== signIndex)].map((k) => Buffer.from(k));
  }

  /** A copy, safe to post to a worker thread. */
  snapshot(): KeyRingSnapshot {
    return { keys: this.ring.keys.map((k) => Buffer.from(k)), signIndex: this.ring.signIndex };
  }

  /** Replaces the keys (a reload); listeners hear of it when anything changed. */
  replace(next: KeyRingSnapshot): { changed: boolean } {
    const ring = checked(next);
    const same =
      ring.signIndex === this.ring.signIndex &&
      ring.keys.length === this.ring.keys.length &&
      ring.keys.every((k, i) => k.equals(this.ring.keys[i]));
    if (same) return { changed: false };
    this.ring = ring;
    for (const l of [...this.listeners]) l(this.snapshot());
    return { changed: true };
  }

  /** Told of every change with the new snapshot (for a worker that holds a copy). */
  onChange(listener: (ring: KeyRingSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  fingerprints(): { signing: string; accepted: string[] } {
    return { signing: keyFingerprint(this.signing), accepted: this.ring.keys.map(keyFingerprint) };
  }
}
