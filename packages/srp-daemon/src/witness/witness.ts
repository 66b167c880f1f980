// A witness: a service outside the pair that says which chassis may be Active. Only the chassis
// that holds the pair's key may be Active and acknowledge writes. Kept small so that another
// coordination service can implement it; etcd.ts is the first.

export interface WitnessStatus {
  /** The last request to the service succeeded within its timeout. */
  reachable: boolean;
  /**
   * We hold the pair's Active key under a lease we renewed less than lease-ttl ago (judged on
   * the monotonic clock, with a safety margin). Computed when read, so a stalled process that
   * reads it after waking sees false without waiting for a timer.
   */
  held: boolean;
  /** chassis-id of the holder as last seen (watch), null when nobody holds it or unknown. */
  holder: string | null;
  /** The lease's time to live as the service granted it (it may grant more than asked). */
  leaseTtlMs: number;
  lastError: string | null;
}

export interface Witness {
  readonly status: WitnessStatus;
  /** Connects and watches the holder key. */
  start(): void;
  /**
   * Try to hold the Active key: granted only when nobody holds it; keeps trying (bounded
   * backoff) until release() or it is held; keeps the lease alive while held. After losing it
   * (the service unreachable for lease-ttl) it keeps trying until release().
   */
  acquire(): void;
  /** Gives the key up now (this chassis steps down or stops). */
  release(): Promise<void>;
  /** Called on every change of status, held turning false on its own timer included. */
  onStatus(cb: (s: WitnessStatus) => void): () => void;
  stop(): Promise<void>;
}

/**
 * When a witness talks to its service, derived from the lease's time to live T:
 * - renew every T/3 (as etcd's own clients do): two renewals may fail before `held` drops;
 * - each request gets T/4 to answer, so one slow request never delays the next renewal, and an
 *   unreachable service shows as `reachable: false` within T/3 + T/4;
 * - `held` lasts 0.9 x T after the last renewal was SENT (the service extends the lease from
 *   the moment it receives it, never earlier); the 0.1 x T margin covers timer lateness and
 *   clock-rate differences, so `held` is false before the service can free the key.
 */
export interface WitnessTimings {
  leaseTtlMs: number;
  renewEveryMs: number;
  requestTimeoutMs: number;
  heldForMs: number;
}

export function witnessTimings(leaseTtlMs: number): WitnessTimings {
  return {
    leaseTtlMs,
    renewEveryMs: Math.floor(leaseTtlMs / 3),
    requestTimeoutMs: Math.floor(leaseTtlMs / 4),
    heldForMs: leaseTtlMs - Math.ceil(leaseTtlMs / 10),
  };
}

export type WitnessErrorCode =
  | 'SRP_ERR_WITNESS_CONFIG'
  | 'SRP_ERR_WITNESS_TIMEOUT'
  | 'SRP_ERR_WITNESS_UNREACHABLE'
  | 'SRP_ERR_WITNESS_STOPPED';

export class WitnessError extends Error {
  override readonly name = 'WitnessError';
  constructor(
    readonly code: WitnessErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
