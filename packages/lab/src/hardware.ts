// The `hardware:` section the lab and the chaos pairs give srpd: a simulated chassis with two
// CF cards (SSO) and fast timers, so a pair starts in well under a second and a CF switchover
// is far shorter than the dead interval. The first CF MAC of each chassis is the `cf-mac` the
// pair configures (02-00-5E-00-00-0A for a, ...0B for b), so the start-up tiebreak is unchanged.

export interface LabTraffic {
  /** Session operations per second. */
  rate: number;
  maxSessions: number;
  /** Session lifetimes, seconds. */
  minLifetimeS: number;
  maxLifetimeS: number;
  /** Stop for good after this many operations (null: no bound). */
  count?: number | null;
}

/** The lab's traffic: a modest rate, a bounded table, sessions living 30 s to 2 min. */
export const LAB_TRAFFIC: LabTraffic = { rate: 20, maxSessions: 500, minLifetimeS: 30, maxLifetimeS: 120 };

export const LAB_CF_MACS: Record<'a' | 'b', [string, string]> = {
  a: ['02-00-5E-00-00-0A', '02-00-5E-00-00-1A'],
  b: ['02-00-5E-00-00-0B', '02-00-5E-00-00-1B'],
};

export function hardwareSection(name: string, traffic: LabTraffic | null = null): Record<string, unknown> {
  const macs = name === 'a' ? LAB_CF_MACS.a : LAB_CF_MACS.b;
  return {
    'cf-macs': macs,
    'redundancy-mode': 'SSO',
    'guard-timer': 10,
    timers: { 'cf-boot': 0.2, 'config-sync': 0.1, 'filesys-sync': 0.1, 'bulk-sync': 0.2, 'line-card-boot': 0.2, 'cf-reload': 2, switchover: { sso: 0.3 } },
    ...(traffic
      ? {
          traffic: {
            rate: traffic.rate,
            'max-sessions': traffic.maxSessions,
            'min-lifetime': traffic.minLifetimeS,
            'max-lifetime': traffic.maxLifetimeS,
            seed: name === 'a' ? 1 : 2,
            ...(traffic.count != null ? { count: traffic.count } : {}),
          },
        }
      : {}),
  };
}
