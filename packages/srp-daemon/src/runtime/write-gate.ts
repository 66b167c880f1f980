// Who may acknowledge writes, and the witness: the runner's part that watches the witness
// (etcd), feeds its status to the state machine, takes its lease before this chassis becomes
// Active, gives it up when it steps down, and decides whether writes are refused.
import type { Logger } from 'pino';
import type { SrpEvent, SrpInfo } from '../api/contract.js';
import type { FsmEvent, FsmState } from '../fsm/chassis.js';
import type { Witness, WitnessStatus } from '../witness/witness.js';

export interface GateHost {
  fsm(): FsmState;
  readonly log: Logger;
  dispatch(event: FsmEvent): void;
  emit(event: SrpEvent): void;
  /** Writes are refused from now on (why), or accepted again (null). */
  gateChanged(refused: string | null): void;
}

export class WriteGate {
  /** Why writes are refused now, as last told to the host; null: accepted. */
  private refused: string | null = null;
  private started = false;

  constructor(
    private readonly witness: Witness | null,
    private readonly host: GateHost,
  ) {}

  /** Watches the witness (with one configured). */
  start(): void {
    if (!this.witness || this.started) return;
    this.started = true;
    this.witness.onStatus((st) => this.onWitness(st));
    this.witness.start();
  }

  /** Gives the lease up and stops watching. */
  async stop(): Promise<void> {
    if (!this.witness) return;
    await this.witness.release();
    await this.witness.stop();
  }

  get hasWitness(): boolean {
    return this.witness !== null;
  }

  status(): SrpInfo['witness'] {
    if (!this.witness) return null;
    const { held, reachable, holder, leaseTtlMs, lastError } = this.witness.status;
    return { held, reachable, holder, leaseTtlMs, lastError };
  }

  /** After every transition: a Standby (or Init) gives the lease up, an Active holds it. */
  transitioned(to: FsmState['name']): void {
    const w = this.witness;
    if (!w) return;
    if (to === 'Standby' || to === 'Init') void w.release();
    else if (to === 'Active' && !w.status.held) w.acquire();
  }

  /** A planned hand-over from Pending-Standby: the peer takes the lease as it takes over. */
  handingOver(): void {
    if (this.witness && this.host.fsm().name === 'Pending-Standby') void this.witness.release();
  }

  /** Pending-Active: takes the lease, then `proceed`; gives up if the takeover is abandoned. */
  whenLeaseHeld(proceed: () => void): void {
    const w = this.witness;
    if (!w) {
      proceed();
      return;
    }
    if (!w.status.held) w.acquire();
    if (w.status.held) {
      proceed();
      return;
    }
    this.host.log.info({ holder: w.status.holder, reachable: w.status.reachable }, 'taking over: waiting for the witness lease');
    const off = w.onStatus((st) => {
      if (this.host.fsm().name !== 'Pending-Active') off();
      else if (st.held) {
        off();
        proceed();
      }
    });
  }

  /**
   * Writes are refused while the chassis is fenced, and with a witness while this Active does not
   * hold its lease, unless the witness merely does not answer and the peer is a Standby that
   * hears us (losing only etcd keeps the pair as it is: an alarm, no refusal).
   */
  update(): void {
    const s = this.host.fsm();
    let reason = s.fenced ? `this chassis is fenced (${s.fenced.cause})` : null;
    const w = this.witness?.status;
    if (reason === null && w && s.name === 'Active' && !w.held) {
      const p = s.peer;
      const peerHearsUs = p !== null && p.alive && p.state === 'Standby' && !s.peerDeaf;
      if (w.reachable || !peerHearsUs) reason = `no witness lease${w.holder ? ` (the witness gives it to ${w.holder})` : ''}`;
    }
    if (reason === this.refused) return;
    this.refused = reason;
    this.host.gateChanged(reason);
  }

  private onWitness(st: WitnessStatus): void {
    const { log } = this.host;
    const prev = this.host.fsm().witness;
    this.host.dispatch({ type: 'witness', held: st.held, reachable: st.reachable, holder: st.holder });
    let cause: string | null = null;
    if (prev && prev.reachable !== st.reachable) {
      cause = st.reachable ? 'the witness answers again' : `the witness does not answer (${st.lastError ?? 'no answer'})`;
      log[st.reachable ? 'info' : 'warn']({ reachable: st.reachable }, cause);
    } else if (prev && (prev.held !== st.held || prev.holder !== st.holder)) {
      cause = st.held ? 'this chassis holds the witness lease' : st.holder ? `the witness lease is held by ${st.holder}` : 'nobody holds the witness lease';
      log.info({ held: st.held, holder: st.holder }, cause);
    }
    if (cause) this.host.emit({ type: 'witness', at: new Date().toISOString(), held: st.held, reachable: st.reachable, holder: st.holder, cause });
    this.update();
  }
}
