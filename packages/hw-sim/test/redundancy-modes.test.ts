import { describe, expect, it } from 'vitest';
import { RF_STATES as S, HwSimError, type RfNotification } from '../src/index.js';
import { booted, makeChassis, pump } from './helpers.js';

describe('RF state progression per redundancy mode', () => {
  it('SSO: the standby goes COLD, COLD-CONFIG, COLD-FILESYS, COLD-BULK, HOT; the active goes straight to ACTIVE', async () => {
    const { chassis, statesOf } = await booted({ redundancyMode: 'SSO' });
    expect(statesOf(1)).toEqual([S.INITIALIZATION, S.NEGOTIATION, S.ACTIVE]);
    expect(statesOf(2)).toEqual([
      S.INITIALIZATION,
      S.NEGOTIATION,
      S.STANDBY_COLD,
      S.STANDBY_COLD_CONFIG,
      S.STANDBY_COLD_FILESYS,
      S.STANDBY_COLD_BULK,
      S.STANDBY_HOT,
    ]);
    expect(chassis.standbyReady()).toBe(true);
    expect(chassis.operatingMode()).toBe('SSO');
    expect(chassis.redundancyCounters().bulkSyncs).toBe(1);
  });

  it('RPR+: the standby reaches HOT but RF clients get no bulk sync', async () => {
    const seen: string[] = [];
    const { statesOf } = await booted(
      { redundancyMode: 'RPR+' },
      { clients: [{ clientId: 500, clientSeq: 200, name: 'app', onBulkSync: () => void seen.push('bulk') }] },
    );
    expect(statesOf(2).at(-1)).toBe(S.STANDBY_HOT);
    expect(seen).toEqual([]);
  });

  it.each(['RPR', 'HSA'] as const)('%s: the standby stays STANDBY COLD', async (mode) => {
    const { chassis, statesOf } = await booted({ redundancyMode: mode });
    expect(statesOf(2)).toEqual([S.INITIALIZATION, S.NEGOTIATION, S.STANDBY_COLD]);
    expect(chassis.standbyReady()).toBe(true);
  });

  it('SSO: reports RPR as the operating mode while the standby is still syncing', async () => {
    const { chassis, clock } = makeChassis({ redundancyMode: 'SSO' });
    chassis.start();
    await clock.advanceAsync(2_600); // COLD-FILESYS
    expect(chassis.rfState(2)).toBe(S.STANDBY_COLD_FILESYS);
    expect(chassis.operatingMode()).toBe('RPR');
  });

  it('switchover in SSO goes ACTIVE FAST .. ACTIVE on the standby and takes the configured time', async () => {
    const h = await booted({ redundancyMode: 'SSO' });
    const sw: unknown[] = [];
    h.chassis.on('cf-switchover', (e) => sw.push(e));
    const from = h.rf.length;
    h.chassis.crashCard(1);
    await h.clock.advanceAsync(3_000);
    const after = h.rf.slice(from).filter((x) => x.card === 2).map((x) => x.state);
    expect(after).toEqual([S.ACTIVE_FAST, S.ACTIVE_DRAIN, S.ACTIVE_PRECONFIG, S.ACTIVE_POSTCONFIG, S.ACTIVE]);
    expect(sw).toEqual([expect.objectContaining({ from: 1, to: 2, mode: 'SSO', cause: 'crash', durationMs: 3_000, reset: false })]);
    // The old active reloads and comes back as a HOT standby.
    await h.clock.advanceAsync(10_000);
    expect(h.chassis.rfState(1)).toBe(S.STANDBY_HOT);
  });

  it('switchover durations follow the mode (RPR 30 s, RPR+ 3 s by default; configurable)', async () => {
    for (const [mode, expected, override] of [
      ['RPR', 30_000, undefined],
      ['RPR+', 3_000, undefined],
      ['SSO', 1_500, 1_500],
    ] as const) {
      const h = await booted({ redundancyMode: mode, ...(override ? { timers: { switchoverMs: { SSO: override } } } : {}) });
      let duration = -1;
      h.chassis.on('cf-switchover', (e) => (duration = e.durationMs));
      h.chassis.crashCard(1);
      await h.clock.advanceAsync(40_000);
      expect(duration).toBe(expected);
    }
  });
});

describe('RF clients', () => {
  it('are notified in clientSeq order, one at a time, on bulk sync and on switchover', async () => {
    const log: string[] = [];
    let concurrent = 0;
    let maxConcurrent = 0;
    const client = (clientId: number, clientSeq: number, delayMs: number) => ({
      clientId,
      clientSeq,
      name: `c${clientSeq}`,
      onBulkSync: (n: RfNotification) => track(`bulk:${clientSeq}:${n.activeSlot}`, delayMs),
      onSwitchover: (n: RfNotification) => track(`swo:${clientSeq}:${n.activeSlot}`, delayMs),
    });
    const h = makeChassis({ redundancyMode: 'SSO' });
    const track = async (what: string, delayMs: number) => {
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      log.push(what);
      await new Promise<void>((r) => h.clock.setTimeout(r, delayMs));
      concurrent--;
    };
    // Registered out of order on purpose.
    h.chassis.registerClient(client(902, 300, 50));
    h.chassis.registerClient(client(900, 100, 200));
    h.chassis.registerClient(client(901, 200, 10));
    h.chassis.start();
    await h.clock.advanceAsync(10_000);
    expect(log).toEqual(['bulk:100:1', 'bulk:200:1', 'bulk:300:1']);
    h.chassis.crashCard(1);
    await h.clock.advanceAsync(5_000);
    expect(log.slice(3)).toEqual(['swo:100:2', 'swo:200:2', 'swo:300:2']);
    expect(maxConcurrent).toBe(1);
  });

  it('a client that never answers is given up on after client_notification_TMR', async () => {
    const h = makeChassis({ redundancyMode: 'SSO', timers: { clientNotificationMs: 1_000 } });
    h.chassis.registerClient({ clientId: 900, clientSeq: 100, name: 'stuck', onBulkSync: () => new Promise<void>(() => {}) });
    h.chassis.start();
    await h.clock.advanceAsync(10_000);
    expect(h.chassis.rfState(2)).toBe(S.STANDBY_HOT);
    expect(h.chassis.redundancyCounters().clientNotificationTimeouts).toBe(1);
  });

  it('refuses a duplicate clientID', () => {
    const { chassis } = makeChassis();
    expect(() => chassis.registerClient({ clientId: 25, clientSeq: 1, name: 'dup' })).toThrow(HwSimError);
  });
});

describe('switchover before bulk sync completes', () => {
  it('forces a full chassis reset', async () => {
    const h = makeChassis({ redundancyMode: 'SSO', traffic: { rate: 100, seed: 7 } });
    const resets: string[] = [];
    const switchovers: unknown[] = [];
    h.chassis.on('chassis-reset', (e) => resets.push(e.cause));
    h.chassis.on('cf-switchover', (e) => switchovers.push(e));
    h.chassis.start();
    await h.clock.advanceAsync(2_700); // standby in COLD-FILESYS
    expect(h.chassis.rfState(2)).toBe(S.STANDBY_COLD_FILESYS);
    h.chassis.crashCard(1);
    expect(resets).toHaveLength(1);
    expect(resets[0]).toMatch(/before bulk sync completed/);
    expect(switchovers).toEqual([]);
    expect(h.chassis.rfState(1)).toBe(S.INITIALIZATION);
    expect(h.chassis.rfState(2)).toBe(S.INITIALIZATION);
    expect(h.chassis.snapshot().lineCards.every((lc) => lc.state === 'booting')).toBe(true);
    expect(h.chassis.redundancyCounters().chassisResets).toBe(1);
    // And it comes back up.
    await h.clock.advanceAsync(10_000);
    expect(h.chassis.rfState(1)).toBe(S.ACTIVE);
    expect(h.chassis.rfState(2)).toBe(S.STANDBY_HOT);
  });

  it('a forced switchover is refused while the standby is not ready', async () => {
    const h = makeChassis({ redundancyMode: 'SSO' });
    h.chassis.start();
    await h.clock.advanceAsync(2_700);
    await expect(h.chassis.forceSwitchover()).rejects.toMatchObject({ code: 'HW_ERR_SWITCHOVER_REFUSED', message: /standby not ready/ });
  });
});

describe('nonstop forwarding', () => {
  it('SSO: zero packets dropped through a CF switchover', async () => {
    const h = await booted({ redundancyMode: 'SSO' });
    expect((await pump(h, 1_000)).dropped).toBe(0);
    h.chassis.crashCard(1);
    const during = await pump(h, 10_000);
    expect(during.dropped).toBe(0);
    expect(during.forwarded).toBe(1_000);
    expect(h.chassis.snapshot().packets.dropped).toBe(0);
  });

  it('RPR: line cards reset on switchover and packets are dropped until they are back', async () => {
    const h = await booted({ redundancyMode: 'RPR' });
    expect((await pump(h, 1_000)).dropped).toBe(0);
    const statuses: string[] = [];
    h.chassis.on('linecard-status', (e) => statuses.push(`${e.slot}:${e.status}`));
    h.chassis.crashCard(1);
    const during = await pump(h, 30_000);
    expect(during.dropped).toBe(3_000); // everything offered during the 30 s switchover
    expect(statuses).toEqual(['3:down', '4:down', '3:up', '4:up']);
    const afterwards = await pump(h, 1_000);
    expect(afterwards.dropped).toBe(0);
  });

  it('RPR+: line cards are not reset, but traffic stops until the new active reprograms the FIB', async () => {
    const h = await booted({ redundancyMode: 'RPR+' });
    const statuses: string[] = [];
    h.chassis.on('linecard-status', (e) => statuses.push(`${e.slot}:${e.status}`));
    h.chassis.crashCard(1);
    const during = await pump(h, 3_000);
    expect(during.dropped).toBe(300);
    expect(statuses).toEqual([]);
    expect((await pump(h, 1_000)).dropped).toBe(0);
  });

  it('HSA: a switchover is a cold restart (chassis reset event, line cards reset, sessions lost)', async () => {
    const h = await booted({ redundancyMode: 'HSA', traffic: { rate: 100, seed: 3 } });
    await h.clock.advanceAsync(1_000);
    const resets: string[] = [];
    h.chassis.on('chassis-reset', (e) => resets.push(e.cause));
    const liveBefore = h.chassis.snapshot().sessions!.live;
    expect(liveBefore).toBeGreaterThan(0);
    h.chassis.crashCard(1);
    expect(resets).toEqual([expect.stringMatching(/HSA cold restart/)]);
    expect(h.chassis.snapshot().sessions!.lost).toBe(liveBefore);
    expect((await pump(h, 5_000)).forwarded).toBe(0);
  });
});
