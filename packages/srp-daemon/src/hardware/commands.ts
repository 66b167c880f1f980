// srpctl commands of the simulated hardware, one entry each (the lead appends them to the
// command table srpctl uses): `show redundancy [states|clients|history|counters]`,
// `show card table`, `show hw routing`, and the fault injections under `hw`.
import {
  renderCardTable,
  renderShowRedundancy,
  renderShowRedundancyClients,
  renderShowRedundancyCounters,
  renderShowRedundancyHistory,
  renderShowRedundancyStates,
  type CardTableRow,
  type ShowRedundancy,
  type ShowRedundancyClient,
  type ShowRedundancyCounters,
  type ShowRedundancyHistoryEntry,
  type ShowRedundancyStates,
} from '@srp-ha/hw-sim';
import type { ArgValues, CommandSpec, HttpCommand } from '../management/commands.js';
import type { FaultResult, RoutingAdvertisement } from './api.js';

const SLOT = { name: 'SLOT', int: { min: 0, max: 999 } } as const;

function renderRedundancy(d: unknown, args: ArgValues): string {
  switch (args.what) {
    case 'states':
      return renderShowRedundancyStates(d as ShowRedundancyStates);
    case 'clients':
      return renderShowRedundancyClients(d as ShowRedundancyClient[]);
    case 'history':
      return renderShowRedundancyHistory(d as ShowRedundancyHistoryEntry[]);
    case 'counters':
      return renderShowRedundancyCounters(d as ShowRedundancyCounters);
    default:
      return renderShowRedundancy(d as ShowRedundancy);
  }
}

function renderFault(d: FaultResult): string {
  const what = d.slot === null ? d.action : `${d.action} slot ${d.slot}`;
  return d.accepted ? `${what}: done` : `${what}: refused (${d.code ?? 'refused'}: ${d.error ?? ''})`;
}

const faultRefusal = (d: FaultResult): string => `refused: ${d.code ?? ''}${d.code ? ': ' : ''}${d.error ?? d.reasons.join('; ')}`;

function faultCommand(word: string, action: string, summary: string): HttpCommand {
  return {
    words: ['hw', word],
    args: [SLOT],
    summary,
    method: 'POST',
    path: (a) => `/v1/hw/cards/${String(a.SLOT)}/${action}`,
    render: renderFault,
    refusal: faultRefusal,
  };
}

export const HARDWARE_COMMANDS: CommandSpec[] = [
  {
    words: ['show', 'redundancy'],
    args: [{ name: 'what', choices: ['states', 'clients', 'history', 'counters'], optional: true }],
    summary: 'intra-chassis CF redundancy: modes, processors, RF states, clients, history, counters',
    support: [{}, { what: 'states' }, { what: 'clients' }, { what: 'history' }, { what: 'counters' }],
    method: 'GET',
    path: (a) => (a.what ? `/v1/redundancy/${String(a.what)}` : '/v1/redundancy'),
    render: renderRedundancy,
  },
  {
    words: ['show', 'card', 'table'],
    summary: 'every card slot: type, operational state, SPOF, RF state',
    method: 'GET',
    path: '/v1/hw/cards',
    render: (d: CardTableRow[]) => renderCardTable(d),
  },
  {
    words: ['show', 'hw', 'routing'],
    summary: "this chassis's advertisement to the routing domain (active, route modifier)",
    method: 'GET',
    path: '/v1/hw/routing',
    render: (d: RoutingAdvertisement) =>
      [
        `Chassis ID       = ${d.chassisId}`,
        `Claims Active    = ${d.active ? 'Yes' : 'No'}`,
        `Route-Modifier   = ${d.routeModifier}`,
        `SRP State        = ${d.srpState}`,
        `Active CF        = ${d.activeCf ? `slot ${d.activeCf.slot} (${d.activeCf.mac})` : 'none'}`,
      ].join('\n') + '\n',
  },
  faultCommand('crash-card', 'crash', 'crash a card (a CF crashes and reloads; a line card reloads)'),
  faultCommand('hang-card', 'hang', 'hang a card (a hung active CF is declared dead after hang-detect)'),
  faultCommand('remove-card', 'remove', 'online removal of a card'),
  faultCommand('insert-card', 'insert', 'online insertion of a card into an empty slot'),
  faultCommand('crash-linecard', 'crash-linecard', 'crash a line card (it reloads by itself)'),
  {
    words: ['hw', 'force-switchover'],
    summary: 'redundancy force-switchover: hand the active CF role to a ready standby CF',
    method: 'POST',
    path: '/v1/hw/force-switchover',
    render: renderFault,
    refusal: faultRefusal,
  },
];
