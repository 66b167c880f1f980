import { defaultServerConditions, defineConfig } from 'vite';

const packages = ['common', 'wire', 'checkpoint', 'hw-sim', 'srp-daemon', 'lab', 'bench'];

// The container test builds an image and runs a compose lab (minutes of both cores): it runs
// after every other test file, alone, so it neither slows nor disturbs the timing-sensitive
// tests (project "containers", sequence.groupOrder 1).
const CONTAINER_TESTS = ['test/compose.integration.test.ts'];

// Packages resolve each other's src/ through the "@srp/source" export condition,
// so tests never depend on a stale dist/.
export default defineConfig({
  ssr: { resolve: { conditions: ['@srp/source', ...defaultServerConditions] } },
  resolve: { conditions: ['@srp/source', ...defaultServerConditions] },
  test: {
    projects: [
      ...packages.map((name) => ({
        extends: true,
        test: {
          name,
          root: `packages/${name}`,
          include: ['test/**/*.test.ts'],
          exclude: name === 'lab' ? ['**/node_modules/**', ...CONTAINER_TESTS] : ['**/node_modules/**'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      })),
      {
        extends: true,
        test: {
          name: 'containers',
          root: 'packages/lab',
          include: CONTAINER_TESTS,
          testTimeout: 300_000,
          hookTimeout: 1_200_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
