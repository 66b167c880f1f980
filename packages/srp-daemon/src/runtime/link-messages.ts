// The SRP link's messages the runner consumes (every other kind goes to whoever binds to the
// link's port, the session service): Goodbyes and switchover messages become state machine
// events, configuration validation goes to the config check.
import type { Logger } from 'pino';
import type { SrpMessage } from '@srp-ha/wire';
import type { FsmEvent } from '../fsm/chassis.js';
import type { MessageKind } from '../link/port.js';
import type { ConfigCheck } from './config-check.js';

export const CHASSIS_MESSAGES: readonly MessageKind[] = [
  'hello',
  'goodbye',
  'switchoverRequest',
  'switchoverResponse',
  'configValidationRequest',
  'configValidationResponse',
];

export interface MessageHost {
  readonly log: Logger;
  readonly configCheck: ConfigCheck;
  dispatch(event: FsmEvent): void;
}

export function onChassisMessage(msg: SrpMessage, h: MessageHost): void {
  switch (msg.kind) {
    case 'hello':
      // Hellos travel as datagrams on the liveness channel, judged there; one on the TCP
      // link (an older peer) is not believed.
      h.log.warn({ from: msg.body.chassisId }, 'Hello on the TCP link ignored: Hellos travel as datagrams');
      break;
    case 'goodbye':
      h.log.info({ reason: msg.body.reason, takeoverNow: msg.body.takeoverNow }, 'peer said goodbye');
      h.dispatch({ type: 'goodbye', reason: msg.body.reason, takeoverNow: msg.body.takeoverNow });
      break;
    case 'switchoverRequest':
      h.dispatch({ type: 'switchover-request', ...msg.body });
      break;
    case 'switchoverResponse':
      h.dispatch({ type: 'switchover-response', requestId: msg.body.requestId, accepted: msg.body.accepted, reasons: msg.body.refusalReasons });
      break;
    case 'configValidationRequest':
      h.configCheck.onRequest(msg.body.values, msg.body.configDigest);
      break;
    case 'configValidationResponse':
      h.configCheck.onResponse(msg.body);
      break;
    default:
      break;
  }
}
