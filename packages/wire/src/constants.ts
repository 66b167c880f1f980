/**
 * The protocol version in every frame header. A frame of another version is rejected
 * (SRP_ERR_BAD_VERSION) at its header, before its payload is read. Version 2: the
 * challenge-response handshake and per-connection keys of handshake.ts.
 */
export const PROTOCOL_VERSION = 2;
/** Default upper bound of a frame payload, compressed or not, in bytes. */
export const DEFAULT_MAX_FRAME_SIZE = 16 * 1024 * 1024;
