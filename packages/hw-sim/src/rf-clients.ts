// RF clients: applications that register with the redundancy facility under a clientID and a
// clientSeq, and are told about bulk sync, incremental sync and switchover in clientSeq order,
// one at a time (each notification is awaited, bounded by client_notification_TMR).
import type { Clock } from './clock.js';
import { HwSimError } from './errors.js';

export type RfNotificationKind = 'bulk-sync' | 'switchover' | 'incremental';

export interface RfNotification {
  kind: RfNotificationKind;
  /** CF slot of the active (bulk / incremental) or of the card taking over (switchover). */
  activeSlot: number;
  standbySlot: number | null;
  /** Incremental sync: what changed. */
  change?: { item: string; detail: string };
}

export interface RfClient {
  readonly clientId: number;
  readonly clientSeq: number;
  readonly name: string;
  onBulkSync?(n: RfNotification): void | Promise<void>;
  onSwitchover?(n: RfNotification): void | Promise<void>;
  onIncremental?(n: RfNotification): void | Promise<void>;
}

/** The clients every chassis has (seed: `show redundancy clients`). */
export const BUILTIN_RF_CLIENTS: readonly RfClient[] = [
  { clientId: 0, clientSeq: 0, name: 'RF_INTERNAL_MSG' },
  { clientId: 29, clientSeq: 60, name: 'Redundancy Mode RF' },
  { clientId: 25, clientSeq: 130, name: 'CHKPT RF' },
  { clientId: 22, clientSeq: 140, name: 'Network RF Client' },
  { clientId: 24, clientSeq: 150, name: 'CEF RRP RF Client' },
  { clientId: 35, clientSeq: 350, name: 'History RF Client' },
  { clientId: 65000, clientSeq: 65000, name: 'RF_LAST_CLIENT' },
];

export interface NotificationRecord {
  at: number;
  clientId: number;
  clientSeq: number;
  name: string;
  kind: RfNotificationKind;
  outcome: 'ok' | 'error' | 'timeout';
  durationMs: number;
}

export interface RfClientStats {
  notifications: number;
  errors: number;
  timeouts: number;
}

export class RfClientRegistry {
  private clients: RfClient[] = [];
  private chain: Promise<void> = Promise.resolve();
  readonly stats: RfClientStats = { notifications: 0, errors: 0, timeouts: 0 };
  /** Called once per notification delivered (for history); bounded by the caller. */
  onRecord: ((r: NotificationRecord) => void) | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly notificationTimeoutMs: number,
    builtins: readonly RfClient[] = BUILTIN_RF_CLIENTS,
  ) {
    for (const c of builtins) this.register(c);
  }

  register(client: RfClient): () => void {
    if (!Number.isInteger(client.clientId) || client.clientId < 0) {
      throw new HwSimError('HW_ERR_BAD_CONFIG', `clientID must be a non-negative integer, got ${client.clientId}`);
    }
    if (!Number.isInteger(client.clientSeq) || client.clientSeq < 0) {
      throw new HwSimError('HW_ERR_BAD_CONFIG', `clientSeq must be a non-negative integer, got ${client.clientSeq}`);
    }
    if (this.clients.some((c) => c.clientId === client.clientId)) {
      throw new HwSimError('HW_ERR_DUPLICATE_CLIENT', `RF clientID ${client.clientId} is already registered`);
    }
    this.clients.push(client);
    this.clients.sort((a, b) => a.clientSeq - b.clientSeq || a.clientId - b.clientId);
    return () => {
      this.clients = this.clients.filter((c) => c !== client);
    };
  }

  /** Clients in clientSeq order (ties: lower clientID first). */
  list(): readonly RfClient[] {
    return this.clients;
  }

  count(): number {
    return this.clients.length;
  }

  /**
   * Notify every client in clientSeq order, one at a time. Notifications of different kinds are
   * serialised too: a switchover never overtakes a bulk sync that is still being delivered.
   * `stillWanted` is checked before each client, so a cancelled sync stops early.
   */
  notifyAll(n: RfNotification, stillWanted: () => boolean = () => true): Promise<boolean> {
    const run = async (): Promise<boolean> => {
      for (const c of [...this.clients]) {
        if (!stillWanted()) return false;
        const handler =
          n.kind === 'bulk-sync' ? c.onBulkSync : n.kind === 'switchover' ? c.onSwitchover : c.onIncremental; // eslint-disable-line @typescript-eslint/unbound-method -- called with c as this below
        if (!handler) continue;
        await this.deliver(c, n, (x) => handler.call(c, x));
      }
      return stillWanted();
    };
    const result = this.chain.then(run);
    this.chain = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private async deliver(c: RfClient, n: RfNotification, handler: (n: RfNotification) => void | Promise<void>): Promise<void> {
    const started = this.clock.now();
    this.stats.notifications++;
    let timer: unknown;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = this.clock.setTimeout(() => resolve('timeout'), this.notificationTimeoutMs);
    });
    let outcome: NotificationRecord['outcome'];
    try {
      const r = await Promise.race([Promise.resolve(handler(n)).then(() => 'ok' as const), timeout]);
      outcome = r;
    } catch {
      outcome = 'error';
    } finally {
      this.clock.clearTimeout(timer);
    }
    if (outcome === 'timeout') this.stats.timeouts++;
    if (outcome === 'error') this.stats.errors++;
    this.onRecord?.({
      at: this.clock.now(),
      clientId: c.clientId,
      clientSeq: c.clientSeq,
      name: c.name,
      kind: n.kind,
      outcome,
      durationMs: this.clock.now() - started,
    });
  }
}
