import { describe, expect, it } from 'vitest';
import {
  decodeHelloDatagram,
  encodeFrame,
  encodeHelloDatagram,
  encodeMessageBody,
  helloDatagramKey,
  MAX_HELLO_DATAGRAM,
  MessageType,
  PROTOCOL_VERSION,
} from '../src/index.js';
import { codeOf, FULL, mutate, plainMessage, prng } from './fixtures.js';

const shared = Buffer.from('a-shared-key-of-enough-length');
const key = helloDatagramKey(shared);
const other = helloDatagramKey(Buffer.from('another-key-of-enough-length'));
const hello = { ...FULL.hello.body, sequence: 42 };

describe('Hello datagrams', () => {
  it('round trips a Hello with every field set', () => {
    const d = encodeHelloDatagram(hello, key);
    expect(d.length).toBeLessThanOrEqual(MAX_HELLO_DATAGRAM);
    const { hello: back, keyIndex } = decodeHelloDatagram(d, [key]);
    expect(plainMessage({ kind: 'hello', body: back })).toEqual({ kind: 'hello', body: hello });
    expect(keyIndex).toBe(0);
  });

  it('accepts any key of a rotation and says which one matched', () => {
    const d = encodeHelloDatagram(hello, other);
    expect(decodeHelloDatagram(d, [key, other]).keyIndex).toBe(1);
    expect(() => decodeHelloDatagram(d, [key])).toThrow(/SRP_ERR_BAD_MAC/);
  });

  it('uses a key of its own: a frame tagged with the shared key itself is refused', async () => {
    const payload = Buffer.from(encodeMessageBody({ kind: 'hello', body: hello }));
    const tcpStyle = encodeFrame({ type: MessageType.Hello, flags: 0, seq: 42n, payload }, shared);
    expect(await codeOf(() => decodeHelloDatagram(tcpStyle, [key]))).toBe('SRP_ERR_BAD_MAC');
  });

  it('refuses what is not exactly one Hello frame, each with its own code', async () => {
    const d = encodeHelloDatagram(hello, key);
    expect(await codeOf(() => decodeHelloDatagram(d.subarray(0, 10), [key]))).toBe('SRP_ERR_BAD_FRAME');
    expect(await codeOf(() => decodeHelloDatagram(Buffer.concat([d, Buffer.from([0])]), [key]))).toBe('SRP_ERR_BAD_FRAME');
    expect(await codeOf(() => decodeHelloDatagram(Buffer.from('GET / HTTP/1.1\r\n\r\n'.repeat(4)), [key]))).toBe('SRP_ERR_BAD_MAGIC');
    const v = Buffer.from(d);
    v[2] = PROTOCOL_VERSION + 1;
    expect(await codeOf(() => decodeHelloDatagram(v, [key]))).toBe('SRP_ERR_BAD_VERSION');
    const goodbye = encodeFrame({ type: MessageType.Goodbye, flags: 0, seq: 1n, payload: Buffer.alloc(0) }, key);
    expect(await codeOf(() => decodeHelloDatagram(goodbye, [key]))).toBe('SRP_ERR_BAD_TYPE');
    expect(await codeOf(() => encodeHelloDatagram({ ...hello, sequence: 0 }, key))).toBe('SRP_ERR_REPLAY');
    // A frame sequence that is not the Hello's own: someone re-framed a recorded Hello.
    const payload = Buffer.from(encodeMessageBody({ kind: 'hello', body: hello }));
    const reframed = encodeFrame({ type: MessageType.Hello, flags: 0, seq: 43n, payload }, key);
    expect(await codeOf(() => decodeHelloDatagram(reframed, [key]))).toBe('SRP_ERR_REPLAY');
  });

  it('throws only WireErrors on 20k mutated datagrams', () => {
    const rnd = prng(7);
    const base = encodeHelloDatagram(hello, key);
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      const bytes = mutate(rnd, base);
      try {
        decodeHelloDatagram(bytes, [key]);
        accepted++;
      } catch (err) {
        expect((err as { name?: string }).name).toBe('WireError');
      }
    }
    // Only unchanged copies (a mutation that changed nothing) can pass the tag.
    expect(accepted).toBeLessThan(20_000);
  });
});
