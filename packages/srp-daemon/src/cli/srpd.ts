// srpd: one chassis of an SRP pair.
//   srpd --config FILE [--ready-file FILE]
// Exit status: 0 after a graceful stop, 1 on a runtime failure, 2 on a bad config or usage.
import { writeFileSync, renameSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pino, type Logger } from 'pino';
import { formatHostPort } from '@srp-ha/common';
import { ConfigError, loadConfigFile, type SrpConfig } from '../config/config.js';
import { startManagementServer, ManagementConfigError, type ManagementServer } from '../management/server.js';
import { busyRoute, mountable } from '../management/debug-routes.js';
import { createHardwarePlane, noHardwareRoutes, trafficSessionSink, wireHardware, type HardwarePlane } from '../hardware/index.js';
import { createMetrics } from '../metrics.js';
import { createReplicationPlane, withEventSources, type ReplicationPlane } from '../replication/index.js';
import { securityRoutes } from '../link/routes.js';
import { SrpDaemon } from '../runtime/daemon.js';
import { missingNodeArgs } from '../util/node-args.js';
import { createServicePlane, type ServicePlane } from '../monitors/plane.js';

export const USAGE = `usage: srpd --config FILE [--ready-file FILE] [--check]

Runs one chassis of a Service Redundancy Protocol pair: the SRP link to the peer, the chassis
state machine (Init, Pending-Active, Active, Pending-Standby, Standby) and the management API
(HTTP + WebSocket events + /metrics) that srpctl talks to.

Options:
  -c, --config FILE      YAML config (keys: chassis-id, mode, priority, cf-mac, bind, peer,
                         hello-interval, dead-interval, delay-interval, auth-key | auth-key-file
                         | auth-keys, tls, peer-allow, management.listen, management.token,
                         management.open-reads, log-level, preemption,
                         route-modifier, compression, notify-hooks, checkpoint, standby,
                         audit, hardware, liveness.watchdog, liveness.startup-hold, debug,
                         monitor, track, failover-threshold, preemption-delay, guard-timer)
      --ready-file FILE  once serving, write {"pid", "managementUrl", "srpAddress"} as JSON here
      --check            validate the config and exit (0 valid, 2 invalid)
  -h, --help             this text

Signals: SIGTERM / SIGINT stop gracefully (Goodbye to the peer, which takes over at once);
SIGHUP reads the SRP keys, the TLS files and peer-allow of the config file again.
Exit status: 0 stopped, 1 failed, 2 bad config or usage.`;

export const EXIT_FAILED = 1;
export const EXIT_CONFIG = 2;

interface Running {
  daemon: SrpDaemon;
  management: ManagementServer;
  replication: ReplicationPlane;
  hardware: HardwarePlane | null;
  service: ServicePlane;
  logger: Logger;
}

export function makeLogger(config: Pick<SrpConfig, 'logLevel' | 'chassisId'>): Logger {
  return pino({
    level: config.logLevel,
    base: { pid: process.pid, chassisId: config.chassisId },
    redact: { paths: ['authKey', 'authKeys', 'token', 'config.authKey', 'config.authKeys', 'config.management.token'], censor: '[redacted]' },
  });
}

export async function run(config: SrpConfig, logger: Logger, readyFile: string | undefined): Promise<Running> {
  const missing = missingNodeArgs();
  if (missing.length > 0) {
    logger.warn(
      { missing },
      `node was started without ${missing.join(' ')}: V8's young-generation collection helper threads can hold the liveness worker off the CPU for longer than a short dead interval (start srpd with the srpd command, or node ${missing.join(' ')} srpd.js)`,
    );
  }
  // The parts of the chassis, composed here and nowhere else:
  //   - the replication plane (checkpoint engine): the session service, a listener, and its
  //     checkpoint messages straight from the SRP link's message port (attach);
  //   - with simulated hardware, srpd runs on the active CF: power the chassis on, wait for a
  //     CF; it gives the Hello the active CF's MAC and stops Hellos while no CF is in charge;
  //   - monitors, tracked objects, guard timers: probing on the Active, the effective priority;
  //   - the witness (etcd, gRPC client loaded only when configured).
  const replication = createReplicationPlane({ config: config.replication, logger });
  const hardware = config.hardware ? createHardwarePlane({ config: config.hardware, chassisId: config.chassisId, logger }) : null;
  await hardware?.start();
  const service = createServicePlane({ config, logger, chassis: hardware?.chassis ?? null });
  const witness = config.witness
    ? new (await import('../witness/etcd.js')).EtcdWitness({ ...config.witness.etcd, chassisId: config.chassisId, logger: logger.child({ component: 'witness' }) })
    : null;
  const daemon = new SrpDaemon(config, {
    logger,
    witness,
    parts: {
      sessions: replication.sessions,
      ...(hardware ? { hardware: hardware.hardware } : {}),
      listeners: [replication.listener, ...(hardware ? [hardware.listener] : []), service.listener],
    },
    // Without its liveness worker the chassis sends no Hello and judges nothing, and a failed
    // state machine cannot be trusted to: stop, so a supervisor restarts it (the peer takes
    // over at once on the Goodbye, or after its dead interval).
    onFatal: (err) => {
      logger.fatal({ err }, 'srpd cannot go on');
      const exit = (): never => {
        logger.flush();
        process.exit(EXIT_FAILED);
      };
      setTimeout(exit, 2000).unref();
      void daemon.stop('fatal error').finally(exit);
    },
  });
  service.attach(daemon);
  daemon.setObserver(createMetrics(daemon, daemon.registry));
  replication.attach(daemon);
  if (hardware) wireHardware(hardware, daemon); // srp_hw_* metrics; restart after a chassis reset
  // Subscriber traffic -> the checkpoint session store (the plane delivers only while SRP Active).
  hardware?.setSessionSink(trafficSessionSink(replication.engine));
  await daemon.start();
  service.start();
  let management: ManagementServer;
  try {
    management = await startManagementServer(withEventSources(daemon, replication, service, ...(hardware ? [hardware] : [])), {
      listen: formatHostPort(config.management.listen),
      ...(config.management.token ? { token: config.management.token } : {}),
      openReads: config.management.openReads,
      logger,
      extraRoutes: mountable(
        [...replication.routes, ...service.routes, ...(hardware?.routes ?? noHardwareRoutes()), ...securityRoutes(daemon), busyRoute()],
        config.debug,
      ),
    });
  } catch (err) {
    await daemon.stop('management API failed to start');
    service.dispose();
    replication.dispose();
    hardware?.dispose();
    throw err;
  }
  const srpAddress = daemon.srpAddress ? formatHostPort(daemon.srpAddress) : null;
  logger.info({ event: 'ready', managementUrl: management.url, srpAddress, configFile: config.source }, 'srpd ready');
  if (readyFile) {
    const tmp = `${readyFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ pid: process.pid, managementUrl: management.url, srpAddress }) + '\n');
    renameSync(tmp, readyFile);
  }
  return { daemon, management, replication, hardware, service, logger };
}

export async function main(argv: string[]): Promise<number | null> {
  let values: { config?: string; 'ready-file'?: string; help?: boolean; check?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: 'string', short: 'c' },
        'ready-file': { type: 'string' },
        check: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    process.stderr.write(`srpd: ${(err as Error).message}\n${USAGE}\n`);
    return EXIT_CONFIG;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.config) {
    process.stderr.write(`srpd: --config FILE is required\n${USAGE}\n`);
    return EXIT_CONFIG;
  }
  let config: SrpConfig;
  try {
    config = loadConfigFile(values.config);
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const i of err.issues) process.stderr.write(`srpd: config ${values.config}: ${i.key}: ${i.reason}\n`);
      return EXIT_CONFIG;
    }
    throw err;
  }
  if (values.check) {
    process.stdout.write(`srpd: config ${values.config} is valid\n`);
    return 0;
  }
  const logger = makeLogger(config);
  let running: Running;
  try {
    running = await run(config, logger, values['ready-file']);
  } catch (err) {
    if (err instanceof ManagementConfigError) {
      process.stderr.write(`srpd: config ${values.config}: management: ${err.message}\n`);
      return EXIT_CONFIG;
    }
    logger.fatal({ err }, 'srpd failed to start');
    return EXIT_FAILED;
  }
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    const hard = setTimeout(() => process.exit(EXIT_FAILED), 10_000);
    hard.unref();
    void (async () => {
      try {
        running.service.dispose();
        await running.daemon.stop(signal);
        await running.management.close();
        running.replication.dispose();
        running.hardware?.dispose();
        logger.info('stopped');
        logger.flush();
        process.exitCode = 0;
      } catch (err) {
        logger.error({ err }, 'error while stopping');
        process.exitCode = EXIT_FAILED;
      }
    })();
  };
  // SIGHUP: the link's keys, TLS files and peer-allow are read again from the config file.
  process.on('SIGHUP', () => {
    running.daemon.reloadSecurity();
  });
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    logger.flush();
    process.exit(EXIT_FAILED);
  });
  process.on('unhandledRejection', (err) => {
    logger.fatal({ err }, 'unhandled rejection');
    logger.flush();
    process.exit(EXIT_FAILED);
  });
  return null; // keeps running
}

const code = await main(process.argv.slice(2));
if (code !== null) process.exitCode = code;
