// RADIUS and Diameter codecs: the RFC 2865 section 7.1 example (User-Password hiding, Response
// Authenticator), Message-Authenticator, malformed answers refused with a code, the Diameter
// header and AVP layout, split-chunk decoding and garbage.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AVP,
  avpText,
  avpU32,
  buildAnswer,
  buildCer,
  buildDwr,
  COMMAND,
  decodeMessage,
  DiameterDecoder,
  DiameterError,
  encodeMessage,
  FLAG,
  isRequest,
  type LocalIdentity,
} from '../src/monitors/diameter-codec.js';
import { buildAccessRequest, decodePacket, encodePacket, hidePassword, RadiusError, revealPassword, verifyResponse } from '../src/monitors/radius-codec.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('RADIUS codec', () => {
  // RFC 2865 7.1: user "nemo", password "arctangent", secret "xyzzy5461".
  const secret = Buffer.from('xyzzy5461');
  const requestAuth = hex('0f403f9473978057bd83d5cb98f4227a');

  it('hides User-Password as in RFC 2865 7.1 and reveals it again', () => {
    const hidden = hidePassword(Buffer.from('arctangent'), secret, requestAuth);
    expect(hidden.toString('hex')).toBe('0dbe708d93d413ce3196e43f782a0aee');
    expect(revealPassword(hidden, secret, requestAuth).toString()).toBe('arctangent');
    const long = 'a-password-longer-than-sixteen-bytes';
    expect(revealPassword(hidePassword(Buffer.from(long), secret, requestAuth), secret, requestAuth).toString()).toBe(long);
  });

  it('checks the Response Authenticator of the RFC 2865 7.1 Access-Accept', () => {
    const accept = hex('02 00 00 26 86 fe 22 0e 76 24 ba 2a 10 05 f6 bf 9b 55 e0 b2 06 06 00 00 00 01 0f 06 00 00 00 00 0e 06 c0 a8 01 03');
    const request = { identifier: 0, authenticator: requestAuth, bytes: Buffer.alloc(0) };
    expect(verifyResponse(accept, request, secret)).toBe('accept');
    expect(() => verifyResponse(accept, request, Buffer.from('wrong'))).toThrow(expect.objectContaining({ code: 'SRP_ERR_RADIUS_AUTHENTICATOR' }));
    const altered = Buffer.from(accept);
    altered[25] = 2;
    expect(() => verifyResponse(altered, request, secret)).toThrow(RadiusError);
  });

  it('signs the Access-Request with a Message-Authenticator over the whole packet', () => {
    const s = Buffer.from('shared');
    const req = buildAccessRequest({ identifier: 7, user: 'probe', password: 'pw', secret: s, nasIdentifier: 'east' });
    const p = decodePacket(req.bytes);
    expect(p.code).toBe(1);
    expect(p.identifier).toBe(7);
    expect(p.attributes.map((a) => a.type)).toEqual([1, 2, 32, 80]);
    const zeroed = Buffer.from(req.bytes);
    zeroed.fill(0, zeroed.length - 16);
    expect(createHmac('md5', s).update(zeroed).digest().equals(req.bytes.subarray(req.bytes.length - 16))).toBe(true);
  });

  it('verifies an answer carrying a Message-Authenticator and refuses a bad one', () => {
    const s = Buffer.from('shared');
    const req = buildAccessRequest({ identifier: 9, user: 'probe', password: 'pw', secret: s, nasIdentifier: 'east' });
    // Build an Access-Reject the way a server does: MA over the packet with the request authenticator.
    const body = { code: 3, identifier: 9, authenticator: req.authenticator, attributes: [{ type: 80, value: Buffer.alloc(16) }] };
    const pkt = encodePacket(body);
    createHmac('md5', s).update(pkt).digest().copy(pkt, pkt.length - 16);
    const respAuth = createHash('md5').update(Buffer.concat([pkt.subarray(0, 4), req.authenticator, pkt.subarray(20), s])).digest();
    respAuth.copy(pkt, 4);
    expect(verifyResponse(pkt, req, s)).toBe('reject');
    const bad = Buffer.from(pkt);
    bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 1;
    // Flipping the MA also breaks the Response Authenticator, which is checked first.
    expect(() => verifyResponse(bad, req, s)).toThrow(RadiusError);
    expect(() => verifyResponse(pkt, { ...req, identifier: 10 }, s)).toThrow(expect.objectContaining({ code: 'SRP_ERR_RADIUS_CODE' }));
  });

  it('refuses short, truncated and garbage datagrams with a code, never reading past them', () => {
    expect(() => decodePacket(Buffer.alloc(5))).toThrow(expect.objectContaining({ code: 'SRP_ERR_RADIUS_SHORT' }));
    const p = encodePacket({ code: 2, identifier: 1, authenticator: Buffer.alloc(16), attributes: [{ type: 1, value: Buffer.from('x') }] });
    expect(() => decodePacket(p.subarray(0, p.length - 1))).toThrow(expect.objectContaining({ code: 'SRP_ERR_RADIUS_LENGTH' }));
    const badAttr = Buffer.from(p);
    badAttr[21] = 1;
    expect(() => decodePacket(badAttr)).toThrow(expect.objectContaining({ code: 'SRP_ERR_RADIUS_ATTRIBUTE' }));
    for (let i = 0; i < 500; i++) {
      const junk = randomBytes(1 + (i % 60));
      try {
        decodePacket(junk);
      } catch (err) {
        expect(err).toBeInstanceOf(RadiusError);
      }
    }
  });
});

describe('Diameter codec', () => {
  const id: LocalIdentity = { originHost: 'east.srpd', originRealm: 'srp.test', hostIp: '127.0.0.1', originStateId: 42, productName: 'srpd', vendorId: 0 };

  it('lays out the header and AVPs as RFC 6733 3 and 4 say (lengths, flags, padding)', () => {
    const cer = encodeMessage(buildCer(id, 0x01020304, 0x0a0b0c0d));
    expect(cer[0]).toBe(1);
    expect(cer.readUInt32BE(0) & 0xffffff).toBe(cer.length);
    expect(cer[4]).toBe(FLAG.REQUEST);
    expect(cer.readUInt32BE(4) & 0xffffff).toBe(257);
    expect(cer.readUInt32BE(12)).toBe(0x01020304);
    // First AVP: Origin-Host, M flag, length 8 + 9, padded to 20.
    expect(cer.readUInt32BE(20)).toBe(264);
    expect(cer[24]).toBe(0x40);
    expect(cer.readUInt32BE(24) & 0xffffff).toBe(17);
    expect(cer.subarray(28, 37).toString()).toBe('east.srpd');
    expect(cer.subarray(37, 40)).toEqual(Buffer.alloc(3));
    expect(cer.readUInt32BE(40)).toBe(296);
    const m = decodeMessage(cer);
    expect(isRequest(m)).toBe(true);
    expect(avpText(m, AVP.ORIGIN_REALM)).toBe('srp.test');
    expect(avpU32(m, AVP.AUTH_APPLICATION_ID)).toBe(0xffffffff);
    const hostIp = m.avps.find((a) => a.code === AVP.HOST_IP_ADDRESS);
    expect(hostIp?.data).toEqual(Buffer.from([0, 1, 127, 0, 0, 1]));
  });

  it('answers a DWR with the same ids and DIAMETER_SUCCESS', () => {
    const dwr = buildDwr(id, 5, 6);
    const dwa = decodeMessage(encodeMessage(buildAnswer(dwr, id)));
    expect([dwa.command, dwa.hopByHop, dwa.endToEnd, isRequest(dwa)]).toEqual([COMMAND.DEVICE_WATCHDOG, 5, 6, false]);
    expect(avpU32(dwa, AVP.RESULT_CODE)).toBe(2001);
  });

  it('decodes a stream split at every byte, and refuses a bad version or length', () => {
    const stream = Buffer.concat([encodeMessage(buildCer(id, 1, 1)), encodeMessage(buildDwr(id, 2, 2))]);
    for (const step of [1, 3, 7, 64]) {
      const d = new DiameterDecoder();
      const got = [];
      for (let i = 0; i < stream.length; i += step) got.push(...d.push(stream.subarray(i, i + step)));
      expect(got.map((x) => x.command)).toEqual([257, 280]);
    }
    const bad = Buffer.from(stream);
    bad[0] = 2;
    expect(() => new DiameterDecoder().push(bad)).toThrow(expect.objectContaining({ code: 'SRP_ERR_DIAMETER_VERSION' }));
    const huge = Buffer.from([1, 0xff, 0xff, 0xfc]);
    expect(() => new DiameterDecoder().push(huge)).toThrow(expect.objectContaining({ code: 'SRP_ERR_DIAMETER_LENGTH' }));
    const badAvp = encodeMessage(buildDwr(id, 1, 1));
    badAvp.writeUInt32BE((badAvp.readUInt32BE(24) & 0xff000000) | 0xfff, 24);
    expect(() => decodeMessage(badAvp)).toThrow(DiameterError);
  });
});
