// A real browser (Debian's Chromium) opens the manager pages served by the real app on a practice
// with seeded history: sign-in with email and password (session cookie), a wrong password, sign out;
// with "use an API key instead": the key form, the staffing heatmap and a what-if change, the growth
// fan charts. MANAGE_SHOTS=/some/dir saves a screenshot of each page there.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { seedLeadHistory } from '../forecast/seed-history.js';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';
import { createUser, PASSWORD } from '../users/users-support.js';
import { launchChromium } from './chromium.js';
import { itWithChromium } from './it-with-chromium.js';

let t: TestApp;
let p: TestPractice;
let empty: TestPractice;
let browser: Browser;
const MANAGER_EMAIL = 'manager@manager-dental.example';
const shots = process.env.MANAGE_SHOTS;

const monthOffset = (n: number) => {
  const today = new Date().toLocaleDateString('en-CA', { timeZone: 'America/Chicago' });
  const [y, m] = today.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + n, 1)).toISOString().slice(0, 10);
};

beforeAll(async () => {
  browser = await launchChromium();
  t = await startTestApp();
  p = await t.createPractice({ name: 'Manager Dental' });
  empty = await t.createPractice({ name: 'New Dental' });
  await seedLeadHistory(t, p.practiceId, { days: 400, calls: true });
  await t.query(
    `INSERT INTO goal (practice_id, month, metric, target) VALUES ($1, $2, 'leads', 120), ($1, $3, 'leads', 125), ($1, $2, 'revenue', 50000), ($1, $3, 'revenue', 52000)`,
    [p.practiceId, monthOffset(1), monthOffset(2)],
  );
  await createUser(t, p.practiceId, MANAGER_EMAIL, 'manager');
  if (shots) mkdirSync(shots, { recursive: true });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** Opens a page with an API key: the sign-in form first, then "use an API key instead". */
async function open(path: string, key: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(`${t.url}${path}`);
  await page.getByTestId('signin-form').waitFor();
  await page.getByRole('button', { name: 'Use an API key instead' }).click();
  await page.getByTestId('key-form').waitFor();
  await page.getByLabel('Key').fill(key);
  await page.getByRole('button', { name: 'Use key' }).click();
  expect(page.url()).not.toContain(key);
  return page;
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByTestId('signin-form').waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

itWithChromium('signs in with email and password, stays signed in after a reload, signs out; a wrong password shows the error', async () => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const apiCalls: Array<{ url: string; method: string; headers: Record<string, string> }> = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/')) apiCalls.push({ url: request.url(), method: request.method(), headers: request.headers() });
  });
  await page.goto(`${t.url}/manage/staffing`);
  await page.getByTestId('signin-form').waitFor();
  expect(await page.getByTestId('heatmap').count()).toBe(0);
  if (shots) await page.screenshot({ path: join(shots, 'signin.png'), fullPage: true });

  await signIn(page, MANAGER_EMAIL, 'not the right password at all');
  await expect(page.getByTestId('signin-error').innerText({ timeout: 15_000 })).resolves.toMatch(/wrong email or password/);
  expect(await page.getByTestId('heatmap').count()).toBe(0);
  if (shots) await page.screenshot({ path: join(shots, 'signin-error.png'), fullPage: true });

  await signIn(page, MANAGER_EMAIL, PASSWORD);
  await page.getByTestId('heatmap').locator('svg').waitFor({ timeout: 30_000 });
  await expect(page.getByTestId('signed-in-as').innerText()).resolves.toMatch(/Signed in as manager/);
  expect(await page.evaluate(() => document.cookie)).toBe(''); // HttpOnly: not readable by the page
  expect(await page.evaluate(() => sessionStorage.length + localStorage.length)).toBe(0);
  if (shots) await page.screenshot({ path: join(shots, 'staffing-signed-in.png'), fullPage: true });
  const staffing = apiCalls.filter((c) => c.url.includes('/api/v1/staffing'));
  expect(staffing.length).toBeGreaterThan(0);
  for (const call of staffing) expect(call.headers.authorization).toBeUndefined();

  // A reload asks /auth/me and is still signed in; the other page too.
  await page.goto(`${t.url}/manage/growth`);
  await page.getByTestId('leads-fan').locator('svg').waitFor({ timeout: 60_000 });
  expect(await page.getByTestId('signin-form').count()).toBe(0);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByTestId('signin-form').waitFor();
  const logout = apiCalls.find((c) => c.url.endsWith('/api/v1/auth/logout'));
  expect(logout?.method).toBe('POST');
  expect(logout?.headers['x-csrf-token']).toBeTruthy();
  expect(logout?.headers.authorization).toBeUndefined();
  // The session is gone on the server too: a reload shows the form again.
  await page.reload();
  await page.getByTestId('signin-form').waitFor();
  await page.close();
});

const number = async (page: Page, testId: string) => Number((await page.getByTestId(testId).innerText()).replace(/[^\d.]/g, ''));

itWithChromium('shows the staffing heatmap, 7 rows with numbers, and more staff hours when calls take longer', async () => {
  const page = await open('/manage/staffing', p.ingestKey);
  await page.getByTestId('heatmap').locator('svg').waitFor({ timeout: 30_000 });
  const rows = await page.locator('[data-testid="heat-cell"]').evaluateAll((cells) => new Set(cells.map((c) => c.getAttribute('data-row'))).size);
  expect(rows).toBe(7);
  const labels = await page.locator('[data-testid="heat-cell"] text').evaluateAll((texts) => texts.map((x) => x.textContent ?? ''));
  expect(labels.some((l) => /^[1-9]\d*$/.test(l))).toBe(true);
  const before = await number(page, 'total-staff-hours');
  expect(before).toBeGreaterThan(0);
  if (shots) await page.screenshot({ path: join(shots, 'staffing.png'), fullPage: true });

  // Plain words beside the numbers: the model, time off the phones, practice time, after-hours calls.
  await expect(page.getByTestId('model-sentence').innerText()).resolves.toMatch(
    /^Worked out with Erlang A, the standard call-centre formula for callers who hang up/,
  );
  await expect(page.getByTestId('time-zone-note').innerText()).resolves.toBe('Practice time (America/Chicago); opening hours only');
  await expect(page.getByTestId('after-hours').innerText()).resolves.toMatch(
    /^Nobody is planned outside opening hours: those calls reach voicemail or an answering service\. In the last 12 weeks \d+ calls? came in after hours/,
  );
  await expect(page.getByTestId('interval-note').innerText()).resolves.toMatch(/intervals/);
  for (const total of await page.locator('.totals dd').allInnerTexts()) expect(total).not.toMatch(/\d\.\d/);
  expect(await page.getByText('Shrinkage').count()).toBe(0);
  // Saturday afternoons are outside opening hours: a dash, never staffed; open hours always have someone.
  const saturday = await page.locator('[data-testid="heat-cell"][data-row="5"] text').allTextContents();
  expect(saturday).toContain('–');
  const monday = await page.locator('[data-testid="heat-cell"][data-row="0"] text').allTextContents();
  expect(monday.every((label) => Number(label) >= 1)).toBe(true);
  // Hourly on request: one column per hour, labelled in practice time.
  await page.getByText('1 hour', { exact: true }).click();
  await page.getByRole('heading', { name: 'Staff needed by weekday and hour' }).waitFor({ timeout: 15_000 });
  const columns = await page.locator('[data-testid="heat-cell"][data-row="0"]').count();
  expect(columns).toBe(10); // Monday 08:00-18:00
  const hourly = await number(page, 'total-staff-hours');

  await page.getByLabel('Time per call (seconds)').fill('600');
  await page.waitForFunction(
    (previous) => Number(document.querySelector('[data-testid="total-staff-hours"]')?.textContent?.replace(/[^\d.]/g, '')) > previous,
    hourly,
    { timeout: 15_000 },
  );
  // Staff on shift: the missed calls at your staffing appear, and the view can switch to them.
  await page.getByLabel('Staff on shift (optional)').fill('1');
  await page.getByTestId('total-missed-entered').waitFor({ timeout: 15_000 });
  await page.getByLabel('Missed at your staffing').check();
  await page.getByRole('heading', { name: /^Missed at your staffing by weekday and/ }).waitFor();
  if (shots) await page.screenshot({ path: join(shots, 'staffing-missed.png'), fullPage: true });

  await page.getByTestId('forget-key').click();
  await page.getByTestId('key-form').waitFor();
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  await page.close();
});

itWithChromium('shows the growth fan charts with bands, goals and accuracy in words', async () => {
  const page = await open('/manage/growth', p.ingestKey);
  for (const chart of ['leads-fan', 'revenue-fan']) {
    await page.getByTestId(chart).locator('svg').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId(chart).locator('[data-testid="fan-band"]').count()).toBe(2);
    const d = await page.getByTestId(chart).locator('[data-testid="fan-band"]').first().getAttribute('d');
    expect(d?.length ?? 0).toBeGreaterThan(20);
    expect(await page.getByTestId(chart).locator('[data-testid="actual-point"]').count()).toBeGreaterThanOrEqual(6);
    // Goals arrive with the revenue answer, which can land after the chart first draws.
    const goalMarks = page.getByTestId(chart).locator('[data-testid="goal-mark"]');
    await goalMarks.nth(1).waitFor({ state: 'attached', timeout: 30_000 });
    expect(await goalMarks.count()).toBe(2);
  }
  await expect(page.getByTestId('leads-accuracy').getByTestId('accuracy-typical').innerText()).resolves.toMatch(/Typically off by about [\d.]+ leads a day/);
  // Beside the monthly chart: the backtest of monthly totals in words, and the patterns used; both
  // from the same practice-day forecast the API gives at another horizon.
  const api = (await t.get('/api/v1/forecasts/leads?horizon=120', p.ingestKey)).body;
  const tested = api.total.monthlyAccuracy.nextMonth;
  for (const panel of ['leads-accuracy', 'revenue-accuracy']) {
    await expect(page.getByTestId(panel).getByTestId('accuracy-monthly').innerText()).resolves.toMatch(
      new RegExp(
        `^In the last ${tested.tested} months tested, the monthly total was within the 80% range (${tested.within80} times|once|twice); typical miss \\d+%\\.$`,
      ),
    );
  }
  await expect(page.getByTestId('leads-accuracy').getByTestId('accuracy-patterns').innerText()).resolves.toMatch(/^Patterns used: weekly/);
  // The model further ahead is named exactly when the API says another one takes over there.
  const longRange = page.getByTestId('leads-accuracy').getByTestId('accuracy-long-range');
  if (api.total.accuracy.longRangeModel) await expect(longRange.innerText()).resolves.toMatch(/^Further ahead .*: \S/);
  else expect(await longRange.count()).toBe(0);
  const next = api.total.monthly[1];
  const [y, m] = next.month.split('-');
  const label = `${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][Number(m) - 1]} ${y}`;
  const row = page.getByTestId('leads-table').locator('tr', { has: page.locator('th', { hasText: label }) });
  await expect(row.locator('td').nth(1).textContent()).resolves.toBe(Math.round(next.mean).toLocaleString('en-US'));
  await expect(row.locator('td').nth(2).textContent()).resolves.toBe(`${next.lo80.toLocaleString('en-US')} – ${next.hi80.toLocaleString('en-US')}`);
  if (shots) await page.screenshot({ path: join(shots, 'growth.png'), fullPage: true });
  await page.close();
});

itWithChromium('says honestly when a practice has no history yet, and asks again for a refused key', async () => {
  const page = await open('/manage/growth', empty.ingestKey);
  await expect(page.getByTestId('leads-insufficient').innerText({ timeout: 30_000 })).resolves.toMatch(/needs 8 weeks/);
  if (shots) await page.screenshot({ path: join(shots, 'growth-empty.png'), fullPage: true });
  await page.close();

  const refused = await open('/manage/staffing', 'lw_not_a_key');
  await expect(refused.getByRole('alert').innerText({ timeout: 15_000 })).resolves.toMatch(/refused/);
  await refused.close();
});
