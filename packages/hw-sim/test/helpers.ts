import { Chassis, ManualClock, type ChassisOptions, type HardwareConfigInput, type RfState } from '../src/index.js';

export function makeChassis(config: HardwareConfigInput = {}, options: Omit<ChassisOptions, 'clock'> = {}) {
  const clock = new ManualClock(1_000_000);
  const chassis = new Chassis({ chassisId: 'a', ...config }, { ...options, clock });
  const rf: { card: number; state: RfState }[] = [];
  chassis.on('rf-state', (e) => rf.push({ card: e.card, state: e.state }));
  const statesOf = (slot: number) => rf.filter((x) => x.card === slot).map((x) => x.state);
  return { clock, chassis, rf, statesOf };
}

/** Start and let everything boot and sync (10 s of model time). */
export async function booted(config: HardwareConfigInput = {}, options: Omit<ChassisOptions, 'clock'> = {}) {
  const h = makeChassis(config, options);
  h.chassis.start();
  await h.clock.advanceAsync(10_000);
  return h;
}

/** Offer `perStep` packets every `stepMs` for `totalMs`, advancing the clock in between. */
export async function pump(h: { clock: ManualClock; chassis: Chassis }, totalMs: number, stepMs = 100, perStep = 10) {
  let forwarded = 0;
  let dropped = 0;
  for (let t = 0; t < totalMs; t += stepMs) {
    const r = h.chassis.forward(perStep);
    forwarded += r.forwarded;
    dropped += r.dropped;
    await h.clock.advanceAsync(stepMs);
  }
  return { forwarded, dropped };
}
