/** Errors of the checkpoint engine; callers branch on `code`. */
export type CheckpointErrorCode =
  | 'SRP_ERR_CHECKPOINT_CONFIG'
  | 'SRP_ERR_CHECKPOINT_ROLE'
  | 'SRP_ERR_CHECKPOINT_NO_SESSION'
  | 'SRP_ERR_CHECKPOINT_LINK_DOWN'
  | 'SRP_ERR_CHECKPOINT_BAD_PAYLOAD'
  /** A session id, attribute or counter name, or attribute value that replication cannot carry. */
  | 'SRP_ERR_CHECKPOINT_BAD_INPUT'
  | 'SRP_ERR_CHECKPOINT_CLOSED'
  /** The chassis refuses writes for now (fenced: stalled or unheard, or no witness lease). */
  | 'SRP_ERR_CHECKPOINT_FENCED';

export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
  readonly code: CheckpointErrorCode;

  constructor(code: CheckpointErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
