import { describe, expect, it } from 'vitest';
import { RF_STATES as S, HwSimError } from '../src/index.js';
import { booted, pump } from './helpers.js';

describe('fault injection per card', () => {
  it('crash of the active CF: switchover, active-cf-changed carries the new MAC, guard period opens', async () => {
    const h = await booted({ cfMacs: ['00-02-43-03-1C-2B', '00-02-43-03-01-3B'], guardTimerMs: 60_000 });
    const macs: (string | null)[] = [];
    const faults: string[] = [];
    h.chassis.on('active-cf-changed', (e) => macs.push(e.mac));
    h.chassis.on('card-fault', (e) => faults.push(`${e.card}:${e.kind}`));
    expect(h.chassis.inGuardPeriod()).toBe(false);
    h.chassis.crashCard(1);
    expect(faults).toEqual(['1:crash']);
    expect(macs).toEqual(['00-02-43-03-01-3B']);
    expect(h.chassis.inGuardPeriod()).toBe(true);
    await h.clock.advanceAsync(3_000);
    expect(h.chassis.activeCf()).toMatchObject({ slot: 2, state: S.ACTIVE });
    expect(h.chassis.guardRemainingMs()).toBe(60_000); // re-armed when the switchover completes
    await h.clock.advanceAsync(60_000);
    expect(h.chassis.inGuardPeriod()).toBe(false);
  });

  it('hang of the active CF: declared dead after the hang-detect timer, then switchover', async () => {
    const h = await booted();
    const causes: string[] = [];
    h.chassis.on('cf-switchover', (e) => causes.push(e.cause));
    h.chassis.hangCard(1);
    expect(h.chassis.hasActiveCf()).toBe(false); // control plane unresponsive
    expect((await pump(h, 2_900)).dropped).toBe(0); // line cards keep forwarding
    expect(h.chassis.rfState(1)).toBe(S.ACTIVE);
    await h.clock.advanceAsync(100);
    expect(h.chassis.rfState(1)).toBe(S.DISABLED);
    expect(h.chassis.rfState(2)).toBe(S.ACTIVE_PRECONFIG);
    await h.clock.advanceAsync(3_000);
    expect(causes).toEqual(['declared-dead']);
  });

  it('remove and insert of a CF: removal of the active switches over; the inserted card becomes standby', async () => {
    const h = await booted();
    h.chassis.removeCard(1);
    await h.clock.advanceAsync(3_000);
    expect(h.chassis.activeCf()?.slot).toBe(2);
    expect(h.chassis.snapshot().cfs[0]).toMatchObject({ present: false, role: 'removed' });
    await h.clock.advanceAsync(60_000);
    expect(h.chassis.rfState(1)).toBe(S.DISABLED); // no reload while the slot is empty
    h.chassis.insertCard(1);
    await h.clock.advanceAsync(10_000);
    expect(h.chassis.rfState(1)).toBe(S.STANDBY_HOT);
    expect(() => h.chassis.insertCard(1)).toThrow(expect.objectContaining({ code: 'HW_ERR_CARD_STATE' }) as HwSimError);
  });

  it('crash of the standby CF counts a standby failure and it comes back HOT', async () => {
    const h = await booted();
    h.chassis.crashCard(2);
    expect(h.chassis.redundancyCounters().standbyFailures).toBe(1);
    expect(h.chassis.standbyReady()).toBe(false);
    await h.clock.advanceAsync(10_000);
    expect(h.chassis.rfState(2)).toBe(S.STANDBY_HOT);
    expect(h.chassis.redundancyCounters().switchovers).toBe(0);
  });

  it('crash with no standby resets the chassis', async () => {
    const h = await booted();
    h.chassis.removeCard(2);
    const resets: string[] = [];
    h.chassis.on('chassis-reset', (e) => resets.push(e.cause));
    h.chassis.crashCard(1);
    expect(resets).toEqual([expect.stringMatching(/no standby CF/)]);
  });

  it('line-card crash: down with an alarm, drops on that card only, reloads by itself', async () => {
    const h = await booted({ lineCards: 2 });
    const statuses: string[] = [];
    h.chassis.on('linecard-status', (e) => statuses.push(`${e.slot}:${e.status}:${e.alarm}`));
    h.chassis.crashLineCard(3);
    expect(h.chassis.lineCard(3).state).toBe('down');
    const r = h.chassis.forward(100);
    expect(r).toEqual({ forwarded: 50, dropped: 50 });
    await h.clock.advanceAsync(5_000);
    expect(h.chassis.lineCard(3)).toMatchObject({ state: 'up', fibSize: 1 });
    expect(statuses).toEqual(['3:down:crashed', '3:up:none']);
    expect(h.chassis.forward(100)).toEqual({ forwarded: 100, dropped: 0 });
  });

  it('line-card remove / insert, and illegal line-card faults are refused', async () => {
    const h = await booted({ lineCards: 1 });
    h.chassis.removeCard(3);
    expect(h.chassis.forward(10)).toEqual({ forwarded: 0, dropped: 10 });
    expect(() => h.chassis.crashLineCard(3)).toThrow(expect.objectContaining({ code: 'HW_ERR_ILLEGAL_TRANSITION' }) as HwSimError);
    h.chassis.insertCard(3);
    await h.clock.advanceAsync(5_000);
    expect(h.chassis.forward(10)).toEqual({ forwarded: 10, dropped: 0 });
    expect(() => h.chassis.crashCard(9)).toThrow(expect.objectContaining({ code: 'HW_ERR_NO_SUCH_CARD' }) as HwSimError);
  });

  it('forced switchover: the active hands back, the standby takes over, nothing dropped in SSO', async () => {
    const h = await booted();
    const states1: number[] = [];
    h.chassis.on('rf-state', (e) => e.card === 1 && states1.push(e.state));
    const done = h.chassis.forceSwitchover();
    const during = pump(h, 10_000);
    await done;
    expect((await during).dropped).toBe(0);
    expect(states1.slice(0, 2)).toEqual([S.ACTIVE_HANDBACK, S.DISABLED]);
    expect(h.chassis.activeCf()?.slot).toBe(2);
    expect(h.chassis.rfState(1)).toBe(S.STANDBY_HOT);
    expect(h.chassis.redundancyCounters().switchoversByCause.forced).toBe(1);
  });

  it('the new active crashing mid-switchover resets the chassis', async () => {
    const h = await booted({ redundancyMode: 'RPR' });
    h.chassis.crashCard(1);
    await h.clock.advanceAsync(1_000);
    const resets: string[] = [];
    h.chassis.on('chassis-reset', (e) => resets.push(e.cause));
    h.chassis.crashCard(2);
    expect(resets).toEqual([expect.stringMatching(/failed during the switchover/)]);
    expect(h.chassis.switchoverInProgress()).toBe(false);
    await h.clock.advanceAsync(40_000);
    expect(h.chassis.activeCf()?.state).toBe(S.ACTIVE);
  });
});
