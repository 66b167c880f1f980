// Management routes of the simulated hardware: the `show redundancy ...` / `show card table`
// data, fault injection (mutating POSTs; a refused fault is 409 with the HwSimError code and
// reason), the data plane (`forward`) and this chassis's routing advertisement for a routing
// domain that runs outside the daemons (the lab).
import {
  HwSimError,
  showCardTable,
  showRedundancy,
  showRedundancyClients,
  showRedundancyCounters,
  showRedundancyHistory,
  showRedundancyStates,
  type Chassis,
} from '@srp-ha/hw-sim';
import type { ManagedDaemon } from '../api/contract.js';
import { bodyObject, onlyKeys } from '../management/body.js';
import { HttpError, Reply, type Route } from '../management/router.js';
import { FAULT_ACTIONS, type FaultAction, type FaultResult, type HardwareStatus, type RoutingAdvertisement } from './api.js';

/** What the routes need of the hardware plane (plane.ts builds them with itself). */
export interface HardwareRouteHost {
  readonly chassis: Chassis;
  status(): HardwareStatus;
  setTrafficWanted(wanted: boolean): void;
}

const MAX_FORWARD_PACKETS = 10_000_000;

function slotParam(raw: string | undefined): number {
  if (raw === undefined || !/^\d{1,3}$/.test(raw)) throw new HttpError(400, `slot must be a card slot number, got ${JSON.stringify(raw ?? '')}`);
  return Number(raw);
}

/** Runs a fault; a HwSimError becomes 409 with its code and reason, anything else propagates (500). */
function fault(action: string, slot: number | null, run: () => void): Reply {
  try {
    run();
  } catch (err) {
    return refusal(action, slot, err);
  }
  const body: FaultResult = { accepted: true, action, slot, reasons: [] };
  return Reply.json(200, body);
}

function refusal(action: string, slot: number | null, err: unknown): Reply {
  if (!(err instanceof HwSimError)) throw err;
  const body: FaultResult = { accepted: false, action, slot, code: err.code, error: err.message, reasons: [`${err.code}: ${err.message}`] };
  return Reply.json(409, body);
}

function applyFault(chassis: Chassis, action: FaultAction, slot: number): void {
  switch (action) {
    case 'crash':
      return chassis.crashCard(slot);
    case 'hang':
      return chassis.hangCard(slot);
    case 'remove':
      return chassis.removeCard(slot);
    case 'insert':
      return chassis.insertCard(slot);
    case 'crash-linecard':
      return chassis.crashLineCard(slot);
  }
}

export function routingAdvertisement(daemon: ManagedDaemon, chassis: Chassis): RoutingAdvertisement {
  const info = daemon.info();
  const activeCf = chassis.activeCf();
  return {
    chassisId: info.chassisId,
    active: info.state === 'Active' && activeCf !== null,
    routeModifier: info.routeModifier,
    srpState: info.state,
    activeCf: activeCf ? { slot: activeCf.slot, mac: activeCf.mac } : null,
  };
}

export function hardwareRoutes(plane: HardwareRouteHost): Route[] {
  const { chassis } = plane;
  const routes: Route[] = [
    { method: 'GET', path: '/v1/redundancy', handler: () => showRedundancy(chassis) },
    { method: 'GET', path: '/v1/redundancy/states', handler: () => showRedundancyStates(chassis) },
    { method: 'GET', path: '/v1/redundancy/clients', handler: () => showRedundancyClients(chassis) },
    { method: 'GET', path: '/v1/redundancy/history', handler: () => showRedundancyHistory(chassis) },
    { method: 'GET', path: '/v1/redundancy/counters', handler: () => showRedundancyCounters(chassis) },
    { method: 'GET', path: '/v1/hw/cards', handler: () => showCardTable(chassis) },
    { method: 'GET', path: '/v1/hw/status', handler: () => plane.status() },
    { method: 'GET', path: '/v1/hw/snapshot', handler: () => chassis.snapshot() },
    { method: 'GET', path: '/v1/hw/routing', handler: ({ daemon }) => routingAdvertisement(daemon, chassis) },
    {
      method: 'POST',
      path: '/v1/hw/force-switchover',
      handler: async ({ body }) => {
        onlyKeys(bodyObject(body), []);
        // forceSwitchover() refuses before its first await; once started it resolves when the
        // new CF is ACTIVE (seconds later): answer as soon as it is known to be accepted.
        let refused: unknown = null;
        chassis.forceSwitchover().catch((err: unknown) => {
          refused = err;
        });
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (refused !== null) return refusal('force-switchover', null, refused);
        return fault('force-switchover', null, () => undefined);
      },
    },
    {
      method: 'POST',
      path: '/v1/hw/forward',
      handler: ({ body }) => {
        const obj = bodyObject(body);
        onlyKeys(obj, ['packets', 'prefix']);
        const n = obj.packets;
        if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_FORWARD_PACKETS) {
          throw new HttpError(400, `"packets" must be an integer from 0 to ${MAX_FORWARD_PACKETS}, got ${JSON.stringify(n)}`);
        }
        if (obj.prefix !== undefined && typeof obj.prefix !== 'string') throw new HttpError(400, '"prefix" must be a string');
        const r = obj.prefix === undefined ? chassis.forward(n) : chassis.forward(n, obj.prefix);
        return { chassisId: chassis.config.chassisId, packets: n, ...r };
      },
    },
    {
      method: 'POST',
      path: '/v1/hw/traffic/:action',
      handler: ({ params, body }) => {
        onlyKeys(bodyObject(body), []);
        if (!chassis.traffic) throw new HttpError(409, 'no traffic generator: add a traffic: section under hardware:');
        if (params.action !== 'start' && params.action !== 'stop') throw new HttpError(404, `no such traffic action: ${params.action} (start, stop)`);
        plane.setTrafficWanted(params.action === 'start');
        return { ...plane.status().traffic, stats: chassis.traffic.stats() };
      },
    },
  ];
  for (const action of FAULT_ACTIONS) {
    routes.push({
      method: 'POST',
      path: `/v1/hw/cards/:slot/${action}`,
      handler: ({ params, body }) => {
        onlyKeys(bodyObject(body), []);
        const slot = slotParam(params.slot);
        return fault(action, slot, () => applyFault(chassis, action, slot));
      },
    });
  }
  return routes;
}

/**
 * For an srpd without a `hardware:` section: every hardware path answers 404 with the reason,
 * rather than "no such route", so `srpctl show redundancy` says what is missing.
 */
export function noHardwareRoutes(): Route[] {
  const handler = (): never => {
    throw new HttpError(404, 'this chassis runs without simulated hardware: add a hardware: section to its config');
  };
  const paths = ['/v1/redundancy', '/v1/redundancy/:a', '/v1/hw/:a', '/v1/hw/:a/:b', '/v1/hw/:a/:b/:c'];
  return paths.flatMap((path) => (['GET', 'POST'] as const).map((method) => ({ method, path, handler })));
}
