// The error body of the management API: every answer with a status of 400 or more is
// `{ "code": "SRP_ERR_...", "error": "one line", ...details }`. `code` is stable (clients
// branch on it), `error` is for people. A route that knows why it refuses gives its own code
// (SRP_ERR_FENCED, SRP_ERR_NOT_ACTIVE, a hw-sim HW_ERR_... or checkpoint SRP_ERR_CHECKPOINT_...
// code); otherwise the status's code below applies. The table of every code is in the README.

/** Codes the management API itself gives (a plane may give its package's codes too). */
export type ApiErrorCode =
  | 'SRP_ERR_BAD_REQUEST'
  | 'SRP_ERR_UNAUTHORIZED'
  | 'SRP_ERR_NOT_FOUND'
  | 'SRP_ERR_METHOD_NOT_ALLOWED'
  | 'SRP_ERR_REFUSED'
  | 'SRP_ERR_NOT_ACTIVE'
  | 'SRP_ERR_SWITCHOVER_REFUSED'
  | 'SRP_ERR_CONFIG_MISMATCH'
  | 'SRP_ERR_NO_PEER'
  | 'SRP_ERR_TOO_LARGE'
  | 'SRP_ERR_UNSUPPORTED_MEDIA_TYPE'
  | 'SRP_ERR_UPGRADE_REQUIRED'
  | 'SRP_ERR_INTERNAL'
  | 'SRP_ERR_UNAVAILABLE'
  | 'SRP_ERR_FENCED'
  | 'SRP_ERR_TIMEOUT';

/** What every error answer carries. */
export interface ApiErrorBody {
  /** An ApiErrorCode, or the code of the package that refused (HW_ERR_..., SRP_ERR_CHECKPOINT_...). */
  code: string;
  error: string;
  [detail: string]: unknown;
}

const BY_STATUS: Readonly<Record<number, ApiErrorCode>> = {
  400: 'SRP_ERR_BAD_REQUEST',
  401: 'SRP_ERR_UNAUTHORIZED',
  404: 'SRP_ERR_NOT_FOUND',
  405: 'SRP_ERR_METHOD_NOT_ALLOWED',
  409: 'SRP_ERR_REFUSED',
  413: 'SRP_ERR_TOO_LARGE',
  415: 'SRP_ERR_UNSUPPORTED_MEDIA_TYPE',
  426: 'SRP_ERR_UPGRADE_REQUIRED',
  503: 'SRP_ERR_UNAVAILABLE',
  504: 'SRP_ERR_TIMEOUT',
};

/** The code of an error answer that names none. */
export function defaultErrorCode(status: number): ApiErrorCode {
  return BY_STATUS[status] ?? (status >= 500 ? 'SRP_ERR_INTERNAL' : 'SRP_ERR_BAD_REQUEST');
}

const strings = (v: unknown): string[] | null => (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string') ? v : null);

/**
 * `body` as an error answer of `status`: its own `code` and `error` kept, else `code` from the
 * status and `error` from its `reasons` or `errors` (refusals list them), else the status.
 */
export function errorBody(status: number, body: Record<string, unknown>): ApiErrorBody {
  const code = typeof body.code === 'string' ? body.code : defaultErrorCode(status);
  const listed = strings(body.reasons) ?? strings(body.errors);
  const error = typeof body.error === 'string' ? body.error : listed ? listed.join('; ') : `HTTP ${status}`;
  return { ...body, code, error };
}
