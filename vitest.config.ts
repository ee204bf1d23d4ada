import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Tests must not print: test/setup.ts makes any console output throw.
    setupFiles: ['test/setup.ts'],
  },
});
