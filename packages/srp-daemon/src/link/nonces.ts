// Peer nonces this daemon has already seen in an authenticated Capabilities: a Capabilities
// played a second time (to this chassis, during this process) is refused at once as a replay
// instead of waiting out the handshake deadline. Bounded: the oldest are forgotten first; a
// forgotten one still cannot complete a handshake (handshake.ts), it only takes longer to refuse.

export const NONCE_MEMORY = 4096;

export class NonceMemory {
  private readonly seen = new Set<string>();

  constructor(private readonly capacity = NONCE_MEMORY) {}

  /** Records `nonce`; true when it was recorded before. */
  seenBefore(nonce: Buffer): boolean {
    const k = nonce.toString('base64');
    if (this.seen.has(k)) return true;
    this.seen.add(k);
    if (this.seen.size > this.capacity) {
      const oldest = this.seen.values().next();
      if (!oldest.done) this.seen.delete(oldest.value);
    }
    return false;
  }

  get size(): number {
    return this.seen.size;
  }
}
