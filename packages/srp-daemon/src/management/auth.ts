// Bearer-token check for mutating management calls. The token is compared in constant time
// (over SHA-256 digests, so lengths do not leak either) and is never logged.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export type AuthOutcome = 'ok' | 'missing' | 'invalid';

export function makeTokenCheck(token: string | undefined): (req: IncomingMessage) => AuthOutcome {
  if (token === undefined) return () => 'missing';
  const want = createHash('sha256').update(token).digest();
  return (req) => {
    const header = req.headers.authorization;
    if (header === undefined) return 'missing';
    const m = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (!m) return 'invalid';
    const got = createHash('sha256').update(m[1]).digest();
    return timingSafeEqual(got, want) ? 'ok' : 'invalid';
  };
}
