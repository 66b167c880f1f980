// Diameter base protocol messages (RFC 6733) for the peer monitor: the header (section 3), AVPs
// (section 4), and the three exchanges the watchdog needs: Capabilities-Exchange (CER/CEA, 5.3),
// Device-Watchdog (DWR/DWA, 5.5) and Disconnect-Peer (DPR/DPA, 5.4). Pure functions over bytes;
// `DiameterDecoder.push(chunk)` returns the complete messages in a TCP stream.
//
// Written here rather than taken from npm: the Diameter packages there are unmaintained and
// carry whole dictionaries; the watchdog needs a dozen base AVPs.
import { isIPv4, isIPv6 } from 'node:net';

export const DIAMETER_VERSION = 1;
export const HEADER_LENGTH = 20;
/** Larger messages are refused: a peer monitor never needs more, and a bad length must not buffer GBs. */
export const MAX_MESSAGE_LENGTH = 64 * 1024;

export const FLAG = { REQUEST: 0x80, PROXIABLE: 0x40, ERROR: 0x20, RETRANSMIT: 0x10 } as const;
export const AVP_FLAG = { VENDOR: 0x80, MANDATORY: 0x40, PROTECTED: 0x20 } as const;

export const COMMAND = { CAPABILITIES_EXCHANGE: 257, DEVICE_WATCHDOG: 280, DISCONNECT_PEER: 282 } as const;

export const AVP = {
  HOST_IP_ADDRESS: 257,
  AUTH_APPLICATION_ID: 258,
  ACCT_APPLICATION_ID: 259,
  VENDOR_ID: 266,
  FIRMWARE_REVISION: 267,
  RESULT_CODE: 268,
  PRODUCT_NAME: 269,
  DISCONNECT_CAUSE: 273,
  ORIGIN_STATE_ID: 278,
  ERROR_MESSAGE: 281,
  ORIGIN_HOST: 264,
  ORIGIN_REALM: 296,
} as const;

export const RESULT = { SUCCESS: 2001 } as const;

/** Names of the base protocol's Result-Code values (RFC 6733 7.1), for logs and `show`. */
export const RESULT_NAMES: Readonly<Record<number, string>> = {
  2001: 'DIAMETER_SUCCESS',
  3001: 'DIAMETER_COMMAND_UNSUPPORTED',
  3002: 'DIAMETER_UNABLE_TO_DELIVER',
  3003: 'DIAMETER_REALM_NOT_SERVED',
  3004: 'DIAMETER_TOO_BUSY',
  3007: 'DIAMETER_APPLICATION_UNSUPPORTED',
  3008: 'DIAMETER_INVALID_HDR_BITS',
  3009: 'DIAMETER_INVALID_AVP_BITS',
  3010: 'DIAMETER_UNKNOWN_PEER',
  4003: 'DIAMETER_ELECTION_LOST',
  5001: 'DIAMETER_AVP_UNSUPPORTED',
  5004: 'DIAMETER_INVALID_AVP_VALUE',
  5005: 'DIAMETER_MISSING_AVP',
  5010: 'DIAMETER_NO_COMMON_APPLICATION',
  5012: 'DIAMETER_UNABLE_TO_COMPLY',
  5013: 'DIAMETER_INVALID_BIT_IN_HEADER',
  5014: 'DIAMETER_INVALID_AVP_LENGTH',
  5015: 'DIAMETER_INVALID_MESSAGE_LENGTH',
  5017: 'DIAMETER_NO_COMMON_SECURITY',
};

export function resultName(code: number): string {
  return RESULT_NAMES[code] ?? `Result-Code ${code}`;
}

export type DiameterErrorCode = 'SRP_ERR_DIAMETER_VERSION' | 'SRP_ERR_DIAMETER_LENGTH' | 'SRP_ERR_DIAMETER_AVP' | 'SRP_ERR_DIAMETER_INPUT';

export class DiameterError extends Error {
  override readonly name = 'DiameterError';
  constructor(
    readonly code: DiameterErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface Avp {
  code: number;
  flags: number;
  vendorId?: number;
  data: Buffer;
}

export interface DiameterMessage {
  flags: number;
  command: number;
  applicationId: number;
  hopByHop: number;
  endToEnd: number;
  avps: Avp[];
}

export function isRequest(m: DiameterMessage): boolean {
  return (m.flags & FLAG.REQUEST) !== 0;
}

// ---- AVP values ---------------------------------------------------------------------------

export const avp = {
  utf8: (code: number, text: string, mandatory = true): Avp => ({ code, flags: mandatory ? AVP_FLAG.MANDATORY : 0, data: Buffer.from(text, 'utf8') }),
  u32: (code: number, value: number, mandatory = true): Avp => {
    const data = Buffer.alloc(4);
    data.writeUInt32BE(value >>> 0);
    return { code, flags: mandatory ? AVP_FLAG.MANDATORY : 0, data };
  },
  /** Address (RFC 6733 4.3.1): a 2-byte address family (1 IPv4, 2 IPv6), then the address. */
  address: (code: number, ip: string): Avp => {
    if (isIPv4(ip)) return { code, flags: AVP_FLAG.MANDATORY, data: Buffer.from([0, 1, ...ip.split('.').map(Number)]) };
    if (isIPv6(ip)) return { code, flags: AVP_FLAG.MANDATORY, data: Buffer.concat([Buffer.from([0, 2]), ipv6Bytes(ip)]) };
    throw new DiameterError('SRP_ERR_DIAMETER_INPUT', `not an IP address: ${ip}`);
  },
};

function ipv6Bytes(ip: string): Buffer {
  const [head = '', tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g || '0', 16), i * 2));
  return out;
}

export function findAvp(m: DiameterMessage, code: number): Avp | undefined {
  return m.avps.find((a) => a.code === code && a.vendorId === undefined);
}

export function avpU32(m: DiameterMessage, code: number): number | null {
  const a = findAvp(m, code);
  return a && a.data.length === 4 ? a.data.readUInt32BE(0) : null;
}

export function avpText(m: DiameterMessage, code: number): string | null {
  const a = findAvp(m, code);
  return a ? a.data.toString('utf8') : null;
}

// ---- encoding -----------------------------------------------------------------------------

function encodeAvp(a: Avp): Buffer {
  const vendor = a.vendorId !== undefined;
  const headerLen = vendor ? 12 : 8;
  const len = headerLen + a.data.length;
  const padded = (len + 3) & ~3;
  const out = Buffer.alloc(padded);
  out.writeUInt32BE(a.code >>> 0, 0);
  out.writeUInt32BE(len, 4); // writes the length in the low 24 bits ...
  out[4] = (a.flags & ~AVP_FLAG.VENDOR) | (vendor ? AVP_FLAG.VENDOR : 0); // ... then the flags over the top byte
  if (vendor) out.writeUInt32BE(a.vendorId ?? 0, 8);
  a.data.copy(out, headerLen);
  return out;
}

export function encodeMessage(m: DiameterMessage): Buffer {
  const body = Buffer.concat(m.avps.map(encodeAvp));
  const length = HEADER_LENGTH + body.length;
  if (length > MAX_MESSAGE_LENGTH) throw new DiameterError('SRP_ERR_DIAMETER_LENGTH', `message of ${length} bytes exceeds ${MAX_MESSAGE_LENGTH}`);
  const head = Buffer.alloc(HEADER_LENGTH);
  head.writeUInt32BE(length, 0);
  head[0] = DIAMETER_VERSION;
  head.writeUInt32BE(m.command & 0xffffff, 4);
  head[4] = m.flags;
  head.writeUInt32BE(m.applicationId >>> 0, 8);
  head.writeUInt32BE(m.hopByHop >>> 0, 12);
  head.writeUInt32BE(m.endToEnd >>> 0, 16);
  return Buffer.concat([head, body]);
}

// ---- decoding -----------------------------------------------------------------------------

function decodeAvps(buf: Buffer, start: number, end: number): Avp[] {
  const avps: Avp[] = [];
  for (let off = start; off < end; ) {
    if (off + 8 > end) throw new DiameterError('SRP_ERR_DIAMETER_AVP', `truncated AVP header at offset ${off}`);
    const code = buf.readUInt32BE(off);
    const flags = buf[off + 4] ?? 0;
    const len = buf.readUInt32BE(off + 4) & 0xffffff;
    const vendor = (flags & AVP_FLAG.VENDOR) !== 0;
    const headerLen = vendor ? 12 : 8;
    if (len < headerLen || off + len > end) throw new DiameterError('SRP_ERR_DIAMETER_AVP', `AVP ${code} at offset ${off} has a bad length ${len}`);
    const a: Avp = { code, flags, data: Buffer.from(buf.subarray(off + headerLen, off + len)) };
    if (vendor) a.vendorId = buf.readUInt32BE(off + 8);
    avps.push(a);
    off += (len + 3) & ~3;
  }
  return avps;
}

/** Decodes one whole message (exactly `buf`). Throws DiameterError when malformed. */
export function decodeMessage(buf: Buffer): DiameterMessage {
  if (buf.length < HEADER_LENGTH) throw new DiameterError('SRP_ERR_DIAMETER_LENGTH', `message of ${buf.length} bytes is shorter than the header`);
  if (buf[0] !== DIAMETER_VERSION) throw new DiameterError('SRP_ERR_DIAMETER_VERSION', `version ${buf[0]} is not 1`);
  const length = buf.readUInt32BE(0) & 0xffffff;
  if (length !== buf.length || length % 4 !== 0) throw new DiameterError('SRP_ERR_DIAMETER_LENGTH', `Message Length ${length} does not match ${buf.length} bytes`);
  return {
    flags: buf[4] ?? 0,
    command: buf.readUInt32BE(4) & 0xffffff,
    applicationId: buf.readUInt32BE(8),
    hopByHop: buf.readUInt32BE(12),
    endToEnd: buf.readUInt32BE(16),
    avps: decodeAvps(buf, HEADER_LENGTH, length),
  };
}

/** Splits a TCP byte stream into messages. A bad header throws: the connection must be closed. */
export class DiameterDecoder {
  private pending: Buffer[] = [];
  private size = 0;

  push(chunk: Buffer): DiameterMessage[] {
    this.pending.push(chunk);
    this.size += chunk.length;
    const out: DiameterMessage[] = [];
    while (this.size >= 4) {
      const head = this.peek(4);
      if (head[0] !== DIAMETER_VERSION) throw new DiameterError('SRP_ERR_DIAMETER_VERSION', `version ${head[0]} is not 1`);
      const length = head.readUInt32BE(0) & 0xffffff;
      if (length < HEADER_LENGTH || length > MAX_MESSAGE_LENGTH || length % 4 !== 0)
        throw new DiameterError('SRP_ERR_DIAMETER_LENGTH', `Message Length ${length} is not a multiple of 4 in ${HEADER_LENGTH}..${MAX_MESSAGE_LENGTH}`);
      if (this.size < length) break;
      out.push(decodeMessage(this.take(length)));
    }
    return out;
  }

  private peek(n: number): Buffer {
    const first = this.pending[0];
    if (first && first.length >= n) return first.subarray(0, n);
    return Buffer.concat(this.pending).subarray(0, n);
  }

  private take(n: number): Buffer {
    const all = this.pending.length === 1 && this.pending[0] ? this.pending[0] : Buffer.concat(this.pending);
    const msg = Buffer.from(all.subarray(0, n));
    const rest = all.subarray(n);
    this.pending = rest.length > 0 ? [rest] : [];
    this.size = rest.length;
    return msg;
  }
}

// ---- the base exchanges --------------------------------------------------------------------

export interface LocalIdentity {
  originHost: string;
  originRealm: string;
  hostIp: string;
  originStateId: number;
  productName: string;
  vendorId: number;
}

function identityAvps(id: LocalIdentity): Avp[] {
  return [avp.utf8(AVP.ORIGIN_HOST, id.originHost), avp.utf8(AVP.ORIGIN_REALM, id.originRealm)];
}

/** CER: who we are, and the relay application (0xffffffff), which any Diameter node shares. */
export function buildCer(id: LocalIdentity, hopByHop: number, endToEnd: number): DiameterMessage {
  return {
    flags: FLAG.REQUEST,
    command: COMMAND.CAPABILITIES_EXCHANGE,
    applicationId: 0,
    hopByHop,
    endToEnd,
    avps: [
      ...identityAvps(id),
      avp.address(AVP.HOST_IP_ADDRESS, id.hostIp),
      avp.u32(AVP.VENDOR_ID, id.vendorId),
      avp.utf8(AVP.PRODUCT_NAME, id.productName, false),
      avp.u32(AVP.ORIGIN_STATE_ID, id.originStateId),
      avp.u32(AVP.AUTH_APPLICATION_ID, 0xffffffff),
    ],
  };
}

export function buildDwr(id: LocalIdentity, hopByHop: number, endToEnd: number): DiameterMessage {
  return {
    flags: FLAG.REQUEST,
    command: COMMAND.DEVICE_WATCHDOG,
    applicationId: 0,
    hopByHop,
    endToEnd,
    avps: [...identityAvps(id), avp.u32(AVP.ORIGIN_STATE_ID, id.originStateId)],
  };
}

/** DPR with Disconnect-Cause REBOOTING (0) when we stop monitoring. */
export function buildDpr(id: LocalIdentity, hopByHop: number, endToEnd: number): DiameterMessage {
  return {
    flags: FLAG.REQUEST,
    command: COMMAND.DISCONNECT_PEER,
    applicationId: 0,
    hopByHop,
    endToEnd,
    avps: [...identityAvps(id), avp.u32(AVP.DISCONNECT_CAUSE, 0)],
  };
}

/** The answer to a peer's request (DWA or DPA): same command, ids, Result-Code success. */
export function buildAnswer(request: DiameterMessage, id: LocalIdentity): DiameterMessage {
  const avps = [avp.u32(AVP.RESULT_CODE, RESULT.SUCCESS), ...identityAvps(id)];
  if (request.command === COMMAND.DEVICE_WATCHDOG) avps.push(avp.u32(AVP.ORIGIN_STATE_ID, id.originStateId));
  return { flags: 0, command: request.command, applicationId: request.applicationId, hopByHop: request.hopByHop, endToEnd: request.endToEnd, avps };
}

/** An answer to a request we cannot handle: DIAMETER_COMMAND_UNSUPPORTED with the E bit. */
export function buildUnsupported(request: DiameterMessage, id: LocalIdentity): DiameterMessage {
  return {
    flags: FLAG.ERROR,
    command: request.command,
    applicationId: request.applicationId,
    hopByHop: request.hopByHop,
    endToEnd: request.endToEnd,
    avps: [avp.u32(AVP.RESULT_CODE, 3001), ...identityAvps(id)],
  };
}
