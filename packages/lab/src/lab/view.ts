// Rendering of the lab's live view (TTY) and of its plain status lines (not a TTY). Pure
// functions over snapshots, so they are tested without a terminal.
import type { RoutingReport } from '../routing.js';
import type { ChassisSnapshot } from './snapshot.js';

export interface Endpoints {
  name: string;
  api: string;
  events: string;
  metrics: string;
}

const dash = (v: string | number | boolean | null | undefined): string => (v === null || v === undefined ? '-' : String(v));

function stateText(s: ChassisSnapshot): string {
  if (s.frozen) return 'FROZEN (SIGSTOP)';
  if (!s.up) return s.note ?? 'down';
  return dash(s.state) + (s.state === 'Standby' ? (s.standbyReady ? ' (ready)' : ' (not ready)') : '');
}

const COLOR: Record<string, string> = { Active: '\x1b[32m', Standby: '\x1b[36m', 'Pending-Active': '\x1b[33m', 'Pending-Standby': '\x1b[33m' };

export function endpointLines(eps: Endpoints[]): string[] {
  const out: string[] = [];
  for (const e of eps) {
    out.push(`${e.name}: API     ${e.api}/v1/srp/info`);
    out.push(`${e.name}: events  ${e.events}`);
    out.push(`${e.name}: metrics ${e.metrics}`);
  }
  return out;
}

/** Packets the routing domain delivered to a chassis (its line cards' answer), "-" without hardware. */
function routedText(s: ChassisSnapshot, routing: RoutingReport | null): string {
  const t = routing?.hardware ? routing.nodes[s.name] : undefined;
  if (!t) return '-';
  const extra = [t.dropped > 0 ? `${t.dropped} dropped` : '', t.failed > 0 ? `${t.failed} unanswered` : ''].filter((x) => x !== '');
  return `${t.forwarded}${extra.length > 0 ? ` (${extra.join(', ')})` : ''}`;
}

/** The routing domain in one line: where the traffic goes now and how long two Actives claimed it. */
export function routingLine(routing: RoutingReport | null): string {
  if (!routing) return 'routing domain: -';
  if (!routing.hardware) return 'routing domain: - (no daemon answers GET /v1/hw/routing)';
  const d = routing.domain;
  const winner = d.winner === null ? 'nobody (no chassis advertises Active)' : d.winner;
  return (
    `routing domain: traffic to ${winner}; two Actives ${(d.dualActiveMs / 1000).toFixed(1)} s in ${d.dualActiveEpisodes} episode(s)` +
    `${d.dualActiveNow ? ' (NOW)' : ''}; winner changes ${d.winnerChanges}; undeliverable ${d.undeliverable} packets`
  );
}

export function renderView(snaps: ChassisSnapshot[], eps: Endpoints[], status: string, color: boolean, width = 100, routing: RoutingReport | null = null): string {
  const rows: [string, (s: ChassisSnapshot) => string][] = [
    ['chassis', (s) => `${s.name} ${dash(s.chassisId)} (${dash(s.mode)})`],
    ['state', (s) => stateText(s)],
    ['link', (s) => dash(s.link)],
    ['route modifier', (s) => dash(s.routeModifier)],
    ['sessions', (s) => dash(s.sessions)],
    ['checkpoints/s', (s) => (s.checkpointRate === null ? '-' : s.checkpointRate.toFixed(1))],
    ['replication lag', (s) => (s.lagMs === null ? '-' : `${s.lagMs} ms`)],
    ['NACKs', (s) => dash(s.nacks)],
    ['last switchover', (s) => dash(s.lastSwitchover)],
    ['packets routed', (s) => routedText(s, routing)],
  ];
  const colW = Math.max(24, Math.floor((Math.min(width, 140) - 20) / Math.max(1, snaps.length)));
  const lines: string[] = ['srp-ha lab', ''];
  for (const [label, get] of rows) {
    const cells = snaps.map((s) => {
      const text = get(s).slice(0, colW - 1).padEnd(colW);
      if (color && label === 'state' && s.state && COLOR[s.state] && s.up && !s.frozen) return `${COLOR[s.state]}${text}\x1b[0m`;
      return text;
    });
    lines.push(`${label.padEnd(18)}${cells.join('')}`);
  }
  lines.push('', routingLine(routing), '', ...endpointLines(eps), '');
  lines.push('keys: s switchover   k kill -9 the Active (restarts it)   f freeze/thaw the Active   l +1000 sessions   q quit');
  lines.push(status);
  return lines.join('\n');
}

/** One plain line per refresh when stdout is not a terminal. */
export function statusLine(snaps: ChassisSnapshot[], at: Date = new Date(), routing: RoutingReport | null = null): string {
  const part = (s: ChassisSnapshot): string =>
    `${s.name}=${stateText(s).replace(/ /g, '_')} sessions=${dash(s.sessions)} rm=${dash(s.routeModifier)}` +
    ` ckpt/s=${s.checkpointRate === null ? '-' : s.checkpointRate.toFixed(1)} lag=${dash(s.lagMs)} nacks=${dash(s.nacks)}` +
    (routing?.hardware ? ` pkts=${routedText(s, routing).replace(/ /g, '_')}` : '');
  const d = routing?.hardware ? routing.domain : null;
  const tail = d ? `  route=${d.winner ?? 'none'} dual=${(d.dualActiveMs / 1000).toFixed(1)}s` : '';
  return `${at.toISOString()} ${snaps.map(part).join('  ')}${tail}`;
}

/** What makes a new plain status line worth printing: state, link, route modifier per chassis. */
export function statusKey(snaps: ChassisSnapshot[]): string {
  return snaps.map((s) => `${s.name}=${stateText(s)}/${dash(s.link)}/${dash(s.routeModifier)}`).join(' ');
}
