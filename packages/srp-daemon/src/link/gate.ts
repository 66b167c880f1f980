// The door of the SRP listener: what happens to an inbound connection before it may speak SRP.
//   1. Its source address is checked against `peer-allow` (by default the peer's own address):
//      a stranger is refused (not-allowed) before a byte is read.
//   2. It takes a place in the admission pools (admission.ts); a newer connection may evict the
//      oldest unproven one, but a new connection is never turned away, so the real peer always
//      gets in.
//   3. With TLS, the TLS handshake runs (tls.ts); a certificate that is not trusted, expired or
//      not the peer's is refused with its reason.
//   4. The SRP handshake runs on the connection (connection.ts), which tells the gate when the
//      peer's Capabilities authenticated and when the handshake completed or failed.
import type { Socket } from 'node:net';
import type { AllowList } from '../config/security.js';
import { Admission, DEFAULT_ADMISSION_LIMITS, sourceOf, type AdmissionLimits } from './admission.js';
import type { RefusalReason } from './refusal.js';
import type { LinkTls } from './tls.js';

/** One inbound connection while it is unproven. */
export interface Ticket {
  readonly raw: Socket;
  readonly source: string;
  readonly remote: string;
  /** Set once the SRP handshake runs on it: evicting it then goes through the connection. */
  evict: ((cause: string) => void) | null;
  done: boolean;
}

export interface GateOptions {
  allow: AllowList | null;
  tls: LinkTls | null;
  limits?: AdmissionLimits;
  refused(reason: RefusalReason, remote: string, cause: string): void;
  /** The connection may start its SRP handshake on `socket` (the raw socket, or TLS over it). */
  open(socket: Socket, ticket: Ticket): void;
}

export class LinkGate {
  private readonly admission: Admission<Ticket>;
  private allow: AllowList | null;
  private stopped = false;

  constructor(private readonly opts: GateOptions) {
    this.admission = new Admission(opts.limits ?? DEFAULT_ADMISSION_LIMITS);
    this.allow = opts.allow;
  }

  setAllow(allow: AllowList | null): void {
    this.allow = allow;
  }

  get allowing(): AllowList | null {
    return this.allow;
  }

  accept(raw: Socket): void {
    const source = sourceOf(raw.remoteAddress);
    const remote = `${raw.remoteAddress ?? '?'}:${raw.remotePort ?? 0}`;
    if (this.stopped) {
      raw.destroy();
      return;
    }
    if (this.allow !== null && !this.allow.has(source)) {
      raw.destroy();
      this.opts.refused('not-allowed', remote, `${source} is not in peer-allow`);
      return;
    }
    const ticket: Ticket = { raw, source, remote, evict: null, done: false };
    for (const old of this.admission.admit(ticket, source)) this.evict(old, `a newer connection from ${source} needed its place`);
    // Leaves the pools when it closes; `done` stays unset so that a TLS failure is still counted.
    raw.once('close', () => this.admission.release(ticket));
    const tls = this.opts.tls;
    if (tls === null) {
      this.opts.open(raw, ticket);
      return;
    }
    tls.accept(raw, (result) => {
      if (ticket.done || this.stopped) {
        if ('socket' in result) result.socket.destroy();
        return;
      }
      if ('reason' in result) {
        this.release(ticket);
        this.opts.refused(result.reason, remote, result.cause);
        return;
      }
      this.opts.open(result.socket, ticket);
    });
  }

  /** The connection's peer sent an authenticated Capabilities. */
  authenticated(ticket: Ticket): void {
    for (const old of this.admission.authenticated(ticket)) this.evict(old, 'a newer authenticated handshake needed its place');
  }

  /** The connection completed its handshake, failed, or closed. */
  release(ticket: Ticket): void {
    ticket.done = true;
    this.admission.release(ticket);
  }

  stats(): { unproven: number; authenticated: number; sources: number; limits: AdmissionLimits } {
    return { ...this.admission.stats(), limits: this.admission.limits };
  }

  stop(): void {
    this.stopped = true;
  }

  private evict(ticket: Ticket, cause: string): void {
    if (ticket.done) return;
    ticket.done = true;
    this.admission.release(ticket);
    if (ticket.evict) {
      ticket.evict(cause);
      return;
    }
    ticket.raw.destroy();
    this.opts.refused('evicted', ticket.remote, cause);
  }
}
