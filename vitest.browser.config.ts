import { defineConfig } from 'vitest/config';

// npm run test:browser: headless Debian chromium (/usr/bin/chromium) and the packed package; kept out of
// npm test so that it runs without a browser.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/browser/**/*.test.ts'],
    pool: 'forks',
    // Both files start a browser; one at a time keeps timings steady on small CI machines.
    fileParallelism: false,
    testTimeout: 240000,
    hookTimeout: 180000,
  },
});
