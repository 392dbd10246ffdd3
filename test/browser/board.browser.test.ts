// A real browser (Debian's Chromium) opens the TV URL served by the real app, reads the numbers, and
// sees them change when a lead is posted through the API.

import { afterAll, beforeAll, expect } from '@jest/globals';
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';
import { launchChromium } from './chromium.js';
import { itWithChromium } from './it-with-chromium.js';
import { legibilityProblems } from './legibility.js';

let t: TestApp;
let p: TestPractice;
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  t = await startTestApp();
  p = await t.createPractice({ name: 'Browser Dental' });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t.close();
});

async function openBoard(width: number, height: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  await page.goto(`${t.url}/board?token=${encodeURIComponent(p.displayToken)}`);
  await page.getByTestId('connection-state').filter({ hasText: 'Live' }).waitFor({ timeout: 15_000 });
  return page;
}

const number = async (page: Page, testId: string) => Number((await page.getByTestId(testId).first().innerText()).replace(/[^\d.-]/g, ''));

itWithChromium('shows the live numbers and one change after a lead is posted, without patient details', async () => {
  const page = await openBoard(1920, 1080);
  const before = await number(page, 'leads-new');
  const posted = await t.post('/api/v1/leads', p.ingestKey, {
    channel: 'web_form',
    source: 'Google Ads',
    patient: { name: 'Brunhilde Browsertest', phone: '+1 555 0100 999', email: 'brunhilde@example.test' },
  });
  expect(posted.status).toBe(201);
  await page.waitForFunction(
    ([testId, expected]) => document.querySelector(`[data-testid="${testId}"]`)?.textContent?.replace(/[^\d]/g, '') === String(expected),
    ['leads-new', before + 1] as const,
    { timeout: 10_000 },
  );
  expect(await number(page, 'waiting-count')).toBeGreaterThanOrEqual(1);
  const text = await page.content();
  expect(text).not.toMatch(/Brunhilde|0100 999|brunhilde@/);
  await page.close();
});

itWithChromium('keeps the page bounded while updates keep coming (a TV runs for days)', async () => {
  const page = await openBoard(1920, 1080);
  const nodes = () => page.evaluate(() => document.getElementsByTagName('*').length);
  // Warm up: every tile and list filled once.
  for (let i = 0; i < 20; i++) await t.post('/api/v1/leads', p.ingestKey, { channel: 'chat', source: `Warm ${i % 3}` });
  await page.waitForTimeout(1500);
  const before = await nodes();
  const target = (await number(page, 'leads-new')) + 60;
  for (let i = 0; i < 60; i++) {
    await t.post('/api/v1/leads', p.ingestKey, { channel: 'chat', source: `Warm ${i % 3}` });
    await t.post('/api/v1/calls', p.ingestKey, { externalId: `soak-${i}`, status: i % 5 ? 'answered' : 'missed' });
  }
  await page.waitForFunction(
    (expected) => document.querySelector('[data-testid="leads-new"]')?.textContent?.replace(/[^\d]/g, '') === String(expected),
    target,
    { timeout: 15_000 },
  );
  const after = await nodes();
  expect(after - before).toBeLessThanOrEqual(10);
  expect(await page.getByTestId('leaderboard-row').count()).toBeLessThanOrEqual(8);
  await page.close();
});

itWithChromium.each([
  [1920, 1080],
  [1366, 768],
  [3840, 2160],
])('fits a %ix%i screen without scrolling, no text under 3% of its height, nothing cut', async (width, height) => {
  const page = await openBoard(width, height);
  const overflow = await page.evaluate(() => ({
    vertical: document.documentElement.scrollHeight - window.innerHeight,
    horizontal: document.documentElement.scrollWidth - window.innerWidth,
  }));
  expect(overflow.vertical).toBeLessThanOrEqual(0);
  expect(overflow.horizontal).toBeLessThanOrEqual(0);
  await page.locator('[data-testid="hourly-chart"] svg').waitFor({ timeout: 10_000 });
  expect(await legibilityProblems(page)).toEqual([]);
  await page.close();
});

itWithChromium("shows the day's first calls as a count, not a red rate, until enough calls make a rate", async () => {
  const q = await t.createPractice({ name: 'First Calls Dental' });
  // Open around the clock, so that the calls are in opening hours whenever the test runs.
  const allDay = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['00:00', '24:00']]]));
  await t.query(`UPDATE practice SET opening_hours = $1 WHERE id = $2`, [JSON.stringify(allDay), q.practiceId]);
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(`${t.url}/board?token=${encodeURIComponent(q.displayToken)}`);
  await page.getByTestId('connection-state').filter({ hasText: 'Live' }).waitFor({ timeout: 15_000 });
  expect((await t.post('/api/v1/calls', q.ingestKey, { externalId: 'first-missed', status: 'missed' })).status).toBe(201);
  await page.getByTestId('missed-count').filter({ hasText: '1 of 1' }).waitFor({ timeout: 10_000 });
  expect(await page.getByTestId('missed-rate').count()).toBe(0);
  expect(await page.locator('section[aria-label="Calls today"] .level-red, section[aria-label="Calls today"] .badge').count()).toBe(0);
  expect(await page.getByTestId('calls-few').innerText()).toMatch(/rate from 10 calls/i);
  expect(await legibilityProblems(page)).toEqual([]);
  // Nine answered calls later the sample is there: 1 of 10 is a rate, judged (10% is amber).
  for (let i = 0; i < 9; i++) await t.post('/api/v1/calls', q.ingestKey, { externalId: `then-answered-${i}`, status: 'answered' });
  await page.getByTestId('missed-rate').filter({ hasText: '10%' }).waitFor({ timeout: 10_000 });
  expect(await page.getByTestId('missed-rate').getAttribute('class')).toMatch(/level-amber/);
  expect(await page.getByTestId('calls-few').count()).toBe(0);
  await page.close();
});

itWithChromium.each([
  [1366, 768],
  [3840, 2160],
])("shows a closed practice as closed at %ix%i: when it opens, and the night's voicemail apart", async (width, height) => {
  const q = await t.createPractice({ name: `Night Dental ${width}`, timeZone: 'America/Chicago' });
  // Open only on the day after tomorrow (Chicago), so it is closed now whenever the test runs.
  const opensOn = DateTime.now().setZone('America/Chicago').plus({ days: 2 });
  const weekday = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'][opensOn.weekday - 1]!;
  await t.query(`UPDATE practice SET opening_hours = $1 WHERE id = $2`, [JSON.stringify({ [weekday]: [['08:00', '18:00']] }), q.practiceId]);
  await t.post('/api/v1/calls', q.ingestKey, { externalId: 'night-voicemail', status: 'voicemail' });
  const page = await browser.newPage({ viewport: { width, height } });
  await page.goto(`${t.url}/board?token=${encodeURIComponent(q.displayToken)}`);
  await page.getByTestId('connection-state').filter({ hasText: 'Live' }).waitFor({ timeout: 15_000 });
  expect(await page.getByTestId('practice-closed').innerText()).toBe(`Closed · opens ${opensOn.toFormat('ccc')} 08:00`);
  expect(await page.getByTestId('calls-after-hours').innerText()).toMatch(/1\s+after hours, not in the rate/);
  expect(await page.getByTestId('missed-rate').innerText()).not.toMatch(/%/);
  await page.locator('[data-testid="hourly-chart"] svg').waitFor({ timeout: 10_000 });
  expect(await legibilityProblems(page)).toEqual([]);
  await page.close();
});

itWithChromium('tells the viewer when the display token is not valid', async () => {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.goto(`${t.url}/board?token=lwd_not-a-valid-token-0000000000000`);
  await page
    .getByText(/not valid|new board link/i)
    .first()
    .waitFor({ timeout: 10_000 });
  await page.close();
});
