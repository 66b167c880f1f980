// The keys that must agree on both chassis, as canonical strings. The peer compares them key
// by key (ConfigValidationRequest); the digest of all of them travels in every Hello.
import { createHash } from 'node:crypto';
import { isMapping } from './fields.js';
import type { SrpConfig } from './schema.js';
import { witnessKey } from './witness.js';

export function matchingValues(config: SrpConfig): Record<string, string> {
  const sorted = (o: Record<string, unknown>): string =>
    JSON.stringify(o, (_k, v: unknown) =>
      isMapping(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
    );
  return {
    'hello-interval': String(config.helloIntervalMs),
    'dead-interval': String(config.deadIntervalMs),
    // A stall with the peer down fences only when a peer started meanwhile could have waited out
    // its hold (liveness/detector.ts): it takes the peer's hold to be its own.
    'delay-interval': String(config.delayIntervalMs),
    'liveness.startup-hold': String(config.liveness.startupHoldMs),
    preemption: String(config.preemption),
    'route-modifier.initial': String(config.routeModifier.initial),
    'route-modifier.threshold': String(config.routeModifier.threshold),
    checkpoint: sorted(config.checkpoint),
    // Both chassis must use the same key and lease; endpoints may differ. Absent without a witness.
    ...(config.witness ? { 'witness.etcd.key': witnessKey(config.witness.etcd), 'witness.etcd.lease-ttl': String(config.witness.etcd.leaseTtlMs) } : {}),
  };
}

export function configDigest(values: Record<string, string>): Buffer {
  const h = createHash('sha256');
  for (const k of Object.keys(values).sort()) h.update(`${k}=${values[k] ?? ''}\n`);
  return h.digest();
}

export function differingKeys(a: Record<string, string>, b: Record<string, string>): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => a[k] !== b[k]).sort();
}
