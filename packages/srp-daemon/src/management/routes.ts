// The SRP routes of the management API. Each is one entry of the table; the server adds
// /healthz and /metrics, and callers add their own through `extraRoutes`.
import type { ConfigValidationResult, SwitchoverResult } from '../api/contract.js';
import { bodyObject, onlyKeys, optionalBoolean } from './body.js';
import { configValidationRefusal } from './render.js';
import { Reply, type Route } from './router.js';

/** 200 when accepted, 409 with `{ accepted: false, reasons }` (code SRP_ERR_SWITCHOVER_REFUSED) when refused. */
function switchoverReply(result: SwitchoverResult): Reply {
  return result.accepted ? Reply.json(200, result) : Reply.json(409, { code: 'SRP_ERR_SWITCHOVER_REFUSED', ...result });
}

/**
 * 200 when both configurations match; 409 when they differ (`match: false`, with the
 * differing keys) or cannot be compared because there is no peer (`match: null`). The body is
 * the ConfigValidationResult in every case.
 */
function configValidationReply(result: ConfigValidationResult): Reply {
  if (result.match === true) return Reply.json(200, result);
  const code = result.match === null ? 'SRP_ERR_NO_PEER' : 'SRP_ERR_CONFIG_MISMATCH';
  return Reply.json(409, { code, error: configValidationRefusal(result), ...result });
}

export const srpRoutes: Route[] = [
  { method: 'GET', path: '/v1/srp/info', handler: ({ daemon }) => daemon.info() },
  { method: 'GET', path: '/v1/srp/statistics', handler: ({ daemon }) => daemon.statistics() },
  {
    method: 'POST',
    path: '/v1/srp/switchover',
    handler: async ({ daemon, body }) => {
      const obj = bodyObject(body);
      onlyKeys(obj, ['force']);
      return switchoverReply(await daemon.initiateSwitchover(optionalBoolean(obj, 'force', false)));
    },
  },
  { method: 'GET', path: '/v1/srp/validate-switchover', handler: ({ daemon }) => switchoverReply(daemon.validateSwitchover()) },
  {
    method: 'POST',
    path: '/v1/srp/validate-configuration',
    handler: async ({ daemon, body }) => {
      onlyKeys(bodyObject(body), []);
      return configValidationReply(await daemon.validateConfiguration());
    },
  },
];
