/**
 * Every failure the wire layer reports. Callers branch on `code`, never on the message text.
 *
 * - SRP_ERR_BAD_MAGIC        the stream does not start a frame with 'SR' (garbage, wrong protocol)
 * - SRP_ERR_BAD_VERSION      a frame of a protocol version this build does not speak
 * - SRP_ERR_BAD_TYPE         an unknown message type
 * - SRP_ERR_BAD_FLAGS        unknown flag bits, unknown compression, or a non-zero reserved byte
 * - SRP_ERR_FRAME_TOO_LARGE  a payload (declared or decompressed) above the max frame size
 * - SRP_ERR_BAD_MAC          the HMAC-SHA256 tag does not match (wrong key, tampering)
 * - SRP_ERR_REPLAY           a sequence number that does not increase, or a handshake frame recorded
 *                            elsewhere (a Capabilities nonce seen before, a frame after it that is
 *                            not bound to this connection)
 * - SRP_ERR_DECOMPRESS       a compressed payload that does not decompress
 * - SRP_ERR_BAD_MESSAGE      a payload that is not a valid protobuf message of its type, or a
 *                            message that cannot be encoded (out-of-range field value)
 * - SRP_ERR_BAD_KEY          an empty authentication key given to a constructor (local misuse)
 * - SRP_ERR_DECODER_FAILED   push() on a decoder that already failed: the connection is dead
 * - SRP_ERR_BAD_FRAME        a datagram that is not exactly one frame (too short, length mismatch)
 * - SRP_ERR_HANDSHAKE        handshake frames out of order (not Capabilities then HandshakeConfirm,
 *                            or the wrong sequence numbers)
 */
export type WireErrorCode =
  | 'SRP_ERR_BAD_MAGIC'
  | 'SRP_ERR_BAD_VERSION'
  | 'SRP_ERR_BAD_MAC'
  | 'SRP_ERR_REPLAY'
  | 'SRP_ERR_FRAME_TOO_LARGE'
  | 'SRP_ERR_BAD_TYPE'
  | 'SRP_ERR_BAD_FLAGS'
  | 'SRP_ERR_DECOMPRESS'
  | 'SRP_ERR_BAD_MESSAGE'
  | 'SRP_ERR_BAD_KEY'
  | 'SRP_ERR_DECODER_FAILED'
  | 'SRP_ERR_BAD_FRAME'
  | 'SRP_ERR_HANDSHAKE';

export class WireError extends Error {
  override name = 'WireError';
  readonly code: WireErrorCode;

  constructor(code: WireErrorCode, message: string, options?: { cause?: unknown }) {
    super(`${code}: ${message}`, options);
    this.code = code;
  }
}

export function isWireError(err: unknown): err is WireError {
  return err instanceof WireError;
}
