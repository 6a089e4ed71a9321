import { defineConfig } from 'vitest/config';

// `npm run test:large`: the multi-gigabyte runs the normal suite leaves out (see test/large/).
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/large/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 3_600_000,
  },
});
