// The whole compose lab from nothing: an engine (found or started), the images (pulled, or made
// locally when no registry answers), the project image built from deploy/Dockerfile, and
// deploy/docker-compose.yml up. stop() takes down exactly what start made, in reverse.
import type { DockerEngine } from './engine.js';
import { findOrStartEngine } from './engine.js';
import { ComposeLab, srpSubnetInUse } from './compose.js';
import {
  REGISTRY_NODE,
  REGISTRY_PROMETHEUS,
  buildProjectImage,
  corepackKeysArg,
  ensureBaseImage,
  ensureNodeImage,
  ensurePrometheusImage,
  registryReachable,
  type ProjectBuild,
} from './images.js';
import { ContainerError, sleep } from './run.js';

export interface LabRunOptions {
  root: string;
  /** docker-compose project name (default "srpha"). */
  project?: string;
  log?: (line: string) => void;
  /** The project image build's output (docker build --progress=plain), as it comes. */
  buildOutput?: (chunk: string) => void;
  /** Published ports of srpd-primary, srpd-backup and Prometheus (default: free ones). */
  ports?: [number, number, number];
  /** How long to wait for another lab on this host to free the SRP subnet (default 5 min). */
  subnetWaitMs?: number;
}

export interface LabRun {
  engine: DockerEngine;
  lab: ComposeLab;
  offline: boolean;
  build: ProjectBuild;
  /** Seconds per phase: engine, images, build, up. */
  timings: Record<string, number>;
  /** Stops everything start made; returns what could not be undone (empty when all went). */
  stop(): Promise<string[]>;
}

export async function startLab(opts: LabRunOptions): Promise<LabRun> {
  const log = opts.log ?? (() => {});
  const timings: Record<string, number> = {};
  const t = (phase: string, since: number): void => void (timings[phase] = Math.round((Date.now() - since) / 100) / 10);

  const waitUntil = Date.now() + (opts.subnetWaitMs ?? 300_000);
  for (let busy = srpSubnetInUse(); busy !== null; busy = srpSubnetInUse()) {
    if (Date.now() > waitUntil) throw new ContainerError('SRP_CTR_SUBNET_BUSY', `${busy}: another compose lab is probably running on this host`);
    log(`waiting: ${busy}`);
    await sleep(5000);
  }

  let t0 = Date.now();
  const offline = !(await registryReachable());
  const engine = await findOrStartEngine({ offline, log });
  t('engine', t0);
  log(`engine ${engine.host} (${await engine.describe()})${engine.owned ? ', started here' : ''}; registry ${offline ? 'unreachable: images made locally' : 'reachable'}`);

  const made: string[] = [];
  let lab: ComposeLab | null = null;
  const stop = async (): Promise<string[]> => {
    const problems: string[] = [];
    if (lab) {
      const err = await lab.down();
      if (err) problems.push(err);
    }
    if (!engine.owned) {
      // Newest first: images made from the base go before it.
      for (const ref of made.reverse()) {
        const r = await engine.tryDocker(['image', 'rm', ref], { timeoutMs: 60_000 }).catch((e: Error) => ({ status: 1, stderr: e.message }));
        if (r.status !== 0) problems.push(`docker image rm ${ref}: ${r.stderr.trim()}`);
      }
    }
    await engine.stop().catch((e: Error) => problems.push(`stopping dockerd: ${e.message}`));
    return problems;
  };

  try {
    t0 = Date.now();
    const keys = corepackKeysArg(opts.root);
    let nodeImage = REGISTRY_NODE;
    let prometheusImage = REGISTRY_PROMETHEUS;
    if (offline) {
      const base = await ensureBaseImage(engine, log);
      if (base.made) made.push(base.ref);
      const [node, prom] = await Promise.all([ensureNodeImage(engine, base.ref, log), ensurePrometheusImage(engine, base.ref, log)]);
      for (const i of [node, prom]) if (i.made) made.push(i.ref);
      nodeImage = node.ref;
      prometheusImage = prom.ref;
    } else {
      for (const ref of [REGISTRY_NODE, REGISTRY_PROMETHEUS]) {
        if (await engine.hasImage(ref)) continue;
        log(`docker pull ${ref}`);
        await engine.docker(['pull', '-q', ref], { timeoutMs: 600_000 });
        made.push(ref);
      }
    }
    t('images', t0);

    t0 = Date.now();
    // A private engine is all ours; in a shared one the build gets a tag nobody else uses.
    const ref = engine.owned ? 'srp-ha/srpd:dev' : `srp-ha/srpd:test-${process.pid}`;
    const build = await buildProjectImage(engine, {
      root: opts.root,
      ref,
      nodeImage,
      corepackKeys: await keys,
      log,
      ...(opts.buildOutput ? { output: opts.buildOutput } : {}),
    });
    made.push(ref);
    t('build', t0);
    log(`built ${ref} in ${build.seconds.toFixed(1)} s: ${(build.bytes / 1e6).toFixed(0)} MB`);

    t0 = Date.now();
    lab = await ComposeLab.create({
      engine,
      root: opts.root,
      project: opts.project ?? 'srpha',
      image: ref,
      prometheusImage,
      offline,
      ...(opts.ports ? { ports: opts.ports } : {}),
    });
    await lab.up();
    t('up', t0);
    return { engine, lab, offline, build, timings, stop };
  } catch (err) {
    const problems = await stop();
    if (problems.length) log(`cleanup after failure: ${problems.join('; ')}`);
    throw err;
  }
}
