// One error class for the simulated hardware; callers branch on the stable `code`.

export type HwSimErrorCode =
  | 'HW_ERR_BAD_CONFIG'
  | 'HW_ERR_BAD_MAC'
  | 'HW_ERR_ILLEGAL_TRANSITION'
  | 'HW_ERR_NO_SUCH_CARD'
  | 'HW_ERR_CARD_STATE'
  | 'HW_ERR_DUPLICATE_CLIENT'
  | 'HW_ERR_SWITCHOVER_REFUSED';

export class HwSimError extends Error {
  override readonly name = 'HwSimError';
  readonly code: HwSimErrorCode;

  constructor(code: HwSimErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
