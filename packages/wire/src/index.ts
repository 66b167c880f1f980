export { PROTOCOL_VERSION, DEFAULT_MAX_FRAME_SIZE } from './constants.js';
export { WireError, isWireError, type WireErrorCode } from './errors.js';
export * from './messages.js';
export { encodeMessageBody, decodeMessageBody, messageTypeOf } from './body.js';
