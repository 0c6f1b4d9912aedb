// Playwright Test configuration for the end-to-end layer of `cargo xtask test`.
//
// The browser is Debian's Chromium (`/usr/bin/chromium`): this machine has no network besides
// package registries, so Playwright's own browser download is never used (the xtask sets
// PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 for `npm ci`, and nothing here runs `playwright install`).
// Playwright Test transpiles this TypeScript file itself; no TypeScript install is needed.
import { defineConfig } from '@playwright/test';

// E2E_PORT lets two checkouts on one machine run their suites at once.
const PORT = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
  testDir: './specs',
  // The machine has 2 cores and Chromium + the static server share them: one worker is steadier.
  workers: 1,
  fullyParallel: false,
  // A flaky test is a bug to fix, not to hide behind a retry.
  retries: 0,
  // `test.only` left in a spec would silently skip the rest of the suite on CI.
  forbidOnly: !!process.env.CI,
  timeout: 30_000,
  reporter: [
    // For humans reading the log.
    ['list'],
    // For the xtask, which counts passed/failed tests from it (path relative to this file).
    ['json', { outputFile: 'test-results/results.json' }],
  ],
  // Traces and screenshots of failures land here (git-ignored); the JSON report sits beside them.
  outputDir: 'test-results/artifacts',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      // Running as root in a container: no sandbox; no GPU; /dev/shm is small; and nothing that
      // would try to reach the network (updates, sync, component downloads).
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    // Serves dist/ (the release build made by the layer before) and pages/ (test host pages).
    command: `node server.mjs ${PORT}`,
    url: `http://127.0.0.1:${PORT}/`,
    // A server left over from another run could serve a stale dist/: always start our own.
    reuseExistingServer: false,
    timeout: 15_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
