// Two SrpLinks in one process (no daemon around them), over real TCP on 127.0.0.x, with a
// recorder of what each reports: for the link tests.
import type { Socket } from 'node:net';
import { pino } from 'pino';
import { systemClock } from '../../src/fsm/clock.js';
import { KeyRing } from '../../src/link/keys.js';
import { MESSAGE_TYPE_OF_KIND, type SrpMessage } from '@srp-ha/wire';
import { SrpLink, type LinkOptions } from '../../src/link/link.js';
import type { MessageKind } from '../../src/link/port.js';
import type { HostPort } from '@srp-ha/common';
import { freePort, waitFor } from './cluster.js';

export const LINK_KEY_ONE = 'link-security-test-key-one-0123';
const links: SrpLink[] = [];
/** Sockets a test opened; stopLinks() destroys them. */
export const sockets: Socket[] = [];

/** For afterEach: closes every link and socket the test made. */
export async function stopLinks(): Promise<void> {
  for (const s of sockets.splice(0)) s.destroy();
  for (const l of links.splice(0)) await l.stop();
}

/** What a link reported to the test. */
export interface Recorder {
  ups: number;
  downs: number;
  switches: number;
  messages: SrpMessage[];
  refusals: string[];
  /** The peer boot of every connection that completed its handshake. */
  boots: number[];
}

export function recorder(): Recorder {
  return { ups: 0, downs: 0, switches: 0, messages: [], refusals: [], boots: [] };
}

const ALL_KINDS = Object.keys(MESSAGE_TYPE_OF_KIND) as MessageKind[];

/** A link with `rec` told of everything it reports (its state, refusals, every message). */
export function recorded(link: SrpLink, rec: Recorder): SrpLink {
  link.onState((s) => {
    if (s.type === 'up') rec.ups++;
    else if (s.type === 'down') rec.downs++;
    else if (s.type === 'switched') rec.switches++;
    else rec.boots.push(s.peerBootId);
  });
  link.onRefused((r) => void rec.refusals.push(r.reason));
  link.onMessage(ALL_KINDS, (m) => void rec.messages.push(m));
  return link;
}

export interface End {
  link: SrpLink;
  rec: Recorder;
  port: number;
}

/** The options of a test link: no Hellos are sent, so a long dead interval keeps the idle
 * timeout (2 x dead) away; the handshake deadlines follow it. */
export function linkOptions(chassisId: string, bootId: number, bind: HostPort, peer: HostPort, keys: string[], more: Partial<LinkOptions> = {}): LinkOptions {
  return {
    bind,
    peer,
    keys: KeyRing.fromKeys(keys),
    chassisId,
    bootId,
    compression: ['zlib'],
    helloIntervalMs: 50,
    deadIntervalMs: 2000,
    maxFrameSize: 1 << 20,
    clock: systemClock,
    logger: pino({ level: 'silent' }),
    ...more,
  };
}

export async function end(chassisId: string, bootId: number, host: string, port: number, peer: HostPort, more: Partial<LinkOptions> = {}): Promise<End> {
  const rec = recorder();
  const link = recorded(new SrpLink(linkOptions(chassisId, bootId, { host, port }, peer, [LINK_KEY_ONE], more)), rec);
  links.push(link);
  await link.listen();
  return { link, rec, port };
}

/** east on 127.0.0.1 and west on 127.0.0.2, each allowing only the other (the default), started. */
export async function startPair(moreEast: Partial<LinkOptions> = {}, moreWest: Partial<LinkOptions> = {}): Promise<{ east: End; west: End }> {
  const [pe, pw] = [await freePort(), await freePort()];
  const east = await end('east', 1, '127.0.0.1', pe, { host: '127.0.0.2', port: pw }, { peerAllow: { kind: 'list', entries: ['127.0.0.2'], from: 'peer' }, ...moreEast });
  const west = await end('west', 2, '127.0.0.2', pw, { host: '127.0.0.1', port: pe }, { peerAllow: { kind: 'list', entries: ['127.0.0.1'], from: 'peer' }, ...moreWest });
  east.link.start();
  west.link.start();
  return { east, west };
}

/** startPair(), once the link is up on one connection. */
export async function pair(moreEast: Partial<LinkOptions> = {}, moreWest: Partial<LinkOptions> = {}): Promise<{ east: End; west: End }> {
  const { east, west } = await startPair(moreEast, moreWest);
  await waitFor('the link up on one connection', () => east.link.up && west.link.up && east.link.connectionCount === 1 && west.link.connectionCount === 1);
  return { east, west };
}
