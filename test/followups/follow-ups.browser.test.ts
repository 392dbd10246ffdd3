// A real browser (Debian's Chromium) on /manage/follow-ups served by the real app: a front-desk user
// signs in, sees the queue in order with patient name and phone and the logging note, the waiting
// timer ticks, an attempt is logged (the item leaves the waiting section and the lead has its first
// response), a missed call is marked called back, a lead is marked do-not-contact. Needs `npm run
// build` first. FOLLOWUPS_SHOTS=/some/dir saves screenshots there.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../browser/chromium.js';
import { itWithChromium } from '../browser/it-with-chromium.js';
import { startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';
import { createUser, PASSWORD } from '../users/users-support.js';

const ALL_DAY = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['00:00', '23:59']]]));
const DESK_EMAIL = 'desk@follow-ups.example';
const shots = process.env.FOLLOWUPS_SHOTS;

let t: TestApp;
let p: TestPractice;
let browser: Browser;
const ids: { waiting: string; due: string; missed: string } = { waiting: '', due: '', missed: '' };
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

beforeAll(async () => {
  browser = await launchChromium();
  t = await startTestApp();
  p = await t.createPractice({ name: 'Front Desk Dental', timeZone: 'UTC', staff: ['Maya', 'Sam'] });
  await t.query(`UPDATE practice SET opening_hours = $2 WHERE id = $1`, [p.practiceId, JSON.stringify(ALL_DAY)]);
  await createUser(t, p.practiceId, DESK_EMAIL, 'front_desk');
  ids.waiting = (
    await t.post('/api/v1/leads', p.ingestKey, {
      channel: 'web_form',
      source: 'Google Ads',
      treatment: 'Invisalign',
      createdAt: ago(3),
      patient: { name: 'Wendy Waiting', phone: '+1 555 0100 222', email: 'wendy@example.test' },
    })
  ).body.id;
  ids.due = (
    await t.post('/api/v1/leads', p.ingestKey, { channel: 'chat', createdAt: ago(180), patient: { name: 'Dana Due', phone: '+1 555 0100 333' } })
  ).body.id;
  await t.post(`/api/v1/leads/${ids.due}/events`, p.ingestKey, { type: 'contact_attempt', kind: 'call', outcome: 'no_answer', at: ago(120) });
  ids.missed = (
    await t.post('/api/v1/calls', p.ingestKey, { externalId: 'browser-missed', status: 'missed', startedAt: ago(2), from: '+1 555 0100 444' })
  ).body.id;
  if (shots) mkdirSync(shots, { recursive: true });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

itWithChromium(
  'front desk signs in, sees the queue, logs an attempt, marks a call back and a do-not-contact',
  async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 800 } });
    const writes: Array<{ url: string; headers: Record<string, string> }> = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().includes('/api/v1/follow-ups/')) writes.push({ url: request.url(), headers: request.headers() });
    });
    await page.goto(`${t.url}/manage/follow-ups`);
    await page.getByTestId('signin-form').waitFor();
    await page.getByLabel('Email').fill(DESK_EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();

    const items = page.getByTestId('queue-item');
    await items.first().waitFor({ timeout: 15_000 });
    const order = await items.evaluateAll((nodes) =>
      nodes.map((n) => [n.getAttribute('data-kind'), n.getAttribute('data-lead-id') || n.getAttribute('data-call-id')]),
    );
    expect(order).toEqual([
      ['first_contact', ids.waiting],
      ['next_attempt', ids.due],
      ['missed_call', ids.missed],
    ]);
    const waiting = page.locator(`[data-testid="queue-item"][data-lead-id="${ids.waiting}"]`);
    await expect(waiting.getByTestId('patient-name').innerText()).resolves.toBe('Wendy Waiting');
    await expect(waiting.getByTestId('patient-phone').getAttribute('href')).resolves.toBe('tel:+15550100222');
    await expect(page.getByTestId('phi-note').innerText()).resolves.toMatch(/logged/);
    await expect(page.getByTestId('queue-counts').innerText()).resolves.toMatch(/1\s+waiting/);
    // The front desk's navigation offers its own page only.
    await expect(page.getByRole('navigation', { name: 'Manager pages' }).getByRole('link').allInnerTexts()).resolves.toEqual(['Follow-ups']);
    await page.getByTestId('cadence').locator('summary').click();
    await expect(page.getByTestId('cadence').innerText()).resolves.toMatch(/call now → text after 1 h → call the next morning → email on day 3/);
    if (shots) await page.screenshot({ path: join(shots, 'follow-ups.png'), fullPage: true });

    // the waiting timer ticks in the browser (3 minutes and counting)
    const first = await waiting.getByTestId('timer').innerText();
    expect(first).toMatch(/^waiting 3 min \d\d s$/);
    await page.waitForFunction(
      ([id, before]) => document.querySelector(`[data-lead-id="${id}"] [data-testid="timer"]`)?.textContent !== before,
      [ids.waiting, first] as const,
      { timeout: 5_000 },
    );

    // log a call that left a message, as Maya: the lead leaves the waiting section
    await page.getByTestId('staff-select').selectOption({ label: 'Maya' });
    await waiting.getByTestId('attempt-kind').selectOption('call');
    await waiting.getByTestId('attempt-outcome').selectOption('left_message');
    await waiting.getByTestId('log-attempt').click();
    await waiting.waitFor({ state: 'detached', timeout: 10_000 });
    await expect(page.getByTestId('queue-notice').innerText()).resolves.toMatch(/Logged: call, left message/);
    await expect(page.getByTestId('queue-counts').innerText()).resolves.toMatch(/0\s+waiting/);
    const [lead] = await t.query(`SELECT first_response_at, first_response_staff_id, first_response_via FROM lead WHERE id = $1`, [ids.waiting]);
    expect(lead.first_response_staff_id).toBe(p.staff.Maya);
    expect(lead.first_response_via).toBe('call');
    expect(Date.now() - lead.first_response_at.getTime()).toBeLessThan(60_000);

    // the missed call: called back
    await page.locator(`[data-testid="queue-item"][data-call-id="${ids.missed}"]`).getByTestId('called-back').click();
    await page.locator(`[data-testid="queue-item"][data-call-id="${ids.missed}"]`).waitFor({ state: 'detached', timeout: 10_000 });
    expect((await t.query(`SELECT callback_at FROM call WHERE id = $1`, [ids.missed]))[0].callback_at).toBeInstanceOf(Date);

    // the due lead: do not contact (asks for confirmation first)
    const due = page.locator(`[data-testid="queue-item"][data-lead-id="${ids.due}"]`);
    await due.getByTestId('do-not-contact').click();
    await due.getByTestId('confirm-do-not-contact').click();
    await page.getByTestId('queue-empty').waitFor({ timeout: 10_000 });
    expect((await t.query(`SELECT do_not_contact_at FROM lead WHERE id = $1`, [ids.due]))[0].do_not_contact_at).toBeInstanceOf(Date);
    if (shots) await page.screenshot({ path: join(shots, 'follow-ups-done.png'), fullPage: true });

    // cookie writes carry the CSRF token and no bearer key; every queue view with patients was logged
    expect(writes.length).toBe(3);
    for (const write of writes) {
      expect(write.headers['x-csrf-token']).toBeTruthy();
      expect(write.headers.authorization).toBeUndefined();
    }
    const logged = await t.query(`SELECT count(*)::int AS n FROM phi_access_log WHERE practice_id = $1 AND action = 'follow_up_queue'`, [p.practiceId]);
    expect(logged[0].n).toBeGreaterThanOrEqual(3);
    await page.close();
  },
  60_000,
);
