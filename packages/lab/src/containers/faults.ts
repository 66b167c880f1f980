// Fault operations on the containers of the compose lab, through the engine's own commands:
//   kill      docker kill -s SIGNAL        (srpd is PID 1 of its container: kill -9 of the daemon)
//   freeze    docker pause                 (cgroup freezer: like SIGSTOP of every process in it)
//   thaw      docker unpause
//   cutLink   docker network disconnect    (the SRP network: TCP and UDP both stop, at once)
//   healLink  docker network connect --ip  (back on the SRP network with its fixed address)
//   restart   docker start when stopped, docker restart when running
// Each checks its arguments, waits for the engine to have done it, and returns the container's
// state afterwards, so a caller can judge from outside exactly as with processes.
import type { DockerEngine } from './engine.js';
import { ContainerError } from './run.js';

export interface ContainerState {
  status: 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
  running: boolean;
  paused: boolean;
  exitCode: number;
  /** Network name -> IPv4 address, for the networks the container is attached to. */
  networks: Record<string, string>;
  startedAt: string;
}

export const KILL_SIGNALS = ['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGHUP', 'SIGSTOP', 'SIGCONT'] as const;
export type KillSignal = (typeof KILL_SIGNALS)[number];

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

function checkName(what: string, name: string): void {
  if (!NAME.test(name)) throw new ContainerError('SRP_CTR_BAD_ARGUMENT', `${what} must be a container or network name ([a-zA-Z0-9][a-zA-Z0-9_.-]*), got ${JSON.stringify(name)}`);
}

export async function inspect(engine: DockerEngine, container: string): Promise<ContainerState> {
  checkName('container', container);
  const out = await engine.docker(['inspect', '--format', '{{json .State}}\t{{json .NetworkSettings.Networks}}', container], { timeoutMs: 20_000 });
  const [state, nets] = out.trim().split('\t');
  const s = JSON.parse(state ?? '{}') as { Status: ContainerState['status']; Running: boolean; Paused: boolean; ExitCode: number; StartedAt: string };
  const n = JSON.parse(nets ?? '{}') as Record<string, { IPAddress?: string }> | null;
  const networks: Record<string, string> = {};
  for (const [name, v] of Object.entries(n ?? {})) networks[name] = v.IPAddress ?? '';
  return { status: s.Status, running: s.Running, paused: s.Paused, exitCode: s.ExitCode, networks, startedAt: s.StartedAt };
}

/** Sends `signal` to the container's PID 1 (SIGKILL: the container stops, exit code 137). */
export async function kill(engine: DockerEngine, container: string, signal: KillSignal = 'SIGKILL'): Promise<ContainerState> {
  checkName('container', container);
  if (!(KILL_SIGNALS as readonly string[]).includes(signal)) throw new ContainerError('SRP_CTR_BAD_ARGUMENT', `signal must be one of ${KILL_SIGNALS.join(', ')}, got ${JSON.stringify(signal)}`);
  await engine.docker(['kill', '--signal', signal, container], { timeoutMs: 30_000 });
  return inspect(engine, container);
}

/** Freezes every process of the container (docker pause). */
export async function freeze(engine: DockerEngine, container: string): Promise<ContainerState> {
  checkName('container', container);
  await engine.docker(['pause', container], { timeoutMs: 30_000 });
  return inspect(engine, container);
}

export async function thaw(engine: DockerEngine, container: string): Promise<ContainerState> {
  checkName('container', container);
  await engine.docker(['unpause', container], { timeoutMs: 30_000 });
  return inspect(engine, container);
}

/** Takes the container off `network` (the lab's SRP network): its SRP link is cut both ways. */
export async function cutLink(engine: DockerEngine, container: string, network: string): Promise<ContainerState> {
  checkName('container', container);
  checkName('network', network);
  await engine.docker(['network', 'disconnect', network, container], { timeoutMs: 30_000 });
  return inspect(engine, container);
}

/** Puts the container back on `network` with its fixed address. */
export async function healLink(engine: DockerEngine, container: string, network: string, ip: string): Promise<ContainerState> {
  checkName('container', container);
  checkName('network', network);
  if (!IPV4.test(ip)) throw new ContainerError('SRP_CTR_BAD_ARGUMENT', `ip must be an IPv4 address, got ${JSON.stringify(ip)}`);
  await engine.docker(['network', 'connect', '--ip', ip, network, container], { timeoutMs: 30_000 });
  return inspect(engine, container);
}

/** Starts a stopped container, or restarts a running one (SIGTERM, SIGKILL after `graceSeconds`). */
export async function restart(engine: DockerEngine, container: string, graceSeconds = 5): Promise<ContainerState> {
  checkName('container', container);
  if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > 300) {
    throw new ContainerError('SRP_CTR_BAD_ARGUMENT', `graceSeconds must be an integer 0..300, got ${graceSeconds}`);
  }
  const before = await inspect(engine, container);
  if (before.paused) await engine.docker(['unpause', container], { timeoutMs: 30_000 });
  if (before.running) await engine.docker(['restart', '--time', String(graceSeconds), container], { timeoutMs: 60_000 + graceSeconds * 1000 });
  else await engine.docker(['start', container], { timeoutMs: 60_000 });
  return inspect(engine, container);
}
