// Why a connection on the SRP link was refused, as a small fixed set of reasons (they are
// metric label values and statistics keys, so the set must stay bounded), and a logger that
// keeps a flood of refusals from flooding the log.
import type { Logger } from 'pino';
import { isWireError } from '@srp-ha/wire';
import type { Clock, TimerHandle } from '../fsm/clock.js';

export type RefusalReason =
  | 'bad-mac'
  | 'bad-version'
  | 'garbage'
  | 'replay'
  | 'frame-too-large'
  | 'bad-frame'
  | 'protocol'
  | 'same-chassis-id'
  | 'handshake-timeout'
  | 'not-allowed'
  | 'evicted'
  | 'tls-untrusted'
  | 'tls-expired'
  | 'tls-peer-name'
  | 'tls-handshake'
  | 'internal';

export function refusalReasonOf(err: unknown): RefusalReason {
  if (!isWireError(err)) return 'internal';
  switch (err.code) {
    case 'SRP_ERR_BAD_MAC':
      return 'bad-mac';
    case 'SRP_ERR_BAD_VERSION':
      return 'bad-version';
    case 'SRP_ERR_BAD_MAGIC':
      return 'garbage';
    case 'SRP_ERR_REPLAY':
      return 'replay';
    case 'SRP_ERR_FRAME_TOO_LARGE':
      return 'frame-too-large';
    case 'SRP_ERR_HANDSHAKE':
      return 'protocol';
    case 'SRP_ERR_DECODER_FAILED':
    case 'SRP_ERR_BAD_KEY':
      return 'internal';
    default:
      return 'bad-frame';
  }
}

/** Per reason, the first refusal of a window is logged in full, the rest as one count. */
export const REFUSAL_LOG_WINDOW_MS = 10_000;

interface Window {
  suppressed: number;
  timer: TimerHandle | null;
  last: { remote: string; cause: string } | null;
}

export class RefusalLog {
  private readonly windows = new Map<RefusalReason, Window>();

  constructor(
    private readonly log: Logger,
    private readonly clock: Clock,
    private readonly windowMs = REFUSAL_LOG_WINDOW_MS,
  ) {}

  note(reason: RefusalReason, detail: { remote: string; cause: string; direction?: string }): void {
    const w = this.windows.get(reason);
    if (w) {
      w.suppressed++;
      w.last = { remote: detail.remote, cause: detail.cause };
      return;
    }
    this.log.warn({ reason, ...detail }, 'SRP connection refused');
    const fresh: Window = { suppressed: 0, timer: null, last: null };
    fresh.timer = this.clock.setTimeout(() => this.close(reason), this.windowMs);
    this.windows.set(reason, fresh);
  }

  /** Logs what is still counted and stops the timers. */
  stop(): void {
    for (const reason of [...this.windows.keys()]) this.close(reason);
  }

  private close(reason: RefusalReason): void {
    const w = this.windows.get(reason);
    if (!w) return;
    this.windows.delete(reason);
    if (w.timer) this.clock.clearTimeout(w.timer);
    if (w.suppressed > 0) {
      this.log.warn(
        { reason, count: w.suppressed, seconds: this.windowMs / 1000, last: w.last },
        `${w.suppressed} more SRP connections refused (${reason}) in ${this.windowMs / 1000} s`,
      );
    }
  }
}
