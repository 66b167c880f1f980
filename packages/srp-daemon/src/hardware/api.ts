// What the hardware part of the management API answers (`/v1/hw/...`): the shapes the routes
// build, srpctl's hardware commands render and the client returns.
import type { ChassisStateName } from '../api/contract.js';

/** What `GET /v1/hw/status` answers. */
export interface HardwareStatus {
  chassisId: string;
  srpState: ChassisStateName | null;
  activeCf: { slot: number; mac: string } | null;
  helloAllowed: boolean;
  guard: { active: boolean; remainingMs: number; guardTimerMs: number };
  traffic: { configured: boolean; wanted: boolean; running: boolean };
  sessionSink: { attached: boolean } & SinkCounters;
}

export interface SinkCounters {
  /** Session operations the daemon's session sink applied (chassis SRP Active, sink set). */
  applied: number;
  /** Operations handed to the sink that it could not apply (it threw). */
  failed: number;
  /** Operations generated while no sink was set or the chassis was not SRP Active (counted only). */
  withheld: number;
}

/** What `GET /v1/hw/routing` answers: feed it to hw-sim's `RoutingDomain.advertise(chassisId, ...)`. */
export interface RoutingAdvertisement {
  chassisId: string;
  /** SRP Active and a CF in charge: this chassis wants the subscriber traffic. */
  active: boolean;
  routeModifier: number;
  srpState: string;
  activeCf: { slot: number; mac: string } | null;
}

export interface FaultResult {
  accepted: boolean;
  action: string;
  slot: number | null;
  code?: string;
  error?: string;
  reasons: string[];
}

export const FAULT_ACTIONS = ['crash', 'hang', 'remove', 'insert', 'crash-linecard'] as const;
export type FaultAction = (typeof FAULT_ACTIONS)[number];
