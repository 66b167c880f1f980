/** What the micro batcher and the macro stream share; the sender (sender.ts) owns it. */
export interface SenderState {
  /** Incremented on every new peer: sessions with sentEpoch !== epoch go in full first. */
  epoch: number;
  /** A Standby is on the link and takes checkpoints. */
  attached: boolean;
  /** Fenced: nothing is sent while set (pending changes wait, coalesced). */
  paused: boolean;
  /** Incremented on every detach: work of an older generation stops. */
  abortGen: number;
  /** The peer applies SessionAspects items (its link lists FEATURE_MICRO_ASPECTS). */
  aspects: boolean;
  /**
   * The peer's table was empty when it joined (a restarted Standby): during its bulk sync a
   * change to a session the stream has not reached yet is left to the chunk (micro-batcher.ts,
   * `deferred`). A peer that may hold an older copy of the session gets the change in a batch.
   */
  peerEmpty: boolean;
}
