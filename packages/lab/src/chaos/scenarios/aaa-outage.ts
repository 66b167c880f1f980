// The Active's RADIUS servers stop answering (SIGSTOP, no answer at all). Each chassis probes
// two FreeRADIUS servers of its own (monitor authentication-probe, one group), started before
// the pair by an agent beside each chassis (on its namespace's loopback with the kernel link, on
// the host's otherwise); once both of the Active's are silent for max-retries probes, the Active
// hands over through the planned switchover path. Reported: the takeover time (fault to peer
// Active, seen from outside); the writer's acknowledged writes are judged as in every run. The
// new Active's servers answer, so it stays.
import { randomInt } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freeRadiusMissing } from '@srp-ha/srp-daemon/aaa-servers';
import { now } from '../../poller.js';
import { agentsBeside, type Agent } from '../agent.js';
import { sleep, type RunContext } from '../context.js';
import { mark } from '../result.js';
import type { Fixture, FixtureEnv, Scenario } from '../scenario.js';
import { SkipScenario } from '../setup.js';

const SECRET = 'chaos-radius-secret';
const USER = { name: 'srp-probe', password: 'chaos-probe-password' };
/** Probe timing: a silent group is Down after about INTERVAL x RETRIES. */
const INTERVAL_MS = 300;
const RETRIES = 3;
/** srpd's start is a local failure: a group failure within this guard period waits DAMPING. */
const START_GUARD_MS = 5_000;
const DAMPING_MS = 10_000;

interface Server {
  name: string;
  address: string;
  port: number;
}

/** Two FreeRADIUS servers per chassis, each pair run by the agent beside its chassis. */
export class AaaFixture implements Fixture {
  private constructor(
    private readonly agents: Record<'a' | 'b', Agent>,
    readonly servers: Record<'a' | 'b', Server[]>,
    private readonly secretFile: string,
  ) {}

  static async start(env: FixtureEnv): Promise<AaaFixture> {
    const missing = freeRadiusMissing();
    if (missing !== null) throw new SkipScenario(`needs FreeRADIUS: ${missing}`);
    const secretFile = join(env.dir, 'radius.secret');
    writeFileSync(secretFile, `${SECRET}\n`, { mode: 0o600 });
    const agents = await agentsBeside(env.netns, 'FreeRADIUS');
    try {
      const servers = { a: [] as Server[], b: [] as Server[] };
      for (const name of ['a', 'b'] as const) {
        // In a namespace its own loopback; on the host's, addresses no other run picks.
        const base = env.netns ? '127.0.0' : `127.${100 + randomInt(100)}.${randomInt(256)}`;
        const host = env.netns ? 11 : 1 + randomInt(200);
        const list = [`${name}-aaa1`, `${name}-aaa2`].map((n, i) => ({ name: n, address: `${base}.${host + i}`, port: 1812 }));
        const r = await agents[name].request<{ servers: Server[] }>('radius', { dir: join(env.dir, 'radius'), secret: SECRET, users: [USER], servers: list }, 60_000);
        servers[name] = r.servers;
      }
      env.log(`  FreeRADIUS: a ${servers.a.map((s) => `${s.address}:${s.port}`).join(', ')}; b ${servers.b.map((s) => `${s.address}:${s.port}`).join(', ')}${env.netns ? ' (in the chassis namespaces)' : ''}`);
      return new AaaFixture(agents, servers, secretFile);
    } catch (err) {
      await Promise.all([agents.a.close(), agents.b.close()]);
      throw err;
    }
  }

  config(name: string): Record<string, unknown> {
    const list = this.servers[name === 'a' ? 'a' : 'b'];
    return {
      monitor: {
        'authentication-probe': {
          interval: `${INTERVAL_MS}ms`,
          timeout: '250ms',
          'max-retries': RETRIES,
          user: USER.name,
          password: USER.password,
          servers: Object.fromEntries(list.map((s) => [s.name, { address: s.address, port: s.port, 'secret-file': this.secretFile }])),
          groups: { '1': list.map((s) => s.name) },
        },
      },
      'guard-timer': {
        'srp-redundancy-timers': { aaa: { 'guard-period': `${START_GUARD_MS}ms`, 'damping-period': `${DAMPING_MS}ms` } },
        'aaa-switchover-timers': { 'guard-period': '0s', 'damping-period': '0s' },
      },
    };
  }

  /** SIGSTOP every server of chassis `name`. */
  async pause(name: string): Promise<void> {
    await this.agents[name === 'a' ? 'a' : 'b'].request('radius-pause');
  }

  async close(): Promise<void> {
    await Promise.all([this.agents.a.close(), this.agents.b.close()]);
  }
}

interface MonitorShow {
  guard: { localFailure: { at: string } | null; hardwareGuard: { active: boolean } | null };
  monitors: Array<{ groups: Array<{ verdict: string }>; failureFlag: string | null }>;
}

/** Waits until the Active's AAA group is Up, outside srpd's start guard and the chassis guard timer. */
async function waitGroupUp(ctx: RunContext<AaaFixture>): Promise<void> {
  const deadline = now() + ctx.bound + START_GUARD_MS;
  let last = 'no answer';
  while (now() < deadline) {
    const m = await ctx.active.api.json<MonitorShow>('GET', '/v1/srp/monitor').catch(() => null);
    const since = m?.guard.localFailure ? Date.now() - Date.parse(m.guard.localFailure.at) : Infinity;
    const verdict = m?.monitors[0]?.groups[0]?.verdict ?? 'unknown';
    last = `group ${verdict}, last local failure ${Number.isFinite(since) ? `${Math.round(since)} ms ago` : 'none'}, chassis guard ${m?.guard.hardwareGuard?.active ? 'running' : 'off'}`;
    if (verdict === 'up' && since > START_GUARD_MS && m?.guard.hardwareGuard?.active !== true) return;
    await sleep(100);
  }
  throw new Error(`the AAA group of ${ctx.active.name} was not Up outside the guard periods in time (${last})`);
}

export const aaaOutage: Scenario<AaaFixture> = {
  name: 'aaa-outage',
  summary: "stop (SIGSTOP) both FreeRADIUS servers the Active probes (monitor authentication-probe, one group, 300 ms x 3 probes); each chassis has two of its own",
  judges: 'the Standby takes over through the planned switchover path (takeover time reported); the new Active holds the failure flag took-over (WARN) and stays Active for 3 probe rounds (FAIL)',
  setup: (env) => AaaFixture.start(env),
  async run(ctx) {
    const fx = ctx.fixture;
    if (!fx) throw new Error('aaa-outage: no FreeRADIUS fixture');
    await waitGroupUp(ctx);
    const { active, standby } = ctx;
    const list = fx.servers[active.name === 'a' ? 'a' : 'b'];
    ctx.fault(`SIGSTOP the ${list.length} RADIUS servers of ${active.name} (${list.map((s) => `${s.address}:${s.port}`).join(', ')})`);
    ctx.moment(`RADIUS servers of ${active.name} stopped`);
    await fx.pause(active.name);
    const ms = await ctx.takeover(standby);
    ctx.note(`AAA group down after ${RETRIES} probes ${INTERVAL_MS} ms apart; takeover ${Math.round(ms)} ms after the fault`);
    const after = await standby.api.json<MonitorShow>('GET', '/v1/srp/monitor').catch(() => null);
    if (after?.monitors[0]?.failureFlag !== 'took-over') mark(ctx.result, 'WARN', `the new Active's failure flag is ${after?.monitors[0]?.failureFlag ?? 'unknown'}, expected took-over`);
    // The new Active reaches its own servers: it must stay Active.
    const t0 = now();
    await sleep(3 * INTERVAL_MS * RETRIES);
    ctx.endWindow();
    ctx.expectStayed(standby, 'Active', t0, 'FAIL');
  },
};

export default [aaaOutage];
