import { CheckpointError } from './errors.js';

/** String.prototype.isWellFormed (Node 20; not in the ES2023 lib types). */
const isWellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

/**
 * Index of the first lone surrogate in `s`, or -1. JSON and JavaScript strings can hold one
 * ("\ud800"); UTF-8 cannot. An id with one made the Active send a batch the Standby refused
 * as a whole (strict UTF-8), and an attribute with one reached the Standby as U+FFFD.
 */
export function loneSurrogateAt(s: string): number {
  if (isWellFormed(s)) return -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
    }
    return i;
  }
  return -1;
}

/** Why `what`, with a lone surrogate at `at`, cannot be replicated (the engine's and the API's words). */
export function notWellFormed(what: string, at: number): string {
  return `${what} is not well-formed Unicode: a lone surrogate at index ${at}`;
}

function refuse(what: string, at: number): never {
  throw new CheckpointError('SRP_ERR_CHECKPOINT_BAD_INPUT', notWellFormed(what, at));
}

/** Throws SRP_ERR_CHECKPOINT_BAD_INPUT, naming `what`, when `s` has a lone surrogate. */
export function checkWellFormed(s: string, what: string): void {
  const at = loneSurrogateAt(s);
  if (at >= 0) refuse(what, at);
}

/** checkWellFormed for every key (and string value) of an attrs or counters record. */
export function checkRecordWellFormed(rec: Record<string, unknown> | undefined, what: 'attrs' | 'counters'): void {
  if (!rec) return;
  for (const k in rec) {
    const kAt = loneSurrogateAt(k);
    if (kAt >= 0) refuse(`${what} name ${JSON.stringify(k)}`, kAt);
    const v = rec[k];
    const vAt = typeof v === 'string' ? loneSurrogateAt(v) : -1;
    if (vAt >= 0) refuse(`${what}.${k}`, vAt);
  }
}
