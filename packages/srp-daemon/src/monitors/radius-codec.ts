// RADIUS (RFC 2865) for the authentication probe: an Access-Request with a hidden User-Password
// (section 5.2) and a Message-Authenticator (RFC 3579 section 3.2), and the checks of an answer:
// length, identifier, Response Authenticator (section 3) and, when present, the answer's
// Message-Authenticator. Pure functions over bytes: the socket code is in radius-probe.ts.
//
// Written here rather than taken from npm: the RADIUS packages there are unmaintained or pull
// in far more than a probe needs (dictionaries, servers); the probe needs three attributes.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const RADIUS_CODE = {
  ACCESS_REQUEST: 1,
  ACCESS_ACCEPT: 2,
  ACCESS_REJECT: 3,
  ACCESS_CHALLENGE: 11,
} as const;

export const RADIUS_ATTR = {
  USER_NAME: 1,
  USER_PASSWORD: 2,
  NAS_IP_ADDRESS: 4,
  NAS_IDENTIFIER: 32,
  MESSAGE_AUTHENTICATOR: 80,
} as const;

const HEADER = 20;
const MAX_PACKET = 4096;
const MAX_PASSWORD = 128;

export type RadiusErrorCode =
  | 'SRP_ERR_RADIUS_SHORT'
  | 'SRP_ERR_RADIUS_LENGTH'
  | 'SRP_ERR_RADIUS_ATTRIBUTE'
  | 'SRP_ERR_RADIUS_CODE'
  | 'SRP_ERR_RADIUS_AUTHENTICATOR'
  | 'SRP_ERR_RADIUS_MESSAGE_AUTHENTICATOR'
  | 'SRP_ERR_RADIUS_INPUT';

/** A packet that cannot be built or an answer that fails a check; `code` says which. */
export class RadiusError extends Error {
  override readonly name = 'RadiusError';
  constructor(
    readonly code: RadiusErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface RadiusAttribute {
  type: number;
  value: Buffer;
}

export interface RadiusPacket {
  code: number;
  identifier: number;
  authenticator: Buffer;
  attributes: RadiusAttribute[];
}

const md5 = (...parts: Buffer[]): Buffer => {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest();
};

/** RFC 2865 5.2: the password padded to 16-byte blocks, each XORed with MD5(secret + previous). */
export function hidePassword(password: Buffer, secret: Buffer, requestAuthenticator: Buffer): Buffer {
  if (password.length > MAX_PASSWORD) throw new RadiusError('SRP_ERR_RADIUS_INPUT', `the probe password is longer than ${MAX_PASSWORD} bytes`);
  const len = Math.max(16, Math.ceil(password.length / 16) * 16);
  const out = Buffer.alloc(len);
  password.copy(out);
  let prev = requestAuthenticator;
  for (let i = 0; i < len; i += 16) {
    const b = md5(secret, prev);
    for (let j = 0; j < 16; j++) out[i + j] = (out[i + j] ?? 0) ^ (b[j] ?? 0);
    prev = out.subarray(i, i + 16);
  }
  return out;
}

/** The inverse of hidePassword (used by tests and by nothing on the wire). */
export function revealPassword(hidden: Buffer, secret: Buffer, requestAuthenticator: Buffer): Buffer {
  const out = Buffer.alloc(hidden.length);
  let prev = requestAuthenticator;
  for (let i = 0; i < hidden.length; i += 16) {
    const b = md5(secret, prev);
    for (let j = 0; j < 16; j++) out[i + j] = (hidden[i + j] ?? 0) ^ (b[j] ?? 0);
    prev = hidden.subarray(i, i + 16);
  }
  const end = out.indexOf(0);
  return end < 0 ? out : out.subarray(0, end);
}

export function encodePacket(p: RadiusPacket): Buffer {
  const attrs = p.attributes.map((a) => {
    if (a.value.length > 253) throw new RadiusError('SRP_ERR_RADIUS_INPUT', `attribute ${a.type} is longer than 253 bytes`);
    return Buffer.concat([Buffer.from([a.type, a.value.length + 2]), a.value]);
  });
  const body = Buffer.concat(attrs);
  const length = HEADER + body.length;
  if (length > MAX_PACKET) throw new RadiusError('SRP_ERR_RADIUS_INPUT', `packet of ${length} bytes exceeds ${MAX_PACKET}`);
  const head = Buffer.alloc(4);
  head[0] = p.code;
  head[1] = p.identifier & 0xff;
  head.writeUInt16BE(length, 2);
  return Buffer.concat([head, p.authenticator, body]);
}

/** Parses a packet; throws RadiusError on anything malformed (never reads past the buffer). */
export function decodePacket(buf: Buffer): RadiusPacket {
  if (buf.length < HEADER) throw new RadiusError('SRP_ERR_RADIUS_SHORT', `packet of ${buf.length} bytes is shorter than the 20-byte header`);
  const length = buf.readUInt16BE(2);
  if (length < HEADER || length > MAX_PACKET || length > buf.length)
    throw new RadiusError('SRP_ERR_RADIUS_LENGTH', `Length field ${length} does not fit a ${buf.length}-byte datagram`);
  const attributes: RadiusAttribute[] = [];
  for (let off = HEADER; off < length; ) {
    const type = buf[off] ?? 0;
    const len = buf[off + 1] ?? 0;
    if (len < 2 || off + len > length) throw new RadiusError('SRP_ERR_RADIUS_ATTRIBUTE', `attribute ${type} at offset ${off} has a bad length ${len}`);
    attributes.push({ type, value: Buffer.from(buf.subarray(off + 2, off + len)) });
    off += len;
  }
  return { code: buf[0] ?? 0, identifier: buf[1] ?? 0, authenticator: Buffer.from(buf.subarray(4, 20)), attributes };
}

export interface AccessRequest {
  identifier: number;
  /** The Request Authenticator: 16 random bytes, kept to check the answer. */
  authenticator: Buffer;
  bytes: Buffer;
}

export interface AccessRequestInput {
  identifier: number;
  user: string;
  password: string;
  secret: Buffer;
  nasIdentifier: string;
  /** For tests: a fixed Request Authenticator. */
  authenticator?: Buffer;
}

/** An Access-Request with User-Name, hidden User-Password, NAS-Identifier and Message-Authenticator. */
export function buildAccessRequest(input: AccessRequestInput): AccessRequest {
  const authenticator = input.authenticator ?? randomBytes(16);
  const attributes: RadiusAttribute[] = [
    { type: RADIUS_ATTR.USER_NAME, value: Buffer.from(input.user, 'utf8') },
    { type: RADIUS_ATTR.USER_PASSWORD, value: hidePassword(Buffer.from(input.password, 'utf8'), input.secret, authenticator) },
    { type: RADIUS_ATTR.NAS_IDENTIFIER, value: Buffer.from(input.nasIdentifier, 'utf8') },
    { type: RADIUS_ATTR.MESSAGE_AUTHENTICATOR, value: Buffer.alloc(16) },
  ];
  const unsigned = encodePacket({ code: RADIUS_CODE.ACCESS_REQUEST, identifier: input.identifier, authenticator, attributes });
  // HMAC-MD5 over the whole packet with the Message-Authenticator zeroed (RFC 3579 3.2).
  const mac = createHmac('md5', input.secret).update(unsigned).digest();
  mac.copy(unsigned, unsigned.length - 16);
  return { identifier: input.identifier & 0xff, authenticator, bytes: unsigned };
}

export type ProbeVerdict = 'accept' | 'reject' | 'challenge';

/**
 * Checks an answer to `request`: identifier, code, Response Authenticator
 * MD5(Code+ID+Length+RequestAuth+Attributes+Secret), and the Message-Authenticator when the
 * answer carries one. Returns what the server said; throws RadiusError when the answer is not
 * valid (a forged or corrupted datagram, or a wrong shared secret).
 */
export function verifyResponse(bytes: Buffer, request: AccessRequest, secret: Buffer): ProbeVerdict {
  const p = decodePacket(bytes);
  if (p.identifier !== request.identifier)
    throw new RadiusError('SRP_ERR_RADIUS_CODE', `answer identifier ${p.identifier} does not match request ${request.identifier}`);
  const length = bytes.readUInt16BE(2);
  const packet = bytes.subarray(0, length);
  const expected = md5(packet.subarray(0, 4), request.authenticator, packet.subarray(HEADER), secret);
  if (!timingSafeEqual(expected, p.authenticator))
    throw new RadiusError('SRP_ERR_RADIUS_AUTHENTICATOR', 'Response Authenticator does not match (wrong shared secret or altered answer)');
  const maIndex = findAttributeOffset(packet, RADIUS_ATTR.MESSAGE_AUTHENTICATOR);
  if (maIndex >= 0) {
    if (packet[maIndex + 1] !== 18) throw new RadiusError('SRP_ERR_RADIUS_ATTRIBUTE', 'Message-Authenticator of the answer is not 16 bytes');
    const copy = Buffer.from(packet);
    request.authenticator.copy(copy, 4);
    const given = Buffer.from(copy.subarray(maIndex + 2, maIndex + 18));
    copy.fill(0, maIndex + 2, maIndex + 18);
    const mac = createHmac('md5', secret).update(copy).digest();
    if (!timingSafeEqual(mac, given))
      throw new RadiusError('SRP_ERR_RADIUS_MESSAGE_AUTHENTICATOR', 'Message-Authenticator of the answer does not match');
  }
  switch (p.code) {
    case RADIUS_CODE.ACCESS_ACCEPT:
      return 'accept';
    case RADIUS_CODE.ACCESS_REJECT:
      return 'reject';
    case RADIUS_CODE.ACCESS_CHALLENGE:
      return 'challenge';
    default:
      throw new RadiusError('SRP_ERR_RADIUS_CODE', `unexpected answer code ${p.code} to an Access-Request`);
  }
}

function findAttributeOffset(packet: Buffer, type: number): number {
  for (let off = HEADER; off + 2 <= packet.length; ) {
    const len = packet[off + 1] ?? 0;
    if (len < 2) return -1;
    if (packet[off] === type) return off;
    off += len;
  }
  return -1;
}
