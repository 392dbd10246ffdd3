// The TV read from across a room, in a real browser at the three screen sizes it must fit
// (1366x768, 1920x1080, 3840x2160), on the busiest board we can make up: a group practice with
// hundreds of leads, a dozen staff with long names, long marketing source names, a lead waiting for
// two days, six-figure booked value (wallboard/dev/sample-board.ts, `busy`), and on an ordinary day.
//
// Fails on:
//   - any visible text smaller than 3% of the screen height (the board's minimum, global.css);
//   - any text cut: an ellipsis in use, a box whose content is wider than the box, or a line that
//     sticks out of a box that clips (a tile, the chart's svg, the screen);
//   - numbers that do not agree with the numbers beside them (issue: "Missed 1" beside "30%").
// TV_SHOTS=/some/dir saves a screenshot of each size there.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { startPreview, type Preview } from '../../wallboard/dev/preview-app.js';
import { SamplePractice } from '../../wallboard/dev/sample-board.js';
import { launchChromium } from './chromium.js';
import { itWithChromium } from './it-with-chromium.js';
import { legibilityProblems, MIN_TEXT_VH } from './legibility.js';

const SIZES: Array<[number, number]> = [
  [1366, 768],
  [1920, 1080],
  [3840, 2160],
];
const shots = process.env.TV_SHOTS;

let browser: Browser;
let busy: Preview;
let quiet: Preview;

beforeAll(async () => {
  browser = await launchChromium();
  // Mid-afternoon on a Thursday in London: most of the day's bars are drawn.
  const now = Date.parse('2026-11-26T15:40:00Z');
  busy = await startPreview({ practice: new SamplePractice({ timeZone: 'Europe/London', now, busy: true }), intervalMs: 0 });
  quiet = await startPreview({ practice: new SamplePractice({ timeZone: 'America/Chicago', now, seed: 3 }), intervalMs: 0 });
  if (shots) mkdirSync(shots, { recursive: true });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await busy?.close();
  await quiet?.close();
});

async function openBoard(preview: Preview, width: number, height: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  await page.goto(preview.boardUrl);
  await page.getByTestId('connection-state').filter({ hasText: 'Live' }).waitFor({ timeout: 15_000 });
  await page.locator('[data-testid="hourly-chart"] svg').waitFor({ timeout: 10_000 });
  // Lists drop the rows that do not fit on the next animation frame: let them settle.
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 50))))');
  return page;
}

const check = (page: Page) => legibilityProblems(page, MIN_TEXT_VH);
const count = async (page: Page, testId: string) => Number((await page.getByTestId(testId).first().innerText()).replace(/[^\d]/g, ''));

describe.each(SIZES)('the TV at %ix%i', (width, height) => {
  itWithChromium('on a busy day: no text under 3% of the screen height, nothing cut, and the numbers agree', async () => {
    const page = await openBoard(busy, width, height);
    if (shots) await page.screenshot({ path: join(shots, `tv-busy-${width}x${height}.png`) });
    expect(await check(page)).toEqual([]);

    // The most actionable line is there, whole.
    await expect(page.getByTestId('calls-not-called-back').innerText()).resolves.toMatch(/^\d[\d,]* missed new patients? to call back$/);
    // Calls: the rate's numerator is the calls listed beside it, of the inbound calls beside it.
    const unanswered = await count(page, 'calls-unanswered');
    expect(unanswered).toBe((await count(page, 'calls-missed')) + (await count(page, 'calls-voicemail')) + (await count(page, 'calls-abandoned')));
    expect(await count(page, 'missed-rate')).toBe(Math.round((100 * unanswered) / (await count(page, 'calls-inbound'))));
    // Bookings: "241 of today's 626 new leads" is the headline count, and makes the percentage.
    const newLeads = await count(page, 'leads-new');
    expect(await page.getByTestId('bookings').locator('xpath=..').innerText()).toContain(`of today's ${newLeads.toLocaleString('en-US')} new leads`);
    expect(await count(page, 'conversion')).toBe(Math.round((100 * (await count(page, 'booked-from-today'))) / newLeads));
    // The hourly total is the headline's population: new-patient leads.
    expect(await page.getByTestId('hourly-so-far').innerText()).toBe(`${newLeads.toLocaleString('en-US')} new patients so far`);
    // Today's bookings are what they are made of.
    const parts = (await page.getByTestId('bookings-breakdown').innerText()).replace(/,/g, '').match(/\d+/g)!.map(Number);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(await count(page, 'bookings'));
    expect(parts[0]).toBe(await count(page, 'booked-from-today'));
    // After-hours calls are apart from the rate, and said so.
    await expect(page.getByTestId('calls-after-hours').innerText()).resolves.toMatch(/^\+ \d[\d,]* after hours, not in the rate$/);
    // Every visible leaderboard row: booked of replied makes the share.
    const rows = await page.getByTestId('leaderboard-row').filter({ visible: true }).all();
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) {
      const cells = await row.locator('td').allInnerTexts();
      const [replied, booked, share] = cells.slice(1, 4).map((c) => Number(c.replace(/[^\d]/g, '')));
      expect(share).toBe(Math.round((100 * booked!) / replied!));
    }
    await page.close();
  });

  itWithChromium('on an ordinary day: nothing under the minimum, nothing cut', async () => {
    const page = await openBoard(quiet, width, height);
    if (shots) await page.screenshot({ path: join(shots, `tv-quiet-${width}x${height}.png`) });
    expect(await check(page)).toEqual([]);
    await page.close();
  });
});

itWithChromium('the check itself catches small text, an ellipsis and a line cut by its tile', async () => {
  const page = await openBoard(quiet, 1920, 1080);
  await page.evaluate(`(() => {
    const tile = document.querySelector('section.tile .content');
    const small = document.createElement('p');
    small.textContent = 'tiny legend';
    small.style.fontSize = '20px';
    const cut = document.createElement('p');
    cut.textContent = 'Referral: Dr Anderson-Whitfield Family Dentistry and more and more words';
    cut.style.cssText = 'white-space:nowrap;overflow:hidden;text-overflow:ellipsis;font-size:2rem';
    const sticking = document.createElement('p');
    sticking.textContent = 'a line far too long to fit in any tile of this board at all, at any size';
    sticking.style.cssText = 'white-space:nowrap;font-size:1rem';
    tile.prepend(small, cut, sticking);
  })()`);
  const problems = await check(page);
  expect(problems.some((p) => p.startsWith('text 20.0px, under the minimum 32.4px: "tiny legend"'))).toBe(true);
  expect(problems.some((p) => p.startsWith('ellipsis: "Referral: Dr Anderson'))).toBe(true);
  expect(problems.some((p) => p.startsWith('cut at the side: "a line far too long'))).toBe(true);
  await page.close();
});
