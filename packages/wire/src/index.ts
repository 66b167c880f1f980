export { PROTOCOL_VERSION, DEFAULT_MAX_FRAME_SIZE } from './constants.js';
export { WireError, isWireError, type WireErrorCode } from './errors.js';
export * from './messages.js';
export { encodeMessageBody, decodeMessageBody, messageTypeOf, decodeMacroCheckpointChunkGenerated } from './body.js';
export {
  encodeFrame,
  decodeOneFrame,
  checkFrameHeader,
  FrameDecoder,
  FrameCompression,
  FRAME_HEADER_SIZE,
  FRAME_TAG_SIZE,
  FRAME_OVERHEAD,
  FRAME_MAGIC,
  FLAG_COMPRESSION_MASK,
  FLAG_DIGIT_RUNS,
  type Frame,
  type FrameDecoderOptions,
} from './frame.js';
export {
  negotiate,
  getCodec,
  createZlibCodec,
  createLz4Codec,
  lz4DecompressInto,
  compressionFlag,
  codecForFlag,
  COMPRESSION_NAMES,
  type Codec,
  type CompressionName,
  type ZlibCodecOptions,
} from './compression.js';
export {
  MessageWriter,
  MessageReader,
  DEFAULT_COMPRESS_MIN_BYTES,
  type MessageWriterOptions,
  type MessageReaderOptions,
} from './stream.js';
export { varintSize, writeAscii, writeVarint } from './micro-batch.js';
export { FEATURE_DIGIT_RUNS, digitRunsBound, digitRunsLength, packDigitRuns, unpackDigitRuns } from './digits.js';
export { SessionRecordsWriter, PreEncodedSessionRecords } from './record-writer.js';
export { EncodedSessionRecords } from './macro-chunk.js';
export * as recordTags from './record-tags.js';
export {
  encodeHelloDatagram,
  decodeHelloDatagram,
  helloDatagramKey,
  HELLO_KEY_LABEL,
  MAX_HELLO_DATAGRAM,
} from './datagram.js';
export {
  LinkHandshake,
  HANDSHAKE_NONCE_BYTES,
  HANDSHAKE_MAX_PAYLOAD,
  CAPABILITIES_SEQ,
  CONFIRM_SEQ,
  type HandshakeDone,
  type HandshakeKeys,
  type HandshakeRole,
  type HandshakeStep,
  type LinkHandshakeOptions,
} from './handshake.js';
export { BufferPool, releaseMessage, type BufferPoolOptions, type BufferPoolStats } from './pool.js';
