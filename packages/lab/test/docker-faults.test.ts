// The docker fault operations refuse what they cannot do safely before running anything: names
// that are not container or network names (no option injection into the docker command line),
// signals outside the list, addresses that are not IPv4, odd grace periods. What they do to a
// real engine is judged in compose.integration.test.ts.
import { describe, expect, it } from 'vitest';
import { DockerEngine } from '../src/containers/engine.js';
import { cutLink, freeze, healLink, inspect, kill, restart, thaw, type KillSignal } from '../src/containers/faults.js';
import { ContainerError } from '../src/containers/run.js';

// A CLI that does not exist: an operation that got past its checks fails with SRP_CTR_NOT_FOUND.
const engine = new DockerEngine('unix:///nonexistent/docker.sock', '/nonexistent/docker', null);

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (err) {
    expect(err).toBeInstanceOf(ContainerError);
    return (err as ContainerError).code;
  }
}

describe('docker fault operations: argument checks', () => {
  it('refuse container names that are not names (options, paths, empty)', async () => {
    for (const bad of ['', '-s', '--all', '../x', 'a b', 'x;rm', 'é']) {
      expect(await codeOf(kill(engine, bad)), bad).toBe('SRP_CTR_BAD_ARGUMENT');
      expect(await codeOf(freeze(engine, bad)), bad).toBe('SRP_CTR_BAD_ARGUMENT');
      expect(await codeOf(thaw(engine, bad)), bad).toBe('SRP_CTR_BAD_ARGUMENT');
      expect(await codeOf(restart(engine, bad)), bad).toBe('SRP_CTR_BAD_ARGUMENT');
      expect(await codeOf(inspect(engine, bad)), bad).toBe('SRP_CTR_BAD_ARGUMENT');
      expect(await codeOf(cutLink(engine, 'srpd-primary', bad)), bad).toBe('SRP_CTR_BAD_ARGUMENT');
    }
  });

  it('refuse signals outside the list and addresses that are not IPv4', async () => {
    expect(await codeOf(kill(engine, 'srpd-primary', 'SIGSEGV' as KillSignal))).toBe('SRP_CTR_BAD_ARGUMENT');
    for (const ip of ['198.18.0', '198.18.0.256', '::1', '198.18.0.2 --alias x', '']) {
      expect(await codeOf(healLink(engine, 'srpd-primary', 'srpha_srp', ip)), ip).toBe('SRP_CTR_BAD_ARGUMENT');
    }
    for (const g of [-1, 1.5, 301, Number.NaN]) expect(await codeOf(restart(engine, 'srpd-primary', g)), String(g)).toBe('SRP_CTR_BAD_ARGUMENT');
  });

  it('run the docker CLI once the arguments are good (here: a CLI that is not there)', async () => {
    expect(await codeOf(kill(engine, 'srpd-primary', 'SIGKILL'))).toBe('SRP_CTR_NOT_FOUND');
    expect(await codeOf(healLink(engine, 'srpd-primary', 'srpha_srp', '198.18.0.2'))).toBe('SRP_CTR_NOT_FOUND');
    expect(await codeOf(restart(engine, 'srpd-backup', 0))).toBe('SRP_CTR_NOT_FOUND');
  });
});
