import { describe, expect, it } from 'vitest';
import {
  renderCardTable,
  renderShowRedundancy,
  renderShowRedundancyClients,
  renderShowRedundancyCounters,
  renderShowRedundancyHistory,
  renderShowRedundancyStates,
  showCardTable,
  showRedundancy,
  showRedundancyClients,
  showRedundancyCounters,
  showRedundancyHistory,
  showRedundancyStates,
} from '../src/index.js';
import { booted, makeChassis } from './helpers.js';

describe('show data', () => {
  it('show redundancy states matches the seed layout', async () => {
    const h = await booted({ redundancyMode: 'SSO' });
    const d = showRedundancyStates(h.chassis);
    expect(d).toMatchObject({ myState: 13, peerState: 8, mode: 'Duplex', unitId: 1, manualSwact: 'Enabled', communications: 'Up', clientCount: 7 });
    const text = renderShowRedundancyStates(d);
    expect(text).toContain('my state = 13 -ACTIVE\npeer state = 8 -STANDBY HOT\nMode = Duplex\n');
    expect(text).toContain('Redundancy Mode (Operational) = SSO\nRedundancy Mode (Configured) = SSO\n');
    expect(text).toContain('client count = 7\nclient_notification_TMR = 30000 milliseconds\nRF debug mask = 0x0\n');
  });

  it('show redundancy states in RPR: peer is 4 -STANDBY COLD', async () => {
    const h = await booted({ redundancyMode: 'RPR' });
    expect(renderShowRedundancyStates(showRedundancyStates(h.chassis))).toContain('peer state = 4 -STANDBY COLD\n');
  });

  it('show redundancy: uptime, switchovers and processors', async () => {
    const h = await booted();
    h.chassis.forceSwitchover().catch(() => {});
    await h.clock.advanceAsync(120_000);
    const d = showRedundancy(h.chassis);
    expect(d).toMatchObject({ switchovers: 1, lastSwitchoverReason: 'user forced', configuredMode: 'SSO', operatingMode: 'SSO', communications: 'Up' });
    const text = renderShowRedundancy(d);
    expect(text).toContain('Available system uptime = 2 minutes\nSwitchovers system experienced = 1\n');
    expect(text).toContain('Active Location = slot 2\nCurrent Software state = ACTIVE\n');
    expect(text).toContain('Standby Location = slot 1\nCurrent Software state = STANDBY HOT\n');
  });

  it('show redundancy clients lists clients in clientSeq order', () => {
    const { chassis } = makeChassis();
    chassis.registerClient({ clientId: 4001, clientSeq: 400, name: 'SRP Session Manager' });
    const rows = showRedundancyClients(chassis);
    expect(rows.map((r) => r.clientSeq)).toEqual([0, 60, 130, 140, 150, 350, 400, 65000]);
    const text = renderShowRedundancyClients(rows);
    expect(text.split('\n')[0]).toBe('clientID = 0      clientSeq = 0      RF_INTERNAL_MSG');
    expect(text).toContain('clientID = 4001   clientSeq = 400    SRP Session Manager');
  });

  it('show redundancy history and counters', async () => {
    const h = await booted();
    h.chassis.crashCard(2);
    const hist = showRedundancyHistory(h.chassis);
    expect(hist.at(-1)!.text).toMatch(/slot 2: \*my state = DISABLED\(1\) \*peer state = ACTIVE\(13\)/);
    const text0 = renderShowRedundancyHistory(hist);
    expect(text0).toMatch(/^00:00:00 slot 1: \*my state = INITIALIZATION\(2\)/m);
    expect(text0).toMatch(/^00:00:02 slot 1: \*my state = NEGOTIATION\(3\)/m);
    const text = renderShowRedundancyCounters(showRedundancyCounters(h.chassis));
    expect(text).toMatch(/^Redundancy Facility OMs\n/);
    expect(text).toMatch(/standby failures = 1\n/);
  });

  it('show card table', async () => {
    const h = await booted({ lineCards: 2 });
    h.chassis.crashLineCard(4);
    const rows = showCardTable(h.chassis);
    expect(rows.map((r) => [r.slot, r.operState])).toEqual([
      [1, 'Active'],
      [2, 'Standby'],
      [3, 'Active'],
      [4, 'Offline'],
    ]);
    const text = renderCardTable(rows);
    expect(text.split('\n')[0]).toMatch(/^Slot\s+Card Type\s+Oper State\s+SPOF\s+RF State$/);
    expect(text).toMatch(/^ 1: CFC\s+Control Function Virtual Card\s+Active\s+No\s+13 -ACTIVE$/m);
    expect(text).toMatch(/^ 4: LC\s+4-Port Line Card\s+Offline/m);
  });
});
