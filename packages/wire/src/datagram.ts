/**
 * Hellos as datagrams: one Hello per UDP datagram, framed exactly like a frame of the TCP link
 * (frame.ts: magic, version, type Hello, no compression, sequence, length, payload, HMAC tag),
 * so the same header checks apply. Pure: bytes in, bytes out.
 *
 * The tag is keyed with a key derived from the shared key for this use only
 * (HMAC-SHA256(shared key, HELLO_KEY_LABEL)), so a datagram can never pass for a frame of the TCP
 * link or the other way round. The sequence number is the Hello's own `sequence`; the receiver
 * (the liveness detector) judges it per sender boot: a datagram whose sequence does not increase
 * for its boot is a replay or a reordered copy and is dropped.
 */
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { decodeMessageBody, encodeMessageBody } from './body.js';
import { WireError } from './errors.js';
import { decodeOneFrame, encodeFrame, FRAME_OVERHEAD } from './frame.js';
import { MessageType, type Hello } from './messages.js';

export const HELLO_KEY_LABEL = 'srp-ha hello datagram v1';
/** A Hello is a few hundred bytes; anything larger than this is not one of ours. */
export const MAX_HELLO_DATAGRAM = 2048;

/** The datagram key of a shared key. */
export function helloDatagramKey(sharedKey: Uint8Array): KeyObject {
  if (sharedKey.length === 0) throw new WireError('SRP_ERR_BAD_KEY', 'the authentication key is empty');
  return createSecretKey(createHmac('sha256', sharedKey).update(HELLO_KEY_LABEL).digest());
}

/** One Hello as a datagram; its `sequence` (>= 1) is the frame's sequence number. */
export function encodeHelloDatagram(hello: Hello, key: KeyObject): Buffer {
  const payload = encodeMessageBody({ kind: 'hello', body: hello });
  if (payload.length + FRAME_OVERHEAD > MAX_HELLO_DATAGRAM) {
    throw new WireError('SRP_ERR_FRAME_TOO_LARGE', `a Hello of ${payload.length} bytes does not fit a datagram`);
  }
  return encodeFrame({ type: MessageType.Hello, flags: 0, seq: BigInt(hello.sequence), payload: Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength) }, key);
}

/**
 * Checks and decodes one datagram against the accepted keys. Throws WireError only:
 * SRP_ERR_BAD_MAGIC / _BAD_VERSION / _BAD_TYPE (not a Hello) / _BAD_FLAGS / _BAD_FRAME /
 * _FRAME_TOO_LARGE / _BAD_MAC / _REPLAY (sequence 0 or not the Hello's own) / _BAD_MESSAGE.
 */
export function decodeHelloDatagram(buf: Buffer, keys: readonly KeyObject[]): { hello: Hello; keyIndex: number } {
  const frame = decodeOneFrame(buf, keys, MAX_HELLO_DATAGRAM);
  if (frame.type !== MessageType.Hello) throw new WireError('SRP_ERR_BAD_TYPE', `a datagram of message type ${frame.type}, expected Hello`);
  if (frame.flags !== 0) throw new WireError('SRP_ERR_BAD_FLAGS', 'a Hello datagram is never compressed');
  const msg = decodeMessageBody(MessageType.Hello, frame.payload);
  if (msg.kind !== 'hello') throw new WireError('SRP_ERR_BAD_TYPE', `decoded ${msg.kind}, expected hello`);
  if (BigInt(msg.body.sequence) !== frame.seq) {
    throw new WireError('SRP_ERR_REPLAY', `frame sequence ${frame.seq} differs from the Hello's ${msg.body.sequence}`);
  }
  return { hello: msg.body, keyIndex: frame.keyIndex };
}
