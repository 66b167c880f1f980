// Why a connection on the SRP link was refused, as a small fixed set of reasons (they are
// metric label values and statistics keys, so the set must stay bounded).
import { isWireError } from '@srp-ha/wire';

export type RefusalReason =
  | 'bad-mac'
  | 'bad-version'
  | 'garbage'
  | 'replay'
  | 'frame-too-large'
  | 'bad-frame'
  | 'protocol'
  | 'same-chassis-id'
  | 'handshake-timeout'
  | 'too-many-connections'
  | 'internal';

export function refusalReasonOf(err: unknown): RefusalReason {
  if (!isWireError(err)) return 'internal';
  switch (err.code) {
    case 'SRP_ERR_BAD_MAC':
      return 'bad-mac';
    case 'SRP_ERR_BAD_VERSION':
      return 'bad-version';
    case 'SRP_ERR_BAD_MAGIC':
      return 'garbage';
    case 'SRP_ERR_REPLAY':
      return 'replay';
    case 'SRP_ERR_FRAME_TOO_LARGE':
      return 'frame-too-large';
    case 'SRP_ERR_DECODER_FAILED':
    case 'SRP_ERR_BAD_KEY':
      return 'internal';
    default:
      return 'bad-frame';
  }
}
