// The follow-up page with a long queue, in a real browser: 25 leads waiting and a missed call.
// Sections show ten at a time (the page was 10,900 px long), "Attempts by" starts as the signed-in
// person's own staff entry (not nobody), times read as spans ("12 min 05 s", "2 min ago") rather than
// clock times ("12:05"), and "Updated" is a clock time in the practice's zone, with the zone said.
// Needs `npm run build:wallboard` first.

import { afterAll, beforeAll, expect } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';
import { createUser, PASSWORD } from '../users/users-support.js';
import { launchChromium } from './chromium.js';
import { itWithChromium } from './it-with-chromium.js';

const ALL_DAY = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['00:00', '23:59']]]));
// createUser names the user after the email's local part: "sam", which is staff member "Sam".
const DESK_EMAIL = 'sam@long-queue.example';
const WAITING = 25;

let t: TestApp;
let p: TestPractice;
let browser: Browser;
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

beforeAll(async () => {
  browser = await launchChromium();
  t = await startTestApp();
  p = await t.createPractice({ name: 'Long Queue Dental', timeZone: 'America/Chicago', staff: ['Maya', 'Sam'] });
  await t.query(`UPDATE practice SET opening_hours = $2 WHERE id = $1`, [p.practiceId, JSON.stringify(ALL_DAY)]);
  await createUser(t, p.practiceId, DESK_EMAIL, 'front_desk');
  for (let i = 0; i < WAITING; i++) {
    await t.post('/api/v1/leads', p.ingestKey, {
      channel: 'web_form',
      source: 'Google Ads',
      createdAt: ago(12 + i),
      patient: { name: `Waiting ${i}`, phone: `+1 555 0100 ${String(100 + i)}` },
    });
  }
  await t.post('/api/v1/calls', p.ingestKey, { externalId: 'long-queue-missed', status: 'missed', startedAt: ago(2), from: '+1 555 0100 999' });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

itWithChromium('shows a long queue ten at a time, starts "Attempts by" as the signed-in person, says times as spans and the practice zone', async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 800 } });
  await page.goto(`${t.url}/manage/follow-ups`);
  await page.getByTestId('signin-form').waitFor();
  await page.getByLabel('Email').fill(DESK_EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();

  const waitingSection = page.getByTestId('section-first_contact');
  await waitingSection.getByTestId('queue-item').first().waitFor({ timeout: 15_000 });
  await expect(waitingSection.getByTestId('queue-item').count()).resolves.toBe(10);
  await expect(waitingSection.getByTestId('show-more').innerText()).resolves.toBe('Show 10 more (15 not shown)');
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  expect(height).toBeLessThan(4000);
  await waitingSection.getByTestId('show-more').click();
  await expect(waitingSection.getByTestId('queue-item').count()).resolves.toBe(20);
  await expect(waitingSection.getByTestId('show-more').innerText()).resolves.toBe('Show the other 5');
  await waitingSection.getByRole('button', { name: `Show all ${WAITING}` }).click();
  await expect(waitingSection.getByTestId('queue-item').count()).resolves.toBe(WAITING);
  await expect(waitingSection.getByTestId('show-more').count()).resolves.toBe(0);

  // "Attempts by" is Sam, the signed-in user, without anyone choosing.
  await page.waitForFunction((id) => document.querySelector<HTMLSelectElement>('[data-testid="staff-select"]')?.value === id, p.staff.Sam!, {
    timeout: 10_000,
  });
  await expect(page.getByTestId('staff-nudge').count()).resolves.toBe(0);

  // Spans, never "12:05"; the missed call "2 min ago"; "Updated" in Chicago time, with the zone.
  const timers = await page.getByTestId('timer').allInnerTexts();
  expect(timers[0]).toMatch(/^waiting \d+ h \d\d min$|^waiting \d+ min \d\d s$/);
  for (const text of timers) expect(text).not.toMatch(/\d:\d\d/);
  await expect(page.getByTestId('section-missed_call').getByTestId('timer').innerText()).resolves.toMatch(/^missed \d+ min ago$/);
  await expect(page.getByTestId('queue-updated').innerText()).resolves.toMatch(/^Updated \d{1,2}:\d\d [AP]M C[SD]T$/);
  await page.close();
});
