// A real FreeRADIUS (Debian package `freeradius`) for the authentication probe: a minimal
// configuration written into its own directory, one auth listener on `address`:port, PAP users
// from a `users` file, started in the foreground (-f) with its log on stdout.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AaaServerError, ensureDebianTool, freeUdpPort, haveCommand, ServerProcess } from './tools.js';

export interface FreeRadiusOptions {
  /** A directory of its own (created): the configuration, pid file and logs go there. */
  dir: string;
  /** Listen address, e.g. 127.0.0.2 (any 127/8 address works on Linux loopback). */
  address: string;
  /** Fixed port; default a free one. */
  port?: number;
  secret: string;
  users: Array<{ name: string; password: string }>;
  /** The client must send a Message-Authenticator (FreeRADIUS `require_message_authenticator`). */
  requireMessageAuthenticator?: boolean;
}

export interface FreeRadius {
  readonly address: string;
  readonly port: number;
  readonly process: ServerProcess;
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

/** The FreeRADIUS binary: Debian ships it as `freeradius`, upstream as `radiusd`. */
export function freeRadiusBinary(): string | null {
  if (haveCommand('freeradius')) return 'freeradius';
  if (haveCommand('radiusd')) return 'radiusd';
  return null;
}

/** Null when FreeRADIUS is there (installed first when possible), else why not. */
export function freeRadiusMissing(): string | null {
  if (freeRadiusBinary()) return null;
  return ensureDebianTool('freeradius', 'freeradius');
}

function radiusdConf(dir: string, o: FreeRadiusOptions, port: number): string {
  return `# written by srp-ha for a test server
prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = /var
sbindir = /usr/sbin
raddbdir = ${dir}
confdir = ${dir}
logdir = ${dir}
run_dir = ${dir}
libdir = /usr/lib/freeradius
pidfile = ${dir}/radiusd.pid
name = radiusd
max_request_time = 5
cleanup_delay = 1
max_requests = 4096
hostname_lookups = no
log {
  destination = stdout
  auth = no
}
security {
  allow_core_dumps = no
  max_attributes = 200
  reject_delay = 0
  status_server = no
}
client loopback {
  ipaddr = 127.0.0.0/8
  secret = ${JSON.stringify(o.secret)}
  require_message_authenticator = ${o.requireMessageAuthenticator === false ? 'no' : 'yes'}
}
modules {
  pap {
  }
  files {
    filename = ${dir}/users
  }
}
server default {
  listen {
    type = auth
    ipaddr = ${o.address}
    port = ${port}
  }
  authorize {
    files
    pap
  }
  authenticate {
    Auth-Type PAP {
      pap
    }
  }
}
`;
}

export async function startFreeRadius(o: FreeRadiusOptions): Promise<FreeRadius> {
  const bin = freeRadiusBinary();
  if (!bin) throw new AaaServerError('SRP_ERR_TOOL_MISSING', 'FreeRADIUS is not installed (Debian package freeradius)');
  for (const u of o.users) {
    if (!/^[A-Za-z0-9._@-]+$/.test(u.name) || /["\\\n]/.test(u.password)) throw new AaaServerError('SRP_ERR_SERVER_START', `unsupported user entry ${u.name}`);
  }
  mkdirSync(o.dir, { recursive: true });
  writeFileSync(join(o.dir, 'users'), o.users.map((u) => `${u.name} Cleartext-Password := "${u.password}"\n`).join(''));
  // A port freed just before the server binds it can be taken in between: try a few.
  for (let attempt = 0; ; attempt++) {
    const port = o.port ?? (await freeUdpPort(o.address));
    writeFileSync(join(o.dir, 'radiusd.conf'), radiusdConf(o.dir, o, port), { mode: 0o640 });
    const proc = ServerProcess.spawn(`FreeRADIUS on ${o.address}:${port}`, bin, ['-f', '-l', 'stdout', '-d', o.dir, '-n', 'radiusd']);
    try {
      await proc.waitFor(/Ready to process requests/);
    } catch (err) {
      if (attempt < 3 && o.port === undefined && proc.lines.some((l) => /bind|in use/i.test(l))) continue;
      throw err;
    }
    return {
      address: o.address,
      port,
      process: proc,
      pause: () => proc.pause(),
      resume: () => proc.resume(),
      stop: () => proc.stop(),
    };
  }
}
