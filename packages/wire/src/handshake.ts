/**
 * The opening of an SRP connection (protocol version 2): a challenge-response that a recorded
 * frame cannot pass, and the per-connection keys that tag every later frame. Pure apart from
 * the random nonce: bytes in, bytes out, no sockets, no timers.
 *
 *   both sides at once   Capabilities { ..., nonce: 32 fresh random bytes }
 *                        frame sequence 1, tagged with the sender's signing key
 *   on the peer's        HandshakeConfirm { nonce: the peer's nonce }
 *   Capabilities         frame sequence 2, tagged with this connection's sending key
 *   then                 every message, sequence 3, 4, ..., tagged with the connection keys
 *
 * The connection keys are HKDF-SHA256 of (dialer's signing key || listener's signing key),
 * salted with SHA-256 of both Capabilities frames as sent (each holds its nonce), one key per
 * direction. Each side learns which of its accepted keys the peer signs with from the tag of
 * the peer's Capabilities, so the two sides may sign with different keys during a rotation.
 *
 * What this refuses: a Capabilities recorded on another connection (to either chassis, of
 * this boot or an earlier one) authenticates, but its sender cannot answer this connection's
 * nonce: nothing it sends after it carries a valid tag, and the connection is never reported
 * up. A HandshakeConfirm or any later frame recorded elsewhere fails its tag. Only a party
 * that holds an accepted key and takes part in this very connection completes it.
 */
import { createHash, createSecretKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { decodeMessageBody, encodeMessageBody } from './body.js';
import { PROTOCOL_VERSION } from './constants.js';
import { WireError } from './errors.js';
import { FRAME_HEADER_SIZE, FRAME_MAGIC, FRAME_TAG_SIZE, checkFrameHeader, decodeOneFrame, encodeFrame } from './frame.js';
import { MessageType, type Capabilities } from './messages.js';

export const HANDSHAKE_NONCE_BYTES = 32;
/** Bound of a handshake frame's payload: a larger declared length is refused at its header. */
export const HANDSHAKE_MAX_PAYLOAD = 4096;
export const LINK_KEY_LABEL_DIALER = 'srp-ha link v2 dialer to listener';
export const LINK_KEY_LABEL_LISTENER = 'srp-ha link v2 listener to dialer';

export type HandshakeRole = 'dialer' | 'listener';

/** The long-term keys: the one this side signs its Capabilities with, and every one it accepts. */
export interface HandshakeKeys {
  sign: Uint8Array;
  /** Includes `sign`. */
  accepted: readonly Uint8Array[];
}

export interface LinkHandshakeOptions {
  /** Who opened the TCP connection: it fixes the order of everything both sides derive. */
  role: HandshakeRole;
  keys: HandshakeKeys;
  /** This side's Capabilities; protocolVersion and nonce are filled in here. */
  capabilities: Omit<Capabilities, 'protocolVersion' | 'nonce'>;
  /** Told of each authenticated peer nonce; true means it was seen before (SRP_ERR_REPLAY). */
  seenBefore?: (nonce: Buffer) => boolean;
  /** Fixed nonce, for tests only. */
  nonce?: Uint8Array;
}

export interface HandshakeDone {
  peer: Capabilities;
  /** Tags this side's frames from sequence 3 on. */
  sendKey: KeyObject;
  /** Tags the peer's frames from sequence 3 on. */
  receiveKey: KeyObject;
  /** Index in keys.accepted of the key the peer's Capabilities was tagged with. */
  peerKeyIndex: number;
  /** Bytes received after the peer's HandshakeConfirm: the start of its message stream. */
  rest: Buffer;
}

/** What one push() produced; each field at most once per handshake. */
export interface HandshakeStep {
  /** The peer's Capabilities, authenticated but not yet proven fresh (it may be a replay). */
  authenticated?: Capabilities;
  /** Bytes to write now: our HandshakeConfirm. */
  send?: Buffer;
  /** The peer answered our nonce: the connection is proven fresh. */
  done?: HandshakeDone;
}

/** Sequence numbers of the two handshake frames. */
export const CAPABILITIES_SEQ = 1n;
export const CONFIRM_SEQ = 2n;

/**
 * One side of one connection's handshake. `first` is written as soon as the connection is open;
 * push() takes the bytes read. Throws WireError only, and stays failed after the first:
 * SRP_ERR_BAD_MAGIC (not SRP), _BAD_VERSION (another protocol version, e.g. an older peer),
 * _FRAME_TOO_LARGE, _BAD_TYPE, _BAD_FLAGS, _BAD_MAC (no accepted key), _BAD_MESSAGE,
 * _HANDSHAKE (frames out of order), _REPLAY (a recorded frame: nonce seen before, or a frame
 * after the Capabilities that is not bound to this connection).
 */
export class LinkHandshake {
  readonly nonce: Buffer;
  /** Our Capabilities frame: write it first. */
  readonly first: Buffer;
  private readonly keys: HandshakeKeys;
  private readonly keyObjects: KeyObject[];
  private buffered: Buffer = Buffer.alloc(0);
  private peer: Capabilities | null = null;
  private peerKeyIndex = -1;
  private receiveKey: KeyObject | null = null;
  private sendKey: KeyObject | null = null;
  private finished = false;
  private failure: WireError | null = null;

  constructor(private readonly opts: LinkHandshakeOptions) {
    if (opts.keys.accepted.length === 0 || opts.keys.accepted.some((k) => k.length === 0) || opts.keys.sign.length === 0) {
      throw new WireError('SRP_ERR_BAD_KEY', 'a handshake needs a non-empty signing key and accepted keys');
    }
    this.keys = opts.keys;
    this.keyObjects = opts.keys.accepted.map(keyObjectOf);
    this.nonce = Buffer.from(opts.nonce ?? randomBytes(HANDSHAKE_NONCE_BYTES));
    const caps: Capabilities = { ...opts.capabilities, protocolVersion: PROTOCOL_VERSION, nonce: this.nonce };
    this.first = encodeFrame(
      { type: MessageType.Capabilities, flags: 0, seq: CAPABILITIES_SEQ, payload: asBuffer(encodeMessageBody({ kind: 'capabilities', body: caps })) },
      keyObjectOf(opts.keys.sign),
    );
  }

  /** The peer's Capabilities once authenticated (not yet proven fresh until done). */
  get authenticatedPeer(): Capabilities | null {
    return this.peer;
  }

  get done(): boolean {
    return this.finished;
  }

  push(chunk: Uint8Array): HandshakeStep {
    if (this.failure !== null) {
      throw new WireError('SRP_ERR_DECODER_FAILED', 'the handshake failed earlier; close the connection', { cause: this.failure });
    }
    if (this.finished) throw new WireError('SRP_ERR_HANDSHAKE', 'the handshake is over; give the bytes to the message reader');
    try {
      return this.consume(chunk);
    } catch (err) {
      const e = err instanceof WireError ? err : new WireError('SRP_ERR_BAD_MESSAGE', `handshake failure: ${String(err)}`, { cause: err });
      this.failure = e;
      this.buffered = Buffer.alloc(0);
      throw e;
    }
  }

  private consume(chunk: Uint8Array): HandshakeStep {
    this.buffered = this.buffered.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffered, chunk]);
    const step: HandshakeStep = {};
    for (;;) {
      const frame = this.nextFrame();
      if (frame === null) return step;
      if (this.peer === null) {
        const caps = this.onCapabilities(frame);
        step.authenticated = caps;
        step.send = this.confirmFrame(caps);
      } else {
        this.onConfirm(frame);
        this.finished = true;
        const rest = this.buffered;
        this.buffered = Buffer.alloc(0);
        step.done = { peer: this.peer, sendKey: this.sendKey!, receiveKey: this.receiveKey!, peerKeyIndex: this.peerKeyIndex, rest };
        return step;
      }
    }
  }

  /** The next whole frame of the buffer (removed from it), or null while it is incomplete. */
  private nextFrame(): Buffer | null {
    const b = this.buffered;
    if (b.length >= 1 && b[0] !== FRAME_MAGIC >> 8) throw badMagic(b);
    if (b.length >= 2 && b.readUInt16BE(0) !== FRAME_MAGIC) throw badMagic(b);
    if (b.length < FRAME_HEADER_SIZE) return null;
    const size = FRAME_HEADER_SIZE + checkFrameHeader(b, HANDSHAKE_MAX_PAYLOAD) + FRAME_TAG_SIZE;
    if (b.length < size) return null;
    const frame = Buffer.from(b.subarray(0, size));
    this.buffered = b.subarray(size);
    return frame;
  }

  private onCapabilities(raw: Buffer): Capabilities {
    const frame = decodeOneFrame(raw, this.keyObjects, HANDSHAKE_MAX_PAYLOAD);
    if (frame.type !== MessageType.Capabilities) {
      throw new WireError('SRP_ERR_HANDSHAKE', `expected Capabilities first, got message type ${frame.type}`);
    }
    if (frame.seq !== CAPABILITIES_SEQ) throw new WireError('SRP_ERR_HANDSHAKE', `Capabilities with sequence ${frame.seq}, expected 1`);
    if (frame.flags !== 0) throw new WireError('SRP_ERR_BAD_FLAGS', 'a handshake frame is never compressed');
    const msg = decodeMessageBody(frame.type, frame.payload);
    if (msg.kind !== 'capabilities') throw new WireError('SRP_ERR_HANDSHAKE', `decoded ${msg.kind}, expected capabilities`);
    const caps = msg.body;
    if (caps.protocolVersion !== PROTOCOL_VERSION) {
      throw new WireError('SRP_ERR_BAD_VERSION', `peer speaks protocol ${caps.protocolVersion}, we speak ${PROTOCOL_VERSION}`);
    }
    if (caps.nonce.length !== HANDSHAKE_NONCE_BYTES) {
      throw new WireError('SRP_ERR_BAD_MESSAGE', `Capabilities nonce of ${caps.nonce.length} bytes, expected ${HANDSHAKE_NONCE_BYTES}`);
    }
    const nonce = Buffer.from(caps.nonce);
    if (nonce.equals(this.nonce)) throw new WireError('SRP_ERR_REPLAY', 'the peer sent our own nonce back (a reflected Capabilities)');
    if (this.opts.seenBefore?.(nonce) === true) {
      throw new WireError('SRP_ERR_REPLAY', 'a Capabilities whose nonce was seen before (a recorded frame)');
    }
    this.peer = caps;
    this.peerKeyIndex = frame.keyIndex;
    this.deriveKeys(raw);
    return caps;
  }

  private deriveKeys(peerFrame: Buffer): void {
    const peerKey = this.keys.accepted[this.peerKeyIndex];
    const dialer = this.opts.role === 'dialer';
    const ikm = Buffer.concat(dialer ? [this.keys.sign, peerKey] : [peerKey, this.keys.sign]);
    const salt = createHash('sha256').update(dialer ? this.first : peerFrame).update(dialer ? peerFrame : this.first).digest();
    const key = (label: string): KeyObject => createSecretKey(Buffer.from(hkdfSync('sha256', ikm, salt, label, 32)));
    const d2l = key(LINK_KEY_LABEL_DIALER);
    const l2d = key(LINK_KEY_LABEL_LISTENER);
    this.sendKey = dialer ? d2l : l2d;
    this.receiveKey = dialer ? l2d : d2l;
  }

  private confirmFrame(peer: Capabilities): Buffer {
    const payload = asBuffer(encodeMessageBody({ kind: 'handshakeConfirm', body: { nonce: peer.nonce } }));
    return encodeFrame({ type: MessageType.HandshakeConfirm, flags: 0, seq: CONFIRM_SEQ, payload }, this.sendKey!);
  }

  private onConfirm(raw: Buffer): void {
    let frame;
    try {
      frame = decodeOneFrame(raw, [this.receiveKey!], HANDSHAKE_MAX_PAYLOAD);
    } catch (err) {
      if (err instanceof WireError && err.code === 'SRP_ERR_BAD_MAC') {
        throw new WireError('SRP_ERR_REPLAY', 'the frame after Capabilities is not tagged with this connection\'s key (a recorded frame, or no key)', { cause: err });
      }
      throw err;
    }
    if (frame.type !== MessageType.HandshakeConfirm) {
      throw new WireError('SRP_ERR_HANDSHAKE', `expected HandshakeConfirm after Capabilities, got message type ${frame.type}`);
    }
    if (frame.seq !== CONFIRM_SEQ) throw new WireError('SRP_ERR_HANDSHAKE', `HandshakeConfirm with sequence ${frame.seq}, expected 2`);
    if (frame.flags !== 0) throw new WireError('SRP_ERR_BAD_FLAGS', 'a handshake frame is never compressed');
    const msg = decodeMessageBody(frame.type, frame.payload);
    if (msg.kind !== 'handshakeConfirm' || !Buffer.from(msg.body.nonce).equals(this.nonce)) {
      throw new WireError('SRP_ERR_REPLAY', 'the HandshakeConfirm answers another nonce than ours');
    }
  }
}

/** One KeyObject per key buffer, made once: a handshake per connection reuses them. */
const keyObjects = new WeakMap<Uint8Array, KeyObject>();
function keyObjectOf(key: Uint8Array): KeyObject {
  let k = keyObjects.get(key);
  if (k === undefined) {
    k = createSecretKey(key);
    keyObjects.set(key, k);
  }
  return k;
}

function asBuffer(u: Uint8Array): Buffer {
  return Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

function badMagic(b: Buffer): WireError {
  return new WireError('SRP_ERR_BAD_MAGIC', `bad frame magic 0x${b.subarray(0, 2).toString('hex')}`);
}
