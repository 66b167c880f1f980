// A chassis and a pair of them as the chaos suite sees them, whatever runs them: srpd child
// processes (pair.ts) or the containers of the compose lab (containers/chaos-pair.ts). Only
// what the suite reads from outside: a name, the chassis-id a refusal names, the management
// API, and the waits built on it.
import type { ChassisState, Info, SrpApi } from './api.js';
import { now, type StatePoller } from './poller.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface ChaosNode {
  /** 'a' or 'b'. */
  readonly name: string;
  /** The config's chassis-id: what a 409/503 names as the Active. */
  readonly chassisId: string;
  readonly api: SrpApi;
  /** What a fault acts on, for the log: "pid 1234", "container srpd-primary". */
  readonly where: string;
  /** Its SRP port (TCP and UDP): bind address and port. */
  readonly srp: { host: string; port: number };
  info(timeoutMs?: number): Promise<Info>;
  waitForState(state: ChassisState | ChassisState[], timeoutMs?: number): Promise<Info>;
  /** The last lines of its log (for a FAIL). */
  logTail(lines?: number): string | Promise<string>;
}

export interface ChaosPair {
  readonly a: ChaosNode;
  readonly b: ChaosNode;
  readonly nodes: [ChaosNode, ChaosNode];
  readonly poller: StatePoller;
  peerOf(n: ChaosNode): ChaosNode;
  /** Current states (null for a chassis that does not answer). */
  states(timeoutMs?: number): Promise<[ChassisState | null, ChassisState | null]>;
  /** Waits until one is Active and the other Standby (ready as both see it, if asked); [active, standby]. */
  waitForSettled(timeoutMs?: number, requireReady?: boolean): Promise<[ChaosNode, ChaosNode]>;
}

/** Polls `api` until the chassis reports `state` (bounded); the last info. `tail` adds its log to a timeout. */
export async function waitForState(name: string, api: SrpApi, state: ChassisState | ChassisState[], timeoutMs: number, tail: () => string | Promise<string> = () => ''): Promise<Info> {
  const want = Array.isArray(state) ? state : [state];
  const deadline = now() + timeoutMs;
  let last: Info | null = null;
  let lastErr = '';
  while (now() < deadline) {
    try {
      last = await api.info(500);
      if (want.includes(last.state)) return last;
    } catch (err) {
      lastErr = (err as Error).message;
    }
    await sleep(50);
  }
  throw new Error(`${name} did not reach ${want.join('|')} within ${timeoutMs} ms (last: ${last?.state ?? lastErr})\n${await tail()}`);
}

/** Current states of both (null for one that does not answer). */
export function statesOf<N extends ChaosNode>(nodes: readonly [N, N], timeoutMs = 1000): Promise<[ChassisState | null, ChassisState | null]> {
  const one = (n: N): Promise<ChassisState | null> => n.info(timeoutMs).then((i) => i.state, () => null);
  return Promise.all([one(nodes[0]), one(nodes[1])]);
}

/**
 * [active, standby] when one is Active and the other Standby; with `requireReady` also ready as
 * both see it: the Standby's own flag, and the Active's view of its peer (from the Standby's last
 * Hello), which is what a switchover request is judged on; the two differ for up to one hello
 * interval after the bulk sync.
 */
export function settledOf<N>(nodes: readonly [N, N], infos: ReadonlyArray<Info | null>, requireReady: boolean): [N, N] | null {
  const [ia, ib] = infos;
  if (!ia || !ib) return null;
  const ready = (active: Info, standby: Info): boolean => !requireReady || (standby.standbyReady && active.peer?.standbyReady === true);
  if (ia.state === 'Active' && ib.state === 'Standby' && ready(ia, ib)) return [nodes[0], nodes[1]];
  if (ib.state === 'Active' && ia.state === 'Standby' && ready(ib, ia)) return [nodes[1], nodes[0]];
  return null;
}

/** Waits until one is Active and the other Standby (bounded); [active, standby]. */
export async function waitForSettled<N extends ChaosNode>(nodes: readonly [N, N], timeoutMs: number, requireReady: boolean): Promise<[N, N]> {
  const deadline = now() + timeoutMs;
  let last = '';
  while (now() < deadline) {
    const infos = await Promise.all(nodes.map((n) => n.info(1000).catch(() => null)));
    last = infos.map((i, k) => `${nodes[k]?.name ?? '?'}=${i?.state ?? 'down'}${i?.state === 'Standby' && !i.standbyReady ? ' (not ready)' : ''}`).join(' ');
    const pick = settledOf(nodes, infos, requireReady);
    if (pick) return pick;
    await sleep(100);
  }
  throw new Error(`pair did not settle to one Active and one${requireReady ? ' ready' : ''} Standby within ${timeoutMs} ms (last: ${last})`);
}
