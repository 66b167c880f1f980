// Session data for the benches. "realistic" (the default): random 15-digit IMSIs, ids of 15 to
// 24 characters, IPv4 or IPv6 addresses, an APN from a small set, 3 to 8 attributes, counters
// that move with every update and an attribute that changes on some. "sequential": the shape
// the first benches used (sequential ids, three constant attributes, counters at 0, updates
// that set one attribute to a running number), for comparing with their figures.
//
// Everything of session i is derived from (seed, i) by hashing, so nothing but the counters is
// stored: a driver of 1M sessions keeps two Float64Arrays.

export type DataShape = 'realistic' | 'sequential';

export const DATA_SHAPES: readonly DataShape[] = ['realistic', 'sequential'];

export const APNS = ['internet', 'ims', 'mms', 'iot.m2m', 'corp.example.com'] as const;
const RATS = ['eutran', 'nr', 'utran', 'eutran-nb-iot'] as const;
export const LIFETIME_MS = 3_600_000;

/** A 32-bit hash of (a, b): two rounds of a multiply-xorshift mix. */
export function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A small, fast PRNG (xorshift32) for update choices. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x2545f491;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  /** An integer in [0, n). */
  below(n: number): number {
    return this.next() % n;
  }
}

const digits = (n: number, width: number): string => String(n).padStart(width, '0');

export interface SessionSpec {
  id: string;
  attrs: Record<string, string>;
  counters: Record<string, number>;
  lifetimeMs: number;
}

export interface UpdateSpec {
  id: string;
  attrs?: Record<string, string>;
  counters?: Record<string, number>;
}

export interface SessionDataOptions {
  sessions: number;
  shape?: DataShape;
  seed?: number;
  /** Ids are `${idPrefix}...`: probe sessions use their own prefix. */
  idPrefix?: string;
}

export class SessionData {
  readonly sessions: number;
  readonly shape: DataShape;
  private readonly seed: number;
  private readonly prefix: string;
  private readonly up: Float64Array;
  private readonly down: Float64Array;
  private readonly rng: Rng;
  private updates = 0;

  constructor(opts: SessionDataOptions) {
    this.sessions = opts.sessions;
    this.shape = opts.shape ?? 'realistic';
    this.seed = opts.seed ?? 1;
    this.prefix = opts.idPrefix ?? '';
    this.up = new Float64Array(this.sessions);
    this.down = new Float64Array(this.sessions);
    this.rng = new Rng(mix(this.seed, 0x51ed));
  }

  private h(i: number, k: number): number {
    return mix(mix(this.seed, i), k);
  }

  /**
   * The 15-digit IMSI of session i: MCC-MNC from a few networks, a random-looking 10-digit MSIN
   * that is unique per i (mix(seed, i) is a bijection of 32-bit i, and the added 5e9 is above
   * its range), so no two sessions share an id.
   */
  imsi(i: number): string {
    const plmn = ['20815', '20801', '31026', '23415', '00101'][this.h(i, 1) % 5] ?? '00101';
    const msin = mix(this.seed, i) + (this.h(i, 2) & 1) * 5_000_000_000;
    return plmn + digits(msin, 10);
  }

  /** The id of session i: 15 to 24 characters in realistic data. */
  id(i: number): string {
    if (this.shape === 'sequential') return `${this.prefix}imsi-00101${digits(i, 10)}`;
    const imsi = this.imsi(i);
    switch (this.h(i, 4) % 4) {
      case 0:
        return this.prefix + imsi; // 15
      case 1:
        return `${this.prefix}${imsi}-${5 + (this.h(i, 5) % 11)}`; // 17-18: IMSI and bearer id
      case 2:
        return `${this.prefix}imsi-${imsi}`; // 20
      default:
        return `${this.prefix}${imsi}@${(['ims', 'mms', 'internet'] as const)[this.h(i, 5) % 3]}`; // 19-24
    }
  }

  private ip(i: number): string {
    const a = this.h(i, 6);
    if (this.h(i, 7) % 10 < 7) return `${10 + (a >>> 30)}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
    const b = this.h(i, 8);
    const hex = (n: number): string => (n & 0xffff).toString(16);
    return `2001:db8:${hex(a >>> 16)}:${hex(a)}:${hex(b >>> 16)}:${hex(b)}:${hex(a ^ b)}:1`;
  }

  private cell(i: number, move: number): string {
    return (this.h(i, 9 + move) & 0xfffffff).toString(16).padStart(7, '0');
  }

  /** The attributes of session i (3 to 8 in realistic data). */
  attrs(i: number): Record<string, string> {
    if (this.shape === 'sequential') return { apn: 'internet', rat: 'eutran', ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` };
    const n = 3 + (this.h(i, 10) % 6);
    const out: Record<string, string> = {};
    out.apn = APNS[this.h(i, 11) % APNS.length] ?? 'internet';
    out.ip = this.ip(i);
    out.msisdn = `33${digits(this.h(i, 12) % 1_000_000_000, 9)}`;
    if (n > 3) out.rat = RATS[this.h(i, 13) % RATS.length] ?? 'eutran';
    if (n > 4) out.cell = this.cell(i, 0);
    if (n > 5) out.imei = `35${digits(this.h(i, 14) % 1_000_000, 6)}${digits(this.h(i, 15) % 10_000_000, 7)}`;
    if (n > 6) out.qci = String(1 + (this.h(i, 16) % 9));
    if (n > 7) out['charging-id'] = String(this.h(i, 17));
    return out;
  }

  create(i: number): SessionSpec {
    return { id: this.id(i), attrs: this.attrs(i), counters: { up: this.up[i] ?? 0, down: this.down[i] ?? 0 }, lifetimeMs: LIFETIME_MS };
  }

  /** The next session to update: uniform at random (realistic) or the old stride (sequential). */
  pick(k: number): number {
    if (this.shape === 'sequential') return (this.updates * 7919 + k * 104_729) % this.sessions;
    return this.rng.below(this.sessions);
  }

  /**
   * An update of session i: realistic data moves both counters (kilobytes up by 1-16 and down
   * by 1-64: with the default counter-sync-every of 100, about two updates in five cross a
   * multiple and carry the counters; the API's upsert restarts the lifetime too) and, one time
   * in four, moves the session to another cell (or RAT); sequential
   * data sets attribute `seq` to the running call number.
   */
  update(i: number): UpdateSpec {
    if (this.shape === 'sequential') return { id: this.id(i), attrs: { seq: String(this.updates) } };
    const up = (this.up[i] = (this.up[i] ?? 0) + 1 + this.rng.below(16));
    const down = (this.down[i] = (this.down[i] ?? 0) + 1 + this.rng.below(64));
    const spec: UpdateSpec = { id: this.id(i), counters: { up, down } };
    if (this.rng.below(4) === 0) {
      const hasCell = 3 + (this.h(i, 10) % 6) > 4;
      spec.attrs = hasCell ? { cell: this.cell(i, 1 + this.rng.below(1000)) } : { rat: RATS[this.rng.below(RATS.length)] ?? 'nr' };
    }
    return spec;
  }

  /** Like pick(k), among the sessions i with i % slots === slot (each slot's own share). */
  pickIn(k: number, slot: number, slots: number): number {
    if (slots <= 1) return this.pick(k);
    if (this.shape === 'realistic') return slot + slots * this.rng.below(Math.floor((this.sessions - 1 - slot) / slots) + 1);
    const i = this.pick(k) - (this.pick(k) % slots) + slot;
    return i < this.sessions ? i : i - slots;
  }

  /** Ends a call of updates (sequential data numbers its calls). */
  endCall(): void {
    this.updates++;
  }
}

// ---- the session API's JSON ------------------------------------------------------------------

const str = JSON.stringify;

function objectJson(o: Record<string, string | number>): string {
  let s = '';
  for (const k in o) s += `${s === '' ? '' : ','}${str(k)}:${typeof o[k] === 'number' ? String(o[k]) : str(o[k])}`;
  return `{${s}}`;
}

/** One upsert op of POST /v1/sessions. */
export function upsertJson(spec: SessionSpec | UpdateSpec): string {
  let s = `{"op":"upsert","id":${str(spec.id)}`;
  if (spec.attrs) s += `,"attrs":${objectJson(spec.attrs)}`;
  if (spec.counters) s += `,"counters":${objectJson(spec.counters)}`;
  if ('lifetimeMs' in spec) s += `,"lifetimeMs":${spec.lifetimeMs}`;
  return `${s}}`;
}

export function opsBody(ops: readonly string[]): string {
  return `{"ops":[${ops.join(',')}]}`;
}
