// `it` for browser tests: skipped, and reported as skipped, when Chromium is missing outside CI; in CI
// the test runs and fails in launchChromium. Chosen when jest collects the file, so a skipped file also
// runs none of its beforeAll hooks (no app is started for nothing).

import { it } from '@jest/globals';
import { CHROMIUM_PATH, chromiumInstalled, inCi } from './chromium.js';

const browserTestsRun = chromiumInstalled() || inCi();
if (!browserTestsRun) console.warn(`chromium not found at ${CHROMIUM_PATH}: browser tests skipped`);

/** `it` (and `itWithChromium.each`) for a test that needs Chromium. */
export const itWithChromium: typeof it.skip = browserTestsRun ? it : it.skip;
