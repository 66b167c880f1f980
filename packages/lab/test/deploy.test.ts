// deploy/ against the real tools and the real srpd: docker-compose accepts the compose file,
// the commands and config files it mounts are what srpd really takes, promtool accepts the
// Prometheus config, and every metric the Grafana dashboard queries is one srpd exports.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricFamilies } from '../src/api.js';
import { SRPD_NODE_ARGS } from '@srp-ha/srp-daemon/client';
import { Pair } from '../src/pair.js';
import { missing, root, skipReason, SRPD } from './helpers.js';

const deploy = join(root, 'deploy');
const composeFile = join(deploy, 'docker-compose.yml');

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  volumes?: string[];
  networks?: Record<string, { ipv4_address?: string } | null> | string[];
  ports?: string[];
}
interface Compose {
  services: Record<string, ComposeService>;
  networks: Record<string, { ipam?: { config?: { subnet: string }[] }; internal?: boolean }>;
}

const compose = parse(readFileSync(composeFile, 'utf8'), { merge: true }) as Compose;
const srpdServices = Object.entries(compose.services).filter(([, s]) => s.image?.includes('srp-ha/srpd'));

/** Host path of the file mounted at `target` in a service ('./x:/y:ro'). */
function mountOf(s: ComposeService, target: string): string | null {
  for (const v of s.volumes ?? []) {
    const [src, dst] = v.split(':');
    if (dst === target && src) return join(deploy, src);
  }
  return null;
}

describe('deploy: docker-compose', () => {
  const why = missing(['docker-compose']);
  it.skipIf(skipReason(why, 'docker-compose config'))('docker-compose config accepts the compose file', () => {
    expect(why).toBeNull();
    const r = spawnSync('docker-compose', ['-f', composeFile, 'config', '--quiet'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr.replace(/^.*WARNING.*$/gm, '').trim()).toBe('');
    expect(r.status).toBe(0);
  });

  it('runs srpd in the image the Dockerfile builds, with the CLI srpd really has', () => {
    const dockerfile = readFileSync(join(deploy, 'Dockerfile'), 'utf8');
    const entry = /^ENTRYPOINT\s+(\[.*\])/m.exec(dockerfile)?.[1];
    expect(entry).toBeDefined();
    const argv = JSON.parse(entry ?? '[]') as string[];
    expect(argv[0]).toBe('node');
    expect(argv.slice(1, -1)).toEqual(SRPD_NODE_ARGS); // srpd's Node options
    // /app in the image is the repository root in the build stage.
    expect(argv.at(-1)?.replace(/^\/app\//, '')).toBe(SRPD.replace(root + '/', ''));
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^FROM \$\{NODE_IMAGE\} AS build$/m);
    expect(dockerfile).toMatch(/ARG NODE_IMAGE=node:20-slim/);
    // Builds without a registry: no "# syntax=" frontend image to fetch, corepack's key check
    // can be switched off by a build argument, no npm update check at run time.
    expect(dockerfile).not.toMatch(/^#\s*syntax\s*=/m);
    expect(dockerfile).toMatch(/^ARG COREPACK_INTEGRITY_KEYS$/m);
    const runtime = dockerfile.slice(dockerfile.search(/^FROM .* AS runtime$/m));
    expect(runtime).toMatch(/NPM_CONFIG_UPDATE_NOTIFIER=false/);
    expect(runtime).toMatch(/ln -s \/app\/packages\/srp-daemon\/bin\/srpctl\.js \/usr\/local\/bin\/srpctl/);
    // Hellos travel as UDP on the SRP port: the image declares both.
    expect(runtime).toMatch(/^EXPOSE .*7700\/tcp 7700\/udp/m);
    expect(srpdServices.map(([n]) => n).sort()).toEqual(['srpd-backup', 'srpd-primary']);
    for (const [, s] of srpdServices) {
      expect(s.build?.dockerfile).toBe('deploy/Dockerfile');
      expect(s.command).toEqual(['--config', '/etc/srpd/srpd.yaml']);
      expect(mountOf(s, '/etc/srpd/srpd.yaml')).not.toBeNull();
    }
    // srpd's own usage text lists --config.
    const help = spawnSync(process.execPath, [SRPD, '--help'], { encoding: 'utf8', timeout: 20_000 });
    expect(help.stdout).toMatch(/--config FILE/);
  });

  it('copies only files that exist, and the manifest of every workspace package', () => {
    const dockerfile = readFileSync(join(deploy, 'Dockerfile'), 'utf8');
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => (m[1] ?? '').split(/\s+/));
    expect(sources.length).toBeGreaterThan(3);
    for (const src of sources) expect(existsSync(join(root, src)), `COPY ${src}`).toBe(true);
    // The manifests stage keeps every package.json under packages/ (whatever packages there
    // are), and the build stage installs from them before any source is copied.
    const manifests = dockerfile.slice(dockerfile.indexOf('AS manifests'), dockerfile.indexOf('AS build'));
    expect(manifests).toMatch(/^COPY packages packages$/m);
    expect(manifests).toMatch(/find packages -type f ! -name package\.json -delete/);
    const build = dockerfile.slice(dockerfile.indexOf('AS build'));
    const install = build.indexOf('pnpm install --frozen-lockfile --ignore-scripts');
    expect(build.indexOf('COPY --from=manifests /src/packages packages')).toBeGreaterThan(-1);
    expect(build.indexOf('COPY --from=manifests /src/packages packages')).toBeLessThan(install);
    expect(build.indexOf('COPY packages packages')).toBeGreaterThan(install);
    for (const f of ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml']) expect(sources).toContain(f);
  });

  it("every mounted config passes srpd's own validation (srpd --check)", () => {
    const files = readdirSync(join(deploy, 'config')).filter((f) => f.endsWith('.yaml'));
    expect(files.sort()).toEqual(['backup.yaml', 'primary.yaml']);
    for (const f of files) {
      const r = spawnSync(process.execPath, [SRPD, '--config', join(deploy, 'config', f), '--check'], { encoding: 'utf8', timeout: 20_000 });
      expect(`${r.stdout}${r.stderr}`).toMatch(/is valid/);
      expect(r.status).toBe(0);
    }
    // And --check really rejects a broken one (so the check above means something).
    const bad = spawnSync(process.execPath, [SRPD, '--config', composeFile, '--check'], { encoding: 'utf8', timeout: 20_000 });
    expect(bad.status).toBe(2);
  });

  it('the two configs point at each other on the dedicated SRP network, with the mounted key', () => {
    const subnet = compose.networks.srp?.ipam?.config?.[0]?.subnet;
    expect(subnet).toBe('198.18.0.0/24');
    expect(compose.networks.srp?.internal).toBe(true);
    const cfg = Object.fromEntries(
      srpdServices.map(([name, s]) => {
        const file = mountOf(s, '/etc/srpd/srpd.yaml') ?? '';
        const c = parse(readFileSync(file, 'utf8')) as Record<string, unknown> & { management: { listen: string } };
        const nets = s.networks as Record<string, { ipv4_address?: string } | null>;
        const ip = nets.srp?.ipv4_address;
        expect(String(c.bind).split(':')[0]).toBe(ip);
        // The key file named by the config is mounted next to it.
        expect(mountOf(s, `/etc/srpd/${String(c['auth-key-file'])}`)).not.toBeNull();
        // The management port published is the one srpd listens on.
        const mgmtPort = c.management.listen.split(':')[1];
        expect(s.ports?.some((p) => p.endsWith(`:${mgmtPort}`))).toBe(true);
        return [name, c];
      }),
    );
    expect(cfg['srpd-primary']?.peer).toBe(cfg['srpd-backup']?.bind);
    expect(cfg['srpd-backup']?.peer).toBe(cfg['srpd-primary']?.bind);
    expect(cfg['srpd-primary']?.mode).toBe('primary');
    expect(cfg['srpd-backup']?.mode).toBe('backup');
    // srpctl in the containers carries the token the daemons take.
    for (const [name, s] of srpdServices) {
      const token = (cfg[name] as { management: { token?: string } }).management.token;
      expect((s as { environment?: Record<string, string> }).environment?.SRPCTL_TOKEN).toBe(token);
    }
  });

  it('runs each daemon on a simulated chassis (SSO CF cards, line cards) with modest traffic', () => {
    for (const [, s] of srpdServices) {
      const c = parse(readFileSync(mountOf(s, '/etc/srpd/srpd.yaml') ?? '', 'utf8')) as {
        hardware?: { 'cf-macs'?: string[]; 'redundancy-mode'?: string; 'line-cards'?: number; traffic?: { rate: number; 'max-sessions': number } };
      };
      expect(c.hardware?.['cf-macs']).toHaveLength(2);
      expect(c.hardware?.['redundancy-mode']).toBe('SSO');
      expect(c.hardware?.['line-cards']).toBeGreaterThanOrEqual(1);
      expect(c.hardware?.traffic?.rate).toBeGreaterThan(0);
      expect(c.hardware?.traffic?.rate).toBeLessThanOrEqual(50);
      expect(c.hardware?.traffic?.['max-sessions']).toBeLessThanOrEqual(1000);
    }
  });
});

describe('deploy: prometheus.yml', () => {
  const why = missing(['promtool']);
  it.skipIf(skipReason(why, 'promtool'))('promtool check config passes', () => {
    expect(why).toBeNull();
    const r = spawnSync('promtool', ['check', 'config', join(deploy, 'prometheus.yml')], { encoding: 'utf8', timeout: 60_000 });
    expect(`${r.stdout}${r.stderr}`).toMatch(/SUCCESS/);
    expect(r.status).toBe(0);
  });

  it('scrapes both srpd services on their management port', () => {
    const prom = parse(readFileSync(join(deploy, 'prometheus.yml'), 'utf8')) as {
      scrape_configs: { static_configs: { targets: string[] }[] }[];
    };
    const targets = prom.scrape_configs.flatMap((s) => s.static_configs.flatMap((c) => c.targets)).sort();
    expect(targets).toEqual(['srpd-backup:7800', 'srpd-primary:7800']);
  });
});

describe('deploy: Grafana', () => {
  const dashboard = JSON.parse(readFileSync(join(deploy, 'grafana', 'dashboards', 'srp-ha.json'), 'utf8')) as {
    uid: string;
    panels: { type: string; datasource?: { uid: string }; targets?: { expr: string; datasource?: { uid: string } }[] }[];
  };
  // The dashboard's queries and the Prometheus rules' expressions.
  const rules = parse(readFileSync(join(deploy, 'prometheus-rules.yml'), 'utf8')) as { groups: { rules: { expr: string }[] }[] };
  const exprs = [...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)), ...rules.groups.flatMap((g) => g.rules.map((r) => r.expr))];
  const queried = new Set(exprs.flatMap((e) => [...e.matchAll(/\b(srp_[a-z0-9_]+)/g)].map((m) => m[1] ?? '')));

  it('uses the provisioned datasource by its pinned uid and is provisioned from the mounted folder', () => {
    const ds = parse(readFileSync(join(deploy, 'grafana', 'provisioning', 'datasources', 'prometheus.yaml'), 'utf8')) as {
      datasources: { uid: string; url: string }[];
    };
    const uid = ds.datasources[0]?.uid;
    expect(uid).toBe('srp-ha-prometheus');
    for (const p of dashboard.panels.filter((x) => x.type !== 'row')) {
      expect(p.datasource?.uid).toBe(uid);
      for (const t of p.targets ?? []) expect(t.datasource?.uid).toBe(uid);
    }
    const prov = parse(readFileSync(join(deploy, 'grafana', 'provisioning', 'dashboards', 'srp-ha.yaml'), 'utf8')) as {
      providers: { options: { path: string } }[];
    };
    const grafana = compose.services.grafana;
    expect(grafana?.volumes?.some((v) => v.startsWith('./grafana/dashboards:') && v.includes(prov.providers[0]?.options.path ?? '?'))).toBe(true);
    expect(queried.size).toBeGreaterThan(5);
  });

  describe('every metric the dashboard queries is exported by a real srpd', () => {
    const why = missing([], [SRPD]);
    let pair: Pair | null = null;
    let families = new Set<string>();
    const skip = skipReason(why, 'the dashboard metric check');
    beforeAll(async () => {
      if (why !== null) return;
      pair = await Pair.start({ proxy: false, poll: false });
      const [active] = await pair.waitForSettled(30_000);
      families = metricFamilies(await active.api.metricsText());
    });
    afterAll(async () => {
      await pair?.stop();
    });
    it.skipIf(skip)('scraped /metrics covers every metric the dashboard and the rules query', () => {
      expect(why).toBeNull();
      const exported = (name: string): boolean =>
        families.has(name) || ['_bucket', '_sum', '_count'].some((s) => name.endsWith(s) && families.has(name.slice(0, -s.length)));
      const absent = [...queried].filter((m) => !exported(m));
      expect(absent).toEqual([]);
    });
  });
});
