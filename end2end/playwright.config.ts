import { defineConfig, devices } from '@playwright/test';

// The server is started by .ci/test.sh (a fresh demo database) and passed in BASE_URL.
// The browser is Debian's chromium: never `npx playwright install` (no downloads here).
export default defineConfig({
  testDir: './tests',
  // The first-load weight on a throttled network is a benchmark of a release build
  // (.ci/weight-bench.sh), not a journey of the debug build the test command serves.
  testIgnore: process.env.GRIDGOV_WEIGHT ? [] : ['**/weight.spec.ts'],
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: process.env.BASE_URL ?? 'http://127.0.0.1:3000',
    locale: 'zh-CN',
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'desktop', use: { ...devices['Desktop Chrome'], viewport: { width: 1366, height: 860 } } },
  ],
});
