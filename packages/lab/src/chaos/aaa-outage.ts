// Chaos scenario `aaa-outage`: the RADIUS servers of the Active become unreachable (SIGSTOP, no
// answer at all). Each chassis probes its own two FreeRADIUS servers (monitor
// authentication-probe, one group); once both of the Active's are silent for max-retries probes,
// the Active hands over through the planned switchover path. Reported: the takeover time (fault
// to peer Active, seen from outside) and the sessions lost (0 expected: a planned switchover
// flushes every checkpoint first). The new Active's servers answer, so it stays.
//
// It plugs into the harness as one more entry of the scenario list (`aaaOutage`); it uses only
// the Scenario interface (`extra`, `requires`, `run`), and starts and stops its own servers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeRadiusMissing, startFreeRadius, type FreeRadius } from '@srp-ha/srp-daemon/aaa-servers';
import { mark } from './result.js';
import { sleep, type RunContext, type Scenario } from './harness.js';

const SECRET = 'chaos-radius-secret';
const USER = { name: 'srp-probe', password: 'chaos-probe-password' };
/** Probe timing: a silent group is Down after about INTERVAL x RETRIES. */
const INTERVAL_MS = 300;
const RETRIES = 3;
/** srpd's start is a local failure: a group failure within this guard period waits DAMPING. */
const START_GUARD_MS = 5_000;
const DAMPING_MS = 10_000;

/** One run's servers: two per chassis on loopback addresses of their own, port 1812. */
class Fixture {
  readonly dir = mkdtempSync(join(tmpdir(), 'srp-chaos-aaa-'));
  readonly secretFile = join(this.dir, 'radius.secret');
  readonly addresses = new Map<string, string[]>();
  readonly servers = new Map<string, FreeRadius[]>();
  readonly configured = new Set<string>();
  private starting: Promise<void> | null = null;

  constructor() {
    writeFileSync(this.secretFile, `${SECRET}\n`, { mode: 0o600 });
  }

  addressesFor(name: string): string[] {
    let list = this.addresses.get(name);
    if (!list) {
      const base = `127.${100 + Math.floor(Math.random() * 100)}.${Math.floor(Math.random() * 256)}`;
      const host = 1 + Math.floor(Math.random() * 200);
      list = [`${base}.${host}`, `${base}.${host + 1}`];
      this.addresses.set(name, list);
    }
    return list;
  }

  /** Starts every server configured so far (once). */
  start(): Promise<void> {
    this.starting ??= (async () => {
      for (const [name, list] of this.addresses) {
        const started: FreeRadius[] = [];
        for (const [i, address] of list.entries()) {
          started.push(await startFreeRadius({ dir: join(this.dir, `${name}-${i + 1}`), address, port: 1812, secret: SECRET, users: [USER] }));
        }
        this.servers.set(name, started);
      }
    })();
    return this.starting;
  }

  async stop(): Promise<void> {
    await this.starting?.catch(() => undefined);
    for (const list of this.servers.values()) for (const s of list) await s.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

let fixture: Fixture | null = null;

function monitorConfig(name: string): Record<string, unknown> {
  // A new run begins when a chassis asks for its config a second time.
  if (!fixture || fixture.configured.has(name)) {
    void fixture?.stop(); // a run that never reached run() (its pair did not start)
    fixture = new Fixture();
  }
  fixture.configured.add(name);
  const [a1, a2] = fixture.addressesFor(name);
  // Servers start while srpd boots; a failure seen before they answer is inside the start guard.
  void fixture.start().catch(() => undefined);
  return {
    monitor: {
      'authentication-probe': {
        interval: `${INTERVAL_MS}ms`,
        timeout: '250ms',
        'max-retries': RETRIES,
        user: USER.name,
        password: USER.password,
        servers: { [`${name}-aaa1`]: { address: a1, 'secret-file': fixture.secretFile }, [`${name}-aaa2`]: { address: a2, 'secret-file': fixture.secretFile } },
        groups: { '1': [`${name}-aaa1`, `${name}-aaa2`] },
      },
    },
    'guard-timer': {
      'srp-redundancy-timers': { aaa: { 'guard-period': `${START_GUARD_MS}ms`, 'damping-period': `${DAMPING_MS}ms` } },
      'aaa-switchover-timers': { 'guard-period': '0s', 'damping-period': '0s' },
    },
  };
}

interface MonitorShowLite {
  guard: { localFailure: { at: string } | null };
  monitors: Array<{ groups: Array<{ verdict: string }>; failureFlag: string | null }>;
}

async function waitGroupUp(ctx: RunContext): Promise<void> {
  const deadline = Date.now() + ctx.bound;
  while (Date.now() < deadline) {
    const m = await ctx.active.api.json<MonitorShowLite>('GET', '/v1/srp/monitor').catch(() => null);
    const started = m?.guard.localFailure ? Date.parse(m.guard.localFailure.at) : Date.now();
    if (m?.monitors[0]?.groups[0]?.verdict === 'up' && Date.now() - started > START_GUARD_MS) return;
    await sleep(100);
  }
  throw new Error(`the AAA group of ${ctx.active.name} was not Up outside the start guard within ${ctx.bound} ms`);
}

export const aaaOutage: Scenario = {
  name: 'aaa-outage',
  summary: 'the RADIUS servers of the Active stop answering (SIGSTOP); the AAA monitor hands over to the Standby',
  extra: (name) => monitorConfig(name),
  requires: () => Promise.resolve(freeRadiusMissing()),
  async run(ctx) {
    const fx = fixture;
    if (!fx) throw new Error('aaa-outage: the servers were not configured');
    try {
      await fx.start();
      await waitGroupUp(ctx);
      const { active, standby } = ctx;
      const servers = fx.servers.get(active.name) ?? [];
      ctx.fault(`SIGSTOP the ${servers.length} RADIUS servers of ${active.name} (${servers.map((s) => `${s.address}:${s.port}`).join(', ')})`);
      for (const s of servers) s.pause();
      const ms = await ctx.takeover(standby);
      ctx.result.notes.push(`AAA group down after ${RETRIES} probes ${INTERVAL_MS} ms apart; takeover ${Math.round(ms)} ms after the fault`);
      const after = await standby.api.json<MonitorShowLite & { monitors: Array<{ members: Array<{ state: string }> }> }>('GET', '/v1/srp/monitor').catch(() => null);
      if (after?.monitors[0]?.failureFlag !== 'took-over') mark(ctx.result, 'WARN', `the new Active's failure flag is ${after?.monitors[0]?.failureFlag ?? 'unknown'}, expected took-over`);
      // The new Active reaches its own servers: it must stay Active.
      const t0 = Date.now();
      await sleep(3 * INTERVAL_MS * RETRIES);
      ctx.expectStayed(standby, 'Active', t0, 'FAIL');
    } finally {
      await fx.stop();
      if (fixture === fx) fixture = null;
    }
  },
};
