// The security keys of the config (auth-key / auth-key-file / auth-keys, tls, peer-allow,
// management.open-reads), the key ring and the admission pools, without sockets.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../src/config/config.js';
import { CONFIG_WITHOUT_KEYS, configIssues } from './helpers/config.js';
import { AllowList, parseKeyFile } from '../src/config/security.js';
import { Admission } from '../src/link/admission.js';
import { KeyRing, KeyRingError, keyFingerprint } from '../src/link/keys.js';

const BASE = CONFIG_WITHOUT_KEYS;
const K = '0123456789abcdef0123';

const issues = configIssues;

describe('config: link keys', () => {
  it('takes one key, a key file of several lines (first signs), or a list', () => {
    const dir = mkdtempSync(join(tmpdir(), 'srpd-keys-'));
    writeFileSync(join(dir, 'k'), `# rotation step 2\n\n  ${K}-new  \n${K}-old\n`);
    expect(loadConfigText(`${BASE}auth-key: ${K}\n`, dir)).toMatchObject({ authKey: K, authKeys: [K], authKeySource: 'auth-key' });
    expect(loadConfigText(`${BASE}auth-key-file: k\n`, dir)).toMatchObject({ authKey: `${K}-new`, authKeys: [`${K}-new`, `${K}-old`] });
    expect(loadConfigText(`${BASE}auth-keys: [${K}-b, ${K}-a]\n`, dir).authKeys).toEqual([`${K}-b`, `${K}-a`]);
    expect(parseKeyFile('a\r\n#b\n\nc')).toEqual(['a', 'c']);
  });

  it('refuses two sources, short, repeated or too many keys, and an empty key file, naming the key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'srpd-keys-'));
    writeFileSync(join(dir, 'empty'), '# nothing\n');
    const two = issues(`${BASE}auth-key: ${K}\nauth-keys: [${K}]\n`)[0];
    expect(two?.key).toBe('auth-keys');
    expect(two?.reason).toMatch(/not auth-key and auth-keys/);
    expect(issues(BASE)[0]?.key).toBe('auth-key');
    expect(issues(`${BASE}auth-keys: [${K}, short]\n`)).toEqual([{ key: 'auth-keys', reason: 'key 2 is shorter than 16 bytes' }]);
    expect(issues(`${BASE}auth-keys: [${K}, ${K}]\n`)[0]?.reason).toBe('lists the same key twice');
    expect(issues(`${BASE}auth-keys: [${K}1, ${K}2, ${K}3, ${K}4, ${K}5]\n`)[0]?.reason).toMatch(/at most 4 keys/);
    expect(issues(`${BASE}auth-keys: []\n`)[0]?.key).toBe('auth-keys');
    expect(issues(`${BASE}auth-key-file: empty\n`, dir)[0]?.reason).toMatch(/holds no key/);
  });
});

describe('config: tls, peer-allow, management.open-reads', () => {
  it('names what is wrong with tls', () => {
    expect(issues(`${BASE}auth-key: ${K}\ntls: yes\n`)[0]?.key).toBe('tls');
    const missing = issues(`${BASE}auth-key: ${K}\ntls:\n  cert: /nonexistent.crt\n  colour: blue\n`).map((i) => i.key);
    expect(missing).toEqual(expect.arrayContaining(['tls.colour', 'tls.key', 'tls.ca', 'tls.peer-name']));
    const files = issues(`${BASE}auth-key: ${K}\ntls:\n  cert: /nonexistent.crt\n  key: /nonexistent.key\n  ca: /nonexistent-ca.crt\n  peer-name: west.srp\n`);
    expect(files.map((i) => i.key)).toEqual(['tls.cert']);
    expect(files[0]?.reason).toMatch(/cannot read \/nonexistent\.crt/);
  });

  it('peer-allow: by default the literal peer address; any; addresses and CIDRs; refuses junk', () => {
    expect(loadConfigText(`${BASE}auth-key: ${K}\n`, tmpdir()).peerAllow).toEqual({ kind: 'list', entries: ['127.0.0.1'], from: 'peer' });
    const named = loadConfigText(`${BASE.replace('peer: 127.0.0.1:5702', 'peer: west.example:5702')}auth-key: ${K}\n`, tmpdir());
    expect(named.peerAllow).toEqual({ kind: 'any' });
    expect(loadConfigText(`${BASE}auth-key: ${K}\npeer-allow: any\n`, tmpdir()).peerAllow).toEqual({ kind: 'any' });
    const list = loadConfigText(`${BASE}auth-key: ${K}\npeer-allow: [198.18.0.0/30, 'fd00::1']\n`, tmpdir()).peerAllow;
    expect(list).toEqual({ kind: 'list', entries: ['198.18.0.0/30', 'fd00::1'], from: 'peer-allow' });
    const allow = new AllowList(list.kind === 'list' ? list.entries : []);
    expect(['198.18.0.2', 'fd00::1', '198.18.0.4', '127.0.0.1'].map((a) => allow.has(a))).toEqual([true, true, false, false]);
    expect(issues(`${BASE}auth-key: ${K}\npeer-allow: [10.0.0.0/40, nope]\n`).map((i) => i.reason)).toEqual([
      "'10.0.0.0/40' has a bad prefix length",
      "'nope' is not an IP address or CIDR",
    ]);
  });

  it('management.open-reads is a boolean, off by default', () => {
    expect(loadConfigText(`${BASE}auth-key: ${K}\n`, tmpdir()).management.openReads).toBe(false);
    expect(loadConfigText(`${BASE}auth-key: ${K}\nmanagement:\n  listen: 0.0.0.0:7801\n  token: t0ken\n  open-reads: true\n`, tmpdir()).management.openReads).toBe(true);
    expect(issues(`${BASE}auth-key: ${K}\nmanagement:\n  open-reads: sometimes\n`)[0]).toEqual({ key: 'management.open-reads', reason: 'must be true or false' });
  });
});

describe('KeyRing', () => {
  it('signs with one key, accepts all, tells listeners of a change, serialises as Buffers and an index', () => {
    const ring = KeyRing.fromKeys([`${K}-a`, `${K}-b`]);
    const heard: number[] = [];
    ring.onChange((s) => heard.push(s.signIndex));
    expect(ring.signing.toString()).toBe(`${K}-a`);
    expect(ring.accepted.map(String)).toEqual([`${K}-a`, `${K}-b`]);
    expect(ring.replace({ keys: [Buffer.from(`${K}-a`), Buffer.from(`${K}-b`)], signIndex: 1 }).changed).toBe(true);
    expect(ring.signing.toString()).toBe(`${K}-b`);
    expect(ring.signingFirst().map(String)).toEqual([`${K}-b`, `${K}-a`]);
    expect(ring.replace(ring.snapshot()).changed).toBe(false);
    expect(heard).toEqual([1]);
    const copy = structuredClone(ring.snapshot());
    expect(new KeyRing({ keys: copy.keys.map((k) => Buffer.from(k)), signIndex: copy.signIndex }).fingerprints()).toEqual(ring.fingerprints());
    expect(ring.fingerprints().signing).toBe(keyFingerprint(Buffer.from(`${K}-b`)));
    expect(ring.fingerprints().signing).toMatch(/^[0-9a-f]{16}$/);
    expect(() => new KeyRing({ keys: [], signIndex: 0 })).toThrow(KeyRingError);
    expect(() => ring.replace({ keys: [Buffer.from('x')], signIndex: 3 })).toThrow(/signIndex 3/);
  });
});

describe('admission pools', () => {
  it('never refuses a newcomer: the oldest unproven of its source makes room, then the busiest source', () => {
    const pool = new Admission<string>({ pending: 5, perSource: 3, authenticated: 2 });
    expect(['a1', 'a2', 'a3'].flatMap((i) => pool.admit(i, 'A'))).toEqual([]);
    expect(pool.admit('a4', 'A')).toEqual(['a1']); // per source
    expect(pool.admit('b1', 'B')).toEqual([]);
    expect(pool.admit('b2', 'B')).toEqual([]);
    expect(pool.admit('b3', 'B')).toEqual(['a2']); // 5 in all: the busiest source (A) gives its oldest
    expect(pool.has('b3') && pool.has('a4')).toBe(true);
    expect(pool.stats()).toEqual({ unproven: 5, authenticated: 0, sources: 2 });
  });

  it('keeps authenticated handshakes apart from the unproven ones, and bounds them too', () => {
    const pool = new Admission<string>({ pending: 3, perSource: 3, authenticated: 2 });
    for (const i of ['x', 'y', 'z']) expect(pool.admit(i, 'A')).toEqual([]);
    expect(pool.authenticated('y')).toEqual([]);
    expect(pool.authenticated('z')).toEqual([]);
    expect(pool.admit('n1', 'A')).toEqual([]); // y and z no longer count as unproven
    expect(pool.admit('n2', 'A')).toEqual([]);
    expect(pool.admit('n3', 'A')).toEqual(['x']);
    expect(pool.authenticated('n1')).toEqual(['y']); // the oldest authenticated goes
    pool.release('z');
    expect(pool.stats().authenticated).toBe(1);
  });
});
