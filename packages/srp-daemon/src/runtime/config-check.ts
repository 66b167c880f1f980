// `srp validate-configuration`: the keys that must match on both chassis, compared key by key
// over the SRP link (ConfigValidationRequest / Response), and what the last comparison found.
import type { ConfigValidationResponse, SrpMessage } from '@srp-ha/wire';
import type { Logger } from 'pino';
import { configDigest, differingKeys, matchingValues, type SrpConfig } from '../config/config.js';
import type { ConfigValidationResult, SrpEvent, SrpStatistics } from '../api/contract.js';
import type { Clock } from '../fsm/clock.js';

export interface ConfigCheckHost {
  readonly linkUp: boolean;
  send(msg: SrpMessage): Promise<boolean>;
  emit(event: SrpEvent): void;
  readonly clock: Clock;
  readonly log: Logger;
}

export class ConfigCheck {
  readonly values: Record<string, string>;
  readonly digest: Buffer;
  readonly stats: SrpStatistics['configValidation'] = { checks: 0, mismatches: 0, lastResult: 'unknown', differingKeys: [] };
  private readonly waiters = new Set<(r: ConfigValidationResponse | null) => void>();

  constructor(
    config: SrpConfig,
    private readonly deadIntervalMs: number,
    private readonly host: ConfigCheckHost,
  ) {
    this.values = matchingValues(config);
    this.digest = configDigest(this.values);
  }

  snapshot(): SrpStatistics['configValidation'] {
    return { ...this.stats, differingKeys: [...this.stats.differingKeys] };
  }

  /** Asks the peer to compare (a new peer, a changed digest, a new connection). */
  request(): void {
    if (this.host.linkUp) void this.host.send({ kind: 'configValidationRequest', body: { configDigest: this.digest, values: this.values } });
  }

  /** The operator's check: asks the peer and waits for its answer (null fields when no peer answers). */
  async validate(): Promise<ConfigValidationResult> {
    const localDigest = this.digest.toString('hex');
    const none: ConfigValidationResult = { match: null, localDigest, peerDigest: null, differingKeys: [] };
    if (!this.host.linkUp) return none;
    const { clock } = this.host;
    const answer = new Promise<ConfigValidationResponse | null>((resolve) => {
      const t = clock.setTimeout(() => {
        this.waiters.delete(done);
        resolve(null);
      }, Math.max(2000, this.deadIntervalMs));
      const done = (r: ConfigValidationResponse | null): void => {
        clock.clearTimeout(t);
        resolve(r);
      };
      this.waiters.add(done);
    });
    this.request();
    const r = await answer;
    if (!r) return none;
    return { match: r.match, localDigest, peerDigest: Buffer.from(r.configDigest).toString('hex'), differingKeys: r.differingKeys };
  }

  /** The peer asks us to compare: answer, count, log and announce the result. */
  onRequest(peerValues: Record<string, string>, peerDigest: Uint8Array): void {
    const diff = differingKeys(this.values, peerValues);
    const cv = this.stats;
    cv.checks++;
    if (diff.length > 0) cv.mismatches++;
    cv.lastResult = diff.length === 0 ? 'match' : 'mismatch';
    cv.differingKeys = diff;
    void this.host.send({ kind: 'configValidationResponse', body: { match: diff.length === 0, differingKeys: diff, configDigest: this.digest } });
    const cause = diff.length === 0 ? 'configuration matches the peer' : `configuration differs from the peer on: ${diff.join(', ')}`;
    if (diff.length > 0) this.host.log.warn({ differingKeys: diff, peerDigest: Buffer.from(peerDigest).toString('hex') }, cause);
    this.host.emit({ type: 'config-validation', at: new Date().toISOString(), match: diff.length === 0, differingKeys: diff, cause });
  }

  onResponse(r: ConfigValidationResponse): void {
    for (const w of [...this.waiters]) w(r);
    this.waiters.clear();
  }
}
