import { defaultServerConditions, defineConfig } from 'vite';

const packages = ['clock', 'wire', 'checkpoint', 'hw-sim', 'srp-daemon', 'lab', 'bench'];

// Packages resolve each other's src/ through the "@srp/source" export condition,
// so tests never depend on a stale dist/.
export default defineConfig({
  ssr: { resolve: { conditions: ['@srp/source', ...defaultServerConditions] } },
  resolve: { conditions: ['@srp/source', ...defaultServerConditions] },
  test: {
    projects: packages.map((name) => ({
      extends: true,
      test: {
        name,
        root: `packages/${name}`,
        include: ['test/**/*.test.ts'],
        testTimeout: 60_000,
        hookTimeout: 60_000,
      },
    })),
  },
});
