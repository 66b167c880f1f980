import { createReplicatedSessionTable, systemClock } from '../src/index.js';
import { MemoryLink } from '../src/testing.js';
import { expect, it, vi } from 'vitest';

// The README's library example, run as written.
it('README example runs', async () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  await (async () => {


    const link = new MemoryLink();
    const config = { sessionDurationMs: 0 };
    const primary = createReplicatedSessionTable({ clock: systemClock, transport: link.a, config });
    const backup = createReplicatedSessionTable({ clock: systemClock, transport: link.b, config });
    link.a.handler = (m) => primary.handle(m);
    link.b.handler = (m) => backup.handle(m);
    const pump = async () => {
      for (let i = 0; i < 20; i++) {
        link.deliver();
        await new Promise((r) => setTimeout(r, 5));
      }
    };

    backup.onRoleChange((role) => console.log('backup is now', role));
    await primary.becomeActive();
    backup.becomeStandby();
    primary.peerJoined(); // bulk sync

    primary.upsert({ id: 'imsi-001010000000001', lifetimeMs: 3_600_000, attrs: { apn: 'internet' } });
    primary.incrementCounter('imsi-001010000000001', 'bytesUp', 1500n);
    await pump();
    console.log(backup.get('imsi-001010000000001')?.attrs); // { apn: 'internet' }

    // The primary dies: the backup takes over with the same sessions.
    link.cut();
    primary.close();
    const { recovered } = await backup.becomeActive({ cause: 'peer-dead' });
    console.log('recovered', recovered, backup.summary());

  })();
  expect(log).toHaveBeenCalledWith('backup is now', 'active');
  expect(log.mock.calls.find((c) => c[0] === 'recovered')?.[1]).toBe(1);
  log.mockRestore();
});
