// Debian's Chromium for browser tests, driven by playwright-core. We never download a browser:
// CI installs the `chromium` package (.ci/run). Elsewhere, when it is missing, jest reports the
// browser tests as skipped (it-with-chromium.ts); in CI they fail.
//
//   let browser: Browser;
//   beforeAll(async () => { browser = await launchChromium(); ... });
//   afterAll(async () => { await browser?.close(); });
//   itWithChromium('shows the board', async () => { ... });
//
// No jest import here: wallboard/dev/screenshots.ts launches Chromium outside jest.

import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; CHROMIUM_PATH in the environment points elsewhere (a missing file shows the skip). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Headless, and quiet: no update checks, sync or QUIC probes leaving the machine during a test. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** True when running in CI, where a missing browser is an error rather than a reason to skip. */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI;
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/** Whether Chromium is installed at CHROMIUM_PATH. */
export function chromiumInstalled(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/**
 * Launches Chromium at CHROMIUM_PATH; throws when it is not installed (in a test, only in CI:
 * elsewhere itWithChromium has skipped the test). The caller owns the browser and must close it.
 */
export async function launchChromium(): Promise<Browser> {
  if (!chromiumInstalled()) {
    throw new Error(`chromium not found at ${CHROMIUM_PATH}: browser tests need it in CI (apt-get install -y chromium)`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}
