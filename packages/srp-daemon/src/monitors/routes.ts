// Management routes of service monitoring:
//   GET  /v1/srp/monitor                 every monitor, the guard timers and tracking
//   GET  /v1/srp/monitor/:kind           all | authentication-probe | diameter
//   POST /v1/srp/reset-auth-probe-fail   `srp reset-auth-probe-fail`
//   POST /v1/srp/reset-diameter-fail     `srp reset-diameter-fail`
// A reset of a monitor that is not configured is refused with 409 and the reason.
import { bodyObject, onlyKeys } from '../management/body.js';
import { HttpError, Reply, type Route } from '../management/router.js';
import type { ServicePlane } from './plane.js';
import type { MonitorKind } from '../config/monitoring.js';

export const MONITOR_KINDS_SHOWN = ['all', 'authentication-probe', 'diameter'] as const;

export interface ResetResult {
  accepted: boolean;
  monitor: MonitorKind;
  reasons: string[];
}

export function monitorRoutes(plane: Pick<ServicePlane, 'show' | 'reset'>, configured: readonly MonitorKind[]): Route[] {
  const reset = (kind: MonitorKind): Route => ({
    method: 'POST',
    path: `/v1/srp/reset-${kind === 'diameter' ? 'diameter' : 'auth-probe'}-fail`,
    handler: ({ body }) => {
      onlyKeys(bodyObject(body), []);
      if (!configured.includes(kind)) {
        const r: ResetResult = { accepted: false, monitor: kind, reasons: [`monitor.${kind} is not configured on this chassis`] };
        return Reply.json(409, r);
      }
      plane.reset(kind);
      const r: ResetResult = { accepted: true, monitor: kind, reasons: [] };
      return r;
    },
  });
  return [
    { method: 'GET', path: '/v1/srp/monitor', handler: () => plane.show() },
    {
      method: 'GET',
      path: '/v1/srp/monitor/:kind',
      handler: ({ params }) => {
        const kind = params.kind ?? '';
        if (!(MONITOR_KINDS_SHOWN as readonly string[]).includes(kind))
          throw new HttpError(404, `no such monitor: ${kind} (${MONITOR_KINDS_SHOWN.join(', ')})`);
        return kind === 'all' ? plane.show() : plane.show(kind as MonitorKind);
      },
    },
    reset('authentication-probe'),
    reset('diameter'),
  ];
}
