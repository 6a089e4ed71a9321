import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    exclude: ['test/large/**', 'test/browser/**'],
    pool: 'forks',
    testTimeout: 60000,
  },
});
