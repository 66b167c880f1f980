// deploy/docker-compose.yml run by docker-compose against a DockerEngine: the two srpd chassis
// and Prometheus, on ports chosen here (SRPHA_*_PORT), with the images named here
// (SRPHA_IMAGE, SRPHA_PROMETHEUS_IMAGE), plus deploy/docker-compose.offline.yml when the images
// were made without a registry.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SrpApi } from '../api.js';
import { freePorts } from '../ports.js';
import type { DockerEngine } from './engine.js';
import { ContainerError, must, run, which, type RunOptions } from './run.js';

/** The services of the lab this module runs (Grafana has no image without a registry). */
export const LAB_SERVICES = ['srpd-primary', 'srpd-backup', 'prometheus'] as const;
export type Chassis = 'srpd-primary' | 'srpd-backup';
export const CHASSIS: readonly Chassis[] = ['srpd-primary', 'srpd-backup'];

/** Fixed in deploy/config/*.yaml and the compose file's "srp" network. */
export const SRP_ADDRESS: Record<Chassis, string> = { 'srpd-primary': '198.18.0.2', 'srpd-backup': '198.18.0.3' };
export const SRP_SUBNET = '198.18.0.0/24';
/** deploy/config/*.yaml: mutating API calls need it. */
export const LAB_TOKEN = 'change-me-srp-ha-lab-token';

export interface ComposeLabOptions {
  engine: DockerEngine;
  /** Repository root (deploy/ is under it). */
  root: string;
  /** docker-compose project name: networks are `<project>_srp`, `<project>_mgmt`. */
  project: string;
  /** The srpd image (SRPHA_IMAGE). */
  image: string;
  prometheusImage: string;
  /** Add deploy/docker-compose.offline.yml. */
  offline: boolean;
  /** Published ports of srpd-primary, srpd-backup and Prometheus; default: three free ones. */
  ports?: [number, number, number];
}

export function composeCli(): string | null {
  return which('docker-compose');
}

/** Whether a route of this host already covers the lab's SRP subnet (another lab, another engine). */
export function srpSubnetInUse(): string | null {
  let text = '';
  try {
    text = readFileSync('/proc/net/route', 'utf8');
  } catch {
    return null;
  }
  // /proc/net/route: Iface Destination Gateway Flags ... Mask (hex, little-endian)
  const le = (hex: string): number => Buffer.from(hex, 'hex').readUInt32LE(0);
  const lab = 0x0000_12c6; // 198.18.0.0 little-endian
  const labMask = 0x00ff_ffff; // /24
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8 || f[1] === '00000000') continue;
    const dest = le(f[1] ?? '0');
    const mask = le(f[7] ?? '0');
    const common = (mask & labMask) >>> 0;
    if (((dest & common) >>> 0) === ((lab & common) >>> 0)) return `${f[0] ?? '?'} routes an address range overlapping ${SRP_SUBNET}`;
  }
  return null;
}

export class ComposeLab {
  readonly ports: Record<Chassis | 'prometheus', number>;
  private readonly files: string[];

  private constructor(
    private readonly opts: ComposeLabOptions,
    ports: number[],
  ) {
    this.ports = { 'srpd-primary': ports[0] ?? 0, 'srpd-backup': ports[1] ?? 0, prometheus: ports[2] ?? 0 };
    this.files = [join(opts.root, 'deploy', 'docker-compose.yml')];
    if (opts.offline) this.files.push(join(opts.root, 'deploy', 'docker-compose.offline.yml'));
  }

  /** The published ports are `opts.ports`, or three free loopback ports. */
  static async create(opts: ComposeLabOptions): Promise<ComposeLab> {
    if (composeCli() === null) throw new ContainerError('SRP_CTR_NOT_FOUND', 'docker-compose is not installed (Debian package docker-compose)');
    const ports = opts.ports ?? (await freePorts(3));
    if (ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) throw new ContainerError('SRP_CTR_BAD_ARGUMENT', `ports must be 1..65535, got ${ports.join(', ')}`);
    return new ComposeLab(opts, ports);
  }

  get engine(): DockerEngine {
    return this.opts.engine;
  }

  /** The compose network `name` as the engine knows it. */
  network(name: 'srp' | 'mgmt'): string {
    return `${this.opts.project.replace(/[^a-z0-9_-]/gi, '').toLowerCase()}_${name}`;
  }

  private env(): Record<string, string> {
    return {
      ...this.opts.engine.env,
      SRPHA_PRIMARY_PORT: String(this.ports['srpd-primary']),
      SRPHA_BACKUP_PORT: String(this.ports['srpd-backup']),
      SRPHA_PROMETHEUS_PORT: String(this.ports.prometheus),
      SRPHA_IMAGE: this.opts.image,
      SRPHA_PROMETHEUS_IMAGE: this.opts.prometheusImage,
    };
  }

  compose(args: readonly string[], opts: RunOptions = {}): Promise<string> {
    const fileArgs = this.files.flatMap((f) => ['-f', f]);
    return must('docker-compose', ['--no-ansi', '-p', this.opts.project, ...fileArgs, ...args], {
      timeoutMs: 180_000,
      ...opts,
      env: { ...this.env(), ...opts.env },
    });
  }

  async up(): Promise<void> {
    await this.compose(['up', '-d', '--no-build', ...LAB_SERVICES]);
  }

  /** Removes the lab's containers, networks and volumes; never throws (cleanup path). */
  async down(): Promise<string | null> {
    try {
      await this.compose(['down', '-v', '--remove-orphans', '--timeout', '5']);
      return null;
    } catch (err) {
      return (err as Error).message;
    }
  }

  /** The last `lines` of a service's log (for failure messages). */
  async logs(service: string, lines = 40): Promise<string> {
    const r = await run(this.opts.engine.cli, ['logs', '--tail', String(lines), service], { env: this.opts.engine.env, timeoutMs: 20_000 }).catch(() => null);
    return r ? `${r.stdout}${r.stderr}` : '';
  }

  /**
   * The published API of chassis `c`. It listens off loopback inside its container, so every
   * call but /healthz needs the lab's token: sent unless `token: false` (to see a refusal).
   */
  api(c: Chassis, opts: { token?: boolean; timeoutMs?: number } = {}): SrpApi {
    return new SrpApi(`http://127.0.0.1:${this.ports[c]}`, { timeoutMs: opts.timeoutMs ?? 1500, ...(opts.token === false ? {} : { token: LAB_TOKEN }) });
  }

  get prometheusUrl(): string {
    return `http://127.0.0.1:${this.ports.prometheus}`;
  }
}
