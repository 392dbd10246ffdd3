// Screenshots of the board at the three screen sizes it must fit, for a person to look at, plus
// a check that nothing scrolls and no tile clips its content. Not a test: run it against the
// preview server (or the real app with BOARD_URL).
//
//   npx tsx wallboard/dev/preview-server.ts &
//   npx tsx wallboard/dev/screenshots.ts            # writes /tmp/wallboard-shots/*.png

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM_PATH, chromiumInstalled, launchChromium } from '../../test/browser/chromium.js';

const url = process.env.BOARD_URL ?? `http://localhost:${process.env.PORT ?? 5199}/board?token=preview`;
const outDir = process.env.SHOTS_DIR ?? '/tmp/wallboard-shots';
const prefix = process.env.SHOTS_NAME ?? 'board';
// SHOTS_SIZES=1920x1080,1366x768 to take fewer.
const sizes = (process.env.SHOTS_SIZES ?? '1920x1080,3840x2160,1366x768').split(',').map((name) => {
  const [width, height] = name.split('x').map(Number);
  return { name, width: width!, height: height! };
});

interface PageReport {
  scrolls: boolean;
  connection: string | undefined;
  nodes: number;
  clipped: string[];
}

// Containers must not clip vertically; texts and big numbers only horizontally (their glyphs may
// overhang a line-height of 1 without anything being lost).
const PAGE_CHECK = `(() => {
  const clips = (el, vertical) =>
    el.scrollWidth > el.clientWidth + 1 || (vertical && el.scrollHeight > el.clientHeight + 1);
  const describe = (el) => el.tagName.toLowerCase() + '.' + [...el.classList].join('.') + ' "' +
    (el.textContent || '').trim().slice(0, 40) + '" ' + el.scrollWidth + 'x' + el.scrollHeight + ' in ' +
    el.clientWidth + 'x' + el.clientHeight;
  const containers = [...document.querySelectorAll('section, .content')].filter((el) => clips(el, true));
  const texts = [...document.querySelectorAll('li, td, .stat-xl, .stat-l, .stat-m, .note, h2, .aside')].filter((el) => clips(el, false));
  const root = document.documentElement;
  return {
    scrolls: root.scrollHeight > innerHeight || root.scrollWidth > innerWidth,
    connection: document.querySelector('[data-testid="connection-state"]')?.textContent?.trim(),
    nodes: document.getElementsByTagName('*').length,
    clipped: [...containers, ...texts].map(describe),
  };
})()`;

mkdirSync(outDir, { recursive: true });
if (!chromiumInstalled()) {
  console.warn(`chromium not found at ${CHROMIUM_PATH}: no screenshots`);
  process.exit(0);
}
const browser = await launchChromium();
try {
  for (const size of sizes) {
    const page = await browser.newPage({ viewport: { width: size.width, height: size.height } });
    page.on('pageerror', (error) => console.error(`[${size.name}] page error:`, error.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') console.error(`[${size.name}] console ${msg.type()}:`, msg.text());
    });
    await page.goto(url);
    await page.waitForSelector('[data-testid="hourly-chart"] svg', { timeout: 10_000 }).catch(() => undefined);
    await page.waitForTimeout(Number(process.env.SHOTS_WAIT_MS ?? 1_500));
    // Passed as a string: tsx would otherwise wrap named functions in a helper the page lacks.
    const report = await page.evaluate<PageReport>(PAGE_CHECK);
    const file = join(outDir, `${prefix}-${size.name}.png`);
    await page.screenshot({ path: file });
    console.log(`${file}: scrolls=${report.scrolls} connection="${report.connection}" nodes=${report.nodes}`);
    for (const c of report.clipped) console.log(`  clipped: ${c}`);
    await page.close();
  }
} finally {
  await browser.close();
}
