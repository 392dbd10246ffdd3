// Debian's Chromium for browser tests, driven by playwright-core. We never download a browser:
// CI installs the `chromium` package (.ci/run); elsewhere a missing binary skips the test with a
// notice instead of failing it.
//
//   const browser = await launchChromium();
//   if (!browser) return; // skipped, notice printed
//   try { ... } finally { await browser.close(); }

import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

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

/**
 * Launches Debian's Chromium at CHROMIUM_PATH. When it is not installed: in CI, throws; elsewhere,
 * prints "chromium not found at /usr/bin/chromium: browser test skipped" and resolves to null.
 * The caller owns the browser and must close it.
 */
export async function launchChromium(): Promise<Browser | null> {
  if (!existsSync(CHROMIUM_PATH)) {
    if (inCi()) {
      throw new Error(`chromium not found at ${CHROMIUM_PATH}: browser tests need it in CI (apt-get install -y chromium)`);
    }
    console.warn(`chromium not found at ${CHROMIUM_PATH}: browser test skipped`);
    return null;
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}
