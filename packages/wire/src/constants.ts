/** The protocol version in every frame header. A frame of another version is rejected. */
export const PROTOCOL_VERSION = 1;
/** Default upper bound of a frame payload, compressed or not, in bytes. */
export const DEFAULT_MAX_FRAME_SIZE = 16 * 1024 * 1024;
