import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { HookQueue, type HookRun } from '../src/runtime/hooks.js';

function script(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('notify hooks', () => {
  it('run one at a time, in order, with exit status and duration', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'srpd-hooks-'));
    const log = join(dir, 'log');
    const slow = script(dir, 'slow', `sleep 0.2; echo "slow $SRP_FROM>$SRP_TO $3" >> ${log}`);
    const any = script(dir, 'any', `echo "any $1>$2" >> ${log}; exit 3`);
    const runs: HookRun[] = [];
    const q = new HookQueue(
      [
        { transition: 'any', command: any },
        { transition: 'standby-to-pending-active', command: slow },
      ],
      pino({ level: 'silent' }),
      (r) => runs.push(r),
    );
    const job = (from: string, to: string, reason: string) => ({
      transition: `${from.toLowerCase()}-to-${to.toLowerCase()}`,
      args: [from, to, reason],
      env: { SRP_FROM: from, SRP_TO: to },
    });
    q.enqueue(job('Standby', 'Pending-Active', 'peer-dead'));
    q.enqueue(job('Pending-Active', 'Active', 'peer-dead'));
    await q.drain();
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual([
      'slow Standby>Pending-Active peer-dead', // the specific hook first, even though it is slow
      'any Standby>Pending-Active',
      'any Pending-Active>Active',
    ]);
    expect(runs.map((r) => [r.transition, r.exitCode])).toEqual([
      ['standby-to-pending-active', 0],
      ['standby-to-pending-active', 3],
      ['pending-active-to-active', 3],
    ]);
    expect(runs[0]?.durationMs).toBeGreaterThanOrEqual(150);
  });
});
